package store_test

import (
	"context"
	"log"
	"os/signal"
	"syscall"

	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/sqlite"
)

// The store stage of `newsflow run`: an embedded bus and a SQLite store
// under one data directory, the worker between them until a signal.
func ExampleWorker() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	b, err := bus.Open(ctx, bus.Options{DataDir: "data"})
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	st, err := sqlite.Open(ctx, "data/newsflow.db")
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	c, err := b.StoreConsumer(ctx)
	if err != nil {
		log.Fatal(err)
	}
	w := &store.Worker{
		Store:      st,
		Consumer:   store.Adapt(c.Fetch),
		MaxDeliver: c.MaxDeliver(),
		BatchSize:  100,
	}
	if err := w.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
