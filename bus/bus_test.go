package bus

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// busCases are the behaviours every server must show, run against the
// embedded server and the external one.
var busCases = []struct {
	name string
	run  func(t *testing.T, b *Bus)
}{
	{"PublishDeduplicates", testPublishDeduplicates},
	{"State", testState},
	{"EnqueueWorkQueue", testEnqueueWorkQueue},
	{"NakRedelivers", testNakRedelivers},
	{"DeadLetter", testDeadLetter},
	{"VisitRoundTrip", testVisitRoundTrip},
	{"StreamsAndConsumers", testStreamsAndConsumers},
	{"FetchTimeoutAndCancel", testFetchTimeoutAndCancel},
	{"TailAll", testTailAll},
	{"TailNew", testTailNew},
	{"TailSince", testTailSince},
}

func TestEmbeddedInProcess(t *testing.T) {
	for _, c := range busCases {
		t.Run(c.name, func(t *testing.T) {
			b := openEmbedded(t, t.TempDir(), "")
			defer b.Close()
			if !b.Embedded() || b.ClientURL() != "" {
				t.Fatalf("in-process bus: Embedded=%v ClientURL=%q", b.Embedded(), b.ClientURL())
			}
			c.run(t, b)
		})
	}
}

func TestExternal(t *testing.T) {
	for _, c := range busCases {
		t.Run(c.name, func(t *testing.T) {
			b := openExternal(t)
			defer b.Close()
			if b.Embedded() || b.ClientURL() != externalURL {
				t.Fatalf("external bus: Embedded=%v ClientURL=%q", b.Embedded(), b.ClientURL())
			}
			c.run(t, b)
		})
	}
}

func TestEmbeddedListen(t *testing.T) {
	b := openEmbedded(t, t.TempDir(), "127.0.0.1:0")
	defer b.Close()
	url := b.ClientURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("ClientURL = %q, want nats://127.0.0.1:<port>", url)
	}
	// A second process reaches the embedded server over TCP and shares
	// its streams.
	other, err := Open(context.Background(), Options{URL: url, Logger: testLogger()})
	must(t, err, "open second client")
	defer other.Close()
	must(t, other.PublishArticle(context.Background(), article("s", "https://e.com/1", "one")), "publish")
	if got := streamOf(t, b, b.names.News).Messages; got != 1 {
		t.Fatalf("NEWS messages seen by the first client = %d, want 1", got)
	}
	testPublishDeduplicates(t, b)
}

func TestVisitSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	b := openEmbedded(t, dir, "")
	v := Visit{URL: "https://e.com/a", FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ContentHash: "h", ETag: `"x"`, Status: "stored"}
	must(t, b.PutVisit(ctx, "https://e.com/a", v), "put visit")
	must(t, b.PublishArticle(ctx, article("s", "https://e.com/a", "text")), "publish")
	must(t, b.Close(), "close")

	b = openEmbedded(t, dir, "")
	defer b.Close()
	got, ok, err := b.GetVisit(ctx, "https://e.com/a")
	must(t, err, "get visit")
	if !ok || got != v {
		t.Fatalf("visit after restart = %+v, %v; want %+v", got, ok, v)
	}
	if n := streamOf(t, b, b.names.News).Messages; n != 1 {
		t.Fatalf("NEWS messages after restart = %d, want 1", n)
	}
}

func TestSubjects(t *testing.T) {
	n := NamesOf("")
	if n.ArticleSubject("bbc") != "news.article.bbc" || n.FrontierSubject("bbc") != "news.frontier.bbc" || n.DeadSubject("store") != "news.dead.store" {
		t.Fatal("subjects of the default namespace do not follow news.<kind>.<name>")
	}
	if n.News != "NEWS" || n.Frontier != "FRONTIER" || n.Dead != "DEAD" || n.SeenStream() != "KV_newsflow_seen" || n.StateStream() != "OBJ_newsflow_state" {
		t.Fatalf("default namespace renamed something: %+v", n)
	}
	n = NamesOf("team-a")
	if n.ArticleSubject("bbc") != "team-a.article.bbc" || n.DeadSubject("store") != "team-a.dead.store" ||
		n.News != "TEAM-A_NEWS" || n.Frontier != "TEAM-A_FRONTIER" || n.SeenStream() != "KV_team-a_seen" || n.StateStream() != "OBJ_team-a_state" {
		t.Fatalf("namespace team-a: %+v", n)
	}
	for _, bad := range []string{"", "A", "a.b", "a b", "a>", "1a", strings.Repeat("a", 33)} {
		if CheckNamespace(bad) == nil {
			t.Errorf("namespace %q accepted", bad)
		}
	}
}

func testPublishDeduplicates(t *testing.T, b *Bus) {
	ctx := context.Background()
	a := article("dedupe", "https://e.com/d", "first text")
	must(t, b.PublishArticle(ctx, a), "publish")
	must(t, b.PublishArticle(ctx, a), "publish again")
	if n := streamOf(t, b, b.names.News).Subjects[b.names.ArticleSubject("dedupe")]; n != 1 {
		t.Fatalf("after two publishes of one article: %d messages, want 1", n)
	}
	changed := article("dedupe", "https://e.com/d", "second text")
	must(t, b.PublishArticle(ctx, changed), "publish changed")
	if n := streamOf(t, b, b.names.News).Subjects[b.names.ArticleSubject("dedupe")]; n != 2 {
		t.Fatalf("after a changed article: %d messages, want 2", n)
	}
	if err := b.PublishArticle(ctx, &newsflow.Article{URL: "x"}); err == nil {
		t.Fatal("publish of an article with no id: no error")
	}
}

func testEnqueueWorkQueue(t *testing.T, b *Bus) {
	ctx := context.Background()
	task := Task{Source: "wq", URL: "https://e.com/page", Via: "https://e.com/feed"}
	must(t, b.Enqueue(ctx, task), "enqueue")
	must(t, b.Enqueue(ctx, task), "enqueue again")
	must(t, b.Enqueue(ctx, Task{Source: "other", URL: "https://o.com/x"}), "enqueue other")
	if n := streamOf(t, b, b.names.Frontier).Subjects[b.names.FrontierSubject("wq")]; n != 1 {
		t.Fatalf("same URL queued twice: %d tasks, want 1", n)
	}
	c, err := b.FetchConsumer(ctx, "wq")
	must(t, err, "fetch consumer")
	c2, err := b.FetchConsumer(ctx, "other")
	must(t, err, "second fetch consumer on the work queue")
	ms := fetchN(t, c, 1)
	got, err := DecodeTask(ms[0])
	must(t, err, "decode task")
	if got.URL != task.URL || got.Via != task.Via || got.Source != "wq" || got.Queued.IsZero() {
		t.Fatalf("task = %+v", got)
	}
	must(t, ms[0].Ack(ctx), "ack")
	fs := streamOf(t, b, b.names.Frontier)
	if fs.Subjects[b.names.FrontierSubject("wq")] != 0 || fs.Messages != 1 {
		t.Fatalf("after ack: frontier %+v, want the wq task gone and the other kept", fs)
	}
	more, err := c.Fetch(ctx, 1, 200*time.Millisecond)
	if err != nil || len(more) != 0 {
		t.Fatalf("fetch after ack = %d messages, %v; want none", len(more), err)
	}
	other := fetchN(t, c2, 1)
	must(t, other[0].Ack(ctx), "ack other")
}

func testNakRedelivers(t *testing.T, b *Bus) {
	ctx := context.Background()
	c, err := b.StoreConsumer(ctx)
	must(t, err, "store consumer")
	a := article("nak", "https://e.com/n", "text")
	must(t, b.PublishArticle(ctx, a), "publish")
	m := fetchN(t, c, 1)[0]
	if m.Deliveries() != 1 {
		t.Fatalf("first delivery count = %d", m.Deliveries())
	}
	must(t, m.InProgress(), "in progress")
	must(t, m.Nak(0), "nak")
	m2 := fetchN(t, c, 1)[0]
	if string(m2.Data()) != string(m.Data()) || m2.Deliveries() != 2 || m2.Subject() != b.names.ArticleSubject("nak") {
		t.Fatalf("redelivery: deliveries %d subject %s", m2.Deliveries(), m2.Subject())
	}
	must(t, m2.Nak(50*time.Millisecond), "nak with delay")
	m3 := fetchN(t, c, 1)[0]
	if m3.Deliveries() != 3 {
		t.Fatalf("third delivery count = %d", m3.Deliveries())
	}
	must(t, m3.Ack(ctx), "ack")
	eventually(t, "store consumer idle", func() (bool, error) { return b.Idle(ctx, "store") })
}

func testDeadLetter(t *testing.T, b *Bus) {
	ctx := context.Background()
	c, err := b.StoreConsumer(ctx)
	must(t, err, "store consumer")
	a := article("dl", "https://e.com/dl", "text")
	must(t, b.PublishArticle(ctx, a), "publish")
	m := fetchN(t, c, 1)[0]
	must(t, m.DeadLetter(ctx, "store", "bad json:\nunexpected end"), "dead-letter")
	more, err := c.Fetch(ctx, 1, 300*time.Millisecond)
	if err != nil || len(more) != 0 {
		t.Fatalf("fetch after dead-letter = %d messages, %v; want none", len(more), err)
	}
	eventually(t, "store consumer idle", func() (bool, error) { return b.Idle(ctx, "store") })

	dc, err := b.Consumer(ctx, ConsumerConfig{Durable: "dead-reader", Stream: b.names.Dead, FilterSubject: b.names.DeadSubject("store")})
	must(t, err, "dead consumer")
	d := fetchN(t, dc, 1)[0]
	if d.Subject() != b.names.DeadSubject("store") || string(d.Data()) != string(m.Data()) {
		t.Fatalf("dead letter on %s with %d bytes", d.Subject(), len(d.Data()))
	}
	for h, want := range map[string]string{
		HeaderReason: "bad json: unexpected end", HeaderStage: "store",
		HeaderSubject: b.names.ArticleSubject("dl"), HeaderDeliveries: "1",
	} {
		if got := d.Header(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	must(t, d.Ack(ctx), "ack dead letter")
}

func testVisitRoundTrip(t *testing.T, b *Bus) {
	ctx := context.Background()
	_, ok, err := b.GetVisit(ctx, "https://e.com/none")
	if err != nil || ok {
		t.Fatalf("missing visit: ok=%v err=%v", ok, err)
	}
	v := Visit{URL: "https://e.com/v", FetchedAt: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC), LastModified: "Mon, 02 Jan 2006 15:04:05 GMT", Status: "skipped:robots"}
	must(t, b.PutVisit(ctx, "https://e.com/v", v), "put")
	got, ok, err := b.GetVisit(ctx, "https://e.com/v")
	if err != nil || !ok || got != v {
		t.Fatalf("visit = %+v %v %v; want %+v", got, ok, err, v)
	}
	v.Status = "stored"
	must(t, b.PutVisit(ctx, "https://e.com/v", v), "put again")
	got, _, _ = b.GetVisit(ctx, "https://e.com/v")
	if got.Status != "stored" {
		t.Fatalf("visit not updated: %+v", got)
	}
}

func testStreamsAndConsumers(t *testing.T, b *Bus) {
	ctx := context.Background()
	c, err := b.StoreConsumer(ctx)
	must(t, err, "store consumer")
	for i, src := range []string{"a", "a", "b"} {
		must(t, b.PublishArticle(ctx, article(src, "https://e.com/"+string(rune('x'+i)), "t")), "publish")
	}
	news := streamOf(t, b, b.names.News)
	if news.Messages != 3 || news.Subjects[b.names.ArticleSubject("a")] != 2 || news.Subjects[b.names.ArticleSubject("b")] != 1 || news.Consumers != 1 || news.LastSeq != 3 {
		t.Fatalf("NEWS = %+v", news)
	}
	ms := fetchN(t, c, 2)
	infos, err := b.Consumers(ctx)
	must(t, err, "consumers")
	var store *ConsumerInfo
	for i := range infos {
		if infos[i].Name == "store" {
			store = &infos[i]
		}
	}
	if store == nil || store.Stream != b.names.News || store.Filter != b.names.ArticleSubject(">") || store.Pending != 1 || store.AckPending != 2 || store.Delivered != 2 {
		t.Fatalf("store consumer = %+v", store)
	}
	if idle, err := b.Idle(ctx, "store"); idle || err != nil {
		t.Fatalf("Idle with work left = %v, %v", idle, err)
	}
	for _, m := range append(ms, fetchN(t, c, 1)...) {
		must(t, m.Ack(ctx), "ack")
	}
	ci, err := c.Info(ctx)
	must(t, err, "info")
	if ci.Pending != 0 || ci.AckPending != 0 || ci.AckFloor != 3 {
		t.Fatalf("after acks: %+v", ci)
	}
	if idle, err := b.Idle(ctx, "store"); !idle || err != nil {
		t.Fatalf("Idle after acks = %v, %v", idle, err)
	}
	if _, err := b.Idle(ctx, "no-such-consumer"); err == nil {
		t.Fatal("Idle of an unknown consumer: no error")
	}
}

func testFetchTimeoutAndCancel(t *testing.T, b *Bus) {
	c, err := b.StoreConsumer(context.Background())
	must(t, err, "store consumer")
	ms, err := c.Fetch(context.Background(), 10, 200*time.Millisecond)
	if ms != nil || err != nil {
		t.Fatalf("empty fetch = %v, %v; want nil, nil", ms, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Fetch(ctx, 10, time.Minute)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled fetch = %v, want context.Canceled", err)
	}
}

func testTailAll(t *testing.T, b *Bus) {
	ctx := context.Background()
	must(t, b.PublishArticle(ctx, article("t1", "https://e.com/1", "one")), "publish")
	must(t, b.PublishArticle(ctx, article("t2", "https://e.com/2", "two")), "publish")
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var got []string
	err := b.Tail(tctx, "t1", time.Time{}, true, func(a *newsflow.Article) error {
		got = append(got, a.URL)
		cancel()
		return nil
	})
	if err != nil || len(got) != 1 || got[0] != "https://e.com/1" {
		t.Fatalf("tail of t1 from the start = %v, %v", got, err)
	}
}

func testTailNew(t *testing.T, b *Bus) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	must(t, b.PublishArticle(ctx, article("old", "https://e.com/old", "old")), "publish")
	var (
		mu  sync.Mutex
		got []string
	)
	done := make(chan error, 1)
	go func() {
		done <- b.Tail(ctx, "", time.Time{}, false, func(a *newsflow.Article) error {
			mu.Lock()
			got = append(got, a.Source)
			mu.Unlock()
			cancel()
			return nil
		})
	}()
	// The tail starts at new articles; publish new ones until it sees one.
	for i := 0; ctx.Err() == nil; i++ {
		_ = b.PublishArticle(context.Background(), article("new", "https://e.com/new", strings.Repeat("x", i+1)))
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("tail: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) == 0 || got[0] != "new" {
		t.Fatalf("tail of new articles got sources %v, want new first", got)
	}
}

func testTailSince(t *testing.T, b *Bus) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	must(t, b.PublishArticle(ctx, article("since", "https://e.com/before", "before")), "publish")
	since := time.Now()
	for !time.Now().After(since.Add(time.Millisecond)) {
		time.Sleep(time.Millisecond)
	}
	must(t, b.PublishArticle(ctx, article("since", "https://e.com/after", "after")), "publish")
	var got []string
	err := b.Tail(ctx, "since", since, false, func(a *newsflow.Article) error {
		got = append(got, a.URL)
		cancel()
		return nil
	})
	if err != nil || len(got) != 1 || got[0] != "https://e.com/after" {
		t.Fatalf("tail since = %v, %v; want the article published after", got, err)
	}
	// An error from fn ends the tail with that error.
	stop := errors.New("stop")
	err = b.Tail(context.Background(), "since", time.Time{}, true, func(*newsflow.Article) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("tail with a failing fn = %v, want stop", err)
	}
}

// MaxAge bounds how long NEWS and DEAD keep messages; FRONTIER, a work
// queue, keeps a task until it is taken or DefaultFrontierMaxAge has passed.
func TestStreamMaxAge(t *testing.T) {
	b, err := Open(context.Background(), Options{DataDir: t.TempDir(), MaxAge: 48 * time.Hour, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for name, want := range map[string]time.Duration{b.names.News: 48 * time.Hour, b.names.Dead: 48 * time.Hour, b.names.Frontier: DefaultFrontierMaxAge} {
		s, err := b.js.Stream(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.CachedInfo().Config.MaxAge; got != want {
			t.Errorf("%s max age %s, want %s", name, got, want)
		}
	}
}

// SeenMaxAge sets how long the seen bucket keeps a visit: reopening with a
// new age updates the bucket, on the embedded and the external server, and
// a visit not written again within the age is forgotten.
func TestSeenMaxAge(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, open func(Options) *Bus) {
		b := open(Options{SeenMaxAge: 90 * 24 * time.Hour})
		if got := seenMaxAge(t, b); got != 90*24*time.Hour {
			t.Errorf("seen bucket max age %s, want 2160h", got)
		}
		must(t, b.Close(), "close")

		b = open(Options{SeenMaxAge: time.Second})
		defer b.Close()
		if got := seenMaxAge(t, b); got != time.Second {
			t.Fatalf("seen bucket max age after reopening %s, want 1s", got)
		}
		must(t, b.PutVisit(ctx, "https://e.com/old", Visit{Status: "stored"}), "put visit")
		if _, ok, err := b.GetVisit(ctx, "https://e.com/old"); err != nil || !ok {
			t.Fatalf("fresh visit = %v, %v; want it found", ok, err)
		}
		eventually(t, "visit ages out", func() (bool, error) {
			_, ok, err := b.GetVisit(ctx, "https://e.com/old")
			return !ok, err
		})
	}
	t.Run("embedded", func(t *testing.T) {
		dir := t.TempDir()
		check(t, func(o Options) *Bus {
			o.DataDir, o.Logger = dir, testLogger()
			b, err := Open(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			return b
		})
	})
	t.Run("external", func(t *testing.T) {
		ns := externalNamespace(t)
		check(t, func(o Options) *Bus { return openExternalIn(t, ns, o) })
	})
}

// seenMaxAge reads the max age of the seen bucket's stream from the server.
func seenMaxAge(t *testing.T, b *Bus) time.Duration {
	t.Helper()
	s, err := b.js.Stream(context.Background(), b.names.SeenStream())
	if err != nil {
		t.Fatalf("seen bucket stream: %v", err)
	}
	return s.CachedInfo().Config.MaxAge
}

// testState saves, replaces and reads back a piece of crawler state larger
// than one NATS message, and reads a name never saved as absent.
func testState(t *testing.T, b *Bus) {
	ctx := context.Background()
	if _, ok, err := b.GetState(ctx, "sites/none"); err != nil || ok {
		t.Fatalf("state never saved = %v, %v; want absent", ok, err)
	}
	big := bytes.Repeat([]byte("template memory "), 200_000) // 3.2 MB
	must(t, b.PutState(ctx, "sites/a", []byte("first")), "put state")
	must(t, b.PutState(ctx, "sites/a", big), "replace state")
	got, ok, err := b.GetState(ctx, "sites/a")
	if err != nil || !ok || !bytes.Equal(got, big) {
		t.Fatalf("state = %d bytes, %v, %v; want the %d bytes saved last", len(got), ok, err, len(big))
	}
}

// TestFrontierMaxAge: a task that no consumer takes ages out of FRONTIER,
// as tasks a server crash left behind, acknowledged but never removed, do.
func TestFrontierMaxAge(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Options{DataDir: t.TempDir(), FrontierMaxAge: time.Second, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	must(t, b.Enqueue(ctx, Task{Source: "s", URL: "https://e.com/left-behind"}), "enqueue")
	s, err := b.js.Stream(ctx, b.names.Frontier)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().Config.MaxAge; got != time.Second {
		t.Fatalf("FRONTIER max age %s, want 1s", got)
	}
	eventually(t, "the task ages out", func() (bool, error) {
		info, err := s.Info(ctx)
		if err != nil {
			return false, err
		}
		return info.State.Msgs == 0, nil
	})
}

// TestStranded: a task that no consumer holds is stranded; once a consumer
// of its source exists it is pending there, and no longer stranded.
func TestStranded(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Options{DataDir: t.TempDir(), Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	must(t, b.Enqueue(ctx, Task{Source: "gone", URL: "https://e.com/a"}), "enqueue")
	must(t, b.Enqueue(ctx, Task{Source: "live", URL: "https://e.com/b"}), "enqueue")
	if n, err := b.Stranded(ctx); err != nil || n != 2 {
		t.Fatalf("stranded = %d, %v; want 2 before any consumer", n, err)
	}
	if _, err := b.FetchConsumer(ctx, "live"); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Stranded(ctx); err != nil || n != 1 {
		t.Errorf("stranded = %d, %v; want 1, the task of the source no crawler runs", n, err)
	}
}
