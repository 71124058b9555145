package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
)

func init() {
	register(command{name: "search", args: "QUERY", summary: `full-text search: words, "a phrase", word*, -word, a OR b, (groups)`, run: runSearch})
}

func runSearch(ctx context.Context, env Env, args []string) error {
	f := newFlags("search", env)
	limit := f.fs.Int("limit", 10, "results to show")
	asJSON := f.fs.Bool("json", false, "print JSON Lines: {rank, snippet, article}")
	flags, words := splitQuery(args, f)
	if err := f.parse(flags); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(append(words, f.fs.Args()...), " "))
	if query == "" {
		return usageError{"no QUERY given"}
	}
	s, err := f.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	hits, err := s.Search(ctx, query, *limit)
	if errors.Is(err, store.ErrBadQuery) {
		detail := err.Error()
		if i := strings.LastIndex(detail, store.ErrBadQuery.Error()+": "); i >= 0 {
			detail = detail[i+len(store.ErrBadQuery.Error())+2:]
		}
		return usageError{fmt.Sprintf("bad search query %q: %s\n(syntax: words, \"a phrase\", word*, -word or NOT word, a OR b, parentheses)", query, detail)}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := jsonLines(env.Stdout)
		for _, h := range hits {
			if err := enc.Encode(searchRow{Rank: h.Rank, Snippet: h.Snippet, Article: h.Article}); err != nil {
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

// searchRow is one line of `search --json`: the rank (higher is better,
// comparable within one search), the snippet with matches between
// store.SnippetStart and store.SnippetEnd, and the article as the message
// newsflow.article/v1 has it.
type searchRow struct {
	Rank    float64           `json:"rank"`
	Snippet string            `json:"snippet"`
	Article *newsflow.Article `json:"article"`
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// splitQuery separates the flags of a search from the words of its query,
// so that an excluded word (-putin) is not taken for a flag: an argument
// that starts with "--" (or is -h) is a flag, the value of a flag that
// takes one follows it, and everything after "--" is query.
func splitQuery(args []string, f *common) (flags, words []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(words, args[i+1:]...)
		case a == "-h":
			flags = append(flags, a)
		case strings.HasPrefix(a, "--") && len(a) > 2:
			flags = append(flags, a)
			name := strings.TrimPrefix(a, "--")
			if fl := f.fs.Lookup(name); fl != nil && !strings.Contains(name, "=") && fl.NoOptDefVal == "" && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			words = append(words, a)
		}
	}
	return flags, words
}
