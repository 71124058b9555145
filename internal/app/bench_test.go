package app

import (
	"context"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// BenchmarkEndToEnd crawls the fixture site once per iteration with the
// whole pipeline (discovery, fetch, extract, embedded JetStream, SQLite),
// with politeness delays shortened to 1ms and no retries, and reports
// articles stored per second.
func BenchmarkEndToEnd(b *testing.B) {
	site := startSite(&testing.T{})
	defer site.Close()
	want := len(site.Articles())
	var stored int
	start := time.Now()
	for b.Loop() {
		cfg := &newsflow.Config{DataDir: b.TempDir(), Sources: site.Sources()}
		cfg.HTTP.Listen = "off"
		cfg.Crawler.AllowPrivateNetworks = true
		if err := cfg.Prepare(); err != nil {
			b.Fatal(err)
		}
		cfg.Crawler.Retries = 0
		for i := range cfg.Sources {
			cfg.Sources[i].Delay = newsflow.Duration(time.Millisecond)
			cfg.Sources[i].Parallelism = 4
		}
		a, err := Open(context.Background(), cfg, testLogger(&testing.T{}), Need{Bus: true, Store: true, Crawler: true})
		if err != nil {
			b.Fatal(err)
		}
		sum, err := a.Run(context.Background(), RunOptions{Crawl: true, Store: true, Once: true})
		a.Close()
		if err != nil {
			b.Fatal(err)
		}
		if sum.Stored["inserted"] != want {
			b.Fatalf("stored %d, want %d", sum.Stored["inserted"], want)
		}
		stored += want
	}
	b.ReportMetric(float64(stored)/time.Since(start).Seconds(), "articles/s")
}
