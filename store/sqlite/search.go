package sqlite

import (
	"context"
	"errors"
	"fmt"

	"modernc.org/sqlite"

	"github.com/newsflow/newsflow/store"
	squery "github.com/newsflow/newsflow/store/internal/query"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

// Search runs a query (the syntax of package store/internal/query, the
// same on every backend) as an FTS5 MATCH over titles and texts, ranked by
// bm25 with the title weighing twice the text; see store.Store.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]store.Hit, error) {
	parsed, err := squery.Parse(query)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite search %q: %w: %w", query, store.ErrBadQuery, err)
	}
	match := squery.FTS5(parsed)
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+sqlrow.Columns+`,
			snippet(articles_fts, -1, ?, ?, '…', 16),
			-bm25(articles_fts, 2.0, 1.0) AS rank
		FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
		WHERE articles_fts MATCH ?
		ORDER BY rank DESC, a.first_stored_at
		LIMIT ?`, store.SnippetStart, store.SnippetEnd, match, limit)
	if err != nil {
		return nil, searchError(query, err)
	}
	defer rows.Close()
	var hits []store.Hit
	for rows.Next() {
		var h store.Hit
		a, _, err := scanArticle(rows, &h.Snippet, &h.Rank)
		if err != nil {
			return nil, searchError(query, err)
		}
		h.Article = a
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, searchError(query, err)
	}
	return hits, nil
}

// searchError tells a query the engine rejected from a database failure.
func searchError(query string, err error) error {
	// SQLITE_ERROR (1) from a MATCH is FTS5 rejecting the query; a broken
	// database gives other codes (busy, I/O, corrupt, closed).
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code() == 1 {
		return fmt.Errorf("store: sqlite search %q: %w: %v", query, store.ErrBadQuery, err)
	}
	return fmt.Errorf("store: sqlite search %q: %w", query, err)
}
