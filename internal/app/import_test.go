package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/internal/fixture"
)

// archived is when the test WARC says its pages were fetched.
var archived = time.Date(2024, 3, 7, 9, 30, 0, 0, time.UTC)

// warcOfSite fetches every article page of the fixture site, the pages
// that must not become articles, and a wire copy of one article on another
// outlet, into one WARC file (gzipped per record unless plain), as an
// archiving crawler would have stored them. It returns the file and the
// URL of the wire copy.
func warcOfSite(t *testing.T, site *fixture.Site, plain bool) (string, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, archive.WriterOptions{Uncompressed: plain})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (*http.Response, []byte) {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	var urls []string
	for _, a := range site.Articles() {
		urls = append(urls, a.URL)
	}
	for u, kind := range site.FailingURLs() {
		if kind == "http_404" || kind == "not_html" {
			urls = append(urls, u)
		}
	}
	var copyURL string
	var first []byte
	for i, u := range urls {
		resp, body := get(u)
		if i == 0 {
			first = body
		}
		if _, err := w.WriteResponse(archive.Response{URL: u, Date: archived.Add(time.Duration(i) * time.Second), Status: resp.StatusCode, Header: resp.Header, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	// The first story again, on an outlet of its own, last.
	copyURL = "https://valley-daily.example/news/" + filepath.Base(urls[0])
	page := strings.Replace(string(first), "<h1", "<p>By Maria Keller, Valley Daily</p><h1", 1)
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	if _, err := w.WriteResponse(archive.Response{URL: copyURL, Date: archived.Add(time.Hour), Status: 200, Header: h, Body: []byte(page)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, copyURL
}

// theWARC returns the one file warcOfSite wrote in dir.
func theWARC(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	if len(files) != 1 {
		t.Fatalf("WARC files: %v", files)
	}
	return files[0]
}

// newsMessages returns every article on the NEWS stream.
func newsMessages(t testing.TB, a *App) []*newsflow.Article {
	t.Helper()
	infos, err := a.Bus.Streams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, s := range infos {
		if s.Name == "NEWS" {
			n = s.Messages
		}
	}
	var out []*newsflow.Article
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	err = a.Bus.Tail(ctx, "", time.Time{}, true, func(art *newsflow.Article) error {
		mu.Lock()
		defer mu.Unlock()
		out = append(out, art)
		if uint64(len(out)) == n {
			cancel()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func importConfig(t *testing.T) *newsflow.Config {
	t.Helper()
	cfg := &newsflow.Config{DataDir: t.TempDir()}
	cfg.HTTP.Listen = "off"
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestImportWARC imports the fixture site from a WARC file into the store
// and checks every article, the skips, fetched_at, the wire copy, and
// that a second run publishes nothing.
func TestImportWARC(t *testing.T) {
	site := startSite(t)
	dir, copyURL := warcOfSite(t, site, false)
	file := theWARC(t, dir)
	cfg := importConfig(t)
	a := openApp(t, cfg)
	ctx := context.Background()
	results, err := a.ImportAll(ctx, []string{file}, ImportOptions{Source: "archive"}, true)
	if err != nil {
		t.Fatal(err)
	}
	res := results[0]
	t.Logf("outcomes: %v", res.Outcomes)
	articles := site.Articles()
	if res.Outcomes["published"] != len(articles)+1 {
		t.Errorf("published %d, want %d (the site's articles and the wire copy)", res.Outcomes["published"], len(articles)+1)
	}
	if res.Outcomes["not_html"] == 0 || res.Outcomes[archive.SkipNotOK] == 0 {
		t.Errorf("the 404 and non-HTML records are not reported: %v", res.Outcomes)
	}
	got := stored(t, a.Store)
	for _, w := range articles {
		g := got[w.URL]
		if g == nil {
			t.Errorf("missing article %s", w.URL)
			continue
		}
		if g.Title != w.Title || g.Source != "archive" {
			t.Errorf("%s: title %q source %q", w.URL, g.Title, g.Source)
		}
		for _, p := range w.Paragraphs {
			if !strings.Contains(squash(g.Text), squash(p)) {
				t.Errorf("%s: paragraph missing: %.60q", w.URL, p)
			}
		}
		if g.FetchedAt.Before(archived) || g.FetchedAt.After(archived.Add(time.Hour)) {
			t.Errorf("%s: fetched_at %v, want the archive's date", w.URL, g.FetchedAt)
		}
	}
	msgs := newsMessages(t, a)
	var copies int
	for _, m := range msgs {
		if m.URL == copyURL {
			copies++
			if m.NearDuplicateOf != newsflow.ArticleID(articles[0].URL) && m.NearDuplicateOf == "" {
				t.Errorf("wire copy not marked: %+v", m.NearDuplicateOf)
			}
		} else if m.NearDuplicateOf != "" {
			t.Errorf("%s marked as a copy of %s", m.URL, m.NearDuplicateOf)
		}
	}
	if copies != 1 {
		t.Errorf("wire copy published %d times", copies)
	}
	if g := got[copyURL]; g == nil || g.NearDuplicateOf == "" || g.RawPage == "" {
		t.Errorf("stored wire copy lacks its near-duplicate mark or raw page: %+v", g)
	}

	// A second run finds the file done and publishes nothing; one that
	// reads it again from the start publishes nothing either.
	results, err = a.ImportAll(ctx, []string{file}, ImportOptions{Source: "archive"}, true)
	if err != nil || !results[0].AlreadyDone || results[0].Records != 0 {
		t.Errorf("second run: %+v %v", results[0], err)
	}
	results, err = a.ImportAll(ctx, []string{file}, ImportOptions{Source: "archive", Restart: true}, true)
	if err != nil || results[0].Outcomes["published"] != 0 || results[0].Outcomes["unchanged"] != len(articles)+1 {
		t.Errorf("run with --restart: %+v %v", results[0], err)
	}
	if n := len(newsMessages(t, a)); n != len(msgs) {
		t.Errorf("NEWS holds %d messages after the reruns, %d before", n, len(msgs))
	}
}

// TestImportResumes imports a file cut half-way (a download stopped), then
// the whole file: the second run starts where the first stopped and every
// article is published exactly once. It reads over HTTP, plain and per
// record gzipped.
func TestImportResumes(t *testing.T) {
	site := startSite(t)
	for _, plain := range []bool{false, true} {
		dir, _ := warcOfSite(t, site, plain)
		file := theWARC(t, dir)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		served := data[:len(data)/2]
		srv := newRangeServer(t, func() []byte { mu.Lock(); defer mu.Unlock(); return served })
		u := srv + "/CC-NEWS-20240307.warc"
		if !plain {
			u += ".gz"
		}
		cfg := importConfig(t)
		a := openApp(t, cfg)
		ctx := context.Background()
		opts := ImportOptions{Match: regexp.MustCompile(`^http://127\.0\.0\.1`)}
		first, err := a.ImportAll(ctx, []string{u}, opts, true)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		served = data
		mu.Unlock()
		second, err := a.ImportAll(ctx, []string{u}, opts, true)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("plain %v: first run %+v; second %+v", plain, first[0], second[0])
		if second[0].From == 0 || second[0].AlreadyDone {
			t.Errorf("second run did not resume: from %d", second[0].From)
		}
		want := len(site.Articles())
		if p := first[0].Outcomes["published"] + second[0].Outcomes["published"]; p != want || first[0].Outcomes["published"] == 0 {
			t.Errorf("published %d + %d, want %d in all", first[0].Outcomes["published"], second[0].Outcomes["published"], want)
		}
		if second[0].Outcomes["filtered"] != 1 {
			t.Errorf("the wire copy on another host was not filtered out by --match: %v", second[0].Outcomes)
		}
		msgs := newsMessages(t, a)
		seen := map[string]int{}
		for _, m := range msgs {
			seen[m.ID]++
		}
		if len(msgs) != want || len(seen) != want {
			t.Errorf("NEWS holds %d messages of %d articles, want %d", len(msgs), len(seen), want)
		}
		if got := stored(t, a.Store); len(got) != want {
			t.Errorf("%d articles stored, want %d", len(got), want)
		}
		a.Close()
	}
}

// newRangeServer serves the bytes body() gives at any path, with range
// requests, as archives' web servers do.
func newRangeServer(t *testing.T, body func() []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "x", archived, bytes.NewReader(body()))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestKeepURL(t *testing.T) {
	re := regexp.MustCompile(`/2024/`)
	for _, tc := range []struct {
		url   string
		hosts []string
		match *regexp.Regexp
		keep  bool
	}{
		{"https://www.bbc.co.uk/news/1", []string{"bbc.co.uk"}, nil, true},
		{"https://bbc.co.uk/news/1", []string{"bbc.co.uk"}, nil, true},
		{"https://notbbc.co.uk/news/1", []string{"bbc.co.uk"}, nil, false},
		{"https://apnews.com/2024/x", nil, re, true},
		{"https://apnews.com/2023/x", nil, re, false},
		{"https://apnews.com/2024/x", []string{"reuters.com"}, re, false},
	} {
		if got := keepURL(tc.url, tc.hosts, tc.match); got != tc.keep {
			t.Errorf("keepURL(%s, %v, %v) = %v", tc.url, tc.hosts, tc.match, got)
		}
	}
}

// TestImportDateFromURL imports a page whose only publication date is in
// its URL: the record's URL reaches the extractor as evidence, so the
// article has that day, and the archive's date (the crawl) is never taken
// for it.
func TestImportDateFromURL(t *testing.T) {
	var page strings.Builder
	page.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour ferry returns after a winter of repairs</title></head><body>` +
		`<header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header><main><article><h1>Harbour ferry returns after a winter of repairs</h1>`)
	for i := range 6 {
		fmt.Fprintf(&page, `<p>Paragraph %d. The harbour ferry that links the old town with the islands went back into service this morning after a winter in the yard, `+
			`where its engines were rebuilt and its deck was replaced. Passengers queued from early on, and the first crossing left on time with every seat taken, `+
			`the operator said, adding that the timetable of the summer starts next month.</p>`, i+1)
	}
	page.WriteString(`</article></main><footer><p>Coast Courier</p></footer></body></html>`)
	const pageURL = "https://coast-courier.example/2019/06/24/harbour-ferry-returns"

	dir := t.TempDir()
	w, err := archive.NewWriter(dir, archive.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	if _, err := w.WriteResponse(archive.Response{URL: pageURL, Date: archived, Status: 200, Header: h, Body: []byte(page.String())}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, importConfig(t))
	results, err := a.ImportAll(context.Background(), []string{theWARC(t, dir)}, ImportOptions{Source: "archive"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Outcomes["published"] != 1 {
		t.Fatalf("outcomes %v, want the page published", results[0].Outcomes)
	}
	got := stored(t, a.Store)[pageURL]
	if got == nil {
		t.Fatalf("page not stored")
	}
	if want := time.Date(2019, 6, 24, 0, 0, 0, 0, time.UTC); !got.PublishedAt.Equal(want) {
		t.Errorf("published_at %v, want %v from the URL (fetched %v)", got.PublishedAt, want, got.FetchedAt)
	}
}
