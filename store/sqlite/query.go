package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

type scanner interface{ Scan(dest ...any) error }

// scanArticle reads the sqlrow.Columns of one row, followed by extra;
// the order of its destinations is that of the list.
func scanArticle(sc scanner, extra ...any) (*newsflow.Article, int, error) {
	var (
		a                                                   newsflow.Article
		canonical, authors, published, modified, lang, desc sql.NullString
		image, site, section, tags, fetched, extractor      sql.NullString
		revision                                            int
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
	row := s.r.QueryRowContext(ctx, `SELECT `+sqlrow.Columns+` FROM articles a WHERE a.id = ?`, id)
	a, rev, err := scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("store: sqlite get %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: sqlite get %s: %w", id, err)
	}
	return a, rev, nil
}

// Export calls fn for each article matching f, in first-stored order; see
// store.Store.
func (s *Store) Export(ctx context.Context, f store.Filter, fn func(*newsflow.Article) error) error {
	var where []string
	var args []any
	if f.Source != "" {
		where = append(where, "a.source = ?")
		args = append(args, f.Source)
	}
	if !f.Since.IsZero() {
		where = append(where, "a.updated_at >= ?")
		args = append(args, formatTime(f.Since))
	}
	q := `SELECT ` + sqlrow.Columns + ` FROM articles a`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY a.first_stored_at, a.rowid`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: sqlite export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, _, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("store: sqlite export: %w", err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: sqlite export: %w", err)
	}
	return nil
}

// Stats counts what is stored; see store.Store.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{Sources: map[string]int{}}
	rows, err := s.r.QueryContext(ctx, `SELECT source, COUNT(*), COALESCE(SUM(revision), 0) FROM articles GROUP BY source`)
	if err != nil {
		return store.Stats{}, fmt.Errorf("store: sqlite stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src string
		var n, revs int
		if err := rows.Scan(&src, &n, &revs); err != nil {
			return store.Stats{}, fmt.Errorf("store: sqlite stats: %w", err)
		}
		st.Sources[src] = n
		st.Articles += n
		st.Revisions += revs
	}
	if err := rows.Err(); err != nil {
		return store.Stats{}, fmt.Errorf("store: sqlite stats: %w", err)
	}
	return st, nil
}
