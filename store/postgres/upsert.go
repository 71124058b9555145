package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

const insertSQL = `INSERT INTO articles (
	id, url, canonical_url, source, title, authors, published_at, modified_at,
	language, description, text, image, site_name, section, tags, paywalled,
	word_count, fetched_at, content_hash, extractor_version,
	revision, first_stored_at, updated_at
) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,1,$21,$21)
ON CONFLICT (id) DO NOTHING`

const updateSQL = `UPDATE articles SET
	url = $2, canonical_url = $3, source = $4, title = $5, authors = $6,
	published_at = $7, modified_at = $8, language = $9, description = $10,
	text = $11, image = $12, site_name = $13, section = $14, tags = $15,
	paywalled = $16, word_count = $17, fetched_at = $18, content_hash = $19,
	extractor_version = $20, revision = revision + 1, updated_at = $21
WHERE id = $1`

// Upsert writes the batch in one transaction; see store.Store. Rows are
// locked in id order, so that concurrent batches do not deadlock.
func (s *Store) Upsert(ctx context.Context, articles []*newsflow.Article) ([]store.Outcome, error) {
	if len(articles) == 0 {
		return nil, nil
	}
	order := make([]int, len(articles))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return articles[order[i]].ID < articles[order[j]].ID })

	outs := make([]store.Outcome, len(articles))
	err := s.with(ctx, func(c *pgx.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback(ctx)
		now := time.Now().UTC()
		for _, i := range order {
			o, err := upsertOne(ctx, tx, articles[i], now)
			if err != nil {
				return fmt.Errorf("%s: %w", articles[i].ID, err)
			}
			outs[i] = o
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: postgres upsert: %w", err)
	}
	return outs, nil
}

func upsertOne(ctx context.Context, tx pgx.Tx, a *newsflow.Article, now time.Time) (store.Outcome, error) {
	if a.ID == "" || a.ContentHash == "" {
		return 0, errors.New("id and content_hash are required")
	}
	args := []any{
		a.ID, a.URL, sqlrow.NullString(a.CanonicalURL), a.Source, a.Title, sqlrow.JSONList(a.Authors),
		nullTime(a.PublishedAt), nullTime(a.ModifiedAt), sqlrow.NullString(a.Language),
		sqlrow.NullString(a.Description), a.Text, sqlrow.NullString(a.Image), sqlrow.NullString(a.SiteName),
		sqlrow.NullString(a.Section), sqlrow.JSONList(a.Tags), a.Paywalled, a.WordCount,
		nullTime(a.FetchedAt), a.ContentHash, sqlrow.NullString(a.ExtractorVersion), now,
	}
	tag, err := tx.Exec(ctx, insertSQL, args...)
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() == 1 {
		if err := setArchiveFields(ctx, tx, a); err != nil {
			return 0, err
		}
		return store.Inserted, nil
	}
	var hash string
	var fetched sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT content_hash, fetched_at FROM articles WHERE id = $1 FOR UPDATE`, a.ID).Scan(&hash, &fetched); err != nil {
		return 0, err
	}
	incoming := nullTime(a.FetchedAt)
	// A late redelivery of an older version must not overwrite a newer one.
	older := incoming.Valid && fetched.Valid && incoming.Time.Before(fetched.Time)
	if hash == a.ContentHash || older {
		if !older && incoming.Valid {
			_, err := tx.Exec(ctx, `UPDATE articles SET fetched_at = $2 WHERE id = $1 AND (fetched_at IS NULL OR fetched_at < $2)`, a.ID, incoming)
			if err != nil {
				return 0, err
			}
		}
		return store.Unchanged, nil
	}
	if _, err := tx.Exec(ctx, updateSQL, args...); err != nil {
		return 0, err
	}
	if err := setArchiveFields(ctx, tx, a); err != nil {
		return 0, err
	}
	return store.Updated, nil
}

var archiveSQL = `UPDATE articles SET ` + fmt.Sprintf(sqlrow.ArchiveColumnsSQL, "$1", "$2", "$3", "$4")

// setArchiveFields writes raw_page and the near-duplicate columns of the
// revision just written.
func setArchiveFields(ctx context.Context, tx pgx.Tx, a *newsflow.Article) error {
	_, err := tx.Exec(ctx, archiveSQL, sqlrow.ArchiveArgs(a)...)
	return err
}
