package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/metrics"
)

// RunOptions say which stages a process runs and how long.
type RunOptions struct {
	// Crawl runs discovery and the fetch workers of every source.
	Crawl bool
	// Store runs the store worker.
	Store bool
	// Once crawls every source once, waits until the pipeline has drained,
	// and returns; otherwise the process runs until ctx ends.
	Once bool
	// Sources limits crawling to these source names; empty means all.
	Sources []string
	// DrainTimeout bounds how long the store worker keeps draining at
	// shutdown after the crawl stages have stopped.
	DrainTimeout time.Duration
	// OutageLimit is how long a once run waits for NATS, or for the store
	// it waits on, to answer again before it gives up with an error
	// (default 2m). What is queued stays queued for the next run.
	OutageLimit time.Duration
}

// DefaultOutageLimit is RunOptions.OutageLimit when it is left unset.
const DefaultOutageLimit = 2 * time.Minute

// ErrInterrupted is returned by a once run that was stopped before the
// pipeline had drained.
var ErrInterrupted = errors.New("interrupted before the run finished")

// Run runs the chosen stages. On ctx's end (SIGINT/SIGTERM) it stops them in
// pipeline order: discovery first, then the fetch workers (which hand
// unfinished tasks back to the frontier), then the store worker, after it has
// drained what was published.
func (a *App) Run(ctx context.Context, o RunOptions) (metrics.Summary, error) {
	sources, err := a.pick(o.Sources)
	if err != nil {
		return metrics.Summary{}, err
	}
	if o.Crawl && len(sources) == 0 {
		return metrics.Summary{}, errors.New("no sources configured: list them under sources: in the config file")
	}
	if o.DrainTimeout == 0 {
		o.DrainTimeout = 15 * time.Second
	}
	if o.OutageLimit == 0 {
		o.OutageLimit = DefaultOutageLimit
	}
	discCtx, stopDisc := context.WithCancel(context.WithoutCancel(ctx))
	fetchCtx, stopFetch := context.WithCancel(context.WithoutCancel(ctx))
	storeCtx, stopStore := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDisc()
	defer stopFetch()
	defer stopStore()

	fatal := make(chan error, 1+2*len(sources))
	var discWG, fetchWG, storeWG sync.WaitGroup
	if o.Store {
		storeWG.Go(func() {
			if err := a.storeWorker(storeCtx); err != nil && storeCtx.Err() == nil {
				fatal <- err
			}
		})
	}
	if o.Crawl {
		for _, src := range sources {
			fetchWG.Go(func() {
				if err := a.fetchWorkers(fetchCtx, src, o.Once); err != nil && fetchCtx.Err() == nil {
					fatal <- err
				}
			})
		}
		for _, src := range sources {
			discWG.Go(func() {
				if o.Once {
					// Each run is a round of its own, with its own
					// budget and result.
					a.newRound(src)
					a.discover(discCtx, src)
				} else {
					a.schedule(discCtx, src)
				}
			})
		}
	}

	var runErr error
	if o.Once {
		runErr = a.waitDone(ctx, fatal, &discWG, sources, o)
	} else {
		select {
		case <-ctx.Done():
		case runErr = <-fatal:
		}
	}
	a.Log.Info("stopping", "reason", stopReason(ctx, runErr))
	stopDisc()
	discWG.Wait()
	stopFetch()
	fetchWG.Wait()
	if o.Crawl {
		// The rounds whose fetch workers were stopped before they saw the
		// frontier empty end here.
		for _, src := range sources {
			a.endCurrentRound(src)
		}
		// One deadline for all sources, so that a server gone away
		// holds up the shutdown once, not once a source.
		saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stateSaveTimeout)
		for _, src := range sources {
			a.saveSiteMemory(saveCtx, src.Name)
		}
		if runErr == nil || !bus.Unavailable(runErr) {
			// Not when the run gave up on NATS: the save would only wait.
			a.saveCanaries(saveCtx)
		}
		cancel()
	}
	if o.Store && o.Crawl && runErr == nil {
		drainCtx, cancel := context.WithTimeout(context.Background(), o.DrainTimeout)
		a.waitIdle(drainCtx, fatal, []string{storeConsumer}, a.newWatch(o.DrainTimeout))
		cancel()
	}
	stopStore()
	storeWG.Wait()
	if o.Once && (runErr == nil || !bus.Unavailable(runErr)) {
		// Whoever looks next sees this run's counts in the pipeline's.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), statsTimeout)
		if err := a.FlushStats(fctx); err != nil {
			a.Log.Warn("pipeline counts not flushed to the bus", "err", err)
		}
		cancel()
	}
	return a.Metrics.Snapshot(), runErr
}

func stopReason(ctx context.Context, err error) string {
	switch {
	case err != nil:
		return err.Error()
	case ctx.Err() != nil:
		return "signal"
	}
	return "done"
}

// waitDone waits, for a once run, until discovery has finished and every
// consumer involved has nothing pending and nothing awaiting an ack. It
// gives up with an error when NATS, or the store while the articles are
// being stored, has not answered for o.OutageLimit.
func (a *App) waitDone(ctx context.Context, fatal chan error, discWG *sync.WaitGroup, sources []*newsflow.Source, o RunOptions) error {
	discovered := make(chan struct{})
	go func() { discWG.Wait(); close(discovered) }()
	w := a.newWatch(o.OutageLimit)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			return ErrInterrupted
		case err := <-fatal:
			return err
		case <-discovered:
			waiting = false
		case <-tick.C:
			if _, _, err := w.consumers(ctx); err != nil {
				return err
			}
		}
	}
	var names []string
	if o.Crawl {
		for _, s := range sources {
			names = append(names, fetchConsumer(s.Name))
		}
		if err := a.waitIdle(ctx, fatal, names, w); err != nil {
			return err
		}
	}
	if o.Store {
		return a.waitIdle(ctx, fatal, []string{storeConsumer}, w)
	}
	return nil
}

const storeConsumer = "store"

func fetchConsumer(source string) string { return "fetch-" + source }

// waitIdle polls until the named consumers have been idle twice in a row,
// or until w reports an outage that lasted too long.
func (a *App) waitIdle(ctx context.Context, fatal chan error, names []string, w *watch) error {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	idleRounds := 0
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ErrInterrupted
		case err := <-fatal:
			return err
		case <-tick.C:
		}
		if want[storeConsumer] {
			if err := w.pingStore(ctx); err != nil {
				return err
			}
		}
		infos, ok, err := w.consumers(ctx)
		if err != nil {
			return err
		}
		if !ok {
			idleRounds = 0
			continue
		}
		idle, found := true, 0
		for _, c := range infos {
			if !want[c.Name] {
				continue
			}
			found++
			if c.Pending > 0 || c.AckPending > 0 {
				idle = false
			}
		}
		if idle && found == len(want) {
			idleRounds++
			if idleRounds >= 2 {
				return nil
			}
		} else {
			idleRounds = 0
		}
	}
}

// watch asks NATS and the store whether they answer, for a once run that
// must not wait for ever on one that has gone away.
type watch struct {
	a             *App
	nats, store   outage
	lastStorePing time.Time
}

func (a *App) newWatch(limit time.Duration) *watch {
	return &watch{
		a:     a,
		nats:  outage{what: "NATS", limit: limit, log: a.Log},
		store: outage{what: "the store", limit: limit, log: a.Log},
	}
}

// consumers returns the consumers' numbers; ok is false when NATS did not
// answer this time, and err is set once it has not for too long.
func (w *watch) consumers(ctx context.Context) (infos []bus.ConsumerInfo, ok bool, err error) {
	infos, cerr := w.a.Bus.Consumers(ctx)
	if err := w.nats.observe(cerr); err != nil {
		return nil, false, err
	}
	return infos, cerr == nil, nil
}

// pingStore pings the store at most once a second; it returns an error once
// the store has not answered for too long.
func (w *watch) pingStore(ctx context.Context) error {
	if w.a.Store == nil || time.Since(w.lastStorePing) < time.Second {
		return nil
	}
	w.lastStorePing = time.Now()
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return w.store.observe(w.a.Store.Ping(pctx))
}

// outage follows how long a dependency has kept failing: it logs the first
// failure and the recovery, not every poll in between.
type outage struct {
	what  string
	limit time.Duration
	log   *slog.Logger
	since time.Time
}

// observe records the result of one call; it returns an error once the
// calls have failed for longer than the limit.
func (o *outage) observe(err error) error {
	if err == nil {
		if !o.since.IsZero() {
			o.log.Info(o.what+" answers again", "after", time.Since(o.since).Round(time.Millisecond))
			o.since = time.Time{}
		}
		return nil
	}
	if o.since.IsZero() {
		o.since = time.Now()
		o.log.Warn(o.what+" does not answer; waiting", "err", err, "up_to", o.limit)
	}
	if time.Since(o.since) >= o.limit {
		return fmt.Errorf("%s has not answered for %s: %w", o.what, o.limit, err)
	}
	return nil
}

// pick returns the configured sources, or those named.
func (a *App) pick(names []string) ([]*newsflow.Source, error) {
	var out []*newsflow.Source
	if len(names) == 0 {
		for i := range a.Config.Sources {
			out = append(out, &a.Config.Sources[i])
		}
		return out, nil
	}
	for _, n := range names {
		s := a.Config.Source(n)
		if s == nil {
			return nil, fmt.Errorf("no source named %q in the config", n)
		}
		out = append(out, s)
	}
	return out, nil
}
