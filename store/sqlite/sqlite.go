// Package sqlite is the SQLite implementation of store.Store, for running
// on one machine with nothing to install: one database file, WAL mode, one
// writer connection and a pool of readers, full-text search with FTS5.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/newsflow/newsflow/store"
)

// Store is a store.Store in one SQLite file.
type Store struct {
	path string
	w    *sql.DB // the one writer connection
	r    *sql.DB // readers
}

var _ store.Store = (*Store)(nil)

// Open opens (creating it and its directory if needed) the database file at
// dsn, a file path, and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	path := strings.TrimPrefix(dsn, "file:")
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" {
		return nil, fmt.Errorf("store: sqlite: %q is not a database file path", dsn)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	w, err := sql.Open("sqlite", "file:"+path+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: sqlite open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: sqlite migrate %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: sqlite open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return s, nil
}

// Ping checks that the database file can be reached for writing.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: sqlite ping: %w", err)
	}
	return nil
}

// Close closes the database; later calls fail.
func (s *Store) Close() error {
	rerr := s.r.Close()
	if err := s.w.Close(); err != nil {
		return fmt.Errorf("store: sqlite close: %w", err)
	}
	if rerr != nil {
		return fmt.Errorf("store: sqlite close: %w", rerr)
	}
	return nil
}
