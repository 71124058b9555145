package bus

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// sharedServer starts an embedded server that accepts TCP clients, as a
// NATS server shared by several deployments, and returns its URL.
func sharedServer(t *testing.T) (string, *Bus) {
	t.Helper()
	host := openEmbedded(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { host.Close() })
	return host.ClientURL(), host
}

func openOn(t *testing.T, url string, o Options) (*Bus, error) {
	t.Helper()
	o.URL = url
	if o.Logger == nil {
		o.Logger = testLogger()
	}
	return Open(context.Background(), o)
}

// A stream of the name newsflow would use that another team made is never
// changed: opening the bus fails with an error that names it, and a
// read-only open (status, tail) creates nothing.
func TestForeignStreamUntouched(t *testing.T) {
	url, host := sharedServer(t)
	ctx := context.Background()
	names := NamesOf("corp")
	foreign := jetstream.StreamConfig{Name: names.News, Subjects: []string{"corp.news.>"}, MaxAge: time.Hour, Storage: jetstream.FileStorage}
	if _, err := host.js.CreateStream(ctx, foreign); err != nil {
		t.Fatal(err)
	}
	if _, err := openOn(t, url, Options{Namespace: "corp", ReadOnly: true}); err == nil {
		t.Fatal("read-only open of a namespace that was never set up succeeded")
	}
	for _, name := range []string{names.Frontier, names.Dead, names.SeenStream(), names.StateStream()} {
		if _, err := host.js.Stream(ctx, name); !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Errorf("read-only open made stream %s: %v", name, err)
		}
	}
	_, err := openOn(t, url, Options{Namespace: "corp"})
	if err == nil || !strings.Contains(err.Error(), "stream "+names.News+" exists on the server but newsflow did not make it") {
		t.Fatalf("open over a foreign stream: %v", err)
	}
	s, err := host.js.Stream(ctx, names.News)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().Config; got.MaxAge != time.Hour || len(got.Subjects) != 1 || got.Subjects[0] != "corp.news.>" {
		t.Errorf("foreign stream changed: subjects %v, max age %s", got.Subjects, got.MaxAge)
	}
	if err := RemoveNamespace(ctx, url, "corp"); err == nil || !strings.Contains(err.Error(), "did not make") {
		t.Errorf("RemoveNamespace over a foreign stream: %v", err)
	}
	if _, err := host.js.Stream(ctx, names.News); err != nil {
		t.Errorf("RemoveNamespace deleted a foreign stream: %v", err)
	}
}

// Two namespaces on one server share nothing: articles, visits, state and
// durable consumers are each their own; RemoveNamespace removes one
// namespace whole and leaves the other.
func TestNamespacesAreApart(t *testing.T) {
	url, host := sharedServer(t)
	ctx := context.Background()
	a, err := openOn(t, url, Options{Namespace: "team-a"})
	must(t, err, "open team-a")
	defer a.Close()
	b, err := openOn(t, url, Options{Namespace: "team-b"})
	must(t, err, "open team-b")
	defer b.Close()

	must(t, a.PublishArticle(ctx, article("wire", "https://e.com/1", "one")), "publish")
	must(t, a.PutVisit(ctx, "https://e.com/1", Visit{Status: "stored"}), "put visit")
	must(t, a.PutState(ctx, "sites/wire", []byte("x")), "put state")
	if _, ok, err := b.GetVisit(ctx, "https://e.com/1"); ok || err != nil {
		t.Errorf("team-b sees team-a's visit: %v %v", ok, err)
	}
	if _, ok, err := b.GetState(ctx, "sites/wire"); ok || err != nil {
		t.Errorf("team-b sees team-a's state: %v %v", ok, err)
	}
	ca, err := a.StoreConsumer(ctx)
	must(t, err, "consumer a")
	cb, err := b.StoreConsumer(ctx)
	must(t, err, "consumer b")
	if got := fetchN(t, ca, 1); len(got) != 1 || got[0].Subject() != "team-a.article.wire" {
		t.Errorf("team-a's store consumer: %v", got)
	}
	if got, err := cb.Fetch(ctx, 1, 200*time.Millisecond); len(got) != 0 || err != nil {
		t.Errorf("team-b's store consumer got %d messages (%v)", len(got), err)
	}
	// The default namespace on the same server is untouched by both.
	if n := streamOf(t, host, "NEWS").Messages; n != 0 {
		t.Errorf("NEWS holds %d messages", n)
	}

	// Reopening with a setting the server cannot change in place is an
	// error that says what to do.
	if _, err := openOn(t, url, Options{Namespace: "team-a", Replicas: 3}); err == nil || !strings.Contains(err.Error(), "cannot change them in place") {
		t.Errorf("replicas 1 to 3 on one server: %v", err)
	}

	// The buckets made on first use (fingerprints, kept pages, counts) belong to
	// the namespace too.
	for _, x := range []*Bus{a, b} {
		_, err := x.Fingerprints(ctx)
		must(t, err, "fingerprints bucket")
		_, err = x.archiveStore(ctx)
		must(t, err, "archive object store")
		must(t, x.AddStats(ctx, "total", func([]byte) ([]byte, error) { return []byte("{}"), nil }), "stats bucket")
	}
	must(t, RemoveNamespace(ctx, url, "team-a"), "remove team-a")
	for _, name := range NamesOf("team-a").streams() {
		if _, err := host.js.Stream(ctx, name); !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Errorf("stream %s left after RemoveNamespace: %v", name, err)
		}
	}
	for _, name := range NamesOf("team-b").streams() {
		if _, err := host.js.Stream(ctx, name); err != nil {
			t.Errorf("team-b's stream %s gone: %v", name, err)
		}
	}
}
