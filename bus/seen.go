package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsflow/newsflow"
)

// Visit is what the crawler last saw at a canonical URL, kept in the
// bucket newsflow_seen so that every crawler process shares it.
type Visit struct {
	URL          string    `json:"url"`
	FetchedAt    time.Time `json:"fetched_at"`
	ContentHash  string    `json:"content_hash,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	// Status is "stored", "not_article" or "skipped:<reason>".
	Status string `json:"status,omitempty"`
}

// GetVisit returns the visit recorded for canonicalURL; ok is false when
// there is none.
func (b *Bus) GetVisit(ctx context.Context, canonicalURL string) (Visit, bool, error) {
	e, err := b.seen.Get(ctx, newsflow.ArticleID(canonicalURL))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Visit{}, false, nil
	}
	if err != nil {
		return Visit{}, false, fmt.Errorf("bus: get visit %s: %w", canonicalURL, err)
	}
	var v Visit
	if err := json.Unmarshal(e.Value(), &v); err != nil {
		return Visit{}, false, fmt.Errorf("bus: decode visit %s: %w", canonicalURL, err)
	}
	return v, true, nil
}

// PutVisit records a visit to canonicalURL.
func (b *Bus) PutVisit(ctx context.Context, canonicalURL string, v Visit) error {
	if v.URL == "" {
		v.URL = canonicalURL
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bus: put visit %s: %w", canonicalURL, err)
	}
	if _, err := b.seen.Put(ctx, newsflow.ArticleID(canonicalURL), data); err != nil {
		return fmt.Errorf("bus: put visit %s: %w", canonicalURL, err)
	}
	return nil
}
