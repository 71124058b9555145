package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

type scanner interface{ Scan(dest ...any) error }

// scanArticle reads the sqlrow.Columns of one row, followed by extra;
// the order of its destinations is that of the list.
func scanArticle(sc scanner, extra ...any) (*newsflow.Article, int, error) {
	var (
		a                                  newsflow.Article
		canonical, lang, desc, image, site sql.NullString
		section, extractor                 sql.NullString
		authors, tags                      []byte
		published, modified, fetched       sql.NullTime
		revision                           int
	)
	dest := []any{&a.ID, &a.URL, &canonical, &a.Source, &a.Title, &authors,
		&published, &modified, &lang, &desc, &a.Text, &image,
		&site, &section, &tags, &a.Paywalled, &a.WordCount, &fetched,
		&a.ContentHash, &extractor, &revision}
	archived, setArchived := sqlrow.ScanArchive()
	dest = append(dest, archived...)
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, 0, err
	}
	setArchived(&a)
	a.Schema = newsflow.Schema
	a.CanonicalURL, a.Language, a.Description = canonical.String, lang.String, desc.String
	a.Image, a.SiteName, a.Section, a.ExtractorVersion = image.String, site.String, section.String, extractor.String
	a.Authors, a.Tags = parseList(authors), parseList(tags)
	a.PublishedAt, a.ModifiedAt, a.FetchedAt = parseTime(published), parseTime(modified), parseTime(fetched)
	return &a, revision, nil
}

// Get returns an article and its revision; see store.Store.
func (s *Store) Get(ctx context.Context, id string) (*newsflow.Article, int, error) {
	var a *newsflow.Article
	var rev int
	err := s.with(ctx, func(c *pgx.Conn) error {
		var err error
		a, rev, err = scanArticle(c.QueryRow(ctx, `SELECT `+sqlrow.Columns+` FROM articles a WHERE a.id = $1`, id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, fmt.Errorf("store: postgres get %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: postgres get %s: %w", id, err)
	}
	return a, rev, nil
}

// Export calls fn for each article matching f, in first-stored order; see
// store.Store.
func (s *Store) Export(ctx context.Context, f store.Filter, fn func(*newsflow.Article) error) error {
	var where []string
	var args []any
	if f.Source != "" {
		args = append(args, f.Source)
		where = append(where, fmt.Sprintf("a.source = $%d", len(args)))
	}
	if !f.Since.IsZero() {
		args = append(args, f.Since.UTC())
		where = append(where, fmt.Sprintf("a.updated_at >= $%d", len(args)))
	}
	q := `SELECT ` + sqlrow.Columns + ` FROM articles a`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY a.first_stored_at, a.seq`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	var fnErr error
	err := s.with(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, _, err := scanArticle(rows)
			if err != nil {
				return err
			}
			if fnErr = fn(a); fnErr != nil {
				return nil
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("store: postgres export: %w", err)
	}
	return fnErr
}

// Stats counts what is stored; see store.Store.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{Sources: map[string]int{}}
	err := s.with(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT source, COUNT(*), COALESCE(SUM(revision), 0) FROM articles GROUP BY source`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var src string
			var n, revs int64
			if err := rows.Scan(&src, &n, &revs); err != nil {
				return err
			}
			st.Sources[src] = int(n)
			st.Articles += int(n)
			st.Revisions += int(revs)
		}
		return rows.Err()
	})
	if err != nil {
		return store.Stats{}, fmt.Errorf("store: postgres stats: %w", err)
	}
	return st, nil
}
