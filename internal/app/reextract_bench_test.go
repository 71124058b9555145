package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/extractor"
)

// BenchmarkReextract10k keeps 10,000 pages (the fixture's article pages at
// 10,000 URLs, half fetched for source "alpha", half for "beta"),
// extracts them all once (every article published), then changes alpha's
// extraction rules and extracts again: the second pass must publish
// exactly the alpha articles the new rule changes (each page is checked
// against the extractor), and find the others unchanged. The second pass is
// interrupted half-way and resumed by a new process: the NEWS stream must
// then hold every page's article once, and each changed one once more. It
// reports the second pass's pages/s.
func BenchmarkReextract10k(b *testing.B) {
	const pages = 10000
	site := startSite(&testing.T{})
	defer site.Close()
	var bodies [][]byte
	for _, a := range site.Articles() {
		resp, err := http.Get(a.URL)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		bodies = append(bodies, body)
	}
	for b.Loop() {
		b.StopTimer()
		cfg := &newsflow.Config{DataDir: b.TempDir()}
		cfg.HTTP.Listen = "off"
		cfg.Archive.Enabled = true
		for _, name := range []string{"alpha", "beta"} {
			cfg.Sources = append(cfg.Sources, newsflow.Source{Name: name, Feeds: []string{"https://" + name + ".example/feed"},
				Extract: newsflow.ExtractRules{KeepRepeated: true}})
		}
		if err := cfg.Prepare(); err != nil {
			b.Fatal(err)
		}
		w, err := archive.NewWriter(cfg.Archive.Dir, archive.WriterOptions{MaxFileSize: 64 << 20})
		if err != nil {
			b.Fatal(err)
		}
		fetched := time.Date(2024, 3, 7, 9, 0, 0, 0, time.UTC)
		for i := range pages {
			src := []string{"alpha", "beta"}[i%2]
			if _, err := w.WriteResponse(archive.Response{Source: src, URL: fmt.Sprintf("https://%s.example/story/%d.html", src, i),
				Date: fetched, Status: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: bodies[i%len(bodies)]}); err != nil {
				b.Fatal(err)
			}
		}
		w.Close()
		a, err := Open(context.Background(), cfg, testLogger(&testing.T{}), Need{Bus: true, Crawler: true})
		if err != nil {
			b.Fatal(err)
		}
		first, err := a.Reextract(context.Background(), ReextractOptions{})
		if err != nil {
			b.Fatal(err)
		}
		a.Close()
		cfg.Sources[0].Extract.Remove = []string{"p:last-of-type"}
		// Which of the pages the new rule changes, page by page.
		changes := 0
		for i := range pages {
			if i%2 == 0 && ruleChanges(b, bodies[i%len(bodies)], cfg.Sources[0].Extract) {
				changes++
			}
		}
		// The second pass is stopped half-way through the changed
		// articles, as Ctrl-C would, and run again by a new process.
		a, err = Open(context.Background(), cfg, testLogger(&testing.T{}), Need{Bus: true, Crawler: true})
		if err != nil {
			b.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		var before atomic.Int32
		b.StartTimer()
		start := time.Now()
		stopped, err := a.Reextract(ctx, ReextractOptions{afterRecord: func(outcome string) {
			if outcome == "published" && int(before.Add(1)) == changes/2 {
				stop()
			}
		}})
		b.StopTimer()
		stop()
		a.Close()
		if !errors.Is(err, context.Canceled) {
			b.Fatalf("interrupted pass: err %v, want context.Canceled", err)
		}
		a, err = Open(context.Background(), cfg, testLogger(&testing.T{}), Need{Bus: true, Crawler: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		second, err := a.Reextract(context.Background(), ReextractOptions{})
		took := time.Since(start)
		b.StopTimer()
		if err != nil {
			a.Close()
			b.Fatal(err)
		}
		sum := func(rs []ImportResult) map[string]int {
			m := map[string]int{}
			for _, r := range rs {
				for k, v := range r.Outcomes {
					m[k] += v
				}
			}
			return m
		}
		f, i, s := sum(first), sum(stopped), sum(second)
		b.Logf("first pass: %v; second pass (alpha's rules changed) stopped after %v, resumed: %v; %s in all", f, i, s, took.Round(time.Millisecond))
		if f["published"] != pages || i["published"]+s["published"] != changes {
			b.Fatalf("first pass published %d of %d; second published %d before the stop and %d after, want %d in all",
				f["published"], pages, i["published"], s["published"], changes)
		}
		// The stream: every page's article once from the first pass, then
		// each changed one exactly once more, none of beta's.
		msgs := newsMessages(b, a)
		a.Close()
		if len(msgs) != pages+changes {
			b.Fatalf("NEWS holds %d articles, want %d: %d first and %d revised", len(msgs), pages+changes, pages, changes)
		}
		once := map[string]int{}
		for _, m := range msgs[:pages] {
			once[m.URL]++
		}
		revised := map[string]int{}
		for _, m := range msgs[pages:] {
			revised[m.URL]++
			if m.Source != "alpha" || once[m.URL] != 1 {
				b.Errorf("%s (%s) published again, first published %d times", m.URL, m.Source, once[m.URL])
			}
		}
		if len(once) != pages || len(revised) != changes {
			b.Fatalf("%d pages published by the first pass, %d revised; want %d and %d, each once", len(once), len(revised), pages, changes)
		}
		b.ReportMetric(float64(pages)/took.Seconds(), "pages/s")
		b.StartTimer()
	}
}

// ruleChanges reports whether extraction rules give a page another content
// hash than the rules without their removals.
func ruleChanges(b *testing.B, body []byte, rules newsflow.ExtractRules) bool {
	b.Helper()
	hash := func(r newsflow.ExtractRules) string {
		a, err := extractor.Extract(body, "https://alpha.example/story/1.html", extractor.Options{ContentType: "text/html", Rules: r})
		if err != nil {
			return "not_article"
		}
		a.Seal("alpha", time.Time{})
		return a.ContentHash
	}
	before := rules
	before.Remove = nil
	return hash(before) != hash(rules)
}
