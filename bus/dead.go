package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetter is one message of the DEAD stream: a fetch task or an article
// that failed past its redelivery limit, with why and where it came from.
type DeadLetter struct {
	// Seq is the message's sequence number in DEAD: its id for show,
	// retry and purge.
	Seq uint64 `json:"seq"`
	// Time is when it was dead-lettered.
	Time time.Time `json:"time"`
	// Stage is the stage that gave up on it ("fetch" or "store").
	Stage string `json:"stage"`
	// Source is the source the message belonged to, from its subject.
	Source string `json:"source,omitempty"`
	// Kind is the reason's bounded label ("http_500", "timeout", "bad
	// json", "upsert"), for counts and filters.
	Kind string `json:"kind"`
	// Reason is the whole reason header.
	Reason string `json:"reason"`
	// Subject is the subject the message was first published on, where a
	// retry sends it back.
	Subject string `json:"subject"`
	// Deliveries is how often it had been delivered when it was given up.
	Deliveries int `json:"deliveries"`
	// URL is the page of the task or article, when the payload was read.
	URL string `json:"url,omitempty"`
	// Header holds every header of the dead letter.
	Header map[string][]string `json:"header,omitempty"`
	// Data is the payload; empty when it was listed without payloads.
	Data []byte `json:"-"`
}

// DeadFilter selects dead letters; its zero value selects them all.
type DeadFilter struct {
	// Source keeps the dead letters of one source.
	Source string
	// Stage keeps those of one stage ("fetch" or "store").
	Stage string
	// Reason keeps those whose Kind is Reason or whose Reason contains
	// it, ignoring case.
	Reason string
	// Since keeps those dead-lettered at or after it.
	Since time.Time
}

// Empty reports whether f selects every dead letter.
func (f DeadFilter) Empty() bool {
	return f.Source == "" && f.Stage == "" && f.Reason == "" && f.Since.IsZero()
}

// Match reports whether f selects d.
func (f DeadFilter) Match(d DeadLetter) bool {
	if f.Source != "" && d.Source != f.Source {
		return false
	}
	if f.Stage != "" && d.Stage != f.Stage {
		return false
	}
	if f.Reason != "" && !strings.EqualFold(d.Kind, f.Reason) &&
		!strings.Contains(strings.ToLower(d.Reason), strings.ToLower(f.Reason)) {
		return false
	}
	if !f.Since.IsZero() && d.Time.Before(f.Since) {
		return false
	}
	return true
}

// ErrNoDeadLetter says that DEAD holds no message with the given id.
var ErrNoDeadLetter = errors.New("no such dead letter")

// deadFetchBatch is how many dead letters one pull brings when listing.
const deadFetchBatch = 256

// DeadLetters calls fn for each dead letter that f selects, oldest first,
// as DEAD holds them when the call starts. Payloads are read only when
// withData is set; listing and counting need the headers alone.
func (b *Bus) DeadLetters(ctx context.Context, f DeadFilter, withData bool, fn func(DeadLetter) error) error {
	filter := b.names.deadPrefix + ">"
	if f.Stage != "" {
		filter = b.names.DeadSubject(f.Stage)
	}
	cfg := jetstream.ConsumerConfig{
		Description:       "newsflow dead-letter listing",
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckNonePolicy,
		FilterSubject:     filter,
		HeadersOnly:       !withData,
		MemoryStorage:     true,
		InactiveThreshold: time.Minute,
	}
	if !f.Since.IsZero() {
		since := f.Since
		cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		cfg.OptStartTime = &since
	}
	c, err := b.js.CreateConsumer(ctx, b.names.Dead, cfg)
	if err != nil {
		return fmt.Errorf("bus: list dead letters: %w", err)
	}
	name := c.CachedInfo().Name
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = b.js.DeleteConsumer(dctx, b.names.Dead, name)
	}()
	left := c.CachedInfo().NumPending
	for left > 0 {
		batch, err := c.Fetch(int(min(left, deadFetchBatch)), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return fmt.Errorf("bus: list dead letters: %w", err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil {
				continue
			}
			left = md.NumPending
			var data []byte
			if withData {
				data = m.Data()
			}
			d := b.deadLetter(md.Sequence.Stream, md.Timestamp, m.Subject(), m.Headers(), data)
			if !f.Match(d) {
				continue
			}
			if err := fn(d); err != nil {
				return err
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return fmt.Errorf("bus: list dead letters: %w", err)
		}
		if got == 0 {
			// Purged while we read: what was pending is gone.
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// GetDeadLetter returns the dead letter with sequence seq, payload
// included.
func (b *Bus) GetDeadLetter(ctx context.Context, seq uint64) (DeadLetter, error) {
	s, err := b.js.Stream(ctx, b.names.Dead)
	if err != nil {
		return DeadLetter{}, fmt.Errorf("bus: stream %s: %w", b.names.Dead, err)
	}
	m, err := s.GetMsg(ctx, seq)
	if err != nil {
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return DeadLetter{}, fmt.Errorf("bus: dead letter %d: %w", seq, ErrNoDeadLetter)
		}
		return DeadLetter{}, fmt.Errorf("bus: dead letter %d: %w", seq, err)
	}
	return b.deadLetter(m.Sequence, m.Time, m.Subject, m.Header, m.Data), nil
}

// RetryDeadLetter sends a dead letter back where it came from, through the
// normal path, and then deletes it from DEAD: a fetch task goes back on its
// source's frontier, queued now, and an article back on NEWS for the store
// worker. The republished message's Nats-Msg-Id is derived from the dead
// letter's sequence, so a retry repeated after a failed delete (inside the
// streams' duplicate windows) is queued once. A message that fails again
// comes back to DEAD as a new dead letter.
func (b *Bus) RetryDeadLetter(ctx context.Context, d DeadLetter) error {
	if d.Data == nil {
		full, err := b.GetDeadLetter(ctx, d.Seq)
		if err != nil {
			return err
		}
		d = full
	}
	data := d.Data
	switch {
	case strings.HasPrefix(d.Subject, b.names.frontierPrefix):
		var t Task
		if err := json.Unmarshal(data, &t); err != nil || t.URL == "" {
			return fmt.Errorf("bus: retry dead letter %d: its payload is not a fetch task", d.Seq)
		}
		// Queued now, so that the fetcher does not take an old visit of
		// the URL for a fetch made since it was queued.
		t.Queued = time.Now().UTC()
		var err error
		if data, err = json.Marshal(t); err != nil {
			return fmt.Errorf("bus: retry dead letter %d: %w", d.Seq, err)
		}
	case strings.HasPrefix(d.Subject, b.names.articlePrefix):
	default:
		return fmt.Errorf("bus: retry dead letter %d: its subject %q is neither a frontier nor an article subject", d.Seq, d.Subject)
	}
	if err := b.Publish(ctx, d.Subject, data, "retry:"+b.names.Dead+":"+strconv.FormatUint(d.Seq, 10)); err != nil {
		return fmt.Errorf("bus: retry dead letter %d: %w", d.Seq, err)
	}
	if err := b.DeleteDeadLetter(ctx, d.Seq); err != nil && !errors.Is(err, ErrNoDeadLetter) {
		return fmt.Errorf("bus: retry dead letter %d: sent back, but not deleted: %w", d.Seq, err)
	}
	return nil
}

// DeleteDeadLetter removes the dead letter with sequence seq from DEAD.
func (b *Bus) DeleteDeadLetter(ctx context.Context, seq uint64) error {
	s, err := b.js.Stream(ctx, b.names.Dead)
	if err != nil {
		return fmt.Errorf("bus: stream %s: %w", b.names.Dead, err)
	}
	if err := s.DeleteMsg(ctx, seq); err != nil {
		if errors.Is(err, jetstream.ErrMsgNotFound) || strings.Contains(err.Error(), "no message found") {
			return fmt.Errorf("bus: delete dead letter %d: %w", seq, ErrNoDeadLetter)
		}
		return fmt.Errorf("bus: delete dead letter %d: %w", seq, err)
	}
	return nil
}

// DeadCounts tallies the dead letters held in DEAD.
type DeadCounts struct {
	Total    int            `json:"total"`
	BySource map[string]int `json:"by_source"`
	ByStage  map[string]int `json:"by_stage"`
	ByKind   map[string]int `json:"by_reason"`
	// Latest holds the most recent dead letters, newest first, without
	// payloads (at most the limit given to CountDeadLetters).
	Latest []DeadLetter `json:"latest,omitempty"`
}

// CountDeadLetters counts the dead letters by source, stage and reason,
// and keeps the latest ones, up to latest of them, with their URLs.
func (b *Bus) CountDeadLetters(ctx context.Context, latest int) (DeadCounts, error) {
	c := DeadCounts{BySource: map[string]int{}, ByStage: map[string]int{}, ByKind: map[string]int{}}
	err := b.DeadLetters(ctx, DeadFilter{}, false, func(d DeadLetter) error {
		c.Total++
		if d.Source != "" {
			c.BySource[d.Source]++
		}
		c.ByStage[d.Stage]++
		c.ByKind[d.Kind]++
		if latest > 0 {
			d.Header = nil
			c.Latest = append(c.Latest, d)
			if len(c.Latest) > 2*latest {
				c.Latest = append(c.Latest[:0], c.Latest[len(c.Latest)-latest:]...)
			}
		}
		return nil
	})
	if len(c.Latest) > latest {
		c.Latest = c.Latest[len(c.Latest)-latest:]
	}
	for i, j := 0, len(c.Latest)-1; i < j; i, j = i+1, j-1 {
		c.Latest[i], c.Latest[j] = c.Latest[j], c.Latest[i]
	}
	// The URL is in the payload, which the count did not read.
	for i, d := range c.Latest {
		if full, gerr := b.GetDeadLetter(ctx, d.Seq); gerr == nil {
			c.Latest[i].URL = full.URL
		}
	}
	return c, err
}

// deadLetter reads a DEAD message's headers.
func (b *Bus) deadLetter(seq uint64, t time.Time, subject string, h nats.Header, data []byte) DeadLetter {
	d := DeadLetter{
		Seq:     seq,
		Time:    t.UTC(),
		Stage:   h.Get(HeaderStage),
		Reason:  h.Get(HeaderReason),
		Subject: h.Get(HeaderSubject),
		Data:    data,
	}
	if d.Stage == "" {
		d.Stage = strings.TrimPrefix(subject, b.names.deadPrefix)
	}
	d.Deliveries, _ = strconv.Atoi(h.Get(HeaderDeliveries))
	for _, p := range []string{b.names.frontierPrefix, b.names.articlePrefix} {
		if s, ok := strings.CutPrefix(d.Subject, p); ok {
			d.Source = s
		}
	}
	d.Kind = ReasonKind(d.Reason)
	if len(data) > 0 {
		var p struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(data, &p) == nil {
			d.URL = p.URL
		}
	}
	if len(h) > 0 {
		d.Header = make(map[string][]string, len(h))
		for k, v := range h {
			d.Header[k] = v
		}
	}
	return d
}

// ReasonKind is the bounded label of a dead-letter reason: the words
// before its first colon ("http_500: GET ...: 500" is "http_500"), or its
// first 40 bytes when it has none.
func ReasonKind(reason string) string {
	k := reason
	if i := strings.Index(k, ":"); i > 0 {
		k = k[:i]
	}
	k = strings.TrimSpace(k)
	if len(k) > 40 {
		k = strings.TrimSpace(k[:40])
	}
	if k == "" {
		return "unknown"
	}
	return k
}
