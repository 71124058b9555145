package bus

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The stats bucket ("<namespace>_stats", "newsflow_stats" in the default
// namespace) holds the pipeline's counts: every process adds what it
// counted since its last flush to the values there, by compare and set, so
// that any process, or a command that only looks, reads the counts of the
// whole pipeline in one place, whichever processes counted them and
// whether they still run.

// stats names the bucket of the namespace, beside its seen bucket.
func (n Names) stats() string { return n.prefix() + "_stats" }

// prefix is what the namespace's bucket names start with.
func (n Names) prefix() string { return n.Seen[:len(n.Seen)-len("_seen")] }

// statsAttempts bounds how often AddStats tries again when another process
// changed a value between its read and its write.
const statsAttempts = 20

// statsKV returns the stats bucket, creating it on first use unless the
// bus is read-only; nil when a read-only bus finds none (no process has
// flushed counts yet).
func (b *Bus) statsKV(ctx context.Context) (jetstream.KeyValue, error) {
	b.statsMu.Lock()
	defer b.statsMu.Unlock()
	if b.stats != nil {
		return b.stats, nil
	}
	name := b.names.stats()
	if b.opts.ReadOnly {
		kv, err := b.js.KeyValue(ctx, name)
		if errors.Is(err, jetstream.ErrBucketNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("bucket %s: %w", name, err)
		}
		b.stats = kv
		return kv, nil
	}
	if err := b.checkBucket(ctx, "KV_"+name); err != nil {
		return nil, err
	}
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      name,
		Description: "newsflow: the pipeline's counts, added to by every process",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    b.opts.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("create bucket %s: %w", name, err)
	}
	b.stats = kv
	return kv, nil
}

// AddStats replaces the value under key by merge(old value), where old is
// nil when there is none, and tries again, reading the value anew, when
// another process changed it in between: so concurrent additions are
// neither lost nor counted twice.
func (b *Bus) AddStats(ctx context.Context, key string, merge func(old []byte) ([]byte, error)) error {
	if b.opts.ReadOnly {
		return errors.New("bus: stats: a read-only bus adds nothing")
	}
	kv, err := b.statsKV(ctx)
	if err != nil {
		return fmt.Errorf("bus: stats: %w", err)
	}
	for attempt := range statsAttempts {
		if attempt > 0 {
			// Another writer won: step aside for a random moment, longer
			// with each try, so that the writers do not collide again.
			select {
			case <-ctx.Done():
				return fmt.Errorf("bus: stats: %s: %w", key, ctx.Err())
			case <-time.After(time.Duration(rand.Int64N(int64(attempt) * int64(2*time.Millisecond)))):
			}
		}
		var old []byte
		var rev uint64
		e, err := kv.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
		case err != nil:
			return fmt.Errorf("bus: stats: get %s: %w", key, err)
		default:
			old, rev = e.Value(), e.Revision()
		}
		val, err := merge(old)
		if err != nil {
			return fmt.Errorf("bus: stats: %s: %w", key, err)
		}
		if rev == 0 {
			_, err = kv.Create(ctx, key, val)
		} else {
			_, err = kv.Update(ctx, key, val, rev)
		}
		if err == nil {
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			return fmt.Errorf("bus: stats: put %s: %w", key, err)
		}
	}
	return fmt.Errorf("bus: stats: %s changed under %d attempts in a row", key, statsAttempts)
}

// Stats returns every key and value of the stats bucket; none when no
// process has added any yet.
func (b *Bus) Stats(ctx context.Context) (map[string][]byte, error) {
	kv, err := b.statsKV(ctx)
	if err != nil {
		return nil, fmt.Errorf("bus: stats: %w", err)
	}
	out := map[string][]byte{}
	if kv == nil {
		return out, nil
	}
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("bus: stats: watch: %w", err)
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("bus: stats: %w", ctx.Err())
		case e, ok := <-w.Updates():
			if !ok {
				return nil, errors.New("bus: stats: the watch ended early")
			}
			if e == nil { // every value there at the start is in
				return out, nil
			}
			out[e.Key()] = e.Value()
		}
	}
}
