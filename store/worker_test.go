package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/sqlite"
)

func TestWorkerStoresEveryArticle(t *testing.T) {
	b := openBus(t)
	st := openSQLite(t)
	const n = 45
	for i := range n {
		publish(t, b, article([]string{"a", "b", "c"}[i%3], i))
	}
	p := startWorker(t, b, st)
	eventually(t, "all articles stored", countIs(n, articles(st)))
	// Acks go out after the commit: once the rows are there the consumer
	// drains to nothing pending and nothing awaiting an ack.
	eventually(t, "store consumer drained", p.drained)
	ci, err := p.consumer.Info(context.Background())
	if err != nil || ci.Pending != 0 || ci.AckPending != 0 || ci.Redelivered != 0 {
		t.Fatalf("consumer after the run = %+v, %v", ci, err)
	}
	if tot := p.total(); tot.Inserted != n || tot.Dead != 0 || tot.Failed != 0 {
		t.Fatalf("reports = %+v, want %d inserted", tot, n)
	}
	s, _ := st.Stats(context.Background())
	if s.Sources["a"] != 15 || s.Revisions != n {
		t.Fatalf("stats = %+v", s)
	}
	// Changed content comes through as a new revision.
	changed := article("a", 0)
	changed.Text = "Corrected paragraph."
	changed.Seal("a", changed.FetchedAt.Add(1))
	publish(t, b, changed)
	eventually(t, "update stored", func() (bool, error) {
		_, rev, err := st.Get(context.Background(), changed.ID)
		return rev == 2, err
	})
}

func TestWorkerDuplicatesOneRow(t *testing.T) {
	b := openBus(t)
	st := openSQLite(t)
	a := article("dup", 1)
	// The same article under distinct message ids gets past the stream's
	// deduplication (as after the duplicate window); the store keeps one row.
	for _, id := range []string{"one", "two", "three"} {
		publishRaw(t, b, b.Names().ArticleSubject("dup"), a, id)
	}
	p := startWorker(t, b, st)
	eventually(t, "three messages handled", func() (bool, error) {
		tot := p.total()
		return tot.Inserted+tot.Unchanged == 3, nil
	})
	eventually(t, "store consumer drained", p.drained)
	if got, _ := articles(st)(); got != 1 {
		t.Fatalf("%d rows for one article", got)
	}
	if _, rev, err := st.Get(context.Background(), a.ID); rev != 1 || err != nil {
		t.Fatalf("revision %d, %v; want 1", rev, err)
	}
	if tot := p.total(); tot.Inserted != 1 || tot.Unchanged != 2 {
		t.Fatalf("reports = %+v, want 1 inserted, 2 unchanged", tot)
	}
}

func TestWorkerDeadLettersUndecodable(t *testing.T) {
	b := openBus(t)
	st := openSQLite(t)
	publish(t, b, article("p", 1), article("p", 2))
	publishRaw(t, b, b.Names().ArticleSubject("p"), []byte(`{"schema": "newsflow.article/v1", "id": `), "bad-json")
	wrong := article("p", 3)
	wrong.Schema = "newsflow.article/v0"
	publishRaw(t, b, b.Names().ArticleSubject("p"), wrong, "wrong-schema")
	noID := article("p", 4)
	noID.ID = ""
	publishRaw(t, b, b.Names().ArticleSubject("p"), noID, "no-id")
	publish(t, b, article("p", 5))

	p := startWorker(t, b, st)
	eventually(t, "good articles stored", countIs(3, articles(st)))
	eventually(t, "store consumer drained", p.drained)
	dead := deadLetters(t, b, 3)
	reasons := map[string]bool{}
	for _, d := range dead {
		if d.Header(bus.HeaderStage) != store.Stage || d.Header(bus.HeaderSubject) != b.Names().ArticleSubject("p") {
			t.Errorf("dead letter headers: stage %q subject %q", d.Header(bus.HeaderStage), d.Header(bus.HeaderSubject))
		}
		r := d.Header(bus.HeaderReason)
		switch {
		case strings.HasPrefix(r, "bad json"):
			reasons["json"] = true
		case strings.Contains(r, "newsflow.article/v0"):
			reasons["schema"] = true
		case strings.Contains(r, "no id"):
			reasons["id"] = true
		default:
			t.Errorf("unexpected reason %q", r)
		}
	}
	if len(reasons) != 3 {
		t.Fatalf("reasons = %v", reasons)
	}
	if tot := p.total(); tot.Dead != 3 || tot.Inserted != 3 {
		t.Fatalf("reports = %+v", tot)
	}
}

// reopenable is a Store whose database can be closed and opened again under
// a running worker, to take it away for real.
type reopenable struct {
	mu sync.RWMutex
	store.Store
}

func (r *reopenable) get() store.Store {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.Store
}

func (r *reopenable) swap(s store.Store) {
	r.mu.Lock()
	r.Store = s
	r.mu.Unlock()
}

func (r *reopenable) Upsert(ctx context.Context, as []*newsflow.Article) ([]store.Outcome, error) {
	return r.get().Upsert(ctx, as)
}
func (r *reopenable) Ping(ctx context.Context) error { return r.get().Ping(ctx) }
func (r *reopenable) Stats(ctx context.Context) (store.Stats, error) {
	return r.get().Stats(ctx)
}

func TestWorkerSurvivesClosedDatabase(t *testing.T) {
	ctx := context.Background()
	b := openBus(t)
	path := t.TempDir() + "/news.db"
	first, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st := &reopenable{Store: first}
	p := startWorker(t, b, st)
	publish(t, b, article("o", 0))
	eventually(t, "first article stored", countIs(1, articles(st)))

	first.Close() // the database goes away under the worker
	const n = 12
	for i := 1; i <= n; i++ {
		publish(t, b, article("o", i))
	}
	eventually(t, "a batch failed and was handed back", func() (bool, error) {
		return p.total().Failed > 0, nil
	})
	ci, err := p.consumer.Info(ctx)
	if err != nil || ci.AckFloor != 1 {
		t.Fatalf("consumer while the database is away = %+v, %v; want nothing acked past the first", ci, err)
	}

	again, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	st.swap(again)
	eventually(t, "every article stored once the database is back", countIs(n+1, articles(st)))
	eventually(t, "store consumer drained", p.drained)
	ci, _ = p.consumer.Info(ctx)
	if ci.Redelivered != 0 || ci.AckFloor != uint64(ci.Delivered) || ci.Delivered <= n+1 {
		t.Fatalf("consumer after recovery = %+v: want redeliveries acked", ci)
	}
	if s, _ := b.Streams(ctx); deadCount(s) != 0 {
		t.Fatalf("an outage dead-lettered messages: %+v", s)
	}
}

func deadCount(ss []bus.StreamInfo) uint64 {
	for _, s := range ss {
		if s.Name == bus.NamesOf("").Dead {
			return s.Messages
		}
	}
	return 0
}

func TestWorkerStopsCleanly(t *testing.T) {
	b := openBus(t)
	st := openSQLite(t)
	c, err := b.StoreConsumer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := &store.Worker{Store: st, Consumer: store.Adapt(c.Fetch), Logger: quiet()}
	if err := w.Run(ctx); err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
	if err := (&store.Worker{}).Run(context.Background()); err == nil {
		t.Fatal("Run without a store: no error")
	}
}

func TestDecode(t *testing.T) {
	good := article("d", 1)
	for _, c := range []struct {
		name string
		data string
		ok   bool
	}{
		{"good", mustJSON(good), true},
		{"not json", `{`, false},
		{"no schema", `{"id":"x","url":"u","content_hash":"h"}`, false},
		{"no id", `{"schema":"newsflow.article/v1","url":"u","content_hash":"h"}`, false},
		{"no url", `{"schema":"newsflow.article/v1","id":"x","content_hash":"h"}`, false},
		{"no hash", `{"schema":"newsflow.article/v1","id":"x","url":"u"}`, false},
	} {
		a, err := store.Decode([]byte(c.data))
		if (err == nil) != c.ok || (c.ok && a.ID != good.ID) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestWorkerKeepsSlowBatchAlive holds the database's write lock from another
// connection for longer than the ack wait: the worker's batch waits for it,
// and its messages are kept alive meanwhile, so none is delivered again.
func TestWorkerKeepsSlowBatchAlive(t *testing.T) {
	ctx := context.Background()
	b, err := bus.Open(ctx, bus.Options{DataDir: t.TempDir(), Logger: quiet(), AckWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	path := filepath.Join(t.TempDir(), "news.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })

	other, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("take the write lock: %v", err)
	}
	const n = 5
	for i := range n {
		publish(t, b, article("slow", i))
	}
	// Two workers, as two store processes would be: a message whose ack
	// wait ran out would go to the idle one.
	p := startWorker(t, b, st)
	p2 := startWorker(t, b, st)
	time.Sleep(3 * time.Second) // three ack waits
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "every article stored", countIs(n, articles(st)))
	eventually(t, "store consumer drained", p.drained)
	ci, err := p.consumer.Info(ctx)
	if err != nil || ci.Redelivered != 0 || ci.Delivered != n {
		t.Fatalf("consumer = %+v, %v; want %d deliveries and none again", ci, err, n)
	}
	tot, tot2 := p.total(), p2.total()
	if tot.Inserted+tot2.Inserted != n || tot.Unchanged+tot2.Unchanged != 0 || tot.Failed+tot2.Failed != 0 {
		t.Fatalf("reports = %+v and %+v, want %d inserted, each once", tot, tot2, n)
	}
}
