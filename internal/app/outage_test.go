package app

import (
	"context"
	"net"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/newsflow/newsflow"
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

// TestNATSOutage stops the NATS server in the middle of a crawl and starts
// it again a few seconds later: the pipeline waits, resumes on its own, and
// stores every article exactly once; nothing is lost and nothing doubled.
func TestNATSOutage(t *testing.T) {
	nsrv := startNATS(t)
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.URL = nsrv.url()
	// Slow enough that the outage falls in the middle of the crawl.
	cfg.Store.BatchSize = 1
	for i := range cfg.Sources {
		cfg.Sources[i].Delay = newsflow.Duration(200 * time.Millisecond)
		cfg.Sources[i].Parallelism = 1
	}
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
	t.Logf("failures counted: %v; dead-lettered: %d", snap.Failed, snap.Dead)
}
