package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/fixture"
	"github.com/newsflow/newsflow/internal/metrics"
	"github.com/newsflow/newsflow/internal/testutil"
	"github.com/newsflow/newsflow/store"
)

// testConfig crawls the fixture site into a temporary data directory.
func testConfig(t *testing.T, site *fixture.Site, dataDir string) *newsflow.Config {
	t.Helper()
	cfg := &newsflow.Config{DataDir: dataDir, Sources: site.Sources()}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	cfg.Crawler.Timeout = newsflow.Duration(10 * time.Second)
	cfg.Crawler.Retries = 1
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func startSite(t *testing.T) *fixture.Site {
	t.Helper()
	site, err := fixture.Start(fixture.Options{SlowDelay: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	return site
}

func openApp(t *testing.T, cfg *newsflow.Config) *App {
	t.Helper()
	a, err := Open(context.Background(), cfg, testLogger(t), Need{Bus: true, Store: true, Crawler: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func runOnce(t *testing.T, a *App) metrics.Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sum, err := a.Run(ctx, RunOptions{Crawl: true, Store: true, Once: true})
	if err != nil {
		t.Fatalf("run --once: %v (summary %+v)", err, sum)
	}
	return sum
}

// stored returns every stored article by canonical URL, failing on
// duplicates.
func stored(t *testing.T, s store.Store) map[string]*newsflow.Article {
	t.Helper()
	out := map[string]*newsflow.Article{}
	err := s.Export(context.Background(), store.Filter{}, func(a *newsflow.Article) error {
		key := a.CanonicalURL
		if key == "" {
			key = a.URL
		}
		if _, dup := out[key]; dup {
			t.Errorf("article stored twice: %s", key)
		}
		out[key] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkStored asserts the exact set of stored articles, their paragraphs,
// and that no boilerplate reached any text.
func checkStored(t *testing.T, site *fixture.Site, s store.Store) map[string]*newsflow.Article {
	t.Helper()
	got := stored(t, s)
	want := map[string]fixture.Article{}
	for _, a := range site.Articles() {
		want[a.URL] = a
	}
	for u := range want {
		if got[u] == nil {
			t.Errorf("missing article %s", u)
		}
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			t.Errorf("unexpected article stored: %s (%q)", u, got[u].Title)
		}
	}
	for u, w := range want {
		a := got[u]
		if a == nil {
			continue
		}
		text := squash(a.Text)
		for _, p := range w.Paragraphs {
			if !strings.Contains(text, squash(p)) {
				t.Errorf("%s: paragraph missing from stored text: %.80q", u, p)
			}
		}
		if a.Title != w.Title {
			t.Errorf("%s: title %q, want %q", u, a.Title, w.Title)
		}
		if a.Source != w.Source || a.Schema != newsflow.Schema || a.ID != newsflow.ArticleID(u) || a.ContentHash == "" {
			t.Errorf("%s: envelope wrong: source %q schema %q id %q", u, a.Source, a.Schema, a.ID)
		}
		for _, b := range site.Boilerplate() {
			if strings.Contains(text, squash(b)) {
				t.Errorf("%s: boilerplate %q in stored text", u, b)
			}
		}
	}
	return got
}

func TestEndToEndEmbedded(t *testing.T) {
	site := startSite(t)
	dir := t.TempDir()
	cfg := testConfig(t, site, dir)
	a := openApp(t, cfg)
	sum := runOnce(t, a)
	t.Logf("summary: %+v", sum)
	got := checkStored(t, site, a.Store)

	for _, u := range site.Disallowed() {
		if n := site.Hits(u); n != 0 {
			t.Errorf("robots.txt disallows %s, fetched %d times", u, n)
		}
	}
	for u := range got {
		if n := site.Hits(u); n != 1 {
			t.Errorf("%s fetched %d times, want once", u, n)
		}
	}
	for u, reason := range site.FailingURLs() {
		if got[u] != nil {
			t.Errorf("%s (%s) was stored", u, reason)
		}
	}
	if sum.Stored["inserted"] != len(site.Articles()) || sum.Published != len(site.Articles()) {
		t.Errorf("published %d, inserted %d, want %d", sum.Published, sum.Stored["inserted"], len(site.Articles()))
	}
	if sum.NearDuplicates != 0 {
		t.Errorf("%d fixture articles marked as near copies; its stories are all distinct", sum.NearDuplicates)
	}
	if sum.Skipped["not_html"] == 0 || sum.Skipped["http_404"] == 0 {
		t.Errorf("skips not reported by reason: %v", sum.Skipped)
	}
	if sum.Dead == 0 || len(sum.Failed) == 0 {
		t.Errorf("the always-failing page was not dead-lettered with a reason: failed %v, dead %d", sum.Failed, sum.Dead)
	}

	// A second run of the same sources fetches no stored article again.
	hits := site.TotalHits()
	before := map[string]int{}
	for u := range got {
		before[u] = site.Hits(u)
	}
	a.Close()
	a = openApp(t, cfg)
	sum = runOnce(t, a)
	if sum.Published != 0 {
		t.Errorf("second run published %d articles, want 0", sum.Published)
	}
	for u, n := range before {
		if site.Hits(u) != n {
			t.Errorf("second run fetched %s again", u)
		}
	}
	if site.TotalHits() == hits {
		t.Error("second run made no request at all: discovery did not run")
	}
	checkStored(t, site, a.Store)
}

// Stopping a run half-way and starting it again loses nothing and stores
// nothing twice.
func TestRestartMidCrawl(t *testing.T) {
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	a := openApp(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := a.Run(ctx, RunOptions{Crawl: true, Store: true, Once: true})
		done <- err
	}()
	deadline := time.Now().Add(time.Minute)
	for a.Metrics.Snapshot().Published < 3 {
		if time.Now().After(deadline) {
			t.Fatal("no article published within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, ErrInterrupted) {
		t.Fatalf("interrupted run returned %v", err)
	}
	first := a.Metrics.Snapshot().Published
	if first >= len(site.Articles()) {
		t.Fatalf("the run finished before it was stopped (%d articles)", first)
	}
	a.Close()

	a = openApp(t, cfg)
	runOnce(t, a)
	got := checkStored(t, site, a.Store)
	for u, art := range got {
		_, rev, err := a.Store.Get(context.Background(), art.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rev != 1 {
			t.Errorf("%s stored with revision %d, want 1", u, rev)
		}
	}
}

// The same flow against the external NATS server, when one is running.
func TestEndToEndExternalNATS(t *testing.T) {
	url, ns := externalNamespace(t)
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.URL, cfg.NATS.Namespace = url, ns
	a := openApp(t, cfg)
	if a.Bus.Embedded() {
		t.Fatal("embedded server started although nats.url is set")
	}
	runOnce(t, a)
	checkStored(t, site, a.Store)
	infos, err := a.Bus.Consumers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, c := range infos {
		names = append(names, c.Name)
	}
	if !slices.Contains(names, storeConsumer) {
		t.Errorf("no durable store consumer on the external server: %v", names)
	}
}

// TestScaleOutExternal runs the pipeline as separate processes would in
// production: two crawlers sharing every source's frontier on the external
// NATS server and a store worker writing to PostgreSQL. Every article is
// stored once, and what the crawlers learned is on the server for the next
// process.
func TestScaleOutExternal(t *testing.T) {
	url, ns := externalNamespace(t)
	dsn := testutil.PostgresSchema(t)
	site := startSite(t)
	open := func(need Need) *App {
		cfg := testConfig(t, site, t.TempDir())
		cfg.NATS.URL, cfg.NATS.Namespace = url, ns
		cfg.Store = newsflow.StoreConfig{Driver: "postgres", DSN: dsn, BatchSize: 10}
		a, err := Open(context.Background(), cfg, testLogger(t), need)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		return a
	}
	crawlers := []*App{open(Need{Bus: true, Crawler: true}), open(Need{Bus: true, Crawler: true})}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	published := make([]int, len(crawlers))
	for i, c := range crawlers {
		wg.Go(func() {
			sum, err := c.Run(ctx, RunOptions{Crawl: true, Once: true})
			if err != nil {
				t.Errorf("crawler %d: %v", i, err)
			}
			published[i] = sum.Published
		})
	}
	wg.Wait()
	t.Logf("articles published by each crawler: %v", published)

	storer := open(Need{Bus: true, Store: true})
	if _, err := storer.Run(ctx, RunOptions{Store: true, Once: true}); err != nil {
		t.Fatalf("store worker: %v", err)
	}
	checkStored(t, site, storer.Store)
	if total := published[0] + published[1]; total < len(site.Articles()) {
		t.Errorf("crawlers published %d articles in all, want at least the site's %d", total, len(site.Articles()))
	}
	for _, src := range site.Sources() {
		if _, ok, err := storer.Bus.GetState(ctx, siteStateName(src.Name)); err != nil || !ok {
			t.Errorf("template memory of %s not on the server: %v, %v", src.Name, ok, err)
		}
	}
}
