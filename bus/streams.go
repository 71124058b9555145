package bus

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Names of the streams and the bucket.
const (
	StreamNews     = "NEWS"
	StreamFrontier = "FRONTIER"
	StreamDead     = "DEAD"
	BucketSeen     = "newsflow_seen"
	BucketState    = "newsflow_state"
)

// Subject prefixes of the streams.
const (
	articlePrefix  = "news.article."
	frontierPrefix = "news.frontier."
	deadPrefix     = "news.dead."
)

// ArticleSubject is the subject articles of a source are published on.
func ArticleSubject(source string) string { return articlePrefix + source }

// FrontierSubject is the subject fetch tasks of a source are queued on.
func FrontierSubject(source string) string { return frontierPrefix + source }

// DeadSubject is the subject messages that failed at a stage end up on.
func DeadSubject(stage string) string { return deadPrefix + stage }

// streamConfigs returns the configuration of the three streams.
func (b *Bus) streamConfigs() []jetstream.StreamConfig {
	return []jetstream.StreamConfig{
		{
			Name:        StreamNews,
			Description: "newsflow articles, one subject per source",
			Subjects:    []string{articlePrefix + ">"},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      b.opts.MaxAge,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardOld,
			Duplicates:  b.opts.DuplicateWindow,
			Replicas:    b.opts.Replicas,
		},
		{
			Name:        StreamFrontier,
			Description: "newsflow fetch tasks, one subject per source",
			Subjects:    []string{frontierPrefix + ">"},
			Retention:   jetstream.WorkQueuePolicy,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardOld,
			Duplicates:  b.opts.FrontierDuplicateWindow,
			Replicas:    b.opts.Replicas,
		},
		{
			Name:        StreamDead,
			Description: "newsflow messages that failed past their redelivery limit",
			Subjects:    []string{deadPrefix + ">"},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      b.opts.MaxAge,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardOld,
			Duplicates:  b.opts.DuplicateWindow,
			Replicas:    b.opts.Replicas,
		},
	}
}

// setup creates or updates the streams and the bucket.
func (b *Bus) setup(ctx context.Context) error {
	if b.opts.ReadOnly {
		return b.lookup(ctx)
	}
	for _, cfg := range b.streamConfigs() {
		if _, err := b.js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("create stream %s: %w", cfg.Name, err)
		}
	}
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      BucketSeen,
		Description: "newsflow: what was last seen at each canonical URL",
		History:     1,
		TTL:         b.opts.SeenMaxAge,
		Storage:     jetstream.FileStorage,
		Replicas:    b.opts.Replicas,
	})
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", BucketSeen, err)
	}
	b.seen = kv
	obs, err := b.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      BucketState,
		Description: "newsflow: what crawlers learned and keep across restarts",
		Storage:     jetstream.FileStorage,
		Replicas:    b.opts.Replicas,
	})
	if err != nil {
		return fmt.Errorf("create object store %s: %w", BucketState, err)
	}
	b.state = obs
	return nil
}

// lookup finds the streams and buckets without changing them.
func (b *Bus) lookup(ctx context.Context) error {
	for _, cfg := range b.streamConfigs() {
		if _, err := b.js.Stream(ctx, cfg.Name); err != nil {
			return fmt.Errorf("stream %s: %w (has a newsflow pipeline run on this server and namespace?)", cfg.Name, err)
		}
	}
	kv, err := b.js.KeyValue(ctx, BucketSeen)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", BucketSeen, err)
	}
	b.seen = kv
	obs, err := b.js.ObjectStore(ctx, BucketState)
	if err != nil {
		return fmt.Errorf("object store %s: %w", BucketState, err)
	}
	b.state = obs
	return nil
}
