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

// Tail follows articles the way a subscriber sees them: an ordered
// ephemeral consumer on ArticleSubject(source) (every source when source is
// "" or ">"), starting with new articles, or at the first article when all
// is true, or at since when it is set. It calls fn for each article until
// ctx ends (then it returns nil) or fn returns an error. Messages that are
// not articles are skipped.
func (b *Bus) Tail(ctx context.Context, source string, since time.Time, all bool, fn func(*newsflow.Article) error) error {
	if source == "" {
		source = ">"
	}
	cfg := jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{b.names.ArticleSubject(source)},
		DeliverPolicy:  jetstream.DeliverNewPolicy,
	}
	switch {
	case all:
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
	case !since.IsZero():
		cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		cfg.OptStartTime = &since
	}
	c, err := b.js.OrderedConsumer(ctx, b.names.News, cfg)
	if err != nil {
		return fmt.Errorf("bus: tail %s: %w", source, err)
	}
	it, err := c.Messages()
	if err != nil {
		return fmt.Errorf("bus: tail %s: %w", source, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return nil
			}
			return fmt.Errorf("bus: tail %s: %w", source, err)
		}
		var a newsflow.Article
		if err := json.Unmarshal(m.Data(), &a); err != nil || a.ID == "" {
			b.log.Warn("tail: skipping a message that is not an article", "subject", m.Subject())
			continue
		}
		if err := fn(&a); err != nil {
			return err
		}
	}
}
