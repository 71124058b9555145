package neardup

import (
	"context"
	"fmt"
	"testing"

	"github.com/newsflow/newsflow/extractor"
	"github.com/newsflow/newsflow/internal/testutil"
)

// benchPage is one page of the scrapinghub corpus, gunzipped.
type benchPage struct {
	url  string
	html []byte
	text string // what Extract made of it
}

func benchPages(b *testing.B) []benchPage {
	b.Helper()
	var pages []benchPage
	for _, c := range testutil.ScrapinghubPages(b) {
		p := benchPage{url: c.URL, html: c.HTML}
		if a, err := extractor.Extract(c.HTML, c.URL, extractor.Options{}); err == nil {
			p.text = a.Text
		}
		pages = append(pages, p)
	}
	return pages
}

// BenchmarkExtract is the cost the fingerprint is measured against: one
// Extract per page of the scrapinghub corpus.
func BenchmarkExtract(b *testing.B) {
	pages := benchPages(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := pages[i%len(pages)]
		_, _ = extractor.Extract(p.html, p.url, extractor.Options{})
	}
}

// BenchmarkFingerprint is what the pipeline adds per article: Sign of the
// extracted text and a Check against an index in memory that already
// holds the corpus (so candidates are looked up as in a running crawl).
func BenchmarkFingerprint(b *testing.B) {
	pages := benchPages(b)
	ctx := context.Background()
	x := &Index{Store: NewMemStore()}
	for i, p := range pages {
		if sig, err := Sign(p.text); err == nil {
			_, _, _ = x.Check(ctx, fmt.Sprint("warm", i), &sig)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := pages[i%len(pages)]
		sig, err := Sign(p.text)
		if err != nil {
			continue
		}
		_, _, _ = x.Check(ctx, fmt.Sprint("p", i%len(pages)), &sig)
	}
}

// BenchmarkSign is the signature alone.
func BenchmarkSign(b *testing.B) {
	pages := benchPages(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, _ = Sign(pages[i%len(pages)].text)
	}
}
