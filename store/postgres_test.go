package store_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/testutil"
	"github.com/newsflow/newsflow/store/postgres"
)

const pgAddr = "127.0.0.1:5432"

// pgSchema creates a schema of its own for one test on the local
// PostgreSQL, dropped at the end, or skips the test when it is not there.
func pgSchema(t *testing.T) string { return testutil.PostgresSchemaName(t) }

func pgDSN(addr, schema string) string {
	return fmt.Sprintf("postgres://postgres@%s/test?sslmode=disable&search_path=%s&connect_timeout=5", addr, schema)
}

// proxy forwards TCP connections to PostgreSQL and can cut them, to take
// the database away from a running worker the way a network failure does.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	down  bool
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.down {
				p.mu.Unlock()
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

// cut closes every connection and refuses new ones.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

func TestWorkerPostgresOutage(t *testing.T) {
	schema := pgSchema(t)
	ctx := context.Background()
	px := startProxy(t, pgAddr)
	st, err := postgres.Open(ctx, pgDSN(px.addr(), schema))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer st.Close()
	b := openBus(t)
	p := startWorker(t, b, st)
	publish(t, b, article("pg", 0))
	eventually(t, "first article stored", countIs(1, articles(st)))

	px.cut()
	const n = 12
	for i := 1; i <= n; i++ {
		publish(t, b, article("pg", i))
	}
	eventually(t, "a batch failed and was handed back", func() (bool, error) {
		return p.total().Failed > 0, nil
	})
	if ci, err := p.consumer.Info(ctx); err != nil || ci.AckFloor != 1 {
		t.Fatalf("consumer during the outage = %+v, %v; want nothing acked past the first", ci, err)
	}

	px.restore()
	eventually(t, "every article stored once the database is back", countIs(n+1, articles(st)))
	eventually(t, "store consumer drained", p.drained)
	if s, _ := b.Streams(ctx); deadCount(s) != 0 {
		t.Fatalf("an outage dead-lettered messages: %+v", s)
	}
}

func TestWorkerPostgresPoisonArticle(t *testing.T) {
	schema := pgSchema(t)
	ctx := context.Background()
	st, err := postgres.Open(ctx, pgDSN(pgAddr, schema))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer st.Close()
	b := openBus(t)
	poison := article("pg", 2)
	poison.Text = "PostgreSQL text cannot hold \x00 bytes"
	poison.Seal("pg", poison.FetchedAt)
	publish(t, b, article("pg", 1), poison, article("pg", 3))
	p := startWorker(t, b, st)
	eventually(t, "the good articles stored", countIs(2, articles(st)))
	dead := deadLetters(t, b, 1)
	d := dead[0]
	if !strings.HasPrefix(d.Header(bus.HeaderReason), "upsert: ") || d.Header(bus.HeaderDeliveries) != fmt.Sprint(p.consumer.MaxDeliver()) {
		t.Fatalf("dead letter: reason %q deliveries %q", d.Header(bus.HeaderReason), d.Header(bus.HeaderDeliveries))
	}
	eventually(t, "store consumer drained", p.drained)
	if tot := p.total(); tot.Inserted != 2 || tot.Dead != 1 || tot.Failed != p.consumer.MaxDeliver()-1 {
		t.Fatalf("reports = %+v", tot)
	}
}
