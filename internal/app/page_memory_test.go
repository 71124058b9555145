package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/crawler"
	"github.com/newsflow/newsflow/extractor"
)

// BenchmarkPageMemory fetches and extracts one article page as big as
// crawler.max_body_size allows (about 9.5 MB: a story followed by 25,000
// reader comments), the way a fetch worker does, and reports the peak heap
// above what was live before (sampled every millisecond), every byte
// allocated, and the peak per page byte.
func BenchmarkPageMemory(b *testing.B) {
	var page strings.Builder
	page.WriteString(`<!doctype html><html lang="en"><head><title>Harbour reopens after storm</title></head><body><article><h1>Harbour reopens after storm</h1>`)
	for i := range 20 {
		fmt.Fprintf(&page, "<p>The harbour reopened on Thursday morning after three days of closure, paragraph %d of the story, as crews cleared the debris along the quays.</p>", i)
	}
	page.WriteString(`</article><section class="comments">`)
	for i := 0; page.Len() < 9_500_000; i++ {
		fmt.Fprintf(&page, `<div class="comment"><span class="author">reader%d</span><p>Comment number %d: the ferry was late again and nobody said why, which is the usual story here.</p></div>`, i, i)
	}
	page.WriteString(`</section></body></html>`)
	body := page.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	f, err := crawler.NewFetcher(crawler.Config{AllowPrivateNetworks: true, IgnoreRobots: true})
	if err != nil {
		b.Fatal(err)
	}
	src := &newsflow.Source{Name: "big", Parallelism: 1}
	var peak, alloc uint64
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop, sampled := make(chan struct{}), make(chan struct{})
		var top uint64
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
					top = max(top, m.HeapAlloc)
				}
			}
		}()
		p, err := f.Fetch(context.Background(), src, srv.URL+"/story", crawler.Validators{})
		if err != nil {
			b.Fatal(err)
		}
		art, err := extractor.Extract(p.Body, p.FinalURL, extractor.Options{ContentType: p.Header.Get("Content-Type")})
		close(stop)
		<-sampled
		if err != nil && art == nil {
			b.Logf("extract: %v", err)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		peak = max(top, after.HeapAlloc) - min(max(top, after.HeapAlloc), before.HeapAlloc)
		alloc = after.TotalAlloc - before.TotalAlloc
	}
	b.ReportMetric(float64(len(body))/(1<<20), "input-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	b.ReportMetric(float64(alloc)/(1<<20), "alloc-MB")
	b.ReportMetric(float64(peak)/float64(len(body)), "peak-B/B")
}
