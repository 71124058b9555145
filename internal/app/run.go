package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/newsflow/newsflow"
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
}

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
		// One deadline for all sources, so that a server gone away
		// holds up the shutdown once, not once a source.
		saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stateSaveTimeout)
		for _, src := range sources {
			a.saveSiteMemory(saveCtx, src.Name)
		}
		cancel()
	}
	if o.Store && o.Crawl && runErr == nil {
		drainCtx, cancel := context.WithTimeout(context.Background(), o.DrainTimeout)
		a.waitIdle(drainCtx, fatal, []string{storeConsumer})
		cancel()
	}
	stopStore()
	storeWG.Wait()
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
// consumer involved has nothing pending and nothing awaiting an ack.
func (a *App) waitDone(ctx context.Context, fatal chan error, discWG *sync.WaitGroup, sources []*newsflow.Source, o RunOptions) error {
	discovered := make(chan struct{})
	go func() { discWG.Wait(); close(discovered) }()
	select {
	case <-ctx.Done():
		return ErrInterrupted
	case err := <-fatal:
		return err
	case <-discovered:
	}
	var names []string
	if o.Crawl {
		for _, s := range sources {
			names = append(names, fetchConsumer(s.Name))
		}
		if err := a.waitIdle(ctx, fatal, names); err != nil {
			return err
		}
	}
	if o.Store {
		return a.waitIdle(ctx, fatal, []string{storeConsumer})
	}
	return nil
}

const storeConsumer = "store"

func fetchConsumer(source string) string { return "fetch-" + source }

// waitIdle polls until the named consumers have been idle twice in a row.
func (a *App) waitIdle(ctx context.Context, fatal chan error, names []string) error {
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
		infos, err := a.Bus.Consumers(ctx)
		if err != nil {
			a.Log.Warn("consumer info failed", "err", err)
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
