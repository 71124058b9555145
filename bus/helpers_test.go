package bus

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/testutil"
)

const externalURL = "nats://127.0.0.1:4222"

func testLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// openEmbedded opens a bus on an in-process embedded server in dir.
func openEmbedded(t *testing.T, dir, listen string) *Bus {
	t.Helper()
	b, err := Open(context.Background(), Options{DataDir: dir, Listen: listen, Logger: testLogger()})
	if err != nil {
		t.Fatalf("open embedded bus: %v", err)
	}
	return b
}

// openExternal opens a bus on the external server at 127.0.0.1:4222 after
// deleting the pipeline's streams and bucket there, or skips the test.
func openExternal(t *testing.T) *Bus {
	t.Helper()
	testutil.ExternalNATS(t)
	ctx := context.Background()
	b, err := Open(ctx, Options{URL: externalURL, Logger: testLogger(), Name: "newsflow-bus-test"})
	if err != nil {
		t.Fatalf("open external bus: %v", err)
	}
	for _, s := range []string{StreamNews, StreamFrontier, StreamDead, "KV_" + BucketSeen, "OBJ_" + BucketState} {
		if err := b.js.DeleteStream(ctx, s); err != nil {
			t.Fatalf("reset external stream %s: %v", s, err)
		}
	}
	b.Close()
	b, err = Open(ctx, Options{URL: externalURL, Logger: testLogger(), Name: "newsflow-bus-test"})
	if err != nil {
		t.Fatalf("reopen external bus: %v", err)
	}
	return b
}

// article returns a sealed article of source with text.
func article(source, url, text string) *newsflow.Article {
	a := &newsflow.Article{URL: url, Title: "Title of " + url, Text: text}
	a.Seal(source, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	return a
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached before the deadline (last error: %v)", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// streamInfo returns the state of one stream.
func streamOf(t *testing.T, b *Bus, name string) StreamInfo {
	t.Helper()
	all, err := b.Streams(context.Background())
	if err != nil {
		t.Fatalf("streams: %v", err)
	}
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("stream %s not listed", name)
	return StreamInfo{}
}

// fetchN fetches until n messages came or the deadline passes.
func fetchN(t *testing.T, c *Consumer, n int) []*Message {
	t.Helper()
	var out []*Message
	deadline := time.Now().Add(20 * time.Second)
	for len(out) < n {
		if time.Now().After(deadline) {
			t.Fatalf("fetched %d of %d messages before the deadline", len(out), n)
		}
		ms, err := c.Fetch(context.Background(), n-len(out), 500*time.Millisecond)
		if err != nil {
			t.Fatalf("fetch: %v", err)
		}
		out = append(out, ms...)
	}
	return out
}

func must(t *testing.T, err error, what string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(what, args...), err)
	}
}
