package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

// headlineOptions make ts_headline mark words like SQLite's snippet does.
var headlineOptions = fmt.Sprintf(`StartSel="%s", StopSel="%s", MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=" … "`,
	store.SnippetStart, store.SnippetEnd)

// Search runs websearch_to_tsquery over titles (weight A) and texts
// (weight B), ranked by ts_rank; see store.Store. The query syntax is the
// web search one: plain words, "quoted phrases", or, -word; it accepts any
// input.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]store.Hit, error) {
	if strings.TrimSpace(query) == "" {
		return nil, fmt.Errorf("store: postgres search: %w: empty query", store.ErrBadQuery)
	}
	if limit <= 0 {
		limit = 20
	}
	var hits []store.Hit
	err := s.with(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT `+sqlrow.Columns+`,
			ts_headline('simple', a.title || E'\n\n' || a.text, q, $3),
			ts_rank(a.search, q) AS rank
		FROM articles a, websearch_to_tsquery('simple', $1) q
		WHERE a.search @@ q
		ORDER BY rank DESC, a.first_stored_at, a.seq
		LIMIT $2`, query, limit, headlineOptions)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h store.Hit
			var rank float32
			a, _, err := scanArticle(rows, &h.Snippet, &rank)
			if err != nil {
				return err
			}
			h.Article, h.Rank = a, float64(rank)
			hits = append(hits, h)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, searchError(query, err)
	}
	return hits, nil
}

// searchError tells a query the server rejected (syntax error class 42601,
// or a text search error class 22) from a database failure.
func searchError(query string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42601" || strings.HasPrefix(pe.Code, "22")) {
		return fmt.Errorf("store: postgres search %q: %w: %v", query, store.ErrBadQuery, err)
	}
	return fmt.Errorf("store: postgres search %q: %w", query, err)
}
