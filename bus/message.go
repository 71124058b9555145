package bus

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Headers set on dead-lettered messages.
const (
	HeaderReason     = "Newsflow-Reason"
	HeaderStage      = "Newsflow-Stage"
	HeaderSubject    = "Newsflow-Subject"
	HeaderDeliveries = "Newsflow-Deliveries"
)

// Message is one message delivered by a Consumer; it must be acked,
// nak'ed or dead-lettered.
type Message struct {
	b       *Bus
	m       jetstream.Msg
	ackWait time.Duration
}

func newMessage(b *Bus, m jetstream.Msg, ackWait time.Duration) *Message {
	return &Message{b: b, m: m, ackWait: ackWait}
}

// Data is the message's payload.
func (m *Message) Data() []byte { return m.m.Data() }

// Subject is the subject the message was published on.
func (m *Message) Subject() string { return m.m.Subject() }

// Header returns a header of the message.
func (m *Message) Header(key string) string { return m.m.Headers().Get(key) }

// Deliveries is how many times this message has been delivered, this time
// included.
func (m *Message) Deliveries() uint64 {
	md, err := m.m.Metadata()
	if err != nil {
		return 1
	}
	return md.NumDelivered
}

// Sequence is the message's sequence number in its stream.
func (m *Message) Sequence() uint64 {
	md, err := m.m.Metadata()
	if err != nil {
		return 0
	}
	return md.Sequence.Stream
}

// Ack acknowledges the message and waits for the server to confirm it, so
// that a nil error means the message will not be delivered again.
func (m *Message) Ack(ctx context.Context) error {
	if err := m.m.DoubleAck(ctx); err != nil {
		return fmt.Errorf("bus: ack %s: %w", m.Subject(), err)
	}
	return nil
}

// Nak hands the message back for redelivery after delay.
func (m *Message) Nak(delay time.Duration) error {
	var err error
	if delay > 0 {
		err = m.m.NakWithDelay(delay)
	} else {
		err = m.m.Nak()
	}
	if err != nil {
		return fmt.Errorf("bus: nak %s: %w", m.Subject(), err)
	}
	return nil
}

// InProgress tells the server the message is still being worked on,
// restarting its ack timer.
func (m *Message) InProgress() error {
	if err := m.m.InProgress(); err != nil {
		return fmt.Errorf("bus: in progress %s: %w", m.Subject(), err)
	}
	return nil
}

// KeepAlive tells the server, every third of the consumer's ack wait, that
// the message is still being worked on, until stop is called. Work that
// outlasts the ack wait (a slow page fetched with retries, a batch on a
// slow database) is then not delivered to a second worker meanwhile, and
// the ack wait can stay short: it is how long a message held by a crashed
// or cut-off process takes to come back.
func (m *Message) KeepAlive() (stop func()) {
	every := m.ackWait / 3
	if every <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := m.InProgress(); err != nil {
					m.b.log.Debug("keep-alive not sent", "subject", m.Subject(), "err", err)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// DeadLetter publishes the message, with its headers and the reason, to
// DeadSubject(stage), waits for the ack and then terminates the original.
// If the dead-letter publish fails the message is nak'ed instead, so that
// nothing is dropped, and the error is returned.
func (m *Message) DeadLetter(ctx context.Context, stage, reason string) error {
	dl := nats.NewMsg(m.b.names.DeadSubject(stage))
	dl.Data = m.m.Data()
	for k, vs := range m.m.Headers() {
		if k == jetstream.MsgIDHeader {
			continue
		}
		for _, v := range vs {
			dl.Header.Add(k, v)
		}
	}
	dl.Header.Set(HeaderReason, oneLine(reason))
	dl.Header.Set(HeaderStage, stage)
	dl.Header.Set(HeaderSubject, m.Subject())
	dl.Header.Set(HeaderDeliveries, strconv.FormatUint(m.Deliveries(), 10))
	if md, err := m.m.Metadata(); err == nil {
		// A retried dead-letter of the same message is stored once.
		dl.Header.Set(jetstream.MsgIDHeader, "dead:"+md.Stream+":"+strconv.FormatUint(md.Sequence.Stream, 10))
	}
	if _, err := m.b.publish(ctx, dl); err != nil {
		if nerr := m.m.Nak(); nerr != nil {
			m.b.log.Error("nak after failed dead-letter", "subject", m.Subject(), "err", nerr)
		}
		return fmt.Errorf("bus: dead-letter %s: %w", m.Subject(), err)
	}
	// Plain Term: servers before 2.10 do not understand a term reason.
	if err := m.m.Term(); err != nil {
		return fmt.Errorf("bus: terminate %s: %w", m.Subject(), err)
	}
	return nil
}

// oneLine makes s fit in a header value: one line, at most 1 KiB.
func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\r' || c == '\n' {
			b[i] = ' '
		}
	}
	if len(b) > 1024 {
		b = append(b[:1021], "..."...)
	}
	return string(b)
}
