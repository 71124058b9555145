// Package postgres is the PostgreSQL implementation of store.Store, for
// several store workers and large archives: upserts that lock rows in id
// order, a stored tsvector column with a GIN index for full-text search,
// and migrations that several processes may run at once.
//
// Statements are prepared and cached per connection; behind a pooler in
// transaction mode (PgBouncer) add default_query_exec_mode=exec to the DSN.
package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsflow/newsflow/store"
)

// maxConns bounds the connections of one Store, unless the DSN sets
// pool_max_conns.
const maxConns = 8

// Store is a store.Store in a PostgreSQL database (the schema first in the
// connection's search_path).
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at dsn (a postgres:// URL or key=value
// string; search_path may be set in it) and brings the schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenSchema(ctx, dsn, "")
}

// OpenExisting opens a store that a pipeline made before, for commands that
// only read: it creates no schema and no table, and a database (or schema)
// without newsflow's tables, or with an older version of them, is an error.
func OpenExisting(ctx context.Context, dsn, schema string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	var v int
	err = pool.QueryRow(ctx, `SELECT CASE WHEN to_regclass('newsflow_schema') IS NULL THEN -1
		ELSE (SELECT COALESCE(MAX(version), 0) FROM newsflow_schema) END`).Scan(&v)
	switch {
	case err != nil && strings.Contains(err.Error(), "newsflow_schema"):
		err = fmt.Errorf("store: postgres: no newsflow store here (schema %q): give the store.dsn and store.schema of a pipeline that has run", schema)
	case err != nil:
		err = fmt.Errorf("store: postgres: %w", err)
	case v < 0:
		err = fmt.Errorf("store: postgres: no newsflow store here (schema %q): give the store.dsn and store.schema of a pipeline that has run", schema)
	case v != len(migrations):
		err = fmt.Errorf("store: postgres: its tables are of version %d, this program reads %d: run `newsflow store` of this version once to migrate them", v, len(migrations))
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool}, nil
}

// OpenSchema is Open with the tables in schema (made when missing) rather
// than in the DSN's search_path, so that two deployments can share one
// database. An empty schema is Open.
func OpenSchema(ctx context.Context, dsn, schema string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	if schema != "" {
		ident := pgx.Identifier{schema}.Sanitize()
		cfg.ConnConfig.RuntimeParams["search_path"] = ident
		c, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
		if err != nil {
			return nil, fmt.Errorf("store: postgres: %w", err)
		}
		_, err = c.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+ident)
		c.Close(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: postgres: create schema %s: %w", schema, err)
		}
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: postgres migrate: %w", err)
	}
	return s, nil
}

// with runs fn on a connection of the pool. A connection that breaks, or
// that fn leaves inside a transaction, is closed rather than reused.
func (s *Store) with(ctx context.Context, fn func(*pgx.Conn) error) error {
	return s.pool.AcquireFunc(ctx, func(c *pgxpool.Conn) error { return fn(c.Conn()) })
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	err := s.with(ctx, func(c *pgx.Conn) error { return c.Ping(ctx) })
	if err != nil {
		return fmt.Errorf("store: postgres ping: %w", err)
	}
	return nil
}

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
