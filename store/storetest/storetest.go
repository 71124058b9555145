// Package storetest is the behaviour every store.Store must show, as one
// test suite that each backend's tests run against a fresh database.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
)

// Options tell the suite what differs between backends.
type Options struct {
	// StrictSyntax is no longer used: every backend reads one query
	// syntax (store/internal/query). Kept so that callers still build.
	// Before: the backend rejects malformed queries with
	// store.ErrBadQuery (SQLite FTS5) instead of reading them leniently
	// (PostgreSQL websearch_to_tsquery).
	StrictSyntax bool
}

// Open returns a new, empty store for one test; the suite closes it.
type Open func(t *testing.T) store.Store

// Run runs every case of the suite, each against its own store.
func Run(t *testing.T, open Open, o Options) {
	cases := []struct {
		name string
		run  func(t *testing.T, s store.Store, o Options)
	}{
		{"InsertAndGet", testInsertAndGet},
		{"Unchanged", testUnchanged},
		{"UpdateIncrementsRevision", testUpdate},
		{"StaleVersionKept", testStale},
		{"MixedBatch", testMixedBatch},
		{"GetNotFound", testGetNotFound},
		{"Search", testSearch},
		{"SearchSyntax", testSearchSyntax},
		{"Export", testExport},
		{"Stats", testStats},
		{"ConcurrentUpserts", testConcurrent},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			if err := s.Ping(context.Background()); err != nil {
				t.Fatalf("ping: %v", err)
			}
			c.run(t, s, o)
		})
	}
}

var fetched = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// Article returns a sealed article of source at url with title and text.
func Article(source, url, title, text string) *newsflow.Article {
	a := &newsflow.Article{URL: url, Title: title, Text: text}
	a.Seal(source, fetched)
	return a
}

func full() *newsflow.Article {
	a := &newsflow.Article{
		URL:              "https://news.example/2026/11/24/storm?utm=x",
		CanonicalURL:     "https://news.example/2026/11/24/storm",
		Title:            "Storm reaches the coast",
		Authors:          []string{"Ada Lovelace", "Grace Hopper"},
		PublishedAt:      time.Date(2026, 11, 24, 6, 30, 0, 0, time.FixedZone("CET", 3600)),
		ModifiedAt:       time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC),
		Language:         "en",
		Description:      "A storm.",
		Text:             "The storm reached the coast at dawn.\n\nThousands lost power.",
		Image:            "https://news.example/storm.jpg",
		SiteName:         "Example News",
		Section:          "Weather",
		Tags:             []string{"storm", "coast"},
		Paywalled:        true,
		ExtractorVersion: "1.2.3",
	}
	a.RawPage = "newsflow-20261124100000-00001.warc.gz#1234"
	a.NearDuplicateOf, a.NearDuplicateSimilarity = "0123456789abcdef0123456789abcdef", 0.875
	a.Seal("example", fetched)
	return a
}

func upsert(t *testing.T, s store.Store, as ...*newsflow.Article) []store.Outcome {
	t.Helper()
	outs, err := s.Upsert(context.Background(), as)
	if err != nil {
		t.Fatalf("upsert: %v", err)
	}
	if len(outs) != len(as) {
		t.Fatalf("upsert returned %d outcomes for %d articles", len(outs), len(as))
	}
	return outs
}

func get(t *testing.T, s store.Store, id string) (*newsflow.Article, int) {
	t.Helper()
	a, rev, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return a, rev
}

func sameArticle(t *testing.T, got, want *newsflow.Article) {
	t.Helper()
	g, w := *got, *want
	if !g.PublishedAt.Equal(w.PublishedAt) || !g.ModifiedAt.Equal(w.ModifiedAt) || !g.FetchedAt.Equal(w.FetchedAt) {
		t.Errorf("times: got %v %v %v, want %v %v %v", g.PublishedAt, g.ModifiedAt, g.FetchedAt, w.PublishedAt, w.ModifiedAt, w.FetchedAt)
	}
	g.PublishedAt, g.ModifiedAt, g.FetchedAt = w.PublishedAt, w.ModifiedAt, w.FetchedAt
	if fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", w) {
		t.Errorf("article round trip:\n got %#v\nwant %#v", g, w)
	}
}

func testInsertAndGet(t *testing.T, s store.Store, _ Options) {
	a := full()
	if outs := upsert(t, s, a); outs[0] != store.Inserted {
		t.Fatalf("outcome = %v, want inserted", outs[0])
	}
	got, rev := get(t, s, a.ID)
	if rev != 1 {
		t.Fatalf("revision = %d, want 1", rev)
	}
	sameArticle(t, got, a)
	// Empty optional fields stay empty.
	m := Article("min", "https://min.example/1", "", "")
	upsert(t, s, m)
	gm, _ := get(t, s, m.ID)
	sameArticle(t, gm, m)
}

func testUnchanged(t *testing.T, s store.Store, _ Options) {
	a := full()
	upsert(t, s, a)
	again := full()
	again.FetchedAt = fetched.Add(time.Hour)
	if outs := upsert(t, s, again); outs[0] != store.Unchanged {
		t.Fatalf("same content: outcome = %v, want unchanged", outs[0])
	}
	got, rev := get(t, s, a.ID)
	if rev != 1 || !got.FetchedAt.Equal(again.FetchedAt) {
		t.Fatalf("after refetch: revision %d fetched_at %v; want 1 and %v", rev, got.FetchedAt, again.FetchedAt)
	}
}

func testUpdate(t *testing.T, s store.Store, _ Options) {
	a := full()
	upsert(t, s, a)
	b := full()
	b.Text += "\n\nPower is back."
	b.Seal("example", fetched.Add(time.Hour))
	if outs := upsert(t, s, b); outs[0] != store.Updated {
		t.Fatalf("changed content: outcome = %v, want updated", outs[0])
	}
	got, rev := get(t, s, a.ID)
	if rev != 2 {
		t.Fatalf("revision = %d, want 2", rev)
	}
	sameArticle(t, got, b)
	c := full()
	c.Title = "Storm leaves the coast"
	c.Seal("example", fetched.Add(2*time.Hour))
	upsert(t, s, c)
	if _, rev := get(t, s, a.ID); rev != 3 {
		t.Fatalf("revision after a second change = %d, want 3", rev)
	}
}

func testStale(t *testing.T, s store.Store, _ Options) {
	newer := full()
	newer.Text = "newest text"
	newer.Seal("example", fetched.Add(time.Hour))
	upsert(t, s, newer)
	older := full() // fetched earlier, other content: a late redelivery
	if outs := upsert(t, s, older); outs[0] != store.Unchanged {
		t.Fatalf("older version: outcome = %v, want unchanged", outs[0])
	}
	got, rev := get(t, s, newer.ID)
	if rev != 1 || got.Text != "newest text" {
		t.Fatalf("older version overwrote the newer: revision %d text %q", rev, got.Text)
	}
}

func testMixedBatch(t *testing.T, s store.Store, _ Options) {
	known := Article("s", "https://e.example/known", "Known", "known text")
	changing := Article("s", "https://e.example/changing", "Changing", "v1")
	upsert(t, s, known, changing)
	changed := Article("s", "https://e.example/changing", "Changing", "v2")
	fresh := Article("s", "https://e.example/fresh", "Fresh", "fresh text")
	freshAgain := Article("s", "https://e.example/fresh", "Fresh", "fresh text")
	outs := upsert(t, s, known, changed, fresh, freshAgain)
	want := []store.Outcome{store.Unchanged, store.Updated, store.Inserted, store.Unchanged}
	if !slices.Equal(outs, want) {
		t.Fatalf("outcomes = %v, want %v", outs, want)
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Articles != 3 {
		t.Fatalf("stats = %+v, %v; want 3 articles", st, err)
	}
}

func testGetNotFound(t *testing.T, s store.Store, _ Options) {
	_, _, err := s.Get(context.Background(), newsflow.ArticleID("https://nowhere.example/"))
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get of an unknown id: %v, want ErrNotFound", err)
	}
}

func testSearch(t *testing.T, s store.Store, _ Options) {
	ctx := context.Background()
	inTitle := Article("s", "https://e.example/1", "Volcano erupts in Iceland", "Lava flows reached the town. Residents left.")
	inText := Article("s", "https://e.example/2", "Travel news", "Flights were cancelled because a volcano erupted near the airport.")
	other := Article("s", "https://e.example/3", "Markets", "Shares rose on Tuesday after the covid-19 report.")
	upsert(t, s, inTitle, inText, other)

	hits, err := s.Search(ctx, "volcano", 10)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if len(hits) != 2 || hits[0].Article.ID != inTitle.ID || hits[1].Article.ID != inText.ID {
		t.Fatalf("search volcano: %d hits %v, want the title match first, then the text match", len(hits), ids(hits))
	}
	if hits[0].Rank < hits[1].Rank {
		t.Errorf("ranks not in order: %v < %v", hits[0].Rank, hits[1].Rank)
	}
	mark := store.SnippetStart + "volcano" + store.SnippetEnd
	if !strings.Contains(strings.ToLower(hits[1].Snippet), mark) {
		t.Errorf("snippet %q does not mark %q", hits[1].Snippet, mark)
	}
	if hits[0].Article.Title != inTitle.Title || hits[0].Article.Text != inTitle.Text {
		t.Errorf("hit article incomplete: %+v", hits[0].Article)
	}
	for q, want := range map[string]int{
		"Volcano Iceland": 1, "covid-19": 1, "COVID-19 report": 1, "shares, tuesday": 1,
		"nothing-like-this": 0, "lava": 1, "it's": 0, "volcano": 2,
	} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || len(hits) != want {
			t.Errorf("search %q = %d hits %v, %v; want %d", q, len(hits), ids(hits), err, want)
		}
	}
	if hits, err := s.Search(ctx, "volcano", 1); err != nil || len(hits) != 1 {
		t.Errorf("search with limit 1 = %d hits, %v", len(hits), err)
	}
	// An update is searchable under its new words only.
	upd := Article("s", "https://e.example/3", "Markets", "Shares fell on Wednesday.")
	upd.FetchedAt = fetched.Add(time.Hour)
	upsert(t, s, upd)
	if hits, _ := s.Search(ctx, "tuesday", 10); len(hits) != 0 {
		t.Errorf("old words of an updated article still found: %v", ids(hits))
	}
	if hits, _ := s.Search(ctx, "wednesday", 10); len(hits) != 1 {
		t.Errorf("new words of an updated article not found: %v", ids(hits))
	}
}

func ids(hits []store.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Article.URL)
	}
	return out
}

// testSearchSyntax checks the one query syntax of every backend: the same
// query finds the same articles, and a query that cannot mean anything is
// an error wrapping ErrBadQuery that says why, never the engine's own.
func testSearchSyntax(t *testing.T, s store.Store, o Options) {
	ctx := context.Background()
	upsert(t, s,
		Article("s", "https://e.example/1", "Quotes", `He said "hello" and left (quickly).`),
		Article("s", "https://e.example/2", "Volcano erupts in Iceland", "Lava flows reached the town after the covid-19 rules ended."),
		Article("s", "https://e.example/3", "Volcanic ash over Norway", "Flights were cancelled in Oslo."),
		Article("s", "https://e.example/4", "Markets", "Shares rose in Oslo on Tuesday."),
	)
	for q, want := range map[string]string{
		`hello`:                     "1",
		`"hello"`:                   "1",
		`HELLO`:                     "1",
		`hel*`:                      "1",
		`volcan*`:                   "2 3",
		`volcan* -norway`:           "2",
		`volcan* -"ash over"`:       "2",
		`volcan* NOT norway`:        "2",
		`oslo`:                      "3 4",
		`oslo -shares`:              "3",
		`iceland OR norway`:         "2 3",
		`(iceland OR norway) lava`:  "2",
		`(iceland OR markets) oslo`: "4",
		`"lava flows"`:              "2",
		`"flows lava"`:              "",
		`covid-19`:                  "2",
		`covid-19 AND lava`:         "2",
		`it's`:                      "",
		`title:`:                    "",
		`hello (quickly`:            "error",
		`hello)`:                    "error",
		`"unbalanced`:               "error",
		`-`:                         "error",
		`-hello`:                    "error",
		`hello OR`:                  "error",
		`OR hello`:                  "error",
		`***`:                       "error",
		`   `:                       "error",
		`hello OR -oslo`:            "error",
	} {
		hits, err := s.Search(ctx, q, 10)
		if want == "error" {
			if !errors.Is(err, store.ErrBadQuery) {
				t.Errorf("search %q: %v, want ErrBadQuery", q, err)
			} else if strings.Contains(err.Error(), "fts5") || strings.Contains(err.Error(), "SQLSTATE") {
				t.Errorf("search %q: the engine's own error reached the user: %v", q, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("search %q: %v", q, err)
			continue
		}
		var got []string
		for _, h := range hits {
			got = append(got, strings.TrimPrefix(h.Article.URL, "https://e.example/"))
		}
		slices.Sort(got)
		if strings.Join(got, " ") != want {
			t.Errorf("search %q: articles %q, want %q", q, strings.Join(got, " "), want)
		}
	}
}

func export(t *testing.T, s store.Store, f store.Filter) []string {
	t.Helper()
	var urls []string
	err := s.Export(context.Background(), f, func(a *newsflow.Article) error {
		urls = append(urls, a.URL)
		return nil
	})
	if err != nil {
		t.Fatalf("export %+v: %v", f, err)
	}
	return urls
}

func testExport(t *testing.T, s store.Store, _ Options) {
	a1 := Article("a", "https://a.example/1", "A1", "one")
	b1 := Article("b", "https://b.example/1", "B1", "one")
	a2 := Article("a", "https://a.example/2", "A2", "two")
	upsert(t, s, a1)
	upsert(t, s, b1)
	upsert(t, s, a2)
	// Stores may keep times to the microsecond only: leave a margin of a
	// millisecond on each side of mid.
	mid := time.Now().Add(time.Millisecond)
	for !time.Now().After(mid.Add(time.Millisecond)) {
		time.Sleep(time.Millisecond)
	}
	a1v2 := Article("a", "https://a.example/1", "A1", "one, revised")
	a1v2.FetchedAt = fetched.Add(time.Hour)
	b2 := Article("b", "https://b.example/2", "B2", "two")
	upsert(t, s, a1v2, b2)

	for _, c := range []struct {
		f    store.Filter
		want []string
	}{
		{store.Filter{}, []string{a1.URL, b1.URL, a2.URL, b2.URL}},
		{store.Filter{Source: "a"}, []string{a1.URL, a2.URL}},
		{store.Filter{Limit: 2}, []string{a1.URL, b1.URL}},
		{store.Filter{Since: mid}, []string{a1.URL, b2.URL}},
		{store.Filter{Since: mid, Source: "b"}, []string{b2.URL}},
		{store.Filter{Source: "none"}, nil},
	} {
		if got := export(t, s, c.f); !slices.Equal(got, c.want) {
			t.Errorf("export %+v = %v, want %v", c.f, got, c.want)
		}
	}
	stop := errors.New("stop")
	n := 0
	err := s.Export(context.Background(), store.Filter{}, func(*newsflow.Article) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("export with a failing fn: %d calls, %v", n, err)
	}
}

func testStats(t *testing.T, s store.Store, _ Options) {
	st, err := s.Stats(context.Background())
	if err != nil || st.Articles != 0 || st.Revisions != 0 {
		t.Fatalf("empty stats = %+v, %v", st, err)
	}
	upsert(t, s, Article("a", "https://a.example/1", "A", "1"), Article("a", "https://a.example/2", "A", "2"), Article("b", "https://b.example/1", "B", "1"))
	v2 := Article("a", "https://a.example/1", "A", "1 changed")
	v2.FetchedAt = fetched.Add(time.Minute)
	upsert(t, s, v2)
	st, err = s.Stats(context.Background())
	if err != nil || st.Articles != 3 || st.Revisions != 4 || st.Sources["a"] != 2 || st.Sources["b"] != 1 {
		t.Fatalf("stats = %+v, %v; want 3 articles (a 2, b 1), 4 revisions", st, err)
	}
}

func testConcurrent(t *testing.T, s store.Store, _ Options) {
	const workers = 8
	var wg sync.WaitGroup
	outs := make([][]store.Outcome, workers)
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			batch := []*newsflow.Article{
				Article("c", "https://c.example/same", "Same", "same text"),
				Article("c", fmt.Sprintf("https://c.example/own-%d", i), "Own", "own text"),
				Article("c", "https://c.example/other", "Other", "other text"),
			}
			outs[i], errs[i] = s.Upsert(context.Background(), batch)
		}()
	}
	wg.Wait()
	inserted := map[int]int{}
	for i := range workers {
		if errs[i] != nil {
			t.Fatalf("concurrent upsert %d: %v", i, errs[i])
		}
		for j, o := range outs[i] {
			if o == store.Inserted {
				inserted[j]++
			}
		}
	}
	if inserted[0] != 1 || inserted[1] != workers || inserted[2] != 1 {
		t.Fatalf("inserted per batch position = %v, want 1, %d, 1", inserted, workers)
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Articles != workers+2 || st.Revisions != workers+2 {
		t.Fatalf("stats after concurrent upserts = %+v, %v; want %d articles, revision 1 each", st, err, workers+2)
	}
}
