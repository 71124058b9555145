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

// publishAttempts is how many times a publish is tried when the server
// does not answer (timeout, no responders, e.g. during a reconnect).
const publishAttempts = 5

// PublishArticle publishes a on ArticleSubject(a.Source) and waits for the
// stream's ack. Its Nats-Msg-Id is a.ID + ":" + a.ContentHash, so a
// retried publish of the same content is stored once.
func (b *Bus) PublishArticle(ctx context.Context, a *newsflow.Article) error {
	if a.ID == "" || a.Source == "" {
		return fmt.Errorf("bus: publish article %q: id and source are required", a.URL)
	}
	data, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("bus: publish article %s: %w", a.ID, err)
	}
	msg := nats.NewMsg(b.names.ArticleSubject(a.Source))
	msg.Data = data
	msg.Header.Set(jetstream.MsgIDHeader, a.ID+":"+a.ContentHash)
	if _, err := b.publish(ctx, msg); err != nil {
		return fmt.Errorf("bus: publish article %s: %w", a.ID, err)
	}
	return nil
}

// Publish publishes data on subject (which must belong to one of the
// streams) and waits for the stream's ack. A non-empty msgID deduplicates
// it like PublishArticle and Enqueue do. It is meant for tools and tests
// that move messages by hand, such as replaying dead letters.
func (b *Bus) Publish(ctx context.Context, subject string, data []byte, msgID string) error {
	msg := nats.NewMsg(subject)
	msg.Data = data
	if msgID != "" {
		msg.Header.Set(jetstream.MsgIDHeader, msgID)
	}
	if _, err := b.publish(ctx, msg); err != nil {
		return fmt.Errorf("bus: publish on %s: %w", subject, err)
	}
	return nil
}

// Task is one fetch to do, queued on the frontier of its source.
type Task struct {
	Source string    `json:"source"`
	URL    string    `json:"url"`
	Via    string    `json:"via,omitempty"`
	Queued time.Time `json:"queued"`
	// Chain holds, for a task queued by a redirect, the URLs that
	// redirected to URL, first one first: the redirect limit applies to
	// the whole chain, and a loop is seen, however many tasks it spans.
	Chain []string `json:"chain,omitempty"`
}

// Enqueue puts a fetch task on FrontierSubject(t.Source). Its Nats-Msg-Id
// is the URL, so the same URL queued twice inside the frontier's duplicate
// window is one task.
func (b *Bus) Enqueue(ctx context.Context, t Task) error {
	if t.Source == "" || t.URL == "" {
		return fmt.Errorf("bus: enqueue %q: source and url are required", t.URL)
	}
	if t.Queued.IsZero() {
		t.Queued = time.Now().UTC()
	}
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("bus: enqueue %s: %w", t.URL, err)
	}
	msg := nats.NewMsg(b.names.FrontierSubject(t.Source))
	msg.Data = data
	msg.Header.Set(jetstream.MsgIDHeader, t.URL)
	if _, err := b.publish(ctx, msg); err != nil {
		return fmt.Errorf("bus: enqueue %s: %w", t.URL, err)
	}
	return nil
}

// DecodeTask decodes a fetch task taken from the frontier.
func DecodeTask(m *Message) (Task, error) {
	var t Task
	if err := json.Unmarshal(m.Data(), &t); err != nil {
		return Task{}, fmt.Errorf("bus: decode task: %w", err)
	}
	if t.URL == "" {
		return Task{}, errors.New("bus: decode task: no url")
	}
	return t, nil
}

// publish sends msg to its stream and waits for the ack, trying again with
// backoff while the server does not answer, until ctx ends.
func (b *Bus) publish(ctx context.Context, msg *nats.Msg) (*jetstream.PubAck, error) {
	wait := 100 * time.Millisecond
	var err error
	for attempt := 1; ; attempt++ {
		pctx, cancel := ctx, context.CancelFunc(func() {})
		if _, ok := ctx.Deadline(); !ok {
			pctx, cancel = context.WithTimeout(ctx, 5*time.Second)
		}
		var ack *jetstream.PubAck
		ack, err = b.js.PublishMsg(pctx, msg)
		cancel()
		if err == nil {
			return ack, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !Unavailable(err) || attempt >= publishAttempts {
			return nil, err
		}
		b.log.Warn("publish failed, retrying", "subject", msg.Subject, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// Unavailable reports whether err says that the NATS server did not answer
// (a timeout, no responders, a connection that is down or reconnecting,
// JetStream not ready after a restart): a failure of the bus that goes
// away by itself, not of the message.
func Unavailable(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, nats.ErrNoResponders) ||
		errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, jetstream.ErrJetStreamNotEnabled) ||
		errors.Is(err, jetstream.ErrServerShutdown) ||
		errors.Is(err, nats.ErrConnectionReconnecting) ||
		errors.Is(err, nats.ErrDisconnected)
}
