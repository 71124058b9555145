package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/metrics"
)

// blockedSite serves a feed of n articles, each of which answers 403.
func blockedSite(t *testing.T, n int) string {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.Error(w, "blocked", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>blocked</title>`)
		for i := range n {
			fmt.Fprintf(w, `<item><title>Story %d</title><link>%s/news/story-%d</link></item>`, i, srv.URL, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// A source whose every discovery document fails (its host is gone), and a
// source whose every fetch fails (its pages answer 403), are failed
// crawls: result="failed", no renewed last-success time, a failure
// counted under its name, the once run's summary names them, and /status
// says so.
func TestUnreachableSourceIsAFailedCrawl(t *testing.T) {
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	gone := newsflow.Source{Name: "gone", Feeds: []string{"http://127.0.0.1:1/rss.xml", "http://127.0.0.1:1/atom.xml"}, Sitemaps: []string{"http://127.0.0.1:1/sitemap.xml"}}
	blocked := newsflow.Source{Name: "blocked", Feeds: []string{blockedSite(t, 4) + "/feed.xml"}}
	cfg.Sources = append(cfg.Sources[:1], gone, blocked)
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, cfg)
	addr, err := a.Serve(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sum, err := a.Run(ctx, RunOptions{Crawl: true, Store: true, Once: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.FailedSources(); !slices.Equal(got, []string{"blocked", "gone"}) {
		t.Errorf("failed sources %v, want [blocked gone]", got)
	}
	if b := sum.Sources["blocked"]; b == nil || b.Result != metrics.CrawlFailed || b.SkipReasons["http_4xx"] != 4 || !strings.Contains(b.LastError, "every fetch of the round failed (4)") {
		t.Errorf("blocked: %+v", b)
	}
	ok := cfg.Sources[0].Name
	body := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`newsflow_crawls_total{result="failed",source="gone"} 1`,
		`newsflow_crawls_total{result="failed",source="blocked"} 1`,
		`newsflow_crawls_total{result="ok",source="` + ok + `"} 1`,
		`newsflow_failures_total{reason="document",source="gone",stage="discover"} 3`,
		`newsflow_crawl_last_success_timestamp_seconds{source="` + ok + `"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The exposition follows Prometheus' naming rules.
	if promtool, err := exec.LookPath("promtool"); err == nil {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = strings.NewReader(body)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	} else {
		t.Log("promtool not installed; /metrics not linted")
	}
	for _, bad := range []string{`newsflow_crawls_total{result="ok",source="gone"}`, `newsflow_crawl_last_success_timestamp_seconds{source="gone"}`,
		`newsflow_crawls_total{result="ok",source="blocked"}`, `newsflow_crawls_total{result="partial",source="blocked"}`, `newsflow_crawl_last_success_timestamp_seconds{source="blocked"}`} {
		if strings.Contains(body, bad) {
			t.Errorf("/metrics has %s", bad)
		}
	}
	// /status tells the same, from the pipeline's counts.
	var st Status
	if err := json.Unmarshal([]byte(get(t, "http://"+addr+"/status")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Pipeline == nil {
		t.Fatal("/status has no pipeline counts")
	}
	for name, want := range map[string]string{"gone": metrics.CrawlFailed, "blocked": metrics.CrawlFailed} {
		if got := st.Pipeline.Sources[name]; got == nil || got.Result != want {
			t.Errorf("/status: source %s: %+v, want result %s", name, got, want)
		}
	}
	if r := st.Pipeline.Sources[ok].Result; r != sum.Sources[ok].Result || r == metrics.CrawlFailed {
		t.Errorf("/status: source %s result %q, the run said %q", ok, r, sum.Sources[ok].Result)
	}
	// A second run of the same process is a round of its own, and fails
	// again: gone's discovery fails; blocked's refused pages are not queued
	// again within the frontier's duplicate window, so the round fetches
	// nothing and its last result stands.
	if _, err := a.Run(ctx, RunOptions{Crawl: true, Once: true, Sources: []string{"gone", "blocked"}}); err != nil {
		t.Fatal(err)
	}
	body = get(t, "http://"+addr+"/metrics")
	for _, want := range []string{`newsflow_crawls_total{result="failed",source="gone"} 2`, `newsflow_crawls_total{result="failed",source="blocked"} 2`} {
		if !strings.Contains(body, want) {
			t.Errorf("after a second run, /metrics lacks %s:\n%s", want, grepLines([]byte(body), `newsflow_crawls_total`))
		}
	}
}
