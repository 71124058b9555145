package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrations[i] brings the schema from version i to i+1. Append, never edit.
var migrations = []string{
	`CREATE TABLE articles (
		seq               bigint GENERATED ALWAYS AS IDENTITY,
		id                text PRIMARY KEY,
		url               text NOT NULL,
		canonical_url     text,
		source            text NOT NULL DEFAULT '',
		title             text NOT NULL DEFAULT '',
		authors           jsonb,
		published_at      timestamptz,
		modified_at       timestamptz,
		language          text,
		description       text,
		text              text NOT NULL DEFAULT '',
		image             text,
		site_name         text,
		section           text,
		tags              jsonb,
		paywalled         boolean NOT NULL DEFAULT false,
		word_count        integer NOT NULL DEFAULT 0,
		fetched_at        timestamptz,
		content_hash      text NOT NULL,
		extractor_version text,
		revision          integer NOT NULL DEFAULT 1,
		first_stored_at   timestamptz NOT NULL,
		updated_at        timestamptz NOT NULL,
		search            tsvector GENERATED ALWAYS AS (
			setweight(to_tsvector('simple', title), 'A') ||
			setweight(to_tsvector('simple', text), 'B')
		) STORED
	);
	CREATE INDEX articles_search ON articles USING GIN (search);
	CREATE INDEX articles_source ON articles (source, first_stored_at, seq);
	CREATE INDEX articles_first_stored ON articles (first_stored_at, seq);
	CREATE INDEX articles_updated ON articles (updated_at);`,
	// Archives (issue 13): where the raw page is kept, and the article an
	// article nearly copies. Self-contained, so it can take another number
	// if another migration lands first.
	`ALTER TABLE articles ADD COLUMN raw_page text,
		ADD COLUMN near_duplicate_of text,
		ADD COLUMN near_duplicate_similarity double precision;`,
}

// migrate applies the missing migrations in one transaction, holding an
// advisory lock for the current schema so that workers starting together
// take turns.
func (s *Store) migrate(ctx context.Context) error {
	return s.with(ctx, func(c *pgx.Conn) error { return migrate(ctx, c) })
}

func migrate(ctx context.Context, c *pgx.Conn) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('newsflow.migrate.' || current_schema()))`); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS newsflow_schema (
		version    integer PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return err
	}
	var v int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM newsflow_schema`).Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this program (%d)", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		if _, err := tx.Exec(ctx, migrations[v]); err != nil {
			return fmt.Errorf("version %d: %w", v+1, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO newsflow_schema (version) VALUES ($1)`, v+1); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}
