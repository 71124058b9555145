package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// BucketFingerprints is the key-value bucket of the near-duplicate index
// (package neardup) in the default namespace, shared by every crawler;
// another namespace's is "<namespace>_fingerprints".
const BucketFingerprints = "newsflow_fingerprints"

// fingerprintsBucket names the bucket of the bus's namespace, beside its
// seen bucket.
func (b *Bus) fingerprintsBucket() string { return b.names.fingerprints() }

// KV is a key-value bucket seen as the small store the near-duplicate index
// needs (Get, Put, Watch).
type KV struct {
	kv jetstream.KeyValue
}

// Fingerprints returns the bucket of text fingerprints, creating it on
// first use. Its entries age out like visits, after nats.seen_max_age.
func (b *Bus) Fingerprints(ctx context.Context) (*KV, error) {
	b.fpMu.Lock()
	defer b.fpMu.Unlock()
	if b.fp != nil {
		return b.fp, nil
	}
	if err := b.checkBucket(ctx, "KV_"+b.fingerprintsBucket()); err != nil {
		return nil, fmt.Errorf("bus: %w", err)
	}
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      b.fingerprintsBucket(),
		Description: "newsflow: text fingerprints of articles, to recognise near copies",
		History:     1,
		TTL:         b.opts.SeenMaxAge,
		Storage:     jetstream.FileStorage,
		Replicas:    b.opts.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: create bucket %s: %w", b.fingerprintsBucket(), err)
	}
	b.fp = &KV{kv: kv}
	return b.fp, nil
}

// Get returns the value under key; ok is false when there is none.
func (k *KV) Get(ctx context.Context, key string) ([]byte, bool, error) {
	e, err := k.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("bus: get %s: %w", key, err)
	}
	return e.Value(), true, nil
}

// Watch calls fn with every key and value of the bucket, then with every
// one put later, until ctx ends; loaded is closed once the values there at
// the start have been passed.
func (k *KV) Watch(ctx context.Context, fn func(key string, value []byte), loaded chan<- struct{}) error {
	w, err := k.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("bus: watch: %w", err)
	}
	defer w.Stop()
	isLoaded := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return nil
			}
			if e == nil { // the values there at the start are all in
				if !isLoaded {
					isLoaded = true
					close(loaded)
				}
				continue
			}
			if e.Operation() == jetstream.KeyValuePut {
				fn(e.Key(), e.Value())
			}
		}
	}
}

// Put stores value under key.
func (k *KV) Put(ctx context.Context, key string, value []byte) error {
	if _, err := k.kv.Put(ctx, key, value); err != nil {
		return fmt.Errorf("bus: put %s: %w", key, err)
	}
	return nil
}
