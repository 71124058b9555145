package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/nats-io/nats.go/jetstream"
)

// streamConfigs returns the configuration of the three streams.
func (b *Bus) streamConfigs() []jetstream.StreamConfig {
	return []jetstream.StreamConfig{
		{
			Name:        b.names.News,
			Description: "newsflow articles, one subject per source",
			Subjects:    []string{b.names.ArticleSubject(">")},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      b.opts.MaxAge,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardOld,
			Duplicates:  b.opts.DuplicateWindow,
			Replicas:    b.opts.Replicas,
			Metadata:    map[string]string{metaNamespace: b.names.Namespace},
		},
		{
			Name:        b.names.Frontier,
			Description: "newsflow fetch tasks, one subject per source",
			Subjects:    []string{b.names.FrontierSubject(">")},
			Retention:   jetstream.WorkQueuePolicy,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardOld,
			Duplicates:  b.opts.FrontierDuplicateWindow,
			MaxAge:      b.opts.FrontierMaxAge,
			Replicas:    b.opts.Replicas,
			Metadata:    map[string]string{metaNamespace: b.names.Namespace},
		},
		{
			Name:        b.names.Dead,
			Description: "newsflow messages that failed past their redelivery limit",
			Subjects:    []string{b.names.DeadSubject(">")},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      b.opts.MaxAge,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardOld,
			Duplicates:  b.opts.DuplicateWindow,
			Replicas:    b.opts.Replicas,
			Metadata:    map[string]string{metaNamespace: b.names.Namespace},
		},
	}
}

// setup creates the streams and the buckets, or updates those newsflow
// made when their settings changed. A stream of one of those names that
// newsflow did not make is an error, and so is a change of settings that
// the server cannot make in place.
func (b *Bus) setup(ctx context.Context) error {
	if b.opts.ReadOnly {
		return b.lookup(ctx)
	}
	for _, cfg := range b.streamConfigs() {
		if err := b.ensureStream(ctx, cfg); err != nil {
			return err
		}
	}
	if err := b.checkBucket(ctx, b.names.SeenStream()); err != nil {
		return err
	}
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      b.names.Seen,
		Description: "newsflow: what was last seen at each canonical URL",
		History:     1,
		TTL:         b.opts.SeenMaxAge,
		Storage:     jetstream.FileStorage,
		Replicas:    b.opts.Replicas,
	})
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", b.names.Seen, err)
	}
	b.seen = kv
	if err := b.checkBucket(ctx, b.names.StateStream()); err != nil {
		return err
	}
	obs, err := b.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      b.names.State,
		Description: "newsflow: what crawlers learned and keep across restarts",
		Storage:     jetstream.FileStorage,
		Replicas:    b.opts.Replicas,
	})
	if err != nil {
		return fmt.Errorf("create object store %s: %w", b.names.State, err)
	}
	b.state = obs
	return nil
}

// ensureStream creates a stream, or updates it when newsflow made it and
// its settings differ.
func (b *Bus) ensureStream(ctx context.Context, cfg jetstream.StreamConfig) error {
	for attempt := 0; ; attempt++ {
		s, err := b.js.Stream(ctx, cfg.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			_, err = b.js.CreateStream(ctx, cfg)
			if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) && attempt == 0 {
				continue // another process made it meanwhile: check it
			}
			if err != nil {
				return fmt.Errorf("create stream %s: %w", cfg.Name, err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("stream %s: %w", cfg.Name, err)
		}
		have := s.CachedInfo().Config
		if !b.ours(have, cfg.Subjects) {
			return notOurs(cfg.Name, have)
		}
		if sameStream(have, cfg) {
			return nil
		}
		if _, err := b.js.UpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("stream %s: its settings differ from the configuration and the server cannot change them in place (%w): go back to the old settings, or remove the stream (nats stream rm %s; what it holds is lost) and start again",
				cfg.Name, err, cfg.Name)
		}
		b.log.Info("stream settings updated", "stream", cfg.Name)
		return nil
	}
}

// sameStream compares the settings newsflow sets.
func sameStream(have, want jetstream.StreamConfig) bool {
	return have.Description == want.Description && slices.Equal(have.Subjects, want.Subjects) &&
		have.Retention == want.Retention && have.MaxAge == want.MaxAge && have.Storage == want.Storage &&
		have.Discard == want.Discard && have.Duplicates == want.Duplicates && have.Replicas == want.Replicas
}

// checkBucket refuses a bucket's stream that newsflow did not make.
func (b *Bus) checkBucket(ctx context.Context, stream string) error {
	s, err := b.js.Stream(ctx, stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stream %s: %w", stream, err)
	}
	if have := s.CachedInfo().Config; !b.ours(have, nil) {
		return notOurs(stream, have)
	}
	return nil
}

// lookup finds the streams and buckets without changing them.
func (b *Bus) lookup(ctx context.Context) error {
	for _, cfg := range b.streamConfigs() {
		if _, err := b.js.Stream(ctx, cfg.Name); err != nil {
			return fmt.Errorf("stream %s: %w (has a newsflow pipeline run on this server and namespace?)", cfg.Name, err)
		}
	}
	kv, err := b.js.KeyValue(ctx, b.names.Seen)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", b.names.Seen, err)
	}
	b.seen = kv
	obs, err := b.js.ObjectStore(ctx, b.names.State)
	if err != nil {
		return fmt.Errorf("object store %s: %w", b.names.State, err)
	}
	b.state = obs
	return nil
}
