package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

const insertSQL = `INSERT INTO articles (
	id, url, canonical_url, source, title, authors, published_at, modified_at,
	language, description, text, image, site_name, section, tags, paywalled,
	word_count, fetched_at, content_hash, extractor_version,
	revision, first_stored_at, updated_at
) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`

const updateSQL = `UPDATE articles SET
	url = ?, canonical_url = ?, source = ?, title = ?, authors = ?,
	published_at = ?, modified_at = ?, language = ?, description = ?, text = ?,
	image = ?, site_name = ?, section = ?, tags = ?, paywalled = ?,
	word_count = ?, fetched_at = ?, content_hash = ?, extractor_version = ?,
	revision = revision + 1, updated_at = ?
WHERE id = ?`

// Upsert writes the batch in one transaction; see store.Store.
func (s *Store) Upsert(ctx context.Context, articles []*newsflow.Article) ([]store.Outcome, error) {
	if len(articles) == 0 {
		return nil, nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite upsert: begin: %w", err)
	}
	defer tx.Rollback()
	now := formatTime(time.Now())
	outs := make([]store.Outcome, len(articles))
	for i, a := range articles {
		o, err := upsertOne(ctx, tx, a, now)
		if err != nil {
			return nil, fmt.Errorf("store: sqlite upsert %s: %w", a.ID, err)
		}
		outs[i] = o
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: sqlite upsert: commit: %w", err)
	}
	return outs, nil
}

func upsertOne(ctx context.Context, tx *sql.Tx, a *newsflow.Article, now string) (store.Outcome, error) {
	if a.ID == "" || a.ContentHash == "" {
		return 0, errors.New("id and content_hash are required")
	}
	authors, tags := sqlrow.JSONList(a.Authors), sqlrow.JSONList(a.Tags)
	var hash string
	var fetched sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT content_hash, fetched_at FROM articles WHERE id = ?`, a.ID).Scan(&hash, &fetched)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err := tx.ExecContext(ctx, insertSQL,
			a.ID, a.URL, sqlrow.NullString(a.CanonicalURL), a.Source, a.Title, authors,
			nullTime(a.PublishedAt), nullTime(a.ModifiedAt), sqlrow.NullString(a.Language),
			sqlrow.NullString(a.Description), a.Text, sqlrow.NullString(a.Image), sqlrow.NullString(a.SiteName),
			sqlrow.NullString(a.Section), tags, a.Paywalled, a.WordCount, nullTime(a.FetchedAt),
			a.ContentHash, sqlrow.NullString(a.ExtractorVersion), now, now)
		if err != nil {
			return 0, err
		}
		if err := setArchiveFields(ctx, tx, a); err != nil {
			return 0, err
		}
		return store.Inserted, nil
	case err != nil:
		return 0, err
	}
	incoming := nullTime(a.FetchedAt)
	// A late redelivery of an older version must not overwrite a newer one.
	older := incoming.Valid && fetched.Valid && incoming.String < fetched.String
	if hash == a.ContentHash || older {
		if !older && incoming.Valid {
			_, err := tx.ExecContext(ctx, `UPDATE articles SET fetched_at = ? WHERE id = ? AND (fetched_at IS NULL OR fetched_at < ?)`,
				incoming, a.ID, incoming)
			if err != nil {
				return 0, err
			}
		}
		return store.Unchanged, nil
	}
	_, err = tx.ExecContext(ctx, updateSQL,
		a.URL, sqlrow.NullString(a.CanonicalURL), a.Source, a.Title, authors,
		nullTime(a.PublishedAt), nullTime(a.ModifiedAt), sqlrow.NullString(a.Language),
		sqlrow.NullString(a.Description), a.Text, sqlrow.NullString(a.Image), sqlrow.NullString(a.SiteName),
		sqlrow.NullString(a.Section), tags, a.Paywalled, a.WordCount, incoming,
		a.ContentHash, sqlrow.NullString(a.ExtractorVersion), now, a.ID)
	if err != nil {
		return 0, err
	}
	if err := setArchiveFields(ctx, tx, a); err != nil {
		return 0, err
	}
	return store.Updated, nil
}

var archiveSQL = `UPDATE articles SET ` + fmt.Sprintf(sqlrow.ArchiveColumnsSQL, "?", "?", "?", "?")

// setArchiveFields writes raw_page and the near-duplicate columns of a
// revision just written (they are NULL after an update when the new
// revision has none, since the update clears them first).
func setArchiveFields(ctx context.Context, tx *sql.Tx, a *newsflow.Article) error {
	_, err := tx.ExecContext(ctx, archiveSQL, sqlrow.ArchiveArgs(a)...)
	return err
}
