package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// templateSite serves three sections of one site, each with a feed of eight
// articles whose template puts a newsletter pitch inside the article body.
func templateSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for _, section := range []string{"a", "b", "c"} {
		mux.HandleFunc("/"+section+"/feed.xml", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>`)
			for i := range 8 {
				fmt.Fprintf(w, `<item><title>Story %d</title><link>http://%s/%s/news/story-%d</link></item>`, i, r.Host, section, i)
			}
			fmt.Fprint(w, `</channel></rss>`)
		})
		mux.HandleFunc("/"+section+"/news/{slug}", func(w http.ResponseWriter, r *http.Request) {
			slug := r.PathValue("slug")
			body := strings.Repeat("Crews worked through the night on "+slug+" to repair the quay, the port authority said on Thursday. ", 4)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>%s | Harbour Times</title></head><body><article><h1>The harbour story %s</h1>
<p>%s</p><p>Sign up for the Harbour Times morning briefing and get the news in your inbox before breakfast.</p><p>%s</p>
</article></body></html>`, slug, slug, body, body)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestTemplateLearnedAcrossPages crawls a site whose template repeats a
// paragraph in every article: the first pages keep it, the later ones are
// stored without it, and a source with keep_repeated keeps it everywhere.
func TestTemplateLearnedAcrossPages(t *testing.T) {
	srv := templateSite(t)
	cfg := &newsflow.Config{DataDir: t.TempDir(), Sources: []newsflow.Source{
		{Name: "learns", Feeds: []string{srv.URL + "/a/feed.xml"}, Parallelism: 1, Delay: newsflow.Duration(time.Millisecond)},
		{Name: "keeps", Feeds: []string{srv.URL + "/b/feed.xml"}, Parallelism: 1, Delay: newsflow.Duration(time.Millisecond),
			Extract: newsflow.ExtractRules{KeepRepeated: true}},
	}}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	cfg.Crawler.Retries = 1
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, cfg)
	runOnce(t, a)
	pitched := map[string]int{}
	total := map[string]int{}
	for _, art := range stored(t, a.Store) {
		total[art.Source]++
		if strings.Contains(art.Text, "morning briefing") {
			pitched[art.Source]++
		}
		if !strings.Contains(art.Text, "to repair the quay") {
			t.Errorf("%s lost its text: %q", art.URL, art.Text)
		}
	}
	if total["learns"] != 8 || total["keeps"] != 8 {
		t.Fatalf("stored %v, want 8 of each source", total)
	}
	// Fetching is one page at a time per host, but the two sources share
	// the host; a page needs three others before its template is known.
	if pitched["learns"] < 3 || pitched["learns"] > 4 {
		t.Errorf("learning source: %d of 8 articles keep the template paragraph, want the first 3 (4 at most)", pitched["learns"])
	}
	if pitched["keeps"] != 8 {
		t.Errorf("keep_repeated source: %d of 8 articles keep the paragraph, want 8", pitched["keeps"])
	}
}

// TestTemplateRemembered crawls a source once, then again from a new
// process on the same data directory, as a crawl run from cron does: the
// second process starts with what the first learned, so even its first
// pages are stored without the template paragraph.
func TestTemplateRemembered(t *testing.T) {
	srv := templateSite(t)
	dir := t.TempDir()
	config := func(section string) *newsflow.Config {
		cfg := &newsflow.Config{DataDir: dir, Sources: []newsflow.Source{
			{Name: "learns", Feeds: []string{srv.URL + "/" + section + "/feed.xml"}, Parallelism: 1, Delay: newsflow.Duration(time.Millisecond)},
		}}
		cfg.HTTP.Listen = "off"
		cfg.Crawler.AllowPrivateNetworks = true
		cfg.Crawler.Retries = 1
		if err := cfg.Prepare(); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	pitched := func(a *App, section string) (n, total int) {
		for _, art := range stored(t, a.Store) {
			if !strings.Contains(art.URL, "/"+section+"/") {
				continue
			}
			total++
			if strings.Contains(art.Text, "morning briefing") {
				n++
			}
		}
		return n, total
	}

	first := openApp(t, config("a"))
	runOnce(t, first)
	if n, total := pitched(first, "a"); total != 8 || n < 3 || n > 4 {
		t.Fatalf("first process: %d of %d articles keep the template paragraph, want 3 or 4 of 8", n, total)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	next := openApp(t, config("c"))
	runOnce(t, next)
	if n, total := pitched(next, "c"); total != 8 || n != 0 {
		t.Errorf("next process: %d of %d new articles keep the template paragraph, want 0 of 8", n, total)
	}
}
