package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

func init() {
	register(command{name: "search", args: "QUERY", summary: "full-text search over the stored articles", run: runSearch})
}

func runSearch(ctx context.Context, env Env, args []string) error {
	f := newFlags("search", env)
	limit := f.fs.Int("limit", 10, "results to show")
	asJSON := f.fs.Bool("json", false, "print JSON Lines (article, snippet, rank)")
	if err := f.parse(args); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(f.fs.Args(), " "))
	if query == "" {
		return usageError{"no QUERY given"}
	}
	s, err := f.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	hits, err := s.Search(ctx, query, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, h := range hits {
			if err := enc.Encode(h); err != nil {
				return err
			}
		}
		return nil
	}
	if len(hits) == 0 {
		fmt.Fprintf(env.Stdout, "no article matches %q\n", query)
		return nil
	}
	for i, h := range hits {
		a := h.Article
		date := ""
		if !a.PublishedAt.IsZero() {
			date = a.PublishedAt.Format(time.DateOnly) + "  "
		}
		fmt.Fprintf(env.Stdout, "%d. %s\n   %s%s  [%s]\n   %s\n\n", i+1, a.Title, date, a.URL, a.Source, oneLine(h.Snippet))
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
