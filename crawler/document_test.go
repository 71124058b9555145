package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"strings"
	"testing"
)

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchDocument(t *testing.T) {
	sitemap := []byte(`<?xml version="1.0"?><urlset><url><loc>http://example.com/a</loc></url></urlset>`)
	bomb := gzipBytes(t, bytes.Repeat([]byte("<url><loc>http://example.com/x</loc></url>\n"), 10000)) // ~430 KB inflated
	mux := http.NewServeMux()
	mux.HandleFunc("/sitemap.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-gzip")
		_, _ = w.Write(gzipBytes(t, sitemap))
	})
	mux.HandleFunc("/octet.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(gzipBytes(t, sitemap))
	})
	mux.HandleFunc("/encoded.xml", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Error("no Accept-Encoding: gzip")
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gzipBytes(t, sitemap))
	})
	mux.HandleFunc("/bomb.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		_, _ = w.Write(bomb)
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write([]byte{0xff, 0xd8, 0xff})
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		_, _ = w.Write([]byte(`<rss version="2.0"><channel></channel></rss>`))
	})
	srv, _ := newServer(t, mux)
	f := newFetcher(t, Config{IgnoreRobots: true, MaxDocumentSize: 100 << 10})
	ctx := context.Background()
	for _, path := range []string{"/sitemap.xml.gz", "/octet.xml.gz", "/encoded.xml"} {
		p, err := f.FetchDocument(ctx, testSource(), srv.URL+path, Validators{})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if !bytes.Equal(p.Body, sitemap) {
			t.Errorf("%s: body %q", path, p.Body)
		}
	}
	if p, err := f.FetchDocument(ctx, testSource(), srv.URL+"/feed", Validators{}); err != nil || p.ContentType != "application/rss+xml" {
		t.Errorf("feed: %v %v", p, err)
	}
	if _, err := f.FetchDocument(ctx, testSource(), srv.URL+"/bomb.xml.gz", Validators{}); SkipReason(err) != ReasonTooLarge {
		t.Errorf("bomb: err = %v, want too_large", err)
	}
	if _, err := f.FetchDocument(ctx, testSource(), srv.URL+"/image", Validators{}); SkipReason(err) != ReasonNotDocument {
		t.Errorf("image: err = %v, want not_document", err)
	}
	// A page fetch refuses what a document fetch takes.
	if _, err := f.Fetch(ctx, testSource(), srv.URL+"/feed", Validators{}); SkipReason(err) != ReasonNotHTML {
		t.Errorf("feed as page: err = %v, want not_html", err)
	}
}
