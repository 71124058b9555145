package bus

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamInfo is the state of one stream, for `newsflow status` and metrics.
type StreamInfo struct {
	Name      string `json:"name"`
	Messages  uint64 `json:"messages"`
	Bytes     uint64 `json:"bytes"`
	FirstSeq  uint64 `json:"first_seq"`
	LastSeq   uint64 `json:"last_seq"`
	Consumers int    `json:"consumers"`
	// Subjects counts messages per subject (per source or stage); nil for
	// the bucket.
	Subjects map[string]uint64 `json:"subjects,omitempty"`
}

// ConsumerInfo is the state of one consumer.
type ConsumerInfo struct {
	Stream string `json:"stream"`
	Name   string `json:"name"`
	Filter string `json:"filter,omitempty"`
	// Pending is how many messages are still to be delivered.
	Pending uint64 `json:"pending"`
	// AckPending is how many were delivered and not yet acked.
	AckPending int `json:"ack_pending"`
	// Redelivered is how many delivered messages are redeliveries.
	Redelivered int `json:"redelivered"`
	// Waiting is how many pull requests wait for messages.
	Waiting int `json:"waiting"`
	// Delivered and AckFloor are consumer sequence numbers.
	Delivered uint64 `json:"delivered"`
	AckFloor  uint64 `json:"ack_floor"`
}

// Streams returns the state of NEWS, FRONTIER, DEAD, the seen bucket and
// the state bucket.
func (b *Bus) Streams(ctx context.Context) ([]StreamInfo, error) {
	var out []StreamInfo
	for _, cfg := range b.streamConfigs() {
		s, err := b.js.Stream(ctx, cfg.Name)
		if err != nil {
			return nil, fmt.Errorf("bus: stream %s: %w", cfg.Name, err)
		}
		si, err := s.Info(ctx, jetstream.WithSubjectFilter(cfg.Subjects[0]))
		if err != nil {
			return nil, fmt.Errorf("bus: stream %s info: %w", cfg.Name, err)
		}
		out = append(out, streamInfo(cfg.Name, si))
	}
	for _, name := range []string{b.names.SeenStream(), b.names.StateStream()} {
		s, err := b.js.Stream(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("bus: stream %s: %w", name, err)
		}
		out = append(out, streamInfo(name, s.CachedInfo()))
	}
	return out, nil
}

func streamInfo(name string, si *jetstream.StreamInfo) StreamInfo {
	info := StreamInfo{
		Name:      name,
		Messages:  si.State.Msgs,
		Bytes:     si.State.Bytes,
		FirstSeq:  si.State.FirstSeq,
		LastSeq:   si.State.LastSeq,
		Consumers: si.State.Consumers,
	}
	if si.State.Subjects != nil {
		info.Subjects = make(map[string]uint64, len(si.State.Subjects))
		for k, v := range si.State.Subjects {
			info.Subjects[k] = v
		}
	}
	return info
}

// Consumers returns the state of every consumer on NEWS, FRONTIER and DEAD,
// durable ones and the ephemeral ones of running tails.
func (b *Bus) Consumers(ctx context.Context) ([]ConsumerInfo, error) {
	var out []ConsumerInfo
	for _, name := range []string{b.names.News, b.names.Frontier, b.names.Dead} {
		s, err := b.js.Stream(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("bus: stream %s: %w", name, err)
		}
		l := s.ListConsumers(ctx)
		for ci := range l.Info() {
			out = append(out, consumerInfo(ci))
		}
		if err := l.Err(); err != nil {
			return nil, fmt.Errorf("bus: list consumers of %s: %w", name, err)
		}
	}
	return out, nil
}

func consumerInfo(ci *jetstream.ConsumerInfo) ConsumerInfo {
	return ConsumerInfo{
		Stream:      ci.Stream,
		Name:        ci.Name,
		Filter:      ci.Config.FilterSubject,
		Pending:     ci.NumPending,
		AckPending:  ci.NumAckPending,
		Redelivered: ci.NumRedelivered,
		Waiting:     ci.NumWaiting,
		Delivered:   ci.Delivered.Consumer,
		AckFloor:    ci.AckFloor.Consumer,
	}
}

// Idle reports whether the named durable consumers (looked up on NEWS and
// FRONTIER; all consumers of both when no name is given) have nothing left
// to deliver and nothing awaiting an ack, that is whether the pipeline has
// drained. A named consumer that does not exist is an error.
func (b *Bus) Idle(ctx context.Context, names ...string) (bool, error) {
	all, err := b.Consumers(ctx)
	if err != nil {
		return false, err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	found := 0
	for _, ci := range all {
		if ci.Stream == b.names.Dead {
			continue
		}
		if len(names) > 0 && !want[ci.Name] {
			continue
		}
		found++
		if ci.Pending > 0 || ci.AckPending > 0 {
			return false, nil
		}
	}
	if len(names) > 0 && found < len(want) {
		return false, fmt.Errorf("bus: idle: %d of %d consumers not found", len(want)-found, len(want))
	}
	return true, nil
}

// Stranded returns how many FRONTIER tasks no consumer will deliver: those
// neither pending nor awaiting an ack at any consumer, as a server crash
// can leave behind (acknowledged, never removed), or those of a source no
// crawler runs any more. FRONTIER's maximum age removes them in the end.
// Tasks queued between the two reads it makes can show for a moment.
func (b *Bus) Stranded(ctx context.Context) (uint64, error) {
	s, err := b.js.Stream(ctx, b.names.Frontier)
	if err != nil {
		return 0, fmt.Errorf("bus: stream %s: %w", b.names.Frontier, err)
	}
	var held uint64
	l := s.ListConsumers(ctx)
	for ci := range l.Info() {
		held += ci.NumPending + uint64(ci.NumAckPending)
	}
	if err := l.Err(); err != nil {
		return 0, fmt.Errorf("bus: list consumers of %s: %w", b.names.Frontier, err)
	}
	si, err := s.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("bus: stream %s info: %w", b.names.Frontier, err)
	}
	if si.State.Msgs <= held {
		return 0, nil
	}
	return si.State.Msgs - held, nil
}
