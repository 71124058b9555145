package app

import (
	"context"
	"fmt"
	"time"

	"github.com/newsflow/newsflow/store"
)

// storeWorker consumes the NEWS stream into the store until ctx ends.
func (a *App) storeWorker(ctx context.Context) error {
	cons, err := a.Bus.StoreConsumer(ctx)
	if err != nil {
		return fmt.Errorf("store worker: consumer: %w", err)
	}
	w := &store.Worker{
		Store:      a.Store,
		Consumer:   store.Adapt(cons.Fetch),
		BatchSize:  a.Config.Store.BatchSize,
		MaxWait:    500 * time.Millisecond,
		MaxDeliver: cons.MaxDeliver(),
		Logger:     a.Log.With("stage", stageStore),
		OnBatch: func(r store.BatchReport) {
			a.Metrics.Stored("inserted", r.Inserted)
			a.Metrics.Stored("updated", r.Updated)
			a.Metrics.Stored("unchanged", r.Unchanged)
			a.Metrics.Batch(r.Duration)
			if r.Dead > 0 {
				a.Metrics.DeadLettered(stageStore, r.Dead)
			}
			if r.Failed > 0 {
				a.Metrics.Failed(stageStore, "", "batch", "store batch failed")
			}
		},
	}
	return w.Run(ctx)
}
