package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
)

// syncBuffer is a bytes.Buffer safe for the consumer's goroutine and the
// test's.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The example follows the NEWS stream of an embedded newsflow bus: each
// article is printed once, and a second run with the same durable name
// prints only what came after the first.
func TestFollowPrintsEachArticleOnce(t *testing.T) {
	ctx := context.Background()
	b, err := bus.Open(ctx, bus.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	publish := func(title string) {
		a := &newsflow.Article{URL: "https://news.example/" + strings.ReplaceAll(title, " ", "-"), Title: title, Text: "Text of " + title + "."}
		a.Seal("example", time.Now())
		if err := b.PublishArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	run := func(wantLines int) string {
		t.Helper()
		var out syncBuffer
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- follow(rctx, &out, b.ClientURL(), "NEWS", "news.article.>", "my-app") }()
		deadline := time.After(30 * time.Second)
		for strings.Count(out.String(), "\n") < wantLines {
			select {
			case <-deadline:
				cancel()
				t.Fatalf("%d lines after 30s, want %d:\n%s", strings.Count(out.String(), "\n"), wantLines, out.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	publish("First story")
	publish("Second story")
	first := run(2)
	if !strings.Contains(first, "First story") || !strings.Contains(first, "Second story") {
		t.Errorf("first run printed:\n%s", first)
	}
	publish("Third story")
	second := run(1)
	if strings.Contains(second, "First story") || !strings.Contains(second, "Third story") {
		t.Errorf("second run printed, want only the third story:\n%s", second)
	}
}
