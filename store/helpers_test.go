package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/sqlite"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// pipeline is an embedded bus, its store consumer and a worker writing
// into st, running until the test ends.
type pipeline struct {
	bus      *bus.Bus
	consumer *bus.Consumer
	mu       sync.Mutex
	reports  []store.BatchReport
	cancel   context.CancelFunc
	done     chan error
}

func openBus(t *testing.T) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.Options{DataDir: t.TempDir(), Logger: quiet()})
	if err != nil {
		t.Fatalf("open bus: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// startWorker runs a worker on the store consumer of b into st.
func startWorker(t *testing.T, b *bus.Bus, st store.Store) *pipeline {
	t.Helper()
	c, err := b.StoreConsumer(context.Background())
	if err != nil {
		t.Fatalf("store consumer: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &pipeline{bus: b, consumer: c, cancel: cancel, done: make(chan error, 1)}
	w := &store.Worker{
		Store:         st,
		Consumer:      store.Adapt(c.Fetch),
		BatchSize:     10,
		MaxWait:       200 * time.Millisecond,
		MaxDeliver:    c.MaxDeliver(),
		RetryDelay:    20 * time.Millisecond,
		MaxRetryDelay: 100 * time.Millisecond,
		Logger:        quiet(),
		OnBatch: func(r store.BatchReport) {
			p.mu.Lock()
			p.reports = append(p.reports, r)
			p.mu.Unlock()
		},
	}
	go func() { p.done <- w.Run(ctx) }()
	t.Cleanup(p.stop)
	return p
}

// stop cancels the worker and waits for Run to return.
func (p *pipeline) stop() {
	p.cancel()
	if err, ok := <-p.done; ok && err != nil {
		panic(fmt.Sprintf("worker Run returned %v", err))
	}
	close(p.done)
}

// total sums the batch reports so far.
func (p *pipeline) total() store.BatchReport {
	p.mu.Lock()
	defer p.mu.Unlock()
	var t store.BatchReport
	for _, r := range p.reports {
		t.Messages += r.Messages
		t.Inserted += r.Inserted
		t.Updated += r.Updated
		t.Unchanged += r.Unchanged
		t.Dead += r.Dead
		t.Failed += r.Failed
	}
	return t
}

// drained reports whether the store consumer has nothing pending or unacked.
func (p *pipeline) drained() (bool, error) {
	return p.bus.Idle(context.Background(), "store")
}

func article(source string, i int) *newsflow.Article {
	a := &newsflow.Article{
		URL:   fmt.Sprintf("https://%s.example/news/%d", source, i),
		Title: fmt.Sprintf("Story %d of %s", i, source),
		Text:  fmt.Sprintf("Paragraph about event number %d.\n\nSecond paragraph.", i),
	}
	a.Seal(source, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	return a
}

func publish(t *testing.T, b *bus.Bus, as ...*newsflow.Article) {
	t.Helper()
	for _, a := range as {
		if err := b.PublishArticle(context.Background(), a); err != nil {
			t.Fatalf("publish: %v", err)
		}
	}
}

func publishRaw(t *testing.T, b *bus.Bus, subject string, v any, msgID string) {
	t.Helper()
	data, ok := v.([]byte)
	if !ok {
		var err error
		if data, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Publish(context.Background(), subject, data, msgID); err != nil {
		t.Fatalf("publish raw: %v", err)
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var err error
	for {
		var ok bool
		ok, err = cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached before the deadline (last error: %v)", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func articles(st store.Store) func() (int, error) {
	return func() (int, error) {
		s, err := st.Stats(context.Background())
		return s.Articles, err
	}
}

func countIs(n int, f func() (int, error)) func() (bool, error) {
	return func() (bool, error) {
		got, err := f()
		return got == n, err
	}
}

// deadLetters reads the dead letters of the store stage.
func deadLetters(t *testing.T, b *bus.Bus, n int) []*bus.Message {
	t.Helper()
	c, err := b.Consumer(context.Background(), bus.ConsumerConfig{Durable: "dead-check", Stream: b.Names().Dead, FilterSubject: b.Names().DeadSubject(store.Stage)})
	if err != nil {
		t.Fatalf("dead consumer: %v", err)
	}
	var out []*bus.Message
	deadline := time.Now().Add(30 * time.Second)
	for len(out) < n && time.Now().Before(deadline) {
		ms, err := c.Fetch(context.Background(), n-len(out), 300*time.Millisecond)
		if err != nil {
			t.Fatalf("fetch dead letters: %v", err)
		}
		out = append(out, ms...)
	}
	if len(out) != n {
		t.Fatalf("%d dead letters, want %d", len(out), n)
	}
	if more, _ := c.Fetch(context.Background(), 1, 300*time.Millisecond); len(more) != 0 {
		t.Fatalf("more dead letters than the %d expected: %s", n, more[0].Header(bus.HeaderReason))
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
