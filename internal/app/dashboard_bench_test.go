package app

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/metrics"
)

// BenchmarkDashboard100Sources gathers and encodes /api/dashboard for a
// pipeline of 100 sources on embedded JetStream: a fetch consumer and 10
// queued tasks each, 200 articles on NEWS, the pipeline's counts and a
// canary of every source, and 10 dead letters. It reports the size of the
// JSON of a poll, and of a page's first poll, which brings an hour of
// history too.
func BenchmarkDashboard100Sources(b *testing.B) {
	ctx := context.Background()
	cfg := &newsflow.Config{DataDir: b.TempDir()}
	cfg.HTTP.Listen = "off"
	for i := range 100 {
		cfg.Sources = append(cfg.Sources, newsflow.Source{Name: fmt.Sprintf("source-%03d", i), Feeds: []string{fmt.Sprintf("https://s%03d.example/feed.xml", i)}})
	}
	if err := cfg.Prepare(); err != nil {
		b.Fatal(err)
	}
	a, err := Open(ctx, cfg, testLogger(&testing.T{}), Need{Bus: true, Store: true, Crawler: true})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	for i, src := range cfg.Sources {
		if _, err := a.Bus.FetchConsumer(ctx, src.Name); err != nil {
			b.Fatal(err)
		}
		for j := range 10 {
			if err := a.Bus.Enqueue(ctx, bus.Task{Source: src.Name, URL: fmt.Sprintf("https://s%03d.example/story/%d", i, j)}); err != nil {
				b.Fatal(err)
			}
		}
		a.Metrics.CrawlDone(src.Name, metrics.CrawlOK, "")
		for j := range 5 {
			a.Metrics.Discovered(src.Name, "feed")
			a.Metrics.Fetched(src.Name, 200, time.Duration(50+j)*time.Millisecond)
			a.Metrics.Published(src.Name)
			a.Metrics.Skipped(src.Name, "not_article")
		}
		a.Metrics.Failed("fetch", src.Name, "http_500", "HTTP 500")
		a.observePage(src.Name, &newsflow.Article{Title: "t", WordCount: 500})
	}
	for i := range 200 {
		art := &newsflow.Article{URL: fmt.Sprintf("https://s%03d.example/a/%d", i%100, i), Title: fmt.Sprintf("Story %d", i), Text: "Some words of the story."}
		art.Seal(cfg.Sources[i%100].Name, time.Now())
		if err := a.Bus.PublishArticle(ctx, art); err != nil {
			b.Fatal(err)
		}
	}
	c, err := a.Bus.FetchConsumer(ctx, cfg.Sources[0].Name)
	if err != nil {
		b.Fatal(err)
	}
	for dead := 0; dead < 10; {
		ms, err := c.Fetch(ctx, 10-dead, time.Second)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range ms {
			if err := m.DeadLetter(ctx, "fetch", "http_500: HTTP 500"); err != nil {
				b.Fatal(err)
			}
			dead++
		}
	}
	if err := a.FlushStats(ctx); err != nil {
		b.Fatal(err)
	}
	// An hour of history, as a page's first poll gets it.
	for i := range historyKeep {
		a.sampleHistory(ctx)
		a.hist.points[len(a.hist.points)-1].Time = time.Now().Add(time.Duration(i-historyKeep) * historyEvery)
	}
	var size, first int
	for b.Loop() {
		d := a.Dashboard(ctx)
		data, err := json.Marshal(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
		d.History = a.hist.since(time.Time{})
		if data, err = json.Marshal(d); err != nil {
			b.Fatal(err)
		}
		first = len(data)
	}
	b.ReportMetric(float64(size), "json-bytes")
	b.ReportMetric(float64(first), "first-poll-json-bytes")
}
