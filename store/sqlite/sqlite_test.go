package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsflow/newsflow"

	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "dir", "news.db"))
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return s
	}, storetest.Options{StrictSyntax: true})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "news.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a := storetest.Article("s", "https://e.example/1", "T", "text")
	if _, err := s.Upsert(ctx, []*newsflow.Article{a}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, rev, err := s.Get(ctx, a.ID); err != nil || rev != 1 {
		t.Fatalf("after reopen: rev %d, %v", rev, err)
	}
	var v int
	if err := s.r.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("user_version = %d, %v; want %d", v, err, len(migrations))
	}
	if hits, err := s.Search(ctx, "text", 5); err != nil || len(hits) != 1 {
		t.Fatalf("search after reopen: %d, %v", len(hits), err)
	}
}

func TestClosedStoreFails(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.Ping(ctx); err == nil {
		t.Fatal("ping of a closed store: no error")
	}
	if _, err := s.Upsert(ctx, []*newsflow.Article{storetest.Article("s", "https://e.example/1", "T", "x")}); err == nil {
		t.Fatal("upsert into a closed store: no error")
	}
}

func TestOpenRejectsMemory(t *testing.T) {
	if _, err := Open(context.Background(), ":memory:"); err == nil {
		t.Fatal("open :memory:: no error")
	}
}
