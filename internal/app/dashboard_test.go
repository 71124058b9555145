package app

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/newsflow/newsflow/internal/fixture"
	"github.com/newsflow/newsflow/internal/metrics"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "write the dashboard's screenshot to docs/dashboard.png")

// serveApp serves a's operator endpoint on a free loopback port until the
// test ends and returns its base URL.
func serveApp(t *testing.T, a *App) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	addr, err := a.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

func fetchURL(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestDashboardAPI crawls the fixture site and checks that the page is
// self-contained and that /api/dashboard carries the numbers of the run:
// the tally, the store, the dead letter, the latest articles, and fetch
// times from /metrics.
func TestDashboardAPI(t *testing.T) {
	site := startSite(t)
	a := openApp(t, testConfig(t, site, t.TempDir()))
	base := serveApp(t, a)

	resp, page := fetchURL(t, base+"/")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	// Self-contained: nothing is loaded from anywhere but this listener.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|@import|url\(`).Find(page); m != nil {
		t.Errorf("the page loads an outside asset: %s", m)
	}
	t.Logf("page weight: %d bytes", len(page))
	if resp, _ := fetchURL(t, base+"/nothing-here"); resp.StatusCode != 404 {
		t.Errorf("GET /nothing-here: %s, want 404", resp.Status)
	}

	sum := runOnce(t, a)
	resp, body := fetchURL(t, base+"/api/dashboard")
	var d Dashboard
	if err := json.Unmarshal(body, &d); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/dashboard: %s %v\n%s", resp.Status, err, body)
	}
	if len(d.Sources) != 3 || d.Pipeline == nil || d.Process != nil || d.Store == nil || d.Dead == nil {
		t.Fatalf("dashboard: %s", body)
	}
	n := len(site.Articles())
	if d.Pipeline.Published != sum.Published || d.Store.Articles != n {
		t.Errorf("published %d (run said %d), stored %d, want %d", d.Pipeline.Published, sum.Published, d.Store.Articles, n)
	}
	for _, name := range d.Sources {
		if d.Pipeline.Sources[name] == nil || d.Pipeline.Sources[name].Published != sum.Sources[name].Published {
			t.Errorf("source %s: %+v, run said %+v", name, d.Pipeline.Sources[name], sum.Sources[name])
		}
		if d.Skipped[name]["duplicate"]+d.Skipped[name]["robots"]+d.Skipped[name]["not_html"] == 0 {
			t.Errorf("source %s skipped nothing: %v", name, d.Skipped[name])
		}
		if d.FetchSeconds[name] <= 0 {
			t.Errorf("source %s has no fetch time", name)
		}
	}
	for _, name := range d.Sources {
		if d.Health[name].State != "ok" {
			t.Errorf("source %s health: %+v", name, d.Health[name])
		}
	}
	if d.Dead.Total != 1 || len(d.Dead.Latest) != 1 || !strings.HasPrefix(d.Dead.Latest[0].Kind, "http_5") {
		t.Errorf("dead letters: %+v", d.Dead)
	}
	if len(d.Latest) != dashboardLatest || d.Latest[0].Title == "" || d.Latest[0].Words == 0 {
		t.Errorf("latest articles: %d, first %+v", len(d.Latest), d.Latest)
	}
	_, metrics := fetchURL(t, base+"/metrics")
	if !regexp.MustCompile(`newsflow_dead_letters\{reason="http_5\d\d",source="\w+",stage="fetch"\} 1`).Match(metrics) {
		t.Errorf("/metrics lacks the dead-letter gauge:\n%s", grepLines(metrics, "newsflow_dead"))
	}
}

func grepLines(b []byte, s string) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// chromium returns the path of a Chromium or Chrome binary, or skips.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on this machine (Debian: apt-get install chromium); the dashboard is not tested in a browser")
	return ""
}

// browser starts a headless Chromium and records what the page reports as
// errors: console errors, uncaught exceptions and error log entries (a
// failed request, a blocked script).
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	var mu sync.Mutex
	var errs []string
	record := func(s string) { mu.Lock(); errs = append(errs, s); mu.Unlock() }
	console := chromedp.Events(ctx, runtime.ConsoleAPICalled)
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	logs := chromedp.Events(ctx, log.EntryAdded)
	go func() {
		for ev, err := range console {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				record("console." + string(ev.Type) + ": " + strings.Join(args, " "))
			}
		}
	}()
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			record((&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error())
		}
	}()
	go func() {
		for ev, err := range logs {
			if err != nil {
				return
			}
			if ev.Entry.Level == log.EntryLevelError {
				record("log " + string(ev.Entry.Source) + ": " + ev.Entry.Text + " " + ev.Entry.URL)
			}
		}
	}()
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), errs...) }
}

// eval runs a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitPage polls a JavaScript condition until it holds.
func waitPage(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !eval[bool](t, ctx, cond) {
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard never showed %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDashboardBrowser opens the dashboard in headless Chromium before a
// crawl of the fixture site, runs the crawl, and watches the same page
// (never reloaded) show every source with the run's counts, the dead
// letter and the latest articles, without a console error; then it checks
// the phone layout and times a render of 100 sources.
func TestDashboardBrowser(t *testing.T) {
	ctx, pageErrors := browser(t)
	// The slow article holds the crawl for seconds after the others are
	// in, so that the page polls at least once in the middle of it.
	site, err := fixture.Start(fixture.Options{SlowDelay: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	a := openApp(t, testConfig(t, site, t.TempDir()))
	base := serveApp(t, a)

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	waitPage(t, ctx, "the three sources before the crawl", `document.querySelectorAll("#sources tr").length === 3 && /updated/.test(document.getElementById("state").textContent)`)
	if got := eval[string](t, ctx, `document.querySelector('[data-tile="published"] b').textContent`); got != "0" {
		t.Errorf("published before the crawl: %q", got)
	}
	eval[bool](t, ctx, `window.notReloaded = true`)

	done := make(chan struct{})
	var sum summaryResult
	go func() {
		defer close(done)
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		sum.s, sum.err = a.Run(rctx, RunOptions{Crawl: true, Store: true, Once: true})
	}()
	// While the crawl runs the page moves on by itself.
	seen := map[string]bool{}
	for running := true; running; {
		select {
		case <-done:
			running = false
		case <-time.After(200 * time.Millisecond):
			seen[eval[string](t, ctx, `document.querySelector('[data-tile="published"] b').textContent`)] = true
		}
	}
	if sum.err != nil {
		t.Fatal(sum.err)
	}
	n := len(site.Articles())
	waitPage(t, ctx, "every article published and stored",
		`document.querySelector('[data-tile="published"] b').textContent === "`+itoa(n)+`" && document.querySelector('[data-tile="in store"] b').textContent === "`+itoa(n)+`"`)
	t.Logf("published counts shown while the crawl ran: %v", keys(seen))
	between := false
	for v := range seen {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n < len(site.Articles()) {
			between = true
		}
	}
	if !between {
		t.Errorf("the page showed no count between 0 and %d while the crawl ran: %v", len(site.Articles()), keys(seen))
	}
	if !eval[bool](t, ctx, `window.notReloaded === true`) {
		t.Error("the page was reloaded")
	}
	rows := eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("#sources tr")].map(tr => [tr.dataset.source, tr.querySelector('[data-k="published"]').textContent]))`)
	for name, s := range sum.s.Sources {
		if rows[name] != itoa(s.Published) {
			t.Errorf("source %s shows %q published, the run published %d", name, rows[name], s.Published)
		}
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll("#sources tr")].map(tr => tr.cells[1].textContent).join(",")`); got != "ok,ok,ok" {
		t.Errorf("health marks: %q", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("dead").textContent`); !strings.Contains(got, "http_5") || !strings.Contains(got, "/article/") {
		t.Errorf("dead letters: %q", got)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll("#latest tr").length`); got != dashboardLatest {
		t.Errorf("%d latest articles shown, want %d", got, dashboardLatest)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll("#stages tr")].map(tr => tr.cells[0].textContent).join(",")`); got != "fetch,store,dead" {
		t.Errorf("stages: %q", got)
	}

	// A reload draws the history kept on the server at once: the points
	// taken when the endpoint started and after the crawl.
	a.sampleHistory(t.Context())
	a.sampleHistory(t.Context())
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitPage(t, ctx, "the chart after a reload", `window.notReloaded === undefined && document.querySelectorAll("#chart polyline").length === 3`)
	if got := eval[string](t, ctx, `document.getElementById("chartnote").textContent`); !strings.HasPrefix(got, "per 10 s over the last") {
		t.Errorf("chart note after a reload: %q", got)
	}
	waitPage(t, ctx, "every article published after the reload", `document.querySelector('[data-tile="published"] b').textContent === "`+itoa(n)+`"`)
	if got := eval[string](t, ctx, `[...document.querySelectorAll('#sources [data-k="result"]')].map(e => e.textContent).join(",")`); !regexp.MustCompile(`^((ok|partial),){2}(ok|partial)$`).MatchString(got) {
		t.Errorf("crawl results: %q", got)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dashboard.png")
	if *updateScreenshot {
		out = filepath.Join("..", "..", "docs", "dashboard.png")
		os.MkdirAll(filepath.Dir(out), 0o755)
	}
	if !bytes.HasPrefix(shot, []byte("\x89PNG")) {
		t.Fatalf("the screenshot is not a PNG")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}

	// A phone: nothing wider than the screen but the tables, which scroll
	// inside their boxes.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3))); err != nil {
		t.Fatal(err)
	}
	waitPage(t, ctx, "the phone layout", `document.documentElement.scrollWidth <= window.innerWidth`)
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector("th.o")).display`); got != "none" {
		t.Errorf("optional columns on a phone: display %q", got)
	}

	// 100 sources, drawn 20 times, as the page does every poll.
	bench := eval[struct {
		Mean, Best, First float64
		Rows, Lines       int
		Mark, Warnings    string
	}](t, ctx, renderBench)
	t.Logf("render of 100 sources: first (an hour of history) %.1f ms; then mean %.1f ms, best %.1f ms", bench.First, bench.Mean, bench.Best)
	if bench.Rows != 100 || bench.Lines != 100 {
		t.Errorf("%d source rows, %d trends after the render of 100", bench.Rows, bench.Lines)
	}
	if bench.Mark != "short_text, no_date" || bench.Warnings != "1" {
		t.Errorf("a source that warns is shown as %q, with %q warnings", bench.Mark, bench.Warnings)
	}
	if errs := pageErrors(); len(errs) > 0 {
		t.Errorf("the page reported errors:\n%s", strings.Join(errs, "\n"))
	}
}

type summaryResult struct {
	s   metrics.Summary
	err error
}

func keys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

// renderBench draws a dashboard of 100 sources as the page does: first
// with an hour of history (360 points, the latest 30 with every source's
// count), then 20 times with one point more, layout included. It returns
// the time of the first draw and the mean and best of the others, in
// milliseconds.
const renderBench = `(() => {
  const now = Date.now(), d = {time: new Date(now).toISOString(), sources: [], consumers: [], streams: [],
    pipeline: {discovered: 0, fetched: 0, published: 0, stored: {inserted: 0}, failed: {}, sources: {}},
    dead: {total: 0, by_source: {}, by_reason: {}, latest: []}, latest: [], fetch_seconds: {}, store: {articles: 0, sources: {}},
    health: {"source-3": {state: "warning", reasons: ["short_text", "no_date"]}}, history: [], history_every: 10};
  for (let i = 0; i < 100; i++) {
    const n = "source-" + i;
    d.sources.push(n);
    d.pipeline.sources[n] = {discovered: 120, fetched: 100, published: 90, skipped: 6, failed: 4, last_crawl: d.time, result: i % 7 ? "ok" : "partial", errors: {http_500: 3, timeout: 1}};
    d.consumers.push({stream: "FRONTIER", name: "fetch-" + n, pending: 5, ack_pending: 1, redelivered: 0, ack_floor: 100});
    d.fetch_seconds[n] = 0.25;
    d.store.sources[n] = 90;
  }
  const point = (k) => {
    const p = {t: new Date(now - (360 - k) * 10000).toISOString(), fetched: k * 100, published: k * 90, stored: k * 90, failed: k, sources: {}};
    for (const n of d.sources) p.sources[n] = k * (1 + (k % 5));
    return p;
  };
  for (let k = 0; k < 360; k++) {
    const p = point(k);
    if (k < 330) delete p.sources;
    d.history.push(p);
  }
  let t0 = performance.now();
  window.newsflowRender(d);
  document.body.offsetHeight;
  const first = performance.now() - t0;
  let total = 0, best = Infinity;
  for (let k = 0; k < 20; k++) {
    d.time = new Date(now + k * 2000).toISOString();
    d.history = [point(360 + k)];
    for (const c of d.consumers) c.ack_floor += 10;
    for (const n of d.sources) d.pipeline.sources[n].fetched += 10;
    t0 = performance.now();
    window.newsflowRender(d);
    document.body.offsetHeight;
    const took = performance.now() - t0;
    total += took;
    best = Math.min(best, took);
  }
  // Read in the same task, before the next poll draws the real numbers.
  return {first: first, mean: total / 20, best: best, rows: document.querySelectorAll("#sources tr").length,
    lines: document.querySelectorAll("#sources svg.spark").length,
    mark: document.querySelector('tr[data-source="source-3"]').cells[1].textContent,
    warnings: document.querySelector('[data-tile="warnings"] b').textContent};
})()`
