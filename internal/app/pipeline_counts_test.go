package app

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/metrics"
)

// Two processes of one deployment share a bus, as crawlers of a scale-out
// deployment do: B crawls two of the fixture's sources, A the third and
// stores every article. Each process's tally holds only its own work; the
// pipeline's counts on /status and /api/dashboard of either one hold both,
// source by source, with fetch times and skip reasons.
func TestPipelineCountsAcrossProcesses(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		site := startSite(t)
		cfgA := testConfig(t, site, t.TempDir())
		cfgA.NATS.Listen = "127.0.0.1:-1"
		a := openApp(t, cfgA)
		cfgB := testConfig(t, site, t.TempDir())
		cfgB.NATS.URL = a.Bus.ClientURL()
		pipelineCounts(t, site.Sources(), a, openCrawler(t, cfgB))
	})
	t.Run("external", func(t *testing.T) {
		url, ns := externalNamespace(t)
		site := startSite(t)
		open := func(need Need) *App {
			cfg := testConfig(t, site, t.TempDir())
			cfg.NATS.URL, cfg.NATS.Namespace = url, ns
			if err := cfg.Prepare(); err != nil {
				t.Fatal(err)
			}
			a, err := Open(context.Background(), cfg, testLogger(t), need)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			return a
		}
		pipelineCounts(t, site.Sources(), open(Need{Bus: true, Store: true, Crawler: true}), open(Need{Bus: true, Crawler: true}))
	})
}

// openCrawler opens a process that crawls and does not store.
func openCrawler(t *testing.T, cfg *newsflow.Config) *App {
	t.Helper()
	b, err := Open(context.Background(), cfg, testLogger(t), Need{Bus: true, Crawler: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func pipelineCounts(t *testing.T, sources []newsflow.Source, a, b *App) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first, rest := sources[0].Name, []string{sources[1].Name, sources[2].Name}
	sumB, err := b.Run(ctx, RunOptions{Crawl: true, Once: true, Sources: rest})
	if err != nil {
		t.Fatal(err)
	}
	sumA, err := a.Run(ctx, RunOptions{Crawl: true, Store: true, Once: true, Sources: []string{first}})
	if err != nil {
		t.Fatal(err)
	}
	if sumA.Sources[rest[0]] != nil || sumB.Sources[first] != nil {
		t.Fatalf("a process counted a source it did not crawl: A %v, B %v", sumA.Sources, sumB.Sources)
	}
	// B counts on after its run: its own page shows that at once (what it
	// has not flushed yet is added to what it reads), A's after B's flush.
	b.Metrics.Skipped(rest[0], "fresh")
	want := sumA
	want.Add(sumB)
	want.Sources[rest[0]].SkipReasons["fresh"]++
	want.Sources[rest[0]].Skipped++
	for _, name := range []string{"B", "A"} {
		p := map[string]*App{"A": a, "B": b}[name]
		if name == "A" {
			if err := b.FlushStats(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var st Status
		if err := json.Unmarshal([]byte(get(t, serveApp(t, p)+"/status")), &st); err != nil {
			t.Fatal(err)
		}
		var d Dashboard
		if err := json.Unmarshal([]byte(get(t, serveApp(t, p)+"/api/dashboard")), &d); err != nil {
			t.Fatal(err)
		}
		for _, got := range []*metrics.Summary{st.Pipeline, d.Pipeline} {
			if got == nil {
				t.Fatalf("%s: no pipeline counts", name)
			}
			if got.Published != want.Published || got.Fetched != want.Fetched || got.Stored["inserted"] != want.Stored["inserted"] || got.Stored["inserted"] == 0 {
				t.Errorf("%s: pipeline published %d fetched %d stored %v, want %d %d %v", name, got.Published, got.Fetched, got.Stored, want.Published, want.Fetched, want.Stored)
			}
			for _, src := range sources {
				g, w := got.Sources[src.Name], want.Sources[src.Name]
				if g == nil || g.Published != w.Published || g.Fetched != w.Fetched || g.Skipped != w.Skipped || g.Result != w.Result || g.Published == 0 {
					t.Errorf("%s: source %s: %+v, want %+v", name, src.Name, g, w)
				}
			}
		}
		for _, src := range sources {
			if d.FetchSeconds[src.Name] <= 0 || len(d.Skipped[src.Name]) == 0 {
				t.Errorf("%s: dashboard of source %s: fetch time %v, skipped %v", name, src.Name, d.FetchSeconds[src.Name], d.Skipped[src.Name])
			}
		}
		if d.Skipped[rest[0]]["fresh"] != want.Sources[rest[0]].SkipReasons["fresh"] {
			t.Errorf("%s: %s skipped %v, want %v", name, rest[0], d.Skipped[rest[0]], want.Sources[rest[0]].SkipReasons)
		}
		if st.Process.Sources[first] == nil == (name == "A") {
			t.Errorf("%s: its own tally: %v", name, st.Process.Sources)
		}
	}
}
