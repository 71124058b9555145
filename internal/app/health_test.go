package app

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// A source whose every discovery document fails (its host is gone) is a
// failed crawl: result="failed", no renewed last-success time, a failure
// counted under its name, and the once run's summary names it.
func TestUnreachableSourceIsAFailedCrawl(t *testing.T) {
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	gone := newsflow.Source{Name: "gone", Feeds: []string{"http://127.0.0.1:1/rss.xml", "http://127.0.0.1:1/atom.xml"}, Sitemaps: []string{"http://127.0.0.1:1/sitemap.xml"}}
	cfg.Sources = append(cfg.Sources[:1], gone)
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
	if got := sum.FailedSources(); len(got) != 1 || got[0] != "gone" {
		t.Errorf("failed sources %v, want [gone]", got)
	}
	ok := cfg.Sources[0].Name
	body := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`newsflow_crawls_total{result="failed",source="gone"} 1`,
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
	for _, bad := range []string{`newsflow_crawls_total{result="ok",source="gone"}`, `newsflow_crawl_last_success_timestamp_seconds{source="gone"}`} {
		if strings.Contains(body, bad) {
			t.Errorf("/metrics has %s", bad)
		}
	}
}
