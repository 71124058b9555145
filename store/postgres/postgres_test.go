package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsflow/newsflow/internal/testutil"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/storetest"
)

// testDSN is the local PostgreSQL the tests use.
func testDSN() string { return testutil.PostgresDSN() }

// tempSchema returns a DSN on a schema of the test's own.
func tempSchema(t *testing.T) string { return testutil.PostgresSchema(t) }

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), tempSchema(t))
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return s
	}, storetest.Options{})
}

func TestConcurrentMigrations(t *testing.T) {
	dsn := tempSchema(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n, v int
	err = s.with(context.Background(), func(c *pgx.Conn) error {
		return c.QueryRow(context.Background(), `SELECT COUNT(*), MAX(version) FROM newsflow_schema`).Scan(&n, &v)
	})
	if err != nil || n != len(migrations) || v != len(migrations) {
		t.Fatalf("schema versions: %d rows, max %d, %v; want %d", n, v, err, len(migrations))
	}
}

func TestUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := Open(ctx, "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"); err == nil {
		t.Fatal("open of an unreachable server: no error")
	}
}

// TestReconnectAfterTermination checks that the store recovers when the
// server drops its connections (a restart, a failover, an administrator's
// pg_terminate_backend): the broken connections are discarded and the
// next calls open new ones.
func TestReconnectAfterTermination(t *testing.T) {
	b := make([]byte, 4)
	rand.Read(b)
	app := "newsflow_test_" + hex.EncodeToString(b)
	dsn := tempSchema(t) + "&application_name=" + app
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, testDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var killed int
	err = admin.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) k`, app).Scan(&killed)
	if err != nil || killed == 0 {
		t.Fatalf("terminate the store's connections: %d terminated, %v", killed, err)
	}
	// A call may meet a dropped connection once; within a few calls the
	// store works again, without being reopened.
	var lastErr error
	for range 3 {
		if _, lastErr = s.Stats(ctx); lastErr == nil {
			break
		}
	}
	if lastErr != nil {
		t.Fatalf("store did not recover after its connections were terminated: %v", lastErr)
	}
}
