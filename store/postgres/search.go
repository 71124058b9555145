package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsflow/newsflow/store"
	squery "github.com/newsflow/newsflow/store/internal/query"
	"github.com/newsflow/newsflow/store/internal/sqlrow"
)

// headlineOptions make ts_headline mark words like SQLite's snippet does.
var headlineOptions = fmt.Sprintf(`StartSel="%s", StopSel="%s", MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=" … "`,
	store.SnippetStart, store.SnippetEnd)

// Search runs a query (the syntax of package store/internal/query, the
// same on every backend) as a tsquery over titles (weight A) and texts
// (weight B), ranked by ts_rank; see store.Store.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]store.Hit, error) {
	parsed, err := squery.Parse(query)
	if err != nil {
		return nil, fmt.Errorf("store: postgres search %q: %w: %w", query, store.ErrBadQuery, err)
	}
	if limit <= 0 {
		limit = 20
	}
	args := []any{limit, headlineOptions}
	tsq := squery.TSQuery(parsed, func(v string) string {
		args = append(args, v)
		return fmt.Sprintf("$%d::text", len(args))
	})
	var hits []store.Hit
	err = s.with(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT `+sqlrow.Columns+`,
			ts_headline('simple', a.title || E'\n\n' || a.text, q, $2),
			ts_rank(a.search, q) AS rank
		FROM articles a, (SELECT `+tsq+`) AS query(q)
		WHERE a.search @@ q
		ORDER BY rank DESC, a.first_stored_at, a.seq
		LIMIT $1`, args...)
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
