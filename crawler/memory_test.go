package crawler

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/fixture/hostile"
)

// bigInput is a large discovery input, rendered when measured.
type bigInput struct {
	name   string
	path   string // where it is served
	kind   string // "feed", "sitemap" or "page"
	ctype  string
	render func(*bytes.Buffer)
}

// bigInputs are RSS and Atom feeds of a million items, a sitemap of
// 700,000 URLs and a start page of 350,000 links.
var bigInputs = []bigInput{
	{"rss-1M-items", "/rss.xml", "feed", "application/rss+xml", func(b *bytes.Buffer) { hostile.WriteFeed(b, "rss", 1_000_000) }},
	{"atom-1M-items", "/atom.xml", "feed", "application/atom+xml", func(b *bytes.Buffer) { hostile.WriteFeed(b, "atom", 1_000_000) }},
	{"sitemap-700k-urls", "/sitemap.xml", "sitemap", "application/xml", func(b *bytes.Buffer) { hostile.WriteSitemap(b, "https://big.example", 700_000) }},
	{"page-350k-links", "/links.html", "page", "text/html; charset=utf-8", func(b *bytes.Buffer) { hostile.WriteLinks(b, 350_000) }},
	{"robots-1M-sitemaps", "/robots.txt", "robots", "text/plain", func(b *bytes.Buffer) {
		b.WriteString("User-agent: *\nAllow: /\n")
		for i := range 1_000_000 {
			fmt.Fprintf(b, "Sitemap: https://big.example/sitemaps/%d.xml\n", i)
		}
	}},
}

// bigServer serves one rendered input from memory at a time, so that
// serving allocates next to nothing and only the input measured is live.
type bigServer struct {
	*httptest.Server
	mu    sync.Mutex
	ctype string
	body  []byte
}

func serveBig(tb testing.TB) *bigServer {
	s := &bigServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		ctype, body := s.ctype, s.body
		s.mu.Unlock()
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	}))
	tb.Cleanup(s.Close)
	return s
}

// load renders an input and serves it; it returns its size.
func (s *bigServer) load(in bigInput) int {
	var b bytes.Buffer
	in.render(&b)
	s.mu.Lock()
	s.ctype, s.body = in.ctype, b.Bytes()
	s.mu.Unlock()
	return b.Len()
}

// memUse is the memory one discovery run took beyond what was live
// before it.
type memUse struct {
	peak  uint64 // highest heap in use, sampled every millisecond
	alloc uint64 // every byte allocated (an upper bound of peak)
	found int
}

// measureDiscover runs discovery of one input and measures its memory.
func measureDiscover(tb testing.TB, srv *bigServer, in bigInput, maxArticles int) memUse {
	tb.Helper()
	f, err := NewFetcher(Config{AllowPrivateNetworks: true, IgnoreRobots: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer f.CloseIdleConnections()
	d := &Discoverer{Fetcher: f}
	src := &newsflow.Source{Name: "big", MaxArticles: maxArticles, Parallelism: 1, MaxDepth: 0}
	switch in.kind {
	case "feed":
		src.Feeds = []string{srv.URL + in.path}
	case "sitemap":
		src.Sitemaps = []string{srv.URL + in.path}
	case "page":
		src.StartURLs = []string{srv.URL + in.path}
		src.ArticlePattern = "/b/"
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	found := 0
	var stats DiscoverStats
	if in.kind == "robots" {
		var maps []string
		maps, err = f.RobotsSitemaps(context.Background(), src, srv.URL+"/")
		found = len(maps)
	} else {
		stats, err = d.Discover(context.Background(), src, func(Candidate) error { found++; return nil })
	}
	close(stop)
	<-sampled
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	peak = max(peak, after.HeapAlloc)
	if err != nil || len(stats.Errors) > 0 {
		tb.Fatalf("%s: discover: %v %v", in.name, err, stats.Errors)
	}
	return memUse{peak: peak - min(peak, before.HeapAlloc), alloc: after.TotalAlloc - before.TotalAlloc, found: found}
}

// BenchmarkInputMemory reports the memory a discovery run takes for each
// kind of large input, with the default max_articles (500) and with no
// limit: peak heap beyond what was live before, every byte allocated, and
// peak heap per input byte.
func BenchmarkInputMemory(b *testing.B) {
	srv := serveBig(b)
	for _, in := range bigInputs {
		size := srv.load(in)
		for _, limit := range []int{500, 0} {
			b.Run(fmt.Sprintf("%s/max_articles=%d", in.name, limit), func(b *testing.B) {
				var m memUse
				for b.Loop() {
					m = measureDiscover(b, srv, in, limit)
				}
				b.ReportMetric(float64(size)/(1<<20), "input-MB")
				b.ReportMetric(float64(m.peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(m.alloc)/(1<<20), "alloc-MB")
				b.ReportMetric(float64(m.peak)/float64(size), "peak-B/B")
				b.ReportMetric(float64(m.found), "found")
			})
		}
	}
}
