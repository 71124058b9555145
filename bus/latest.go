package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsflow/newsflow"
)

// ArticleBrief is what an overview shows of an article on NEWS.
type ArticleBrief struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Published time.Time `json:"published_at,omitzero"`
	Fetched   time.Time `json:"fetched_at,omitzero"`
	Words     int       `json:"word_count"`
}

// LatestArticles returns the last n articles published on NEWS, newest
// first, as every subscriber sees them, whichever process published them.
func (b *Bus) LatestArticles(ctx context.Context, n int) ([]ArticleBrief, error) {
	if n <= 0 {
		return nil, nil
	}
	s, err := b.js.Stream(ctx, b.names.News)
	if err != nil {
		return nil, fmt.Errorf("bus: stream %s: %w", b.names.News, err)
	}
	st := s.CachedInfo().State
	if st.Msgs == 0 {
		return nil, nil
	}
	start := st.FirstSeq
	if st.LastSeq >= uint64(n) && st.LastSeq-uint64(n)+1 > start {
		start = st.LastSeq - uint64(n) + 1
	}
	c, err := s.CreateConsumer(ctx, jetstream.ConsumerConfig{
		Description:       "newsflow latest articles",
		DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:       start,
		AckPolicy:         jetstream.AckNonePolicy,
		FilterSubject:     b.names.articlePrefix + ">",
		MemoryStorage:     true,
		InactiveThreshold: time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: latest articles: %w", err)
	}
	name := c.CachedInfo().Name
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = s.DeleteConsumer(dctx, name)
	}()
	want := int(min(c.CachedInfo().NumPending, uint64(n)))
	var out []ArticleBrief
	for len(out) < want {
		batch, err := c.Fetch(want-len(out), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return nil, fmt.Errorf("bus: latest articles: %w", err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			var a newsflow.Article
			if json.Unmarshal(m.Data(), &a) != nil || a.ID == "" {
				continue
			}
			out = append(out, ArticleBrief{ID: a.ID, Source: a.Source, Title: a.Title, URL: a.URL,
				Published: a.PublishedAt, Fetched: a.FetchedAt, Words: a.WordCount})
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return nil, fmt.Errorf("bus: latest articles: %w", err)
		}
		if got == 0 {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
