package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/metrics"
	"github.com/newsflow/newsflow/internal/testutil"
)

// externalNamespace takes the external NATS server for the test, or skips
// it, and returns the server's URL and a namespace of the test's own there,
// removed when the test ends. Nothing else on the server is touched.
func externalNamespace(t *testing.T) (url, ns string) {
	t.Helper()
	url = testutil.ExternalNATS(t)
	return url, anotherNamespace(t, url)
}

// anotherNamespace returns one more namespace of the test's own on the
// external server, removed when the test ends.
func anotherNamespace(t *testing.T, url string) string {
	t.Helper()
	ns := testutil.Namespace(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := bus.RemoveNamespace(ctx, url, ns); err != nil {
			t.Errorf("remove test namespace %s: %v", ns, err)
		}
	})
	return ns
}

// Two deployments on one NATS server and one PostgreSQL database, each in
// its own namespace and schema, crawl the same site at the same time: each
// stores every article, once. A stream of another team, named as a third
// namespace would name it, is refused and left as it was.
func TestTwoDeploymentsOnSharedServers(t *testing.T) {
	url, nsA := externalNamespace(t)
	nsB := anotherNamespace(t, url)
	schemaA, schemaB := testutil.PostgresSchemaName(t), testutil.PostgresSchemaName(t)
	site := startSite(t)
	open := func(ns, schema string) *App {
		cfg := testConfig(t, site, t.TempDir())
		cfg.NATS.URL, cfg.NATS.Namespace = url, ns
		cfg.Store = newsflow.StoreConfig{Driver: "postgres", DSN: testutil.PostgresDSN(), Schema: schema, BatchSize: 10}
		if err := cfg.Prepare(); err != nil {
			t.Fatal(err)
		}
		a, err := Open(context.Background(), cfg, testLogger(t), Need{Bus: true, Store: true, Crawler: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		return a
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	// Whatever stream NEWS the server holds (another team's, or another
	// test's) is looked at, never touched.
	before := streamState(ctx, js, "NEWS")

	apps := []*App{open(nsA, schemaA), open(nsB, schemaB)}
	var wg sync.WaitGroup
	sums := make([]metrics.Summary, len(apps))
	for i, a := range apps {
		wg.Go(func() {
			var err error
			if sums[i], err = a.Run(ctx, RunOptions{Crawl: true, Store: true, Once: true}); err != nil {
				t.Errorf("deployment %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	for i, a := range apps {
		checkStored(t, site, a.Store)
		if got, want := sums[i].Stored["inserted"], len(site.Articles()); got != want {
			t.Errorf("deployment %d inserted %d articles, want %d", i, got, want)
		}
	}

	if after := streamState(ctx, js, "NEWS"); before != "" && after != before {
		t.Errorf("the server's stream NEWS changed under two namespaced deployments:\n%s\n%s", before, after)
	}

	// Another team's stream where a third namespace would put NEWS.
	nsC := anotherNamespace(t, url)
	foreign := bus.NamesOf(nsC).News
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: foreign, Subjects: []string{nsC + "-corp.news.>"}, MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	defer js.DeleteStream(context.Background(), foreign)
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.URL, cfg.NATS.Namespace = url, nsC
	if _, err := Open(ctx, cfg, testLogger(t), Need{Bus: true}); err == nil || !strings.Contains(err.Error(), "did not make") {
		t.Errorf("open over another team's stream: %v", err)
	}
	s, err := js.Stream(ctx, foreign)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.CachedInfo().Config; c.MaxAge != time.Hour || c.Subjects[0] != nsC+"-corp.news.>" {
		t.Errorf("another team's stream changed: %v %s", c.Subjects, c.MaxAge)
	}
}

// streamState describes a stream's configuration, or is empty when there
// is no such stream.
func streamState(ctx context.Context, js jetstream.JetStream, name string) string {
	s, err := js.Stream(ctx, name)
	if err != nil {
		return ""
	}
	c := s.CachedInfo().Config
	return fmt.Sprintf("%s %v %s %q", c.Name, c.Subjects, c.MaxAge, c.Description)
}
