package app

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// In service mode every source is crawled at start and again on its
// schedule, and a cancelled context stops the process cleanly.
func TestServiceModeSchedulesAndStops(t *testing.T) {
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	for i := range cfg.Sources {
		cfg.Sources[i].Schedule = "@every 1s"
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, cfg)
	addr, err := a.Serve(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := runService(t, a)
	want := len(site.Articles())
	waitFor(t, "every article stored, the failing page tried, and a second crawl of each source", func() bool {
		st, err := a.Store.Stats(context.Background())
		if err != nil || st.Articles < want {
			return false
		}
		for _, s := range a.Metrics.Snapshot().Sources {
			if s.Discovered < 2 {
				return false
			}
		}
		snap := a.Metrics.Snapshot()
		return len(snap.Sources) == len(cfg.Sources) && snap.Skipped["fresh"] > 0 && snap.Failed["fetch:http_500"] > 0
	})

	// Each round ends with a result, when its fetches are done or the next
	// round starts: the source whose page answers 500 has partial rounds,
	// none fails.
	var broken string
	for name, src := range a.Metrics.Snapshot().Sources {
		if src.Errors["http_500"] > 0 {
			broken = name
		}
	}
	waitFor(t, "a partial round of "+broken, func() bool {
		return strings.Contains(get(t, "http://"+addr+"/metrics"), `newsflow_crawls_total{result="partial",source="`+broken+`"}`)
	})
	body := get(t, "http://"+addr+"/metrics")
	if strings.Contains(body, `newsflow_crawls_total{result="failed"`) || !strings.Contains(body, `newsflow_crawls_total{result="ok",source="viewus"}`) {
		t.Errorf("round results:\n%s", grepLines([]byte(body), "newsflow_crawls_total"))
	}
	for _, m := range []string{
		`newsflow_pages_fetched_total{source="viewus",status="2xx"}`,
		`newsflow_articles_stored_total{outcome="inserted"} ` + itoa(want),
		`newsflow_consumer_pending{consumer="store",stream="NEWS"}`,
		`newsflow_urls_skipped_total{reason="robots",source=`,
		`newsflow_failures_total{reason="http_500",source="`,
	} {
		if !strings.Contains(body, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	if got := get(t, "http://"+addr+"/healthz"); strings.TrimSpace(got) != "ok" {
		t.Errorf("/healthz: %q", got)
	}
	if got := get(t, "http://"+addr+"/status"); !strings.Contains(got, `"fetch-wire"`) || !strings.Contains(got, `"articles": `+itoa(want)) {
		t.Errorf("/status: %s", got)
	}

	stop()
	st, err := a.Store.Stats(context.Background())
	if err != nil || st.Articles != want {
		t.Errorf("after stop: %d articles stored (%v), want %d", st.Articles, err, want)
	}
}

// /healthz reports a store that no longer answers.
func TestHealthzReportsDeadStore(t *testing.T) {
	site := startSite(t)
	a := openApp(t, testConfig(t, site, t.TempDir()))
	addr, err := a.Serve(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a.Store.Close()
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz with a closed store: %d, want 503", resp.StatusCode)
	}
	a.Store = nil
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within a minute", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// runService runs every stage of a in service mode until the returned stop
// is called; stop ends the run and checks that it stops cleanly and soon.
func runService(t *testing.T, a *App) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := a.Run(ctx, RunOptions{Crawl: true, Store: true})
		done <- err
	}()
	return func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("service run returned %v after its context ended", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("service did not stop within 30s of its context ending")
		}
	}
}
