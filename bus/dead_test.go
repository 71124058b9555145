package bus

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestDeadLettersEmbedded(t *testing.T) {
	b := openEmbedded(t, t.TempDir(), "")
	defer b.Close()
	testDeadLetters(t, b)
}

func TestDeadLettersExternal(t *testing.T) {
	b := openExternal(t)
	defer b.Close()
	testDeadLetters(t, b)
}

// testDeadLetters dead-letters two fetch tasks of one source and an article
// of another, then lists, filters, counts, shows, retries and deletes them.
func testDeadLetters(t *testing.T, b *Bus) {
	ctx := context.Background()
	start := time.Now().Add(-time.Second)

	// Nothing to list on an empty DEAD stream, and no wait for it.
	n := 0
	must(t, b.DeadLetters(ctx, DeadFilter{}, false, func(DeadLetter) error { n++; return nil }), "list empty")
	if n != 0 {
		t.Fatalf("empty DEAD listed %d", n)
	}

	fc, err := b.FetchConsumer(ctx, "alpha")
	must(t, err, "fetch consumer")
	for _, u := range []string{"https://alpha.example/a", "https://alpha.example/b"} {
		must(t, b.Enqueue(ctx, Task{Source: "alpha", URL: u}), "enqueue %s", u)
	}
	tasks := fetchN(t, fc, 2)
	must(t, tasks[0].DeadLetter(ctx, "fetch", "http_500: GET https://alpha.example/a: 500 Internal Server Error"), "dead-letter a")
	must(t, tasks[1].DeadLetter(ctx, "fetch", "timeout: GET https://alpha.example/b: context deadline exceeded"), "dead-letter b")
	sc, err := b.StoreConsumer(ctx)
	must(t, err, "store consumer")
	art := article("beta", "https://beta.example/story", "text of the story")
	must(t, b.PublishArticle(ctx, art), "publish")
	must(t, fetchN(t, sc, 1)[0].DeadLetter(ctx, "store", "upsert: database is locked"), "dead-letter article")

	list := func(f DeadFilter) []DeadLetter {
		t.Helper()
		var out []DeadLetter
		must(t, b.DeadLetters(ctx, f, false, func(d DeadLetter) error { out = append(out, d); return nil }), "list %+v", f)
		return out
	}
	all := list(DeadFilter{})
	if len(all) != 3 {
		t.Fatalf("listed %d dead letters, want 3: %+v", len(all), all)
	}
	if d := all[0]; d.Source != "alpha" || d.Stage != "fetch" || d.Kind != "http_500" || d.Subject != b.Names().FrontierSubject("alpha") ||
		d.Deliveries != 1 || d.Time.Before(start) || d.Data != nil {
		t.Errorf("first dead letter: %+v", d)
	}
	if d := all[2]; d.Source != "beta" || d.Stage != "store" || d.Kind != "upsert" || d.Reason != "upsert: database is locked" {
		t.Errorf("third dead letter: %+v", d)
	}
	for _, c := range []struct {
		f    DeadFilter
		want int
	}{
		{DeadFilter{Source: "alpha"}, 2},
		{DeadFilter{Source: "beta"}, 1},
		{DeadFilter{Source: "gamma"}, 0},
		{DeadFilter{Stage: "store"}, 1},
		{DeadFilter{Stage: "fetch", Reason: "TIMEOUT"}, 1},
		{DeadFilter{Reason: "locked"}, 1},
		{DeadFilter{Since: start}, 3},
		{DeadFilter{Since: time.Now().Add(time.Hour)}, 0},
	} {
		if got := list(c.f); len(got) != c.want {
			t.Errorf("filter %+v: %d dead letters, want %d", c.f, len(got), c.want)
		}
	}

	counts, err := b.CountDeadLetters(ctx, 2)
	must(t, err, "count")
	if counts.Total != 3 || counts.BySource["alpha"] != 2 || counts.BySource["beta"] != 1 ||
		counts.ByStage["fetch"] != 2 || counts.ByKind["timeout"] != 1 || len(counts.Latest) != 2 || counts.Latest[0].Seq != all[2].Seq || counts.Latest[0].URL != art.URL {
		t.Errorf("counts: %+v", counts)
	}

	got, err := b.GetDeadLetter(ctx, all[2].Seq)
	must(t, err, "get")
	var back map[string]any
	if err := json.Unmarshal(got.Data, &back); err != nil || back["id"] != art.ID {
		t.Errorf("payload of the dead article: %s (%v)", got.Data, err)
	}
	if _, err := b.GetDeadLetter(ctx, 9999); !errors.Is(err, ErrNoDeadLetter) {
		t.Errorf("get a missing dead letter: %v", err)
	}

	// Retry the first task: back on the frontier, queued anew, gone from
	// DEAD; a second retry of the same id finds nothing.
	must(t, b.RetryDeadLetter(ctx, all[0]), "retry task")
	m := fetchN(t, fc, 1)[0]
	task, err := DecodeTask(m)
	must(t, err, "decode retried task")
	if task.URL != "https://alpha.example/a" || !task.Queued.After(start) {
		t.Errorf("retried task: %+v", task)
	}
	must(t, m.Ack(ctx), "ack retried task")
	if err := b.RetryDeadLetter(ctx, DeadLetter{Seq: all[0].Seq}); !errors.Is(err, ErrNoDeadLetter) {
		t.Errorf("second retry: %v, want ErrNoDeadLetter", err)
	}
	// Retry the article: the store consumer gets the same article again.
	must(t, b.RetryDeadLetter(ctx, all[2]), "retry article")
	m = fetchN(t, sc, 1)[0]
	if m.Subject() != b.Names().ArticleSubject("beta") || string(m.Data()) != string(got.Data) {
		t.Errorf("retried article on %s: %s", m.Subject(), m.Data())
	}
	must(t, m.Ack(ctx), "ack retried article")
	if left := list(DeadFilter{}); len(left) != 1 || left[0].Seq != all[1].Seq {
		t.Fatalf("after two retries DEAD holds %+v", left)
	}

	must(t, b.DeleteDeadLetter(ctx, all[1].Seq), "delete")
	if left := list(DeadFilter{}); len(left) != 0 {
		t.Errorf("after purge DEAD holds %d", len(left))
	}
	if err := b.DeleteDeadLetter(ctx, all[1].Seq); !errors.Is(err, ErrNoDeadLetter) {
		t.Errorf("delete twice: %v", err)
	}
}
