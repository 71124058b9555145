package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ConsumerConfig describes a durable pull consumer with explicit acks.
type ConsumerConfig struct {
	// Durable is the consumer's name; it survives restarts.
	Durable string
	// Stream is one of the streams of Bus.Names.
	Stream string
	// FilterSubject limits the consumer to one subject or wildcard.
	FilterSubject string
	// AckWait is how long a delivered message waits for an ack before it
	// is redelivered (default Options.AckWait). Message.KeepAlive holds a
	// message longer.
	AckWait time.Duration
	// MaxDeliver is the delivery count at which the handler of a message
	// that still fails dead-letters it (default 5). It is a policy of the
	// handler, not a server limit: a server that stops delivering at a
	// limit leaves the message stranded in the stream, unseen and
	// unreported, so the server is told to deliver without limit.
	MaxDeliver int
	// MaxAckPending bounds the messages delivered and not yet acked
	// (default 1000).
	MaxAckPending int
	// BackOff optionally spaces redeliveries after an ack timeout; it must
	// have fewer entries than MaxDeliver.
	BackOff []time.Duration
	// Description is shown by the server's tools.
	Description string
}

// Consumer is a durable pull consumer.
type Consumer struct {
	b   *Bus
	c   jetstream.Consumer
	cfg ConsumerConfig
}

// StoreConsumer returns the durable consumer "store" on NEWS, which reads
// every article.
func (b *Bus) StoreConsumer(ctx context.Context) (*Consumer, error) {
	return b.Consumer(ctx, ConsumerConfig{
		Durable:       "store",
		Stream:        b.names.News,
		FilterSubject: b.names.ArticleSubject(">"),
		Description:   "newsflow store worker",
	})
}

// FetchConsumer returns the durable consumer "fetch-<source>" on FRONTIER,
// which takes the fetch tasks of one source.
func (b *Bus) FetchConsumer(ctx context.Context, source string) (*Consumer, error) {
	return b.Consumer(ctx, ConsumerConfig{
		Durable:       "fetch-" + source,
		Stream:        b.names.Frontier,
		FilterSubject: b.names.FrontierSubject(source),
		Description:   "newsflow fetcher of " + source,
	})
}

// Consumer creates or updates a durable pull consumer; downstream
// subscribers use it with their own name on NEWS.
func (b *Bus) Consumer(ctx context.Context, cfg ConsumerConfig) (*Consumer, error) {
	if cfg.Durable == "" || cfg.Stream == "" {
		return nil, errors.New("bus: consumer: durable name and stream are required")
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = b.opts.AckWait
	}
	if cfg.MaxDeliver <= 0 {
		cfg.MaxDeliver = DefaultMaxDeliver
	}
	if cfg.MaxAckPending <= 0 {
		cfg.MaxAckPending = DefaultMaxAckPending
	}
	serverMax := -1
	if len(cfg.BackOff) > 0 {
		serverMax = max(cfg.MaxDeliver, len(cfg.BackOff)+1) + 1
	}
	c, err := b.js.CreateOrUpdateConsumer(ctx, cfg.Stream, jetstream.ConsumerConfig{
		Durable:       cfg.Durable,
		Description:   cfg.Description,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    serverMax,
		BackOff:       cfg.BackOff,
		FilterSubject: cfg.FilterSubject,
		MaxAckPending: cfg.MaxAckPending,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: consumer %s on %s: %w", cfg.Durable, cfg.Stream, err)
	}
	return &Consumer{b: b, c: c, cfg: cfg}, nil
}

// MaxDeliver is the delivery count at which a handler dead-letters a
// message that still fails.
func (c *Consumer) MaxDeliver() int { return c.cfg.MaxDeliver }

// Name is the consumer's durable name.
func (c *Consumer) Name() string { return c.cfg.Durable }

// Fetch waits up to maxWait for up to max messages. It returns (nil, nil)
// when nothing came in time, and ctx.Err() when ctx ends first (the
// messages already received are then handed back with Nak).
func (c *Consumer) Fetch(ctx context.Context, max int, maxWait time.Duration) ([]*Message, error) {
	if max <= 0 {
		max = 1
	}
	if maxWait < 100*time.Millisecond {
		maxWait = 100 * time.Millisecond
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	batch, err := c.c.Fetch(max, jetstream.FetchMaxWait(maxWait))
	if err != nil {
		return nil, fmt.Errorf("bus: fetch %s: %w", c.cfg.Durable, err)
	}
	var out []*Message
	msgs := batch.Messages()
	for {
		select {
		case <-ctx.Done():
			// The pull request stays open on the server until maxWait: a
			// plain Nak would be redelivered into it at once, again and
			// again. The delay hands the messages back after it expires.
			for _, m := range out {
				_ = m.m.NakWithDelay(maxWait)
			}
			go func() {
				for m := range msgs {
					_ = m.NakWithDelay(maxWait)
				}
			}()
			return nil, ctx.Err()
		case m, ok := <-msgs:
			if !ok {
				if err := batch.Error(); err != nil && len(out) == 0 {
					return nil, fmt.Errorf("bus: fetch %s: %w", c.cfg.Durable, err)
				}
				return out, nil
			}
			out = append(out, newMessage(c.b, m, c.cfg.AckWait))
		}
	}
}

// Info returns the consumer's current numbers.
func (c *Consumer) Info(ctx context.Context) (ConsumerInfo, error) {
	ci, err := c.c.Info(ctx)
	if err != nil {
		return ConsumerInfo{}, fmt.Errorf("bus: consumer %s info: %w", c.cfg.Durable, err)
	}
	return consumerInfo(ci), nil
}
