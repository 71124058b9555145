package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store/storetest"
)

// BenchmarkUpsert100 measures one batch of 100 new articles, the store
// worker's default batch.
func BenchmarkUpsert100(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "news.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	text := "A paragraph of an article with a few dozen words in it, enough to index. "
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		batch := make([]*newsflow.Article, 100)
		for i := range batch {
			n++
			batch[i] = storetest.Article("bench", fmt.Sprintf("https://e.example/%d", n), "Title", text+text+text)
		}
		if _, err := s.Upsert(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}
