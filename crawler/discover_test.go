package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// newsSite serves a small news site: feeds, sitemaps and listing pages.
func newsSite(t *testing.T) (string, *recorder) {
	t.Helper()
	mux := http.NewServeMux()
	// Documents carry an ETag and answer a matching If-None-Match with
	// 304 Not Modified, as most feed servers do.
	serveDoc := func(w http.ResponseWriter, r *http.Request, ct string, body []byte) {
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(body))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write(body)
	}
	xmlDoc := func(ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { serveDoc(w, r, ct, []byte(body)) }
	}
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { html(w, body) }
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "User-agent: *\nDisallow: /admin\n\nSitemap: http://%s/robots-sitemap.xml\nSitemap: ftp://%s/not-http.xml\n", r.Host, r.Host)
	})
	mux.HandleFunc("/robots-sitemap.xml", xmlDoc("application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/news/2026/a14</loc></url><url><loc>/about</loc></url><url><loc>/news/2026/a1</loc></url>
</urlset>`))
	mux.HandleFunc("/feed.rss", xmlDoc("application/rss+xml", `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Site</title><link>/</link>
<item><title>First</title><link>/news/2026/a1?utm_source=rss&amp;utm_medium=feed</link><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>
<item><title>Second</title><link>/news/2026/a2</link></item>
<item><title>Third</title><link>news/2026/a3</link></item>
<item><title>No link</title></item>
</channel></rss>`))
	mux.HandleFunc("/atom.xml", xmlDoc("application/atom+xml", `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Site</title>
<entry><title>Second again</title><link href="/news/2026/a2#top"/><id>x2</id><updated>2026-03-02T11:00:00Z</updated></entry>
<entry><title>Fourth</title><link rel="alternate" href="/news/2026/a4"/><id>x4</id><updated>2026-03-02T12:00:00Z</updated></entry>
</feed>`))
	mux.HandleFunc("/feed.json", xmlDoc("application/feed+json", `{"version": "https://jsonfeed.org/version/1.1", "title": "Site",
"items": [{"id": "13", "url": "/news/2026/a13", "title": "Thirteen", "date_published": "2026-03-02T13:00:00Z"}]}`))
	mux.HandleFunc("/broken.xml", xmlDoc("application/rss+xml", `this is not a feed at all`))
	mux.HandleFunc("/sitemap_index.xml", xmlDoc("application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/news-sitemap.xml</loc></sitemap>
<sitemap><loc>/posts.xml.gz</loc><lastmod>2026-03-01</lastmod></sitemap>
<sitemap><loc>/sitemap_index.xml</loc></sitemap>
<sitemap><loc>/missing-sitemap.xml</loc></sitemap>
</sitemapindex>`))
	mux.HandleFunc("/news-sitemap.xml", xmlDoc("text/xml", `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>/news/2026/a5</loc><news:news><news:publication><news:name>Site</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2026-03-02T09:30:00+01:00</news:publication_date><news:title>Fifth &amp; last</news:title></news:news></url>
<url><loc>/news/2026/a1</loc><news:news><news:publication_date>2026-03-02</news:publication_date><news:title>First</news:title></news:news></url>
</urlset>`))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	fmt.Fprint(zw, `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/news/2026/a6</loc><lastmod>2026-02-01</lastmod></url>
<url><loc>/about</loc></url>
<url><loc>/news/2026/a1?fbclid=zzz</loc></url>
</urlset>`)
	_ = zw.Close()
	mux.HandleFunc("/posts.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		serveDoc(w, r, "application/x-gzip", gz.Bytes())
	})
	mux.HandleFunc("/{$}", page(`<html><head><base href="/"></head><body>
<a href="/news/2026/a7?utm_campaign=x&fbclid=1">Seven</a>
<a href="/news/2026/a7">Seven again</a>
<a href="news/2026/a8">Eight (relative to base)</a>
<a href="#top">Top</a>
<a href="/news/2026/a7#comments">Comments</a>
<a href="/about">About</a>
<a href="/section/world">World</a>
<a href="mailto:desk@example.com">Mail</a>
<a href="javascript:void(0)">Menu</a>
</body></html>`))
	mux.HandleFunc("/section/world", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("page") {
		case "":
			html(w, `<html><head><link rel="next" href="/section/world?page=2"></head><body>
<a href="/news/2026/a9">Nine</a><a href="/">Home</a></body></html>`)
		case "2":
			html(w, `<html><body><a href="/news/2026/a10">Ten</a>
<nav><a href="/section/world">1</a> <a href="/section/world?page=3">3</a></nav></body></html>`)
		case "3":
			html(w, `<html><body><a href="/news/2026/a11">Eleven</a>
<a rel="next" href="/section/world?page=4">next</a></body></html>`)
		default:
			html(w, `<html><body><a href="/news/2026/a12">Twelve</a></body></html>`)
		}
	})
	mux.HandleFunc("/loop/1", page(`<a href="/news/2026/l1">L1</a> <a href="/loop/2">Next &raquo;</a>`))
	mux.HandleFunc("/loop/2", page(`<a href="/news/2026/l2">L2</a> <a href="/loop/1">Next</a> <a href="/loop/1">1</a>`))
	mux.HandleFunc("/blog", page(`<a href="/news/2026/b1">B1</a> <a href="/blog/page/2">Archive</a>`))
	mux.HandleFunc("/blog/page/2", page(`<a href="/news/2026/b2">B2</a> <a href="/blog/page/2/">Same page</a>`))
	srv, rec := newServer(t, mux)
	return srv.URL, rec
}

func newsSource(base string) *newsflow.Source {
	return &newsflow.Source{
		Name:           "site",
		Feeds:          []string{base + "/feed.rss", base + "/atom.xml", base + "/feed.json", base + "/broken.xml"},
		Sitemaps:       []string{base + "/sitemap_index.xml"},
		StartURLs:      []string{base + "/", base + "/section/world", base + "/loop/1", base + "/blog"},
		ArticlePattern: `/news/\d{4}/[a-z0-9]+$`,
		Parallelism:    2,
		MaxDepth:       2,
	}
}

func TestDiscover(t *testing.T) {
	base, rec := newsSite(t)
	d := &Discoverer{Fetcher: newFetcher(t, Config{})}
	src := newsSource(base)
	got := map[string]Candidate{}
	var order []string
	stats, err := d.Discover(context.Background(), src, func(c Candidate) error {
		if _, dup := got[c.URL]; dup {
			t.Errorf("%s emitted twice", c.URL)
		}
		got[c.URL] = c
		order = append(order, c.URL)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"a1": ViaFeed, "a2": ViaFeed, "a3": ViaFeed, "a4": ViaFeed, "a13": ViaFeed,
		"a5": ViaSitemap, "a6": ViaSitemap,
		"a7": ViaPage, "a8": ViaPage, "a9": ViaPage, "a10": ViaPage, "a11": ViaPage,
		"l1": ViaPage, "l2": ViaPage, "b1": ViaPage, "b2": ViaPage,
	}
	var gotKeys, wantKeys []string
	for u := range got {
		gotKeys = append(gotKeys, u)
	}
	for k, via := range want {
		u := base + "/news/2026/" + k
		wantKeys = append(wantKeys, u)
		if c, ok := got[u]; ok && c.Via != via {
			t.Errorf("%s via %q, want %q", k, c.Via, via)
		}
	}
	sort.Strings(gotKeys)
	sort.Strings(wantKeys)
	if !slices.Equal(gotKeys, wantKeys) {
		t.Errorf("candidates:\n got %q\nwant %q", gotKeys, wantKeys)
	}

	a1 := got[base+"/news/2026/a1"]
	if a1.Title != "First" || !a1.Published.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("a1 = %+v", a1)
	}
	a4 := got[base+"/news/2026/a4"]
	if !a4.Modified.Equal(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("a4 = %+v", a4)
	}
	a5 := got[base+"/news/2026/a5"]
	if a5.Title != "Fifth & last" || !a5.Published.Equal(time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("a5 = %+v", a5)
	}
	a6 := got[base+"/news/2026/a6"]
	if !a6.Modified.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a6 = %+v", a6)
	}

	if stats.Found != len(want) || stats.Feeds != 3 || stats.Sitemaps != 3 || stats.Pages != 8 {
		t.Errorf("stats = %+v", stats)
	}
	// a2 (atom), a1 (news sitemap), a1 (gz sitemap); the home page's three
	// spellings of a7 are one link of that page, and the loop's articles
	// are not seen twice because each loop page is read once.
	if stats.Duplicates != 3 {
		t.Errorf("duplicates = %d, want 3", stats.Duplicates)
	}
	if len(stats.Errors) != 2 {
		t.Errorf("errors = %v, want the broken feed and the missing sitemap", stats.Errors)
	}
	for _, e := range stats.Errors {
		if !strings.Contains(e.Error(), "/broken.xml") && !strings.Contains(e.Error(), "/missing-sitemap.xml") {
			t.Errorf("unexpected error %v", e)
		}
	}
	for path, n := range map[string]int{
		"/loop/1": 1, "/loop/2": 1, "/section/world": 1, "/section/world?page=2": 1,
		"/section/world?page=3": 1, "/section/world?page=4": 0, "/sitemap_index.xml": 1,
		"/blog/page/2": 1, "/blog/page/2/": 0, "/about": 0, "/robots.txt": 1, "/robots-sitemap.xml": 0,
	} {
		if got := rec.count(path); got != n {
			t.Errorf("%s fetched %d times, want %d", path, got, n)
		}
	}
}

// TestDiscoverConditional checks the second run of a Discoverer: feeds and
// page sitemaps read whole before are asked for conditionally, a 304 gives
// the same candidates as before, and what was not read whole (the broken
// feed, the sitemap index) is fetched in full again.
func TestDiscoverConditional(t *testing.T) {
	base, rec := newsSite(t)
	d := &Discoverer{Fetcher: newFetcher(t, Config{})}
	src := newsSource(base)
	src.StartURLs = nil
	runOnce := func() ([]string, DiscoverStats) {
		var urls []string
		stats, err := d.Discover(context.Background(), src, func(c Candidate) error {
			urls = append(urls, c.URL+" "+c.Via+" "+c.Title)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return urls, stats
	}
	first, stats1 := runOnce()
	second, stats2 := runOnce()
	if !slices.Equal(first, second) {
		t.Errorf("second run found other candidates:\n first %q\nsecond %q", first, second)
	}
	if stats1.NotModified != 0 || stats2.NotModified != 5 {
		t.Errorf("not modified: first run %d, second run %d; want 0 and 5 (three feeds, two page sitemaps)", stats1.NotModified, stats2.NotModified)
	}
	if stats2.Feeds != stats1.Feeds || stats2.Sitemaps != stats1.Sitemaps || stats2.Found != stats1.Found {
		t.Errorf("stats differ: first %+v, second %+v", stats1, stats2)
	}
	conditional := map[string]int{}
	rec.mu.Lock()
	for _, h := range rec.hits {
		if h.Header.Get("If-None-Match") != "" {
			conditional[h.Path]++
		}
	}
	rec.mu.Unlock()
	for path, n := range map[string]int{
		"/feed.rss": 1, "/atom.xml": 1, "/feed.json": 1, "/news-sitemap.xml": 1, "/posts.xml.gz": 1,
		"/broken.xml": 0, "/sitemap_index.xml": 0,
	} {
		if conditional[path] != n {
			t.Errorf("%s: %d conditional requests, want %d", path, conditional[path], n)
		}
	}
	if rec.count("/broken.xml") != 2 || rec.count("/sitemap_index.xml") != 2 {
		t.Errorf("broken feed fetched %d times, index %d times; want 2 each", rec.count("/broken.xml"), rec.count("/sitemap_index.xml"))
	}

	// A run cut short by MaxArticles remembers nothing of the document it
	// stopped in: the next run reads that one whole.
	d2 := &Discoverer{Fetcher: newFetcher(t, Config{})}
	src.MaxArticles = 1
	if _, err := d2.Discover(context.Background(), src, func(Candidate) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, ok := d2.docs.get(docKey(src.Name, base+"/feed.rss")); ok {
		t.Error("a feed read only in part was remembered")
	}
}

// TestDiscoverRemembered checks that what one Discoverer remembers, saved
// with Remembered and given to a new one with Remember, makes the new one's
// first run conditional, with the same candidates; and that another
// source's memory and data of another format are not taken.
func TestDiscoverRemembered(t *testing.T) {
	base, _ := newsSite(t)
	src := newsSource(base)
	src.StartURLs = nil
	discover := func(d *Discoverer) ([]string, DiscoverStats) {
		var urls []string
		stats, err := d.Discover(context.Background(), src, func(c Candidate) error {
			urls = append(urls, fmt.Sprint(c))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return urls, stats
	}
	old := &Discoverer{Fetcher: newFetcher(t, Config{})}
	first, _ := discover(old)
	data, err := old.Remembered(src.Name)
	if err != nil || len(data) == 0 {
		t.Fatalf("Remembered = %d bytes, %v", len(data), err)
	}
	if again, _ := old.Remembered(src.Name); !bytes.Equal(again, data) {
		t.Error("Remembered gave other bytes for the same documents")
	}
	if other, err := old.Remembered("another-source"); other != nil || err != nil {
		t.Errorf("Remembered(another source) = %q, %v; want nothing", other, err)
	}

	next := &Discoverer{Fetcher: newFetcher(t, Config{})}
	if err := next.Remember(src.Name, data); err != nil {
		t.Fatal(err)
	}
	again, stats := discover(next)
	if !slices.Equal(first, again) {
		t.Errorf("the new process found other candidates:\n before %q\n after %q", first, again)
	}
	if stats.NotModified != 5 {
		t.Errorf("the new process's first run had %d not-modified documents, want 5", stats.NotModified)
	}

	for _, bad := range []string{"", "{", `{"version":99,"docs":[]}`} {
		if err := (&Discoverer{}).Remember(src.Name, []byte(bad)); err == nil {
			t.Errorf("Remember(%q) accepted", bad)
		}
	}
}

// TestDiscoverRobotsSitemaps checks robots_sitemaps: the sitemaps that
// robots.txt names are read like listed ones, with the article pattern.
func TestDiscoverRobotsSitemaps(t *testing.T) {
	base, rec := newsSite(t)
	d := &Discoverer{Fetcher: newFetcher(t, Config{})}
	src := newsSource(base)
	src.Feeds, src.Sitemaps, src.StartURLs = nil, nil, []string{base + "/blog"}
	src.RobotsSitemaps = true
	got := map[string]string{}
	stats, err := d.Discover(context.Background(), src, func(c Candidate) error {
		got[strings.TrimPrefix(c.URL, base)] = c.Via
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/news/2026/a14": ViaSitemap, "/news/2026/a1": ViaSitemap, "/news/2026/b1": ViaPage, "/news/2026/b2": ViaPage}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("candidates %v, want %v", got, want)
	}
	if stats.Sitemaps != 1 || len(stats.Errors) != 0 || rec.count("/robots-sitemap.xml") != 1 {
		t.Errorf("stats %+v, robots sitemap fetched %d times", stats, rec.count("/robots-sitemap.xml"))
	}
}

// TestDocCacheBounded checks the bounds of the remembered documents: one
// too large is not kept, and past the total the least recently used go.
func TestDocCacheBounded(t *testing.T) {
	var c docCache
	v := Validators{ETag: `"x"`}
	c.put("huge", v, make([]Candidate, maxCachedCandidates+1))
	if _, ok := c.get("huge"); ok {
		t.Error("a document over maxCachedCandidates was kept")
	}
	docs := maxCachedTotal/maxCachedCandidates + 5
	for i := range docs {
		c.put(fmt.Sprint(i), v, make([]Candidate, maxCachedCandidates))
		if _, ok := c.get("0"); !ok {
			t.Fatalf("after %d documents the one asked for each time was forgotten", i+1)
		}
	}
	if c.total > maxCachedTotal {
		t.Errorf("cache holds %d candidates, bound %d", c.total, maxCachedTotal)
	}
	if _, ok := c.get("1"); ok {
		t.Error("the least recently used document was kept past the bound")
	}
	c.forget("0")
	if _, ok := c.get("0"); ok || c.total != (len(c.docs))*maxCachedCandidates {
		t.Errorf("forget: total %d for %d documents", c.total, len(c.docs))
	}
}

func TestDiscoverMaxArticles(t *testing.T) {
	base, _ := newsSite(t)
	d := &Discoverer{Fetcher: newFetcher(t, Config{})}
	src := newsSource(base)
	src.MaxArticles = 3
	var n int
	stats, err := d.Discover(context.Background(), src, func(Candidate) error { n++; return nil })
	if err != nil || n != 3 || stats.Found != 3 {
		t.Errorf("emitted %d, stats %+v, err %v", n, stats, err)
	}
}

func TestDiscoverStopsOnEmitErrorAndCancel(t *testing.T) {
	base, _ := newsSite(t)
	d := &Discoverer{Fetcher: newFetcher(t, Config{})}
	boom := errors.New("boom")
	_, err := d.Discover(context.Background(), newsSource(base), func(Candidate) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want emit's error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var n int
	_, err = d.Discover(ctx, newsSource(base), func(Candidate) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("err = %v after %d candidates, want context.Canceled after 1", err, n)
	}
}

func TestExtractLinks(t *testing.T) {
	body := `<html><head><base href="http://example.com/dir/"><link rel="next" href="?page=2"></head><body>
<a href="a">A</a><a href="/b?utm_source=x">B</a><a href="#frag">F</a><a href="http://other.example/c">C</a>
<a href="/list/page/3">Older posts »</a><a href="/x/5">5</a><a href="http://other.example/next">Next</a>
<a href="/2025/12/story">2</a><a href="/list?p=7">7</a>
</body></html>`
	links, err := extractLinks([]byte(body), "http://example.com/list")
	if err != nil {
		t.Fatal(err)
	}
	wantLinks := []string{"http://example.com/dir/a", "http://example.com/b", "http://other.example/c",
		"http://example.com/list/page/3", "http://example.com/x/5", "http://other.example/next",
		"http://example.com/2025/12/story", "http://example.com/list?p=7"}
	if !slices.Equal(links.Links, wantLinks) {
		t.Errorf("links = %q", links.Links)
	}
	wantNext := []string{"http://example.com/dir/?page=2", "http://example.com/list/page/3", "http://example.com/x/5",
		"http://example.com/list?p=7"}
	if !slices.Equal(links.Next, wantNext) {
		t.Errorf("next = %q", links.Next)
	}
}

func TestParseSitemap(t *testing.T) {
	kind, entries, err := parseSitemap([]byte("\ufeff\nhttp://example.com/a\nnot a url\nhttps://example.com/b\n"))
	if err != nil || kind != sitemapText || len(entries) != 2 {
		t.Errorf("text sitemap: %v %v %v", kind, entries, err)
	}
	_, _, err = parseSitemap([]byte(`<html><body>nope</body></html>`))
	if err == nil {
		t.Error("html accepted as a sitemap")
	}
	latin1 := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>http://example.com/caf\xe9</loc></url></urlset>")
	_, entries, err = parseSitemap(latin1)
	if err != nil || len(entries) != 1 || entries[0].Loc != "http://example.com/caf\u00e9" {
		t.Errorf("latin-1 sitemap: %v %v", entries, err)
	}
	for s, want := range map[string]time.Time{
		"2026-03-02":             time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		"2026-03-02T10:11:12Z":   time.Date(2026, 3, 2, 10, 11, 12, 0, time.UTC),
		"2026-03-02T10:11+02:00": time.Date(2026, 3, 2, 8, 11, 0, 0, time.UTC),
		"2026-03-02T10:11:12.5Z": time.Date(2026, 3, 2, 10, 11, 12, 5e8, time.UTC),
		"garbage":                {},
	} {
		if got := parseW3CTime(s); !got.Equal(want) {
			t.Errorf("parseW3CTime(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzParseSitemap(f *testing.F) {
	for _, s := range []string{
		`<urlset><url><loc>http://a/</loc><lastmod>2026-01-01</lastmod></url></urlset>`,
		`<sitemapindex><sitemap><loc>http://a/s.xml</loc></sitemap></sitemapindex>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><urlset xmlns:news="n"><url><loc>x</loc><news:news><news:title>t</news:title></news:news></url></urlset>`,
		"http://a/\nhttp://b/\n",
		`<urlset><url><loc>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, entries, err := parseSitemap(data)
		if err != nil && len(entries) != 0 {
			t.Fatalf("entries with an error")
		}
		if len(entries) > maxSitemapEntries {
			t.Fatalf("%d entries", len(entries))
		}
	})
}
