package sqlite

import (
	"context"
	"fmt"
)

// migrations[i] brings the schema from version i to i+1; the version is
// kept in PRAGMA user_version. Append, never edit.
var migrations = []string{
	`CREATE TABLE articles (
		id                TEXT PRIMARY KEY,
		url               TEXT NOT NULL,
		canonical_url     TEXT,
		source            TEXT NOT NULL DEFAULT '',
		title             TEXT NOT NULL DEFAULT '',
		authors           TEXT,
		published_at      TEXT,
		modified_at       TEXT,
		language          TEXT,
		description       TEXT,
		text              TEXT NOT NULL DEFAULT '',
		image             TEXT,
		site_name         TEXT,
		section           TEXT,
		tags              TEXT,
		paywalled         INTEGER NOT NULL DEFAULT 0,
		word_count        INTEGER NOT NULL DEFAULT 0,
		fetched_at        TEXT,
		content_hash      TEXT NOT NULL,
		extractor_version TEXT,
		revision          INTEGER NOT NULL DEFAULT 1,
		first_stored_at   TEXT NOT NULL,
		updated_at        TEXT NOT NULL
	);
	CREATE INDEX articles_source ON articles (source, first_stored_at);
	CREATE INDEX articles_first_stored ON articles (first_stored_at);
	CREATE INDEX articles_updated ON articles (updated_at);
	CREATE VIRTUAL TABLE articles_fts USING fts5 (
		title, text,
		content = 'articles', content_rowid = 'rowid',
		tokenize = 'unicode61 remove_diacritics 2'
	);
	CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
		INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
	END;
	CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
		INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
	END;
	CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
		INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
		INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
	END;`,
	// Archives (issue 13): where the raw page is kept, and the article an
	// article nearly copies. Self-contained, so it can take another number
	// if another migration lands first.
	`ALTER TABLE articles ADD COLUMN raw_page TEXT;
	ALTER TABLE articles ADD COLUMN near_duplicate_of TEXT;
	ALTER TABLE articles ADD COLUMN near_duplicate_similarity REAL;`,
}

// migrate applies the migrations the database has not seen, each in its
// own transaction together with the new version number.
func (s *Store) migrate(ctx context.Context) error {
	for {
		done, err := s.migrateOne(ctx)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) migrateOne(ctx context.Context) (done bool, err error) {
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one migrator at a time
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return false, err
	}
	if v > len(migrations) {
		return false, fmt.Errorf("schema version %d is newer than this program (%d)", v, len(migrations))
	}
	if v == len(migrations) {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("version %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
		return false, err
	}
	return false, tx.Commit()
}
