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

// openExternal opens a bus on the external server at 127.0.0.1:4222 in a
// namespace of its own, removed when the test ends, or skips the test.
func openExternal(t *testing.T) *Bus {
	t.Helper()
	return openExternalIn(t, externalNamespace(t), Options{})
}

// externalNamespace takes the external server for the test and returns a
// namespace of its own there, removed when the test ends.
func externalNamespace(t *testing.T) string {
	t.Helper()
	testutil.ExternalNATS(t)
	ns := testutil.Namespace(t)
	t.Cleanup(func() {
		if err := RemoveNamespace(context.Background(), externalURL, ns); err != nil {
			t.Errorf("remove test namespace: %v", err)
		}
	})
	return ns
}

// openExternalIn opens a bus on the external server in namespace ns.
func openExternalIn(t *testing.T, ns string, o Options) *Bus {
	t.Helper()
	o.URL, o.Namespace, o.Name = externalURL, ns, "newsflow-bus-test"
	if o.Logger == nil {
		o.Logger = testLogger()
	}
	b, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open external bus: %v", err)
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
