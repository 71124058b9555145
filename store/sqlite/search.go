package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"

	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

// Search runs an FTS5 query over titles and texts, ranked by bm25 with the
// title weighing twice the text; see store.Store. Plain words are quoted so
// that punctuation in them ("covid-19") is not read as query syntax; a
// query using FTS5 syntax (quotes, *, parentheses, AND, OR, NOT, NEAR) is
// passed on as written.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]store.Hit, error) {
	match := matchExpr(query)
	if match == "" {
		return nil, fmt.Errorf("store: sqlite search: %w: empty query", store.ErrBadQuery)
	}
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

// matchExpr turns a user query into an FTS5 MATCH expression.
func matchExpr(query string) string {
	query = strings.TrimSpace(query)
	if query == "" {
		return ""
	}
	if strings.ContainsAny(query, `"*()^`) {
		return query
	}
	words := strings.Fields(query)
	for _, w := range words {
		switch w {
		case "AND", "OR", "NOT", "NEAR":
			return query
		}
	}
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	return strings.Join(words, " ")
}
