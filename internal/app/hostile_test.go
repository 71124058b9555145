package app

import (
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/crawler"
	"github.com/newsflow/newsflow/internal/fixture/hostile"
)

// hostileConfig crawls the given sources of the hostile site.
func hostileConfig(t *testing.T, sources ...newsflow.Source) *newsflow.Config {
	t.Helper()
	cfg := &newsflow.Config{DataDir: t.TempDir(), Sources: sources}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	cfg.Crawler.Timeout = newsflow.Duration(10 * time.Second)
	cfg.Crawler.Retries = 1
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func startHostile(t *testing.T) *hostile.Site {
	t.Helper()
	site := hostile.Start()
	t.Cleanup(site.Close)
	return site
}

// TestHeaderCharsetThroughCrawl crawls pages whose charset only the HTTP
// header names (iso-8859-2, windows-1251, KOI8-R, Shift_JIS, EUC-KR,
// GB18030) and a UTF-8 page with one invalid byte: each is stored with its
// text intact.
func TestHeaderCharsetThroughCrawl(t *testing.T) {
	site := startHostile(t)
	src := newsflow.Source{Name: "charsets", Feeds: []string{site.URL("/feed.xml?only=charset")},
		Delay: newsflow.Duration(time.Millisecond), Parallelism: 2}
	a := openApp(t, hostileConfig(t, src))
	runOnce(t, a)
	got := stored(t, a.Store)
	for _, want := range site.Articles() {
		if !strings.Contains(want.URL, "/charset/") {
			continue
		}
		art := got[want.URL]
		if art == nil {
			t.Errorf("%s not stored", want.URL)
			continue
		}
		if art.Title != want.Title {
			t.Errorf("%s: title %q, want %q", want.URL, art.Title, want.Title)
		}
		for _, p := range want.Text {
			if !strings.Contains(squash(art.Text), squash(p)) {
				t.Errorf("%s: text lacks %q\ngot %q", want.URL, p, art.Text)
			}
		}
	}
}

// TestHostileSites runs the pipeline once over every trap of the hostile
// site: the run ends, each trap costs a handful of requests and is counted
// by kind, the fetch budget holds, and every good article is stored once,
// the one served under many URLs included.
func TestHostileSites(t *testing.T) {
	site := startHostile(t)
	cfg := hostileConfig(t, site.Sources()...)
	a := openApp(t, cfg)
	sum := runOnce(t, a)
	t.Logf("requests: %d in all; chain %d, loop %d, list %d, calendar %d, grow %d, sessions %d, mirror %d, bulk %d",
		site.Hits(""), site.Hits("/chain"), site.Hits("/loop"), site.Hits("/list"), site.Hits("/calendar"),
		site.Hits("/grow"), site.Hits("/sessions"), site.Hits("/mirror"), site.Hits("/bulk"))
	t.Logf("traps: %v", sum.Traps)

	// Both the traps and the chain source list /chain/0; each follows at
	// most MaxRedirects redirects after it.
	for prefix, most := range map[string]int{
		"/chain":    2 * (crawler.MaxRedirects + 1),
		"/loop":     2 * 2,
		"/list":     50,
		"/calendar": 4,
		"/grow":     3,
		"/bulk":     20,
	} {
		if n := site.Hits(prefix); n > most {
			t.Errorf("%s: %d requests, want at most %d", prefix, n, most)
		}
	}
	for _, src := range cfg.Sources {
		if s := sum.Sources[src.Name]; s != nil && s.Fetched > src.FetchBudget() {
			t.Errorf("source %s fetched %d pages, over its budget of %d", src.Name, s.Fetched, src.FetchBudget())
		}
	}
	// The chain is listed by two sources, and the frontier, which
	// deduplicates URLs, gives it to whichever queued it first.
	for _, kind := range []string{crawler.TrapRedirectLoop, crawler.TrapPagination,
		crawler.TrapCalendar, crawler.TrapLongURL, crawler.TrapSessionID, crawler.TrapDuplicate} {
		if sum.Sources["traps"].Traps[kind] == 0 {
			t.Errorf("trap %s not reported for source traps: %v", kind, sum.Sources["traps"].Traps)
		}
	}
	if sum.Sources["chain"].Traps[crawler.TrapRedirectChain] == 0 && sum.Sources["traps"].Traps[crawler.TrapRedirectChain] == 0 {
		t.Errorf("redirect chain not reported")
	}
	if n := sum.Sources["budget"].Traps[crawler.TrapBudget]; n != 1 {
		t.Errorf("budget trap counted %d times for source budget, want once", n)
	}
	if got := trapMetric(t, a, "budget", crawler.TrapBudget); got != 1 {
		t.Errorf("newsflow_traps_total{source=budget,kind=budget} = %v, want 1", got)
	}

	got := stored(t, a.Store)
	for _, want := range site.Articles() {
		art := got[want.URL]
		if art == nil {
			t.Errorf("%s not stored", want.URL)
			continue
		}
		for _, p := range want.Text {
			if !strings.Contains(squash(art.Text), squash(p)) {
				t.Errorf("%s: text lacks %q", want.URL, p)
			}
		}
	}
	mirrored, bulk := 0, 0
	for u, art := range got {
		switch {
		case art.Title == hostile.MirroredTitle():
			mirrored++
		case strings.Contains(u, "/bulk/"):
			bulk++
		}
	}
	if mirrored != 1 {
		t.Errorf("the story served under %d URLs was stored %d times, want once", hostile.MirrorCount, mirrored)
	}
	if bulk == 0 || bulk > 20 {
		t.Errorf("budget source stored %d articles, want some and at most its budget of 20", bulk)
	}
}

// trapMetric reads newsflow_traps_total for a source and kind.
func trapMetric(t *testing.T, a *App, source, kind string) float64 {
	t.Helper()
	mfs, err := a.Metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "newsflow_traps_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["source"] == source && labels["kind"] == kind {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
