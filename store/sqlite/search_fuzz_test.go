package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/storetest"
)

// FuzzSearch checks that any user query either runs or fails with
// ErrBadQuery, never with another error or a panic.
func FuzzSearch(f *testing.F) {
	for _, q := range []string{"volcano", `"unbalanced`, "a AND", "NEAR(a b, 2)", "title:x", "-", "x*", "(", "^a", `a"b`, "covid-19", "ü ß 東京"} {
		f.Add(q)
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(f.TempDir(), "news.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Upsert(ctx, []*newsflow.Article{storetest.Article("s", "https://e.example/1", "Volcano", "Lava in 東京")}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := s.Search(ctx, q, 5); err != nil && !errors.Is(err, store.ErrBadQuery) {
			t.Fatalf("search %q: %v", q, err)
		}
	})
}
