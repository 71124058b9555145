package cli

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/internal/fixture"
)

// TestDeadCommands crawls the fixture site, whose always-failing page ends
// in DEAD, adds a dead-lettered article, and drives every dead subcommand:
// list with filters, show, retry through the normal path (the article is
// stored once, the page fails again and comes back), and purge.
func TestDeadCommands(t *testing.T) {
	site, err := fixture.Start(fixture.Options{SlowDelay: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := t.TempDir()
	cfg := newsflow.Config{DataDir: filepath.Join(dir, "data"), Sources: site.Sources()}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	cfg.Crawler.Retries = 1
	doc, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "newsflow.yaml")
	os.WriteFile(path, doc, 0o644)
	code, out, errOut := run(t, "", "run", "--once", "--config", path, "--progress", "50ms")
	if code != 0 {
		t.Fatalf("run --once: exit %d\n%s\n%s", code, out, errOut)
	}
	// Not a terminal: the progress goes to the log.
	if !strings.Contains(errOut, `"msg":"progress"`) || !strings.Contains(errOut, `"tasks_total":`) {
		t.Errorf("run --once logged no progress:\n%s", errOut)
	}

	// The failing page: one fetch dead letter with its source and reason.
	code, out, errOut = run(t, "", "dead", "list", "--config", path, "--json")
	if code != 0 {
		t.Fatalf("dead list: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("dead list: %d lines, want 1:\n%s", len(lines), out)
	}
	var page bus.DeadLetter
	if err := json.Unmarshal([]byte(lines[0]), &page); err != nil {
		t.Fatal(err)
	}
	if page.Stage != "fetch" || page.Source == "" || !strings.HasPrefix(page.Kind, "http_5") || site.FailingURLs()[page.URL] == "" {
		t.Fatalf("dead letter of the failing page: %+v", page)
	}

	// An article the store gave up on, for the retry of the store stage.
	art := &newsflow.Article{URL: site.BaseURLs()[page.Source] + "/extra/retried-story", Title: "A retried story", Text: "The story's only paragraph."}
	art.Seal(page.Source, time.Now())
	deadLetterArticle(t, path, art)

	code, out, _ = run(t, "", "dead", "list", "--config", path)
	if code != 0 || !strings.Contains(out, page.Kind) || !strings.Contains(out, "upsert") || !strings.Contains(out, art.URL) {
		t.Errorf("dead list: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--stage", "store"}, 1},
		{[]string{"--stage", "fetch", "--source", page.Source}, 1},
		{[]string{"--reason", page.Kind}, 1},
		{[]string{"--reason", "database is locked"}, 1},
		{[]string{"--source", "no-such-source"}, 0},
		{[]string{"--since", "1h"}, 2},
		{[]string{"--since", "2099-01-01"}, 0},
	} {
		code, out, errOut := run(t, "", append([]string{"dead", "list", "--config", path, "--json"}, c.args...)...)
		if n := strings.Count(out, "\n"); code != 0 || n != c.want {
			t.Errorf("dead list %v: exit %d, %d lines, want %d\n%s%s", c.args, code, n, c.want, out, errOut)
		}
	}
	if code, _, _ := run(t, "", "dead", "list", "--config", path, "--stage", "parse"); code != 2 {
		t.Errorf("dead list --stage parse: exit %d, want 2", code)
	}

	code, out, _ = run(t, "", "dead", "show", "--config", path, itoa(int(page.Seq)))
	if code != 0 || !strings.Contains(out, "Newsflow-Reason") || !strings.Contains(out, `"url": "`+page.URL+`"`) {
		t.Errorf("dead show: exit %d\n%s", code, out)
	}
	if code, _, errOut := run(t, "", "dead", "show", "--config", path, "9999"); code != 1 || !strings.Contains(errOut, "no such dead letter") {
		t.Errorf("dead show 9999: exit %d, %s", code, errOut)
	}

	// status counts them by source and reason.
	code, out, _ = run(t, "", "status", "--config", path, "--interval", "0")
	if code != 0 || !regexp.MustCompile(`DEAD LETTERS +2\n`).MatchString(out) || !regexp.MustCompile(`reason upsert +1\n`).MatchString(out) ||
		!regexp.MustCompile(`HEALTH +STATE[^\n]*\n(\w+ +ok +- [^\n]*\n){3}`).MatchString(out) {
		t.Errorf("status: exit %d\n%s", code, out)
	}

	// Retry the article: stored once, however often retry runs.
	code, out, _ = run(t, "", "dead", "retry", "--config", path, "--stage", "store")
	if code != 0 || !strings.Contains(out, "retried 1 dead letters") {
		t.Fatalf("dead retry --stage store: exit %d\n%s", code, out)
	}
	if code, out, _ = run(t, "", "dead", "retry", "--config", path, "--stage", "store"); code != 0 || !strings.Contains(out, "retried 0") {
		t.Errorf("second retry: exit %d\n%s", code, out)
	}
	if code, out, errOut := run(t, "", "store", "--once", "--config", path); code != 0 {
		t.Fatalf("store --once: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "", "export", "--config", path, "--source", page.Source)
	if n := strings.Count(out, art.URL); code != 0 || n != 1 {
		t.Errorf("the retried article is stored %d times, want once (exit %d)", n, code)
	}

	// Retry the page by ID: the retried task fails again on the next crawl
	// and is back, beside the task of the crawl's own discovery of it (a
	// restarted embedded server no longer remembers the URL it queued).
	if code, out, _ = run(t, "", "dead", "retry", "--config", path, itoa(int(page.Seq))); code != 0 || !strings.Contains(out, "retried 1") {
		t.Errorf("dead retry ID: exit %d\n%s", code, out)
	}
	if code, out, errOut := run(t, "", "crawl", "--once", "--config", path, "--source", page.Source); code != 0 {
		t.Fatalf("crawl --once: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "", "dead", "list", "--config", path, "--json")
	if code != 0 || strings.Count(out, "\n") != 2 || strings.Contains(out, `"seq":`+itoa(int(page.Seq))+",") || strings.Count(out, `"url":"`+page.URL+`"`) != 2 {
		t.Errorf("after the retried page failed again: exit %d\n%s", code, out)
	}

	if code, _, _ := run(t, "", "dead", "purge", "--config", path); code != 2 {
		t.Errorf("dead purge with no filter: exit %d, want 2", code)
	}

	// While a newsflow process holds the data directory, the commands ask
	// it over its HTTP endpoint.
	addr, release := holdDataDir(t, path)
	code, out, errOut = run(t, "", "dead", "list", "--config", path, "--json", "--source", page.Source)
	if code != 0 || strings.Count(out, `"url":"`+page.URL+`"`) != 2 {
		t.Errorf("dead list through the running process: exit %d\n%s%s", code, out, errOut)
	}
	var first bus.DeadLetter
	json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first)
	if code, out, _ = run(t, "", "dead", "show", "--config", path, itoa(int(first.Seq))); code != 0 || !strings.Contains(out, `"url": "`+page.URL+`"`) {
		t.Errorf("dead show through the running process: exit %d\n%s", code, out)
	}
	if code, _, errOut := run(t, "", "dead", "show", "--config", path, "9999"); code != 1 || !strings.Contains(errOut, "no such dead letter") {
		t.Errorf("dead show 9999 through the running process: exit %d, %s", code, errOut)
	}
	// Retry and purge need the header that a web page cannot send.
	if resp, err := http.Post("http://"+addr+"/api/dead/purge", "text/plain", nil); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /api/dead/purge without the header: %v %v", resp, err)
	}
	if code, out, _ = run(t, "", "dead", "purge", "--config", path, "--source", page.Source); code != 0 || !strings.Contains(out, "purged 2") {
		t.Errorf("dead purge through the running process: exit %d\n%s", code, out)
	}
	release()
	if code, out, _ = run(t, "", "dead", "list", "--config", path); code != 0 || !strings.Contains(out, "no dead letters") {
		t.Errorf("dead list after purge: exit %d\n%s", code, out)
	}
}

// holdDataDir opens the pipeline of the configuration at path and serves
// its HTTP endpoint, as a running `newsflow run` does, until release.
func holdDataDir(t *testing.T, path string) (addr string, release func()) {
	t.Helper()
	cfg, err := newsflow.ReadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Need{Bus: true})
	if err != nil {
		t.Fatal(err)
	}
	addr, err = a.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return addr, func() { cancel(); a.Close() }
}

// deadLetterArticle publishes art and dead-letters it from the store
// consumer, as the store worker does with an article that keeps failing.
func deadLetterArticle(t *testing.T, path string, art *newsflow.Article) {
	t.Helper()
	ctx := context.Background()
	cfg, err := newsflow.ReadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Need{Bus: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Bus.PublishArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	c, err := a.Bus.StoreConsumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ms, err := c.Fetch(ctx, 1, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 1 {
			if err := ms[0].DeadLetter(ctx, "store", "upsert: database is locked"); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("the published article was not delivered to the store consumer")
}
