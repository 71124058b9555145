package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/extractor"
)

// TestDiscoveryRemembered crawls a feed from one process and then from a
// new process on the same data directory: the new process's first request
// for the feed is conditional and gets 304 Not Modified, and the articles
// it lists are neither fetched nor stored again.
func TestDiscoveryRemembered(t *testing.T) {
	var mu sync.Mutex
	var feedStatus []int
	articleHits := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		const etag = `"feed-v1"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			feedStatus = append(feedStatus, http.StatusNotModified)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		feedStatus = append(feedStatus, http.StatusOK)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Quay News</title>`)
		for i := range 3 {
			fmt.Fprintf(w, `<item><title>Story %d</title><link>http://%s/news/story-%d</link></item>`, i, r.Host, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/news/{slug}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		articleHits++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body><article><h1>The quay story %s</h1><p>%s</p><p>%s</p></article></body></html>`,
			r.PathValue("slug"), r.PathValue("slug"), prose(r.PathValue("slug")), prose(r.PathValue("slug")))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	open := func() *App {
		cfg := &newsflow.Config{DataDir: dir, Sources: []newsflow.Source{
			{Name: "quay", Feeds: []string{srv.URL + "/feed.xml"}, Parallelism: 1, Delay: newsflow.Duration(time.Millisecond)},
		}}
		cfg.HTTP.Listen = "off"
		cfg.Crawler.AllowPrivateNetworks = true
		cfg.Crawler.Retries = 1
		if err := cfg.Prepare(); err != nil {
			t.Fatal(err)
		}
		return openApp(t, cfg)
	}

	first := open()
	runOnce(t, first)
	if n := len(stored(t, first.Store)); n != 3 {
		t.Fatalf("first process stored %d articles, want 3", n)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	next := open()
	runOnce(t, next)
	mu.Lock()
	defer mu.Unlock()
	if len(feedStatus) != 2 || feedStatus[1] != http.StatusNotModified {
		t.Errorf("feed answers %v, want a full read then 304 Not Modified for the new process", feedStatus)
	}
	if articleHits != 3 {
		t.Errorf("articles fetched %d times in all, want 3 (the new process leaves them alone)", articleHits)
	}
	if n := len(stored(t, next.Store)); n != 3 {
		t.Errorf("%d articles stored after both processes, want 3", n)
	}
}

// prose is a paragraph of article text about slug.
func prose(slug string) string {
	return "Crews worked through the night on " + slug + " to repair the quay, the port authority said on Thursday, and the ferry will run again next week. "
}

// TestStateUnreadable opens a crawler whose saved state is damaged: it
// counts and logs the failure, learns afresh, and saves good state over
// the damaged one.
func TestStateUnreadable(t *testing.T) {
	srv := templateSite(t)
	dir := t.TempDir()
	b, err := bus.Open(context.Background(), bus.Options{DataDir: filepath.Join(dir, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{siteStateName("learns"), discoveryStateName("learns")} {
		if err := b.PutState(context.Background(), name, []byte("not state")); err != nil {
			t.Fatal(err)
		}
	}
	b.Close()

	cfg := &newsflow.Config{DataDir: dir, Sources: []newsflow.Source{
		{Name: "learns", Feeds: []string{srv.URL + "/a/feed.xml"}, Parallelism: 1, Delay: newsflow.Duration(time.Millisecond)},
	}}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, cfg)
	sum := runOnce(t, a)
	if sum.Failed["state:template_load"] != 1 || sum.Failed["state:discovery_load"] != 1 {
		t.Errorf("failures counted %v, want one template_load and one discovery_load", sum.Failed)
	}
	if n := len(stored(t, a.Store)); n != 8 {
		t.Errorf("stored %d articles, want 8", n)
	}
	data, ok, err := a.Bus.GetState(context.Background(), siteStateName("learns"))
	if err != nil || !ok {
		t.Fatalf("template memory after the run: %v, %v", ok, err)
	}
	if err := extractor.NewSiteMemory(0).UnmarshalBinary(data); err != nil {
		t.Errorf("the damaged memory was not replaced by a good one: %v", err)
	}
}

// TestTemplateMergedAcrossCrawlers has another crawler save what it learned
// of two pages of a site while this one crawls two others: this one's save
// merges both, so the saved memory knows the template from four pages.
func TestTemplateMergedAcrossCrawlers(t *testing.T) {
	srv := templateSite(t)
	cfg := &newsflow.Config{DataDir: t.TempDir(), Sources: []newsflow.Source{
		{Name: "learns", Feeds: []string{srv.URL + "/a/feed.xml"}, MaxArticles: 2, Parallelism: 1, Delay: newsflow.Duration(time.Millisecond)},
	}}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, cfg)
	page := func(path string) []byte {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return body
	}

	other := extractor.NewSiteMemory(0)
	for _, p := range []string{"/c/news/story-0", "/c/news/story-1"} {
		if _, err := extractor.Extract(page(p), srv.URL+p, extractor.Options{Site: other}); err != nil {
			t.Fatal(err)
		}
	}
	data, err := other.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Bus.PutState(context.Background(), siteStateName("learns"), data); err != nil {
		t.Fatal(err)
	}

	runOnce(t, a)
	saved, ok, err := a.Bus.GetState(context.Background(), siteStateName("learns"))
	if err != nil || !ok {
		t.Fatalf("saved memory: %v, %v", ok, err)
	}
	fresh := extractor.NewSiteMemory(0)
	if err := fresh.UnmarshalBinary(saved); err != nil {
		t.Fatal(err)
	}
	art, err := extractor.Extract(page("/b/news/story-7"), srv.URL+"/b/news/story-7", extractor.Options{Site: fresh})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(art.Text, "morning briefing") {
		t.Errorf("the saved memory does not know the template seen on the four pages of both crawlers:\n%s", art.Text)
	}
}
