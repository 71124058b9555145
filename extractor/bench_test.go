package extractor

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
)

// reportPerPage adds per-page figures to a benchmark whose every
// iteration handles all pages.
func reportPerPage(b *testing.B, pages int, before runtime.MemStats) {
	b.Helper()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(pages)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/page")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/page")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/page")
}

// BenchmarkParse is the floor: a bare goquery parse of each corpus page.
func BenchmarkParse(b *testing.B) {
	pages := readPages(b, scrapinghub)
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	reportPerPage(b, len(pages), before)
}

// BenchmarkExtract is the whole extraction of each corpus page.
func BenchmarkExtract(b *testing.B) {
	pages := readPages(b, scrapinghub)
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			_, _ = Extract(p.HTML, p.URL, Options{})
		}
	}
	b.StopTimer()
	reportPerPage(b, len(pages), before)
}

// BenchmarkBody is the body extraction alone: decoding, parsing and
// finding the article text, without metadata or classification.
func BenchmarkBody(b *testing.B) {
	pages := readPages(b, scrapinghub)
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			doc, err := parse(p.HTML, "")
			if err != nil {
				b.Fatal(err)
			}
			extractContent(doc, &metadata{}, newsflow.ExtractRules{})
		}
	}
	b.StopTimer()
	reportPerPage(b, len(pages), before)
}
