package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/newsflow/newsflow"
)

// Stage is the name of the store stage in dead-letter subjects and logs.
const Stage = "store"

// Defaults of the Worker.
const (
	DefaultBatchSize     = 100
	DefaultMaxWait       = time.Second
	DefaultMaxDeliver    = 5
	DefaultRetryDelay    = time.Second
	DefaultMaxRetryDelay = time.Minute
)

// Worker moves articles from the NEWS consumer into the Store: it takes
// messages in batches, upserts each batch in one transaction and acks the
// messages only after the commit.
//
// Failure policy:
//   - a message that cannot be decoded (bad JSON, another schema, no id)
//     is dead-lettered at once with the reason (stage "store");
//   - when the batch upsert fails and the store does not answer Ping (the
//     database is down), every message of the batch is nak'ed with a
//     backoff delay, and the worker fetches nothing more until Ping
//     succeeds again, so an outage costs each message one delivery;
//   - when the batch upsert fails and the store answers, the articles are
//     retried one by one, so that one poison article does not hold back
//     the others; each one that still fails is nak'ed with a backoff delay;
//   - a message that fails on its last delivery (Deliveries() >=
//     MaxDeliver) is dead-lettered with the last error instead of nak'ed,
//     since the server would not deliver it again.
//
// Nothing is dropped: a message is acked after its commit, dead-lettered,
// or left to be redelivered.
type Worker struct {
	// Store receives the articles.
	Store Store
	// Consumer gives the messages: store.Adapt(c.Fetch) for the bus's
	// StoreConsumer c.
	Consumer Batches
	// BatchSize is the largest batch (default 100).
	BatchSize int
	// MaxWait is how long a fetch waits to fill a batch (default 1s).
	MaxWait time.Duration
	// MaxDeliver must be the consumer's MaxDeliver (default 5).
	MaxDeliver int
	// RetryDelay is the nak delay after the first failed delivery; it
	// doubles with each delivery up to MaxRetryDelay (defaults 1s, 1m).
	RetryDelay, MaxRetryDelay time.Duration
	// Logger receives failures; nil uses slog.Default().
	Logger *slog.Logger
	// OnBatch, if set, is called after each batch is settled.
	OnBatch func(BatchReport)
}

// BatchReport says what became of one batch.
type BatchReport struct {
	// Messages is the size of the batch.
	Messages int
	// Inserted, Updated and Unchanged count the committed and acked
	// articles by outcome.
	Inserted, Updated, Unchanged int
	// Dead counts the messages dead-lettered.
	Dead int
	// Failed counts the messages nak'ed for a later retry, or that could
	// not be settled (and will be redelivered after the ack wait).
	Failed int
	// Duration is the time from fetch to the last settlement.
	Duration time.Duration
	// Err is the last store error, if any.
	Err error
}

func (w *Worker) defaults() {
	if w.BatchSize <= 0 {
		w.BatchSize = DefaultBatchSize
	}
	if w.MaxWait <= 0 {
		w.MaxWait = DefaultMaxWait
	}
	if w.MaxDeliver <= 0 {
		w.MaxDeliver = DefaultMaxDeliver
	}
	if w.RetryDelay <= 0 {
		w.RetryDelay = DefaultRetryDelay
	}
	if w.MaxRetryDelay <= 0 {
		w.MaxRetryDelay = DefaultMaxRetryDelay
	}
	if w.Logger == nil {
		w.Logger = slog.Default()
	}
}

// Run stores batches until ctx is cancelled; it then finishes settling the
// batch in hand and returns nil.
func (w *Worker) Run(ctx context.Context) error {
	if w.Store == nil || w.Consumer == nil {
		return fmt.Errorf("store: worker needs a Store and a Consumer")
	}
	w.defaults()
	log := w.Logger.With("stage", Stage)
	fetchFailures := 0
	for ctx.Err() == nil {
		msgs, err := w.Consumer.Fetch(ctx, w.BatchSize, w.MaxWait)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			fetchFailures++
			log.Warn("fetch failed", "err", err)
			sleep(ctx, w.delay(uint64(fetchFailures)))
			continue
		}
		fetchFailures = 0
		if len(msgs) == 0 {
			continue
		}
		start := time.Now()
		// The batch in hand is settled even when ctx ends meanwhile.
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		stops := make([]func(), len(msgs))
		for i, m := range msgs {
			stops[i] = m.KeepAlive()
		}
		rep, down := w.handle(hctx, log, msgs)
		for _, stop := range stops {
			stop()
		}
		cancel()
		rep.Duration = time.Since(start)
		if w.OnBatch != nil {
			w.OnBatch(rep)
		}
		if down {
			w.waitForStore(ctx, log)
		}
	}
	return nil
}

type item struct {
	msg Msg
	a   *newsflow.Article
}

// handle settles one batch; down reports that the store did not answer.
func (w *Worker) handle(ctx context.Context, log *slog.Logger, msgs []Msg) (rep BatchReport, down bool) {
	rep.Messages = len(msgs)
	items := make([]item, 0, len(msgs))
	for _, m := range msgs {
		a, err := Decode(m.Data())
		if err != nil {
			log.Warn("dead-lettering a message that is not an article", "err", err)
			w.deadLetter(ctx, log, &rep, m, err.Error())
			continue
		}
		items = append(items, item{msg: m, a: a})
	}
	if len(items) == 0 {
		return rep, false
	}
	articles := make([]*newsflow.Article, len(items))
	for i, it := range items {
		articles[i] = it.a
	}
	outs, err := w.Store.Upsert(ctx, articles)
	if err == nil {
		for i, it := range items {
			w.ack(ctx, log, &rep, it, outs[i])
		}
		return rep, false
	}
	rep.Err = err
	if perr := w.Store.Ping(ctx); perr != nil {
		log.Error("store is down; batch handed back", "err", err, "ping", perr, "messages", len(items))
		for _, it := range items {
			w.fail(ctx, log, &rep, it, err)
		}
		return rep, true
	}
	if len(items) == 1 {
		w.fail(ctx, log, &rep, items[0], err)
		return rep, false
	}
	log.Warn("batch upsert failed; retrying one by one", "err", err, "messages", len(items))
	for _, it := range items {
		outs, err := w.Store.Upsert(ctx, []*newsflow.Article{it.a})
		if err != nil {
			rep.Err = err
			w.fail(ctx, log, &rep, it, err)
			continue
		}
		w.ack(ctx, log, &rep, it, outs[0])
	}
	return rep, false
}

// ack confirms a committed article and counts its outcome.
func (w *Worker) ack(ctx context.Context, log *slog.Logger, rep *BatchReport, it item, o Outcome) {
	if err := it.msg.Ack(ctx); err != nil {
		// Committed but not acked: it comes back and is then Unchanged.
		log.Warn("ack failed after commit", "id", it.a.ID, "err", err)
	}
	switch o {
	case Inserted:
		rep.Inserted++
	case Updated:
		rep.Updated++
	default:
		rep.Unchanged++
	}
}

// fail hands a message back for a retry, or dead-letters it when this was
// its last delivery.
func (w *Worker) fail(ctx context.Context, log *slog.Logger, rep *BatchReport, it item, err error) {
	n := it.msg.Deliveries()
	if n >= uint64(w.MaxDeliver) {
		log.Error("dead-lettering an article that failed on its last delivery", "id", it.a.ID, "url", it.a.URL, "deliveries", n, "err", err)
		w.deadLetter(ctx, log, rep, it.msg, "upsert: "+err.Error())
		return
	}
	rep.Failed++
	if nerr := it.msg.Nak(w.delay(n)); nerr != nil {
		log.Warn("nak failed; the message comes back after the ack wait", "id", it.a.ID, "err", nerr)
	}
}

func (w *Worker) deadLetter(ctx context.Context, log *slog.Logger, rep *BatchReport, m Msg, reason string) {
	if err := m.DeadLetter(ctx, Stage, reason); err != nil {
		rep.Failed++
		log.Error("dead-letter failed; message handed back", "err", err)
		return
	}
	rep.Dead++
}

// delay is the backoff after the n-th failed attempt.
func (w *Worker) delay(n uint64) time.Duration {
	d := w.RetryDelay
	for i := uint64(1); i < n && d < w.MaxRetryDelay; i++ {
		d *= 2
	}
	return min(d, w.MaxRetryDelay)
}

// waitForStore blocks until the store answers Ping again or ctx ends.
func (w *Worker) waitForStore(ctx context.Context, log *slog.Logger) {
	for n := uint64(1); ctx.Err() == nil; n++ {
		if !sleep(ctx, w.delay(n)) {
			return
		}
		if err := w.Store.Ping(ctx); err == nil {
			log.Info("store is back")
			return
		}
	}
}

// sleep waits for d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
