package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/fixture"
)

// natsServer runs a NATS server with JetStream on a fixed port, as an
// external server would be, so that a test can stop and restart it.
type natsServer struct {
	t    *testing.T
	opts server.Options
	ns   *server.Server
}

func startNATS(t *testing.T) *natsServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &natsServer{t: t, opts: server.Options{
		Host: "127.0.0.1", Port: port, JetStream: true, NoSigs: true,
		StoreDir: filepath.Join(t.TempDir(), "jetstream"),
	}}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *natsServer) url() string { return "nats://127.0.0.1:" + strconv.Itoa(s.opts.Port) }

func (s *natsServer) start() {
	s.t.Helper()
	opts := s.opts
	ns, err := server.NewServer(&opts)
	if err != nil {
		s.t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		s.t.Fatal("NATS server not ready")
	}
	s.ns = ns
}

func (s *natsServer) stop() {
	if s.ns != nil {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
		s.ns = nil
	}
}

// slowConfig is the test configuration of site, slowed so that an outage
// falls in the middle of the crawl, with a short ack wait so that messages
// in flight when a connection broke come back soon.
func slowConfig(t *testing.T, site *fixture.Site) *newsflow.Config {
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.AckWait = newsflow.Duration(2 * time.Second)
	cfg.Store.BatchSize = 1
	for i := range cfg.Sources {
		cfg.Sources[i].Delay = newsflow.Duration(200 * time.Millisecond)
		cfg.Sources[i].Parallelism = 1
	}
	return cfg
}

// TestNATSOutage stops the NATS server in the middle of a crawl and starts
// it again a few seconds later: the pipeline waits, resumes on its own, and
// stores every article exactly once; nothing is lost and nothing doubled.
func TestNATSOutage(t *testing.T) {
	nsrv := startNATS(t)
	site := startSite(t)
	cfg := slowConfig(t, site)
	cfg.NATS.URL = nsrv.url()
	a := openApp(t, cfg)

	stop := runService(t, a)
	want := len(site.Articles())
	waitFor(t, "the first article stored", func() bool {
		st, err := a.Store.Stats(context.Background())
		return err == nil && st.Articles > 0
	})
	nsrv.stop()
	st, err := a.Store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("NATS stopped with %d of %d articles stored", st.Articles, want)
	if st.Articles >= want {
		t.Fatal("the crawl was over before the outage; slow it down")
	}
	time.Sleep(3 * time.Second)
	nsrv.start()

	waitFor(t, "every article stored after the outage", func() bool {
		st, err := a.Store.Stats(context.Background())
		return err == nil && st.Articles >= want
	})
	stop()
	checkStored(t, site, a.Store)
	snap := a.Metrics.Snapshot()
	t.Logf("failures counted: %v", snap.Failed)
	if snap.Dead != 0 {
		// A task that met the outage is handed back, not dead-lettered.
		t.Errorf("%d messages dead-lettered during a NATS outage", snap.Dead)
	}
}

// TestSlowTaskKeptAlive fetches a page that takes longer than the ack wait:
// the worker keeps its task alive, so no second worker fetches it meanwhile.
func TestSlowTaskKeptAlive(t *testing.T) {
	site, err := fixture.Start(fixture.Options{SlowDelay: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.AckWait = newsflow.Duration(time.Second)
	a := openApp(t, cfg)
	runOnce(t, a)
	checkStored(t, site, a.Store)
	slow := site.SlowURLs()
	if len(slow) == 0 {
		t.Fatal("the fixture has no slow page")
	}
	for _, u := range slow {
		if n := site.Hits(u); n != 1 {
			t.Errorf("%s fetched %d times, want once", u, n)
		}
	}
}

func TestBusUnavailable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("%w: %w", errSeenState, nats.ErrNoResponders), true},
		{fmt.Errorf("%w: %w", errPublish, context.DeadlineExceeded), true},
		{fmt.Errorf("%w: %w", errPublish, nats.ErrDisconnected), true},
		{fmt.Errorf("%w: %w", errPublish, nats.ErrMaxPayload), false},
		// A page that timed out is the site's failure, not the bus's.
		{fmt.Errorf("fetch: %w", context.DeadlineExceeded), false},
	} {
		if got := busUnavailable(tc.err); got != tc.want {
			t.Errorf("busUnavailable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestOnceGivesUpOnDeadNATS stops the NATS server under a once run for good:
// the run gives up with an error that says so instead of waiting for ever,
// and the next run, with the server back, stores every article exactly once.
func TestOnceGivesUpOnDeadNATS(t *testing.T) {
	nsrv := startNATS(t)
	site := startSite(t)
	cfg := slowConfig(t, site)
	cfg.NATS.URL = nsrv.url()
	a := openApp(t, cfg)
	onceThroughOutage(t, a, site, "NATS has not answered", func() { nsrv.stop() })
	a.Close()

	nsrv.start()
	a = openApp(t, cfg)
	runOnce(t, a)
	checkStored(t, site, a.Store)
}

// TestOnceGivesUpOnDeadStore closes the database under a once run: the run
// gives up with an error that says so, and the next run stores every
// article exactly once.
func TestOnceGivesUpOnDeadStore(t *testing.T) {
	site := startSite(t)
	cfg := slowConfig(t, site)
	a := openApp(t, cfg)
	onceThroughOutage(t, a, site, "the store has not answered", func() { a.Store.Close() })
	a.Close()

	a = openApp(t, cfg)
	runOnce(t, a)
	checkStored(t, site, a.Store)
}

// onceThroughOutage starts a once run of a, calls kill once the first
// article is stored, and checks that the run then gives up with an error
// that holds want, before the crawl was over.
func onceThroughOutage(t *testing.T, a *App, site *fixture.Site, want string, kill func()) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := a.Run(context.Background(), RunOptions{Crawl: true, Store: true, Once: true, OutageLimit: 3 * time.Second})
		done <- err
	}()
	stored := 0
	waitFor(t, "the first article stored", func() bool {
		st, err := a.Store.Stats(context.Background())
		stored = st.Articles
		return err == nil && st.Articles > 0
	})
	if stored >= len(site.Articles()) {
		t.Fatal("the crawl was over before the outage; slow it down")
	}
	kill()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("once run through the outage returned %v, want %q", err, want)
		}
		t.Logf("once run gave up: %v", err)
	case <-time.After(time.Minute):
		// Where it waits is what the next reader needs.
		var stacks strings.Builder
		pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		t.Fatalf("once run still waiting a minute after the outage began; goroutines:\n%s", stacks.String())
	}
}

// TestDiscoveryCutShortByNATS runs a discovery round with the NATS server
// gone: the round fails with an error that says the bus did not answer, so
// the schedule tries it again soon instead of at the next scheduled time.
func TestDiscoveryCutShortByNATS(t *testing.T) {
	nsrv := startNATS(t)
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.URL = nsrv.url()
	a := openApp(t, cfg)
	nsrv.stop()
	err := a.discover(context.Background(), &cfg.Sources[0])
	if err == nil || !bus.Unavailable(err) {
		t.Fatalf("discovery with NATS gone returned %v, want an error of the bus not answering", err)
	}

	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	hourly := now.Add(time.Hour)
	for _, tc := range []struct {
		failures int
		want     time.Time
	}{
		{0, hourly},
		{1, now.Add(30 * time.Second)},
		{2, now.Add(time.Minute)},
		{5, now.Add(8 * time.Minute)},
		{6, now.Add(10 * time.Minute)},
		{50, now.Add(10 * time.Minute)},
	} {
		if got := nextRound(hourly, now, tc.failures); !got.Equal(tc.want) {
			t.Errorf("nextRound after %d failed rounds = %s, want %s", tc.failures, got.Sub(now), tc.want.Sub(now))
		}
	}
	// A schedule that comes sooner than the retry wins.
	soon := now.Add(10 * time.Second)
	if got := nextRound(soon, now, 3); !got.Equal(soon) {
		t.Errorf("nextRound with the schedule sooner = %s, want 10s", got.Sub(now))
	}
}

// TestOpenWaitsForNATS opens the app before its NATS server is up: Open
// says once that it waits, and goes on once the server answers.
func TestOpenWaitsForNATS(t *testing.T) {
	nsrv := startNATS(t)
	nsrv.stop()
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.URL = nsrv.url()
	waiting := &signalHandler{msg: "NATS does not answer yet; waiting", seen: make(chan struct{})}
	started := make(chan struct{})
	go func() {
		<-waiting.seen // the server comes up late, as in a cluster forming
		nsrv.start()
		close(started)
	}()
	a, err := Open(context.Background(), cfg, slog.New(waiting), Need{Bus: true, BusWait: ForEver})
	if err != nil {
		t.Fatalf("open before NATS was up: %v", err)
	}
	<-started
	a.Close()
	if n := waiting.count.Load(); n != 1 {
		t.Errorf("the wait was logged %d times, want once", n)
	}

	// Without BusWait, a command fails at once.
	nsrv.stop()
	if _, err := Open(context.Background(), cfg, testLogger(t), Need{Bus: true}); err == nil {
		t.Error("open without BusWait succeeded with NATS down")
	}
	// With a limit, it gives up when the limit has passed.
	if _, err := Open(context.Background(), cfg, testLogger(t), Need{Bus: true, BusWait: time.Second}); err == nil {
		t.Error("open with a 1s wait succeeded with NATS down for good")
	}
}

// signalHandler is a slog handler that closes seen at the first record
// with message msg, and counts such records.
type signalHandler struct {
	msg   string
	seen  chan struct{}
	count atomic.Int32
}

func (h *signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg && h.count.Add(1) == 1 {
		close(h.seen)
	}
	return nil
}
func (h *signalHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *signalHandler) WithGroup(string) slog.Handler      { return h }
