//go:build !race

// The race detector's shadow memory and instrumented allocations make the
// numbers of this test meaningless; .ci/run runs it without -race.

package crawler

import (
	"bytes"
	"testing"

	"github.com/newsflow/newsflow/internal/fixture/hostile"
)

// TestInputMemoryBounded reads a 40 MB RSS feed, a 40 MB Atom feed, a
// 40 MB sitemap and a 9 MB start page of 350,000 links with the default
// max_articles, and
// fails when one of them allocates more than 200 MB in all. Every byte
// allocated is counted (not a sampled peak, which would depend on the
// garbage collector's timing), so the bound is an upper bound of the
// peak and the test cannot flake. Parsed whole, the feeds took over
// 1 GB.
func TestInputMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 130 MB of input")
	}
	const limit = 200 << 20
	srv := serveBig(t)
	for _, in := range []bigInput{
		{"rss-40MB", "/rss.xml", "feed", "application/rss+xml", func(b *bytes.Buffer) { hostile.WriteFeed(b, "rss", 1_100_000) }},
		{"atom-40MB", "/atom.xml", "feed", "application/atom+xml", func(b *bytes.Buffer) { hostile.WriteFeed(b, "atom", 1_000_000) }},
		{"sitemap-40MB", "/sitemap.xml", "sitemap", "application/xml", func(b *bytes.Buffer) { hostile.WriteSitemap(b, "https://big.example", 800_000) }},
		{"page-350k-links", "/links.html", "page", "text/html; charset=utf-8", func(b *bytes.Buffer) { hostile.WriteLinks(b, 350_000) }},
	} {
		size := srv.load(in)
		m := measureDiscover(t, srv, in, 500)
		t.Logf("%s: %.1f MB read, %.1f MB allocated, peak about %.1f MB", in.name, float64(size)/(1<<20), float64(m.alloc)/(1<<20), float64(m.peak)/(1<<20))
		if m.found != 500 {
			t.Errorf("%s: %d candidates, want 500", in.name, m.found)
		}
		if m.alloc > limit {
			t.Errorf("%s: %d MB allocated, over the bound of %d MB", in.name, m.alloc>>20, limit>>20)
		}
	}
	srv.load(bigInput{render: func(*bytes.Buffer) {}})
}
