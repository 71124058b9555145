package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/internal/metrics"
)

func init() {
	register(command{name: "run", args: "[--once] [--source S]", summary: "crawl every source on its schedule and store the articles, all in one process", run: func(ctx context.Context, env Env, args []string) error {
		return runStages(ctx, env, "run", args, app.RunOptions{Crawl: true, Store: true})
	}})
	register(command{name: "crawl", args: "[--once] [--source S]", summary: "crawl stage only: discover, fetch, extract, publish", run: func(ctx context.Context, env Env, args []string) error {
		return runStages(ctx, env, "crawl", args, app.RunOptions{Crawl: true})
	}})
	register(command{name: "store", args: "[--once]", summary: "store stage only: consume the article stream into the store", run: func(ctx context.Context, env Env, args []string) error {
		return runStages(ctx, env, "store", args, app.RunOptions{Store: true})
	}})
}

// sourceList is a repeatable --source flag.
type sourceList []string

func (s *sourceList) String() string     { return strings.Join(*s, ",") }
func (s *sourceList) Set(v string) error { *s = append(*s, v); return nil }
func (s *sourceList) Type() string       { return "name" }

func runStages(ctx context.Context, env Env, name string, args []string, o app.RunOptions) error {
	f := newFlags(name, env)
	f.fs.BoolVar(&o.Once, "once", false, "run once until the pipeline has drained, print a summary and exit")
	var sources sourceList
	var progressEvery *time.Duration
	if o.Crawl {
		f.fs.Var(&sources, "source", "crawl only this source (repeatable)")
		progressEvery = progressFlag(f)
	}
	if err := f.parse(args); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected arguments: %v", f.fs.Args())}
	}
	o.Sources = sources
	cfg, err := f.load()
	if err != nil {
		return err
	}
	// What cannot run is refused before anything starts.
	if o.Crawl {
		if len(cfg.Sources) == 0 {
			return configError{fmt.Errorf("config %s: no sources: list them under sources:", f.config)}
		}
		for _, s := range sources {
			if cfg.Source(s) == nil {
				return usageError{fmt.Sprintf("--source: no source named %q in %s", s, f.config)}
			}
		}
	}
	a, err := f.open(ctx, env, cfg, app.Need{Bus: true, Store: o.Store, Crawler: o.Crawl, BusWait: busWait(o.Once)})
	if err != nil {
		return err
	}
	defer a.Close()
	addr, err := a.ServeOrNext(ctx, cfg.HTTP.Listen, httpPortTries)
	if err != nil {
		return err
	}
	a.Log.Info("newsflow started", "stages", name, "sources", len(cfg.Sources), "data_dir", cfg.DataDir,
		"nats", natsDesc(cfg.NATS.URL, a.Bus.ClientURL()), "store", cfg.Store.Driver, "http", addr)
	stopProgress := func() {}
	if o.Once && o.Crawl {
		stopProgress = startProgress(ctx, env, a, o.Sources, *progressEvery)
	}
	sum, err := a.Run(ctx, o)
	stopProgress()
	if o.Once {
		printSummary(env.Stdout, sum)
		if failed := sum.FailedSources(); err == nil && len(failed) > 0 {
			return sourceFailure{failed}
		}
	}
	return err
}

// httpPortTries is how many ports after http.listen a process tries when
// that one is taken, so that `crawl` and `store` started on one host with
// one config both serve /metrics.
const httpPortTries = 10

func natsDesc(external, client string) string {
	if external != "" {
		return external
	}
	if client != "" {
		return "embedded, listening on " + client
	}
	return "embedded, in-process"
}

// printSummary writes the tally of a once run.
func printSummary(w io.Writer, s metrics.Summary) {
	fmt.Fprintf(w, "discovered %d  queued %d  fetched %d  extracted %d  published %d\n",
		s.Discovered, s.Queued, s.Fetched, s.Extracted, s.Published)
	fmt.Fprintf(w, "stored: %s\n", counts(s.Stored, "inserted", "updated", "unchanged"))
	fmt.Fprintf(w, "skipped: %s\n", counts(s.Skipped))
	fmt.Fprintf(w, "failed: %s\n", counts(s.Failed))
	fmt.Fprintf(w, "traps: %s\n", counts(s.Traps))
	fmt.Fprintf(w, "dead-lettered: %d\n", s.Dead)
	if failed := s.FailedSources(); len(failed) > 0 {
		fmt.Fprintf(w, "sources failed: %s\n", strings.Join(failed, ", "))
	}
}

// counts formats a count map; first names keys always shown, in order.
func counts(m map[string]int, first ...string) string {
	var parts []string
	shown := map[string]bool{}
	for _, k := range first {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		shown[k] = true
	}
	for _, k := range metrics.SortedKeys(m) {
		if !shown[k] {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// busWait is how long a pipeline role waits for a NATS server or cluster
// that is not ready yet: a once run as long as it would ride out an
// outage, a service until it is stopped.
func busWait(once bool) time.Duration {
	if once {
		return app.DefaultOutageLimit
	}
	return app.ForEver
}
