package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/newsflow/newsflow/internal/metrics"
)

// The pipeline's counts. In scale-out, several processes crawl, fetch and
// store for one deployment; each one's tally (metrics.Summary) counts only
// its own work. So that /status, `newsflow status` and the dashboard of
// any process show the whole pipeline, every process adds what it counted
// since its last flush to the namespace's stats bucket on the bus (see
// bus.Bus.AddStats), every statsFlushEvery and when it ends: one value
// for the pipeline's totals (key "total") and one a source ("source.<name>").
// The additions are compare-and-set, so processes flushing at once lose
// nothing; a flush that fails is carried by the next one. Whoever reads
// the bucket sums nothing: it reads a dozen or a hundred values.
//
// The counts run from the deployment's first process on (a process that
// ended still counts), unlike a process's own tally and Prometheus
// counters, which start at zero with each process.

// statsFlushEvery is how often a process adds its counts to the pipeline's.
const statsFlushEvery = 2 * time.Second

// statsTimeout bounds one flush or one read of the pipeline's counts.
const statsTimeout = 5 * time.Second

// Keys of the stats bucket.
const (
	statsTotalKey    = "total"
	statsSourcePrefx = "source."
)

// startStats flushes this process's counts to the bus in the background
// until Close.
func (a *App) startStats() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	a.statsStop = func() { cancel(); <-done }
	go func() {
		defer close(done)
		tick := time.NewTicker(statsFlushEvery)
		defer tick.Stop()
		failing := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			fctx, fcancel := context.WithTimeout(ctx, statsTimeout)
			err := a.FlushStats(fctx)
			fcancel()
			if err != nil && !failing && ctx.Err() == nil {
				a.Log.Warn("pipeline counts not flushed to the bus; retrying", "err", err)
			}
			failing = err != nil
		}
	}()
}

// stopStats stops the background flush and flushes what is left.
func (a *App) stopStats() {
	if a.statsStop == nil {
		return
	}
	a.statsStop()
	a.statsStop = nil
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	if err := a.FlushStats(ctx); err != nil {
		a.Log.Warn("pipeline counts not flushed to the bus at the end", "err", err)
	}
}

// FlushStats adds what this process counted since its last flush to the
// pipeline's counts on the bus. What could not be added is kept for the
// next flush.
func (a *App) FlushStats(ctx context.Context) error {
	if a.Bus == nil || a.readOnly {
		return nil
	}
	a.statsMu.Lock()
	defer a.statsMu.Unlock()
	d, ok := a.Metrics.TakeDelta()
	if !ok {
		return nil
	}
	left, carry := metrics.NewSummary(), false
	var firstErr error
	fail := func(err error) {
		carry = true
		if firstErr == nil {
			firstErr = err
		}
	}
	totals := d
	totals.Sources = nil
	if err := a.Bus.AddStats(ctx, statsTotalKey, addJSON(func(old *metrics.Summary) { old.Totals(totals) })); err != nil {
		left.Totals(totals)
		fail(err)
	}
	for name, src := range d.Sources {
		err := a.Bus.AddStats(ctx, statsSourcePrefx+name, addJSON(func(old *metrics.SourceSummary) { old.Add(src) }))
		if err != nil {
			left.Sources[name] = src
			fail(err)
		}
	}
	if carry {
		a.Metrics.GiveBack(left)
		return fmt.Errorf("pipeline counts: %w", firstErr)
	}
	return nil
}

// addJSON returns a merge for bus.Bus.AddStats of a JSON value of type T.
func addJSON[T any](add func(*T)) func([]byte) ([]byte, error) {
	return func(old []byte) ([]byte, error) {
		var v T
		if old != nil {
			if err := json.Unmarshal(old, &v); err != nil {
				// A value that cannot be read is started afresh.
				v = *new(T)
			}
		}
		add(&v)
		return json.Marshal(v)
	}
}

// PipelineCounts returns the counts of every process of the pipeline, this
// one's included up to now: what the processes flushed to the bus, and what
// this one counted since its last flush.
func (a *App) PipelineCounts(ctx context.Context) (*metrics.Summary, error) {
	if a.Bus == nil {
		return nil, nil
	}
	a.statsMu.Lock()
	defer a.statsMu.Unlock()
	values, err := a.Bus.Stats(ctx)
	if err != nil {
		return nil, err
	}
	sum := metrics.NewSummary()
	for key, v := range values {
		switch {
		case key == statsTotalKey:
			var t metrics.Summary
			if err := json.Unmarshal(v, &t); err == nil {
				sum.Totals(t)
			}
		case strings.HasPrefix(key, statsSourcePrefx):
			var s metrics.SourceSummary
			if err := json.Unmarshal(v, &s); err == nil {
				sum.Add(metrics.Summary{Sources: map[string]*metrics.SourceSummary{strings.TrimPrefix(key, statsSourcePrefx): &s}})
			}
		}
	}
	if !a.readOnly {
		sum.Add(a.Metrics.PendingDelta())
	}
	return &sum, nil
}
