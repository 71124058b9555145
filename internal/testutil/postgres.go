package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresDSN is the local PostgreSQL the tests use; NEWSFLOW_TEST_POSTGRES
// overrides it.
func PostgresDSN() string {
	if dsn := os.Getenv("NEWSFLOW_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// PostgresSchema creates a schema of its own for one test, dropped when the
// test ends, and returns a DSN whose search_path is that schema. It skips
// the test when PostgreSQL is not reachable.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	schema := PostgresSchemaName(t)
	sep := "?"
	if strings.Contains(PostgresDSN(), "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s%ssearch_path=%s", PostgresDSN(), sep, schema)
}

// PostgresSchemaName is PostgresSchema for a test that builds its own DSN
// (through a proxy, say): it returns the schema's name.
func PostgresSchemaName(t testing.TB) string {
	t.Helper()
	if os.Getenv("NEWSFLOW_TEST_POSTGRES") == "" {
		c, err := net.DialTimeout("tcp", "127.0.0.1:5432", time.Second)
		if err != nil {
			t.Skipf("PostgreSQL at 127.0.0.1:5432 not reachable (%v); skipping", err)
		}
		c.Close()
	}
	ctx := context.Background()
	db, err := pgx.Connect(ctx, PostgresDSN())
	if err != nil {
		t.Skipf("PostgreSQL at %s not usable (%v); skipping", PostgresDSN(), err)
	}
	defer db.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "newsflow_test_" + hex.EncodeToString(b)
	if _, err := db.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := pgx.Connect(ctx, PostgresDSN())
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer db.Close(ctx)
		if _, err := db.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}
