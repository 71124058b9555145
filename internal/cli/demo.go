package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/internal/fixture"
	"github.com/newsflow/newsflow/store"
)

func init() {
	register(command{name: "demo", args: "[--once]", summary: "crawl a built-in news site on 127.0.0.1 with the real pipeline; needs no network", run: runDemo})
}

const demoDir = "newsflow-demo"

func runDemo(ctx context.Context, env Env, args []string) error {
	f := newFlags("demo", env)
	once := f.fs.Bool("once", false, "exit after the crawl instead of serving /metrics and the demo site until Ctrl-C")
	keep := f.fs.Bool("keep", false, "keep what an earlier demo stored instead of starting empty")
	progressEvery := progressFlag(f)
	f.fs.Lookup("data-dir").DefValue = demoDir
	f.fs.Lookup("log-level").DefValue = "error"
	f.fs.Set("log-level", "error") // the demo site fails on purpose; its warnings would only be noise
	if err := f.parse(args); err != nil {
		return err
	}
	dir := f.dataDir
	if dir == "" {
		dir = demoDir
	}
	lock, err := prepareDemoDir(dir, !*keep)
	if err != nil {
		return err
	}
	defer func() {
		if lock != nil {
			lock.Unlock()
		}
	}()
	log, err := f.logger(env)
	if err != nil {
		return err
	}
	site, err := fixture.Start(fixture.Options{Logger: log})
	if err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	defer site.Close()

	cfg := &newsflow.Config{DataDir: dir, Sources: site.Sources()}
	cfg.Crawler.AllowPrivateNetworks = true // the demo site is on 127.0.0.1
	if err := cfg.Prepare(); err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, log, app.Need{Bus: true, Store: true, Crawler: true, Lock: lock})
	if err != nil {
		return err
	}
	lock = nil // a.Close releases it
	defer a.Close()
	addr, err := a.Serve(ctx, cfg.HTTP.Listen)
	if err != nil {
		if addr, err = a.Serve(ctx, "127.0.0.1:0"); err != nil {
			return err
		}
	}
	out := env.Stdout
	fmt.Fprintf(out, "newsflow demo: crawling %d outlets of a built-in news site on 127.0.0.1 (embedded NATS, SQLite in %s)\n\n", len(cfg.Sources), dir)
	start := time.Now()
	stopProgress := startProgress(ctx, env, a, nil, *progressEvery)
	sum, err := a.Run(ctx, app.RunOptions{Crawl: true, Store: true, Once: true})
	stopProgress()
	took := time.Since(start)
	printSummary(out, sum)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "took %s (%.1f articles/s end to end)\n\n", took.Round(time.Millisecond), float64(sum.Published)/took.Seconds())
	if err := printSample(ctx, a.Store, out); err != nil {
		return err
	}
	self := "newsflow"
	if strings.Contains(os.Args[0], "go-build") {
		self = "go run ./cmd/newsflow"
	}
	fmt.Fprintf(out, "\nLook further:\n")
	fmt.Fprintf(out, "  %s search --data-dir %s putin      full-text search\n", self, dir)
	fmt.Fprintf(out, "  %s export --data-dir %s            every article as JSON Lines\n", self, dir)
	fmt.Fprintf(out, "  %s extract page.html               extract a saved page\n", self)
	if *once {
		return nil
	}
	fmt.Fprintf(out, "  http://%s/  the dashboard (and /metrics  /status  /healthz)\n", addr)
	for _, s := range cfg.Sources {
		fmt.Fprintf(out, "  %s  (demo outlet %q)\n", s.StartURLs[0], s.Name)
	}
	fmt.Fprintf(out, "\nServing until Ctrl-C.\n")
	<-ctx.Done()
	return nil
}

// demoMarker marks a folder the demo made; the demo empties no other.
const demoMarker = ".newsflow-demo"

// prepareDemoDir makes the demo's folder, or takes one it made earlier
// (marked with demoMarker), locks it, and then, when reset is set, empties
// it but for the lock file and the marker. It refuses a folder that holds
// anything and has no marker: a real crawl's data dir, say. The lock is
// taken before anything is removed, so a running demo is never wiped.
func prepareDemoDir(dir string, reset bool) (*app.DataLock, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return nil, fmt.Errorf("%s was not made by the demo (it has no %s file) and holds %s: the demo empties only its own folder; choose another --data-dir",
				dir, demoMarker, entries[0].Name())
		}
	}
	if err := os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by newsflow demo; newsflow demo empties this folder at each run\n"), 0o644); err != nil {
		return nil, err
	}
	lock, err := app.LockDataDir(dir)
	if err != nil {
		return nil, err
	}
	if !reset {
		return lock, nil
	}
	if entries, err = os.ReadDir(dir); err != nil {
		lock.Unlock()
		return nil, err
	}
	for _, e := range entries {
		if e.Name() == app.LockFile || e.Name() == demoMarker {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			lock.Unlock()
			return nil, err
		}
	}
	return lock, nil
}

func printSample(ctx context.Context, s store.Store, out io.Writer) error {
	fmt.Fprintln(out, "Stored articles:")
	return s.Export(ctx, store.Filter{}, func(a *newsflow.Article) error {
		authors := strings.Join(a.Authors, ", ")
		if authors == "" {
			authors = "-"
		}
		_, err := fmt.Fprintf(out, "  %-11s %5d words  %-60.60s  %s\n", a.Source, a.WordCount, a.Title, authors)
		return err
	})
}
