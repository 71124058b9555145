package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

func TestFetchPage(t *testing.T) {
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		html(w, "<html><title>x</title></html>")
	}))
	f := newFetcher(t, Config{UserAgent: "testbot/1.0"})
	p, err := f.Fetch(context.Background(), testSource(), srv.URL+"/a", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != 200 || p.ContentType != "text/html" || string(p.Body) != "<html><title>x</title></html>" {
		t.Errorf("page = %d %q %q", p.Status, p.ContentType, p.Body)
	}
	if p.URL != srv.URL+"/a" || p.FinalURL != srv.URL+"/a" || len(p.Redirects) != 0 {
		t.Errorf("urls = %q %q %q", p.URL, p.FinalURL, p.Redirects)
	}
	if p.Validators != (Validators{ETag: `"v1"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"}) {
		t.Errorf("validators = %+v", p.Validators)
	}
	if p.Attempts != 1 || p.FetchedAt.IsZero() || p.Charset() != "utf-8" {
		t.Errorf("attempts %d, fetched at %v, charset %q", p.Attempts, p.FetchedAt, p.Charset())
	}
	h := rec.hitsFor("/a")
	if len(h) != 1 || h[0].Header.Get("User-Agent") != "testbot/1.0" {
		t.Errorf("requests for /a: %+v", h)
	}
}

func TestFetchRefusesPrivateAddresses(t *testing.T) {
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html(w, "<p>secret</p>")
	}))
	for _, ignoreRobots := range []bool{false, true} {
		f, err := NewFetcher(Config{IgnoreRobots: ignoreRobots, RetryBaseDelay: time.Millisecond, Retries: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, fetch := range []func() (*Page, error){
			func() (*Page, error) { return f.Fetch(context.Background(), testSource(), srv.URL+"/", Validators{}) },
			func() (*Page, error) {
				return f.FetchDocument(context.Background(), testSource(), srv.URL+"/feed", Validators{})
			},
		} {
			_, err := fetch()
			if !errors.Is(err, ErrPrivateAddress) || SkipReason(err) != ReasonPrivateAddress || IsTransient(err) {
				t.Errorf("ignoreRobots=%v: err = %v, want a private_address skip", ignoreRobots, err)
			}
		}
	}
	if n := len(rec.paths()); n != 0 {
		t.Errorf("server saw %d requests: %q", n, rec.paths())
	}
}

// TestIsPrivateAddr goes over every block of the IANA IPv4 and IPv6
// special-purpose registries, and the IPv6 forms that embed an IPv4
// address, with a public address beside them.
func TestIsPrivateAddr(t *testing.T) {
	for _, tc := range []struct {
		addr    string
		refused bool
	}{
		// IPv4 special-purpose registry.
		{"0.0.0.0", true}, {"0.1.2.3", true}, {"10.1.2.3", true}, {"100.64.0.1", true},
		{"100.127.255.254", true}, {"127.0.0.1", true}, {"127.255.255.254", true},
		{"169.254.169.254", true}, {"172.16.0.1", true}, {"172.31.255.254", true},
		{"192.0.0.8", true}, {"192.0.0.170", true}, {"192.0.2.1", true}, {"192.88.99.1", true},
		{"192.168.1.1", true}, {"198.18.0.1", true}, {"198.19.255.254", true},
		{"198.51.100.7", true}, {"203.0.113.9", true}, {"224.0.0.1", true},
		{"239.255.255.250", true}, {"240.0.0.1", true}, {"255.255.255.255", true},
		// IPv4 public, some beside the special blocks.
		{"8.8.8.8", false}, {"93.184.216.34", false}, {"100.128.0.1", false},
		{"172.32.0.1", false}, {"192.0.1.1", false}, {"198.20.0.1", false},
		{"192.31.196.1", false}, {"192.175.48.1", false}, {"223.255.255.254", false},
		// IPv6 special-purpose registry.
		{"::", true}, {"::1", true}, {"100::1", true}, {"100:0:0:1::1", true},
		{"2001::1", true}, {"2001:0:4136:e378:8000:63bf:3fff:fdd2", true}, // Teredo
		{"2001:2::1", true}, {"2001:db8::1", true}, {"3fff::1", true},
		{"5f00::1", true}, {"fc00::1", true}, {"fd12::1", true}, {"fe80::1", true},
		{"fe80::1%eth0", true}, {"fec0::1", true}, {"ff02::1", true}, {"ff05::2", true},
		{"64:ff9b:1::1", true},
		// IPv6 forms of private IPv4 addresses.
		{"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true}, {"::ffff:169.254.169.254", true},
		{"::127.0.0.1", true}, {"::10.0.0.1", true}, {"::169.254.169.254", true},
		{"::0.0.0.2", true},
		{"64:ff9b::127.0.0.1", true}, {"64:ff9b::a9fe:a9fe", true}, {"64:ff9b::192.168.0.1", true},
		{"2002:7f00:1::", true}, {"2002:a00:1::1", true}, {"2002:a9fe:a9fe::1", true},
		{"2002:c0a8:101::", true},
		// IPv6 public, and the same forms of public IPv4 addresses.
		{"2001:4860::8888", false}, {"2606:4700::1111", false}, {"2a00:1450::1", false},
		{"::ffff:8.8.8.8", false}, {"64:ff9b::8.8.8.8", false}, {"2002:808:808::1", false},
	} {
		a, err := netip.ParseAddr(tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := isPrivateAddr(a); got != tc.refused {
			t.Errorf("isPrivateAddr(%s) = %v, want %v", tc.addr, got, tc.refused)
		}
		host := a.WithZone("").String()
		if err := guardControl("tcp", "["+host+"]:80", nil); (err != nil) != tc.refused {
			t.Errorf("guardControl(%s) = %v, want refused=%v", host, err, tc.refused)
		}
	}
}

func TestRobots(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private\n\nUser-agent: pickybot\nDisallow: /picky\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { html(w, "<p>ok</p>") })
	srv, rec := newServer(t, mux)
	ctx := context.Background()

	f := newFetcher(t, Config{UserAgent: "otherbot/2.0"})
	_, err := f.Fetch(ctx, testSource(), srv.URL+"/private/x", Validators{})
	if !errors.Is(err, ErrRobotsDisallowed) || SkipReason(err) != ReasonRobots || IsTransient(err) {
		t.Fatalf("err = %v, want robots skip", err)
	}
	if _, err := f.Fetch(ctx, testSource(), srv.URL+"/picky/x", Validators{}); err != nil {
		t.Errorf("otherbot /picky: %v", err)
	}
	if _, err := f.Fetch(ctx, testSource(), srv.URL+"/public", Validators{}); err != nil {
		t.Errorf("otherbot /public: %v", err)
	}

	// A user agent with its own group follows that group only.
	picky := newFetcher(t, Config{UserAgent: "PickyBot/1.0 (+https://example.com)"})
	if _, err := picky.Fetch(ctx, testSource(), srv.URL+"/picky/x", Validators{}); !errors.Is(err, ErrRobotsDisallowed) {
		t.Errorf("pickybot /picky: err = %v, want disallowed", err)
	}
	if _, err := picky.Fetch(ctx, testSource(), srv.URL+"/private/x", Validators{}); err != nil {
		t.Errorf("pickybot /private: %v", err)
	}

	// IgnoreRobots skips robots.txt entirely.
	free := newFetcher(t, Config{IgnoreRobots: true})
	if _, err := free.Fetch(ctx, testSource(), srv.URL+"/private/y", Validators{}); err != nil {
		t.Errorf("ignore robots: %v", err)
	}

	if n := rec.count("/private/x"); n != 1 { // only pickybot's request
		t.Errorf("server saw /private/x %d times, want 1 (pickybot only)", n)
	}
	if n := rec.count("/robots.txt"); n != 2 { // cached: once per Fetcher that reads robots
		t.Errorf("robots.txt fetched %d times, want 2", n)
	}
}

func TestRobotsStatus(t *testing.T) {
	for _, tt := range []struct {
		status  int
		allowed bool
	}{{404, true}, {403, true}, {500, false}, {503, false}} {
		mux := http.NewServeMux()
		mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tt.status) })
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { html(w, "<p>ok</p>") })
		srv, rec := newServer(t, mux)
		f := newFetcher(t, Config{Retries: 3})
		_, err := f.Fetch(context.Background(), testSource(), srv.URL+"/page", Validators{})
		if tt.allowed && err != nil {
			t.Errorf("robots %d: %v", tt.status, err)
		}
		if !tt.allowed && !errors.Is(err, ErrRobotsDisallowed) {
			t.Errorf("robots %d: err = %v, want disallowed", tt.status, err)
		}
		if !tt.allowed && rec.count("/page") != 0 {
			t.Errorf("robots %d: page was fetched", tt.status)
		}
	}
}

func TestRetries(t *testing.T) {
	var n atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		html(w, "<p>ok</p>")
	})
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	srv, rec := newServer(t, mux)
	f := newFetcher(t, Config{Retries: 3, IgnoreRobots: true})
	ctx := context.Background()

	p, err := f.Fetch(ctx, testSource(), srv.URL+"/flaky", Validators{})
	if err != nil || p.Attempts != 3 || p.Status != 200 {
		t.Errorf("flaky: page %+v, err %v; want success after 3 attempts", p, err)
	}

	_, err = f.Fetch(ctx, testSource(), srv.URL+"/down", Validators{})
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.Status != 500 || !IsTransient(err) || SkipReason(err) != "" {
		t.Errorf("down: err = %v, want transient *HTTPError 500", err)
	}
	if got := rec.count("/down"); got != 4 {
		t.Errorf("down: %d attempts, want Retries+1 = 4", got)
	}

	for path, reason := range map[string]string{"/missing": ReasonHTTP404, "/gone": ReasonHTTP410, "/forbidden": ReasonHTTP4xx} {
		_, err = f.Fetch(ctx, testSource(), srv.URL+path, Validators{})
		if SkipReason(err) != reason || IsTransient(err) {
			t.Errorf("%s: err = %v, want skip %q", path, err, reason)
		}
		if got := rec.count(path); got != 1 {
			t.Errorf("%s: %d attempts, want 1", path, got)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	var n atomic.Int32
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		html(w, "<p>ok</p>")
	}))
	f := newFetcher(t, Config{Retries: 2, IgnoreRobots: true})
	p, err := f.Fetch(context.Background(), testSource(), srv.URL+"/", Validators{})
	if err != nil || p.Attempts != 2 {
		t.Fatalf("page %+v, err %v", p, err)
	}
	h := rec.hitsFor("/")
	if gap := h[1].At.Sub(h[0].At); gap < 950*time.Millisecond {
		t.Errorf("retried after %v, want Retry-After's 1s", gap)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"-3":                            0,
		"nonsense":                      0,
		"100000":                        maxRetryAfter,
		"Fri, 02 Jan 2026 03:04:35 GMT": 30 * time.Second,
		"Fri, 02 Jan 2026 03:00:00 GMT": 0,
		"Fri, 02 Jan 2026 09:00:00 GMT": maxRetryAfter,
	} {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := parseRetryAfter(h, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestBackoff(t *testing.T) {
	base := 100 * time.Millisecond
	for n := 1; n <= 12; n++ {
		d := backoff(base, n)
		full := min(base<<(n-1), maxBackoff)
		if d < full/2 || d > full {
			t.Errorf("backoff(%d) = %v, want in [%v, %v]", n, d, full/2, full)
		}
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	f := newFetcher(t, Config{Timeout: 100 * time.Millisecond, Retries: 1, IgnoreRobots: true})
	_, err := f.Fetch(context.Background(), testSource(), srv.URL+"/slow", Validators{})
	if err == nil || !IsTransient(err) || SkipReason(err) != "" {
		t.Errorf("err = %v, want a transient error", err)
	}
}

func TestFetchCancel(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	seen := make(chan struct{}, 1)
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	f := newFetcher(t, Config{Timeout: time.Hour, IgnoreRobots: true})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-seen; cancel() }()
	src := testSource()
	src.Delay = newsflow.Duration(time.Hour) // the post-request wait must not hold the caller
	_, err := f.Fetch(ctx, src, srv.URL+"/hang", Validators{})
	if !errors.Is(err, context.Canceled) || IsTransient(err) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestFetchSizeAndType(t *testing.T) {
	big := bytes.Repeat([]byte("<p>abcdefgh</p>\n"), 200) // 3200 bytes
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	mux := http.NewServeMux()
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(big)
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < 4; i++ {
			_, _ = w.Write(big[:1000])
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/fits", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(big[:1000])
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.4\n"))
	})
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(png)
	})
	mux.HandleFunc("/png-as-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(png)
	})
	mux.HandleFunc("/untyped-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // no sniffing by the server
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body>hi</body></html>"))
	})
	mux.HandleFunc("/untyped-binary", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		_, _ = w.Write([]byte{0, 1, 2, 3, 4, 5, 0, 0, 9})
	})
	srv, _ := newServer(t, mux)
	f := newFetcher(t, Config{MaxBodySize: 1000, IgnoreRobots: true})
	for path, reason := range map[string]string{
		"/big": ReasonTooLarge, "/big-chunked": ReasonTooLarge, "/fits": "",
		"/pdf": ReasonNotHTML, "/png": ReasonNotHTML, "/png-as-html": ReasonNotHTML,
		"/untyped-html": "", "/untyped-binary": ReasonNotHTML,
	} {
		p, err := f.Fetch(context.Background(), testSource(), srv.URL+path, Validators{})
		if SkipReason(err) != reason {
			t.Errorf("%s: err = %v, want skip reason %q", path, err, reason)
		}
		if reason == "" && err == nil && len(p.Body) == 0 {
			t.Errorf("%s: empty body", path)
		}
	}
}

func TestFetchRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusMovedPermanently) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/c?x=1", http.StatusFound) })
	mux.HandleFunc("/c", func(w http.ResponseWriter, r *http.Request) { html(w, "<p>c</p>") })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.example/x", http.StatusFound)
	})
	srv, rec := newServer(t, mux)
	f := newFetcher(t, Config{IgnoreRobots: true})
	p, err := f.Fetch(context.Background(), testSource(), srv.URL+"/a", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if p.URL != srv.URL+"/a" || p.FinalURL != srv.URL+"/c?x=1" || !slices.Equal(p.Redirects, []string{srv.URL + "/b"}) {
		t.Errorf("URL %q FinalURL %q Redirects %q", p.URL, p.FinalURL, p.Redirects)
	}
	if string(p.Body) != "<p>c</p>" {
		t.Errorf("body %q", p.Body)
	}
	_, err = f.Fetch(context.Background(), testSource(), srv.URL+"/loop", Validators{})
	if SkipReason(err) != ReasonTooManyRedirects {
		t.Errorf("loop: err = %v", err)
	}
	if n := rec.count("/loop"); n != maxRedirects+1 {
		t.Errorf("loop: %d requests, want %d", n, maxRedirects+1)
	}
	_, err = f.Fetch(context.Background(), testSource(), srv.URL+"/ftp", Validators{})
	if SkipReason(err) != ReasonBadURL || rec.count("/ftp") != 1 {
		t.Errorf("redirect to ftp: err = %v after %d requests", err, rec.count("/ftp"))
	}
	// Deduplication is the caller's: colly's visited storage stays empty.
	coll, err := f.collectorFor(politenessKey(mustParse(t, srv.URL)), testSource())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{srv.URL + "/a", srv.URL + "/b", srv.URL + "/c?x=1", srv.URL + "/loop"} {
		if visited, _ := coll.HasVisited(u); visited {
			t.Errorf("colly remembers %s", u)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	const etag = `"abc"`
	const lastMod = "Tue, 03 Mar 2026 10:00:00 GMT"
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		html(w, "<p>v1</p>")
	}))
	f := newFetcher(t, Config{IgnoreRobots: true})
	ctx := context.Background()
	p, err := f.Fetch(ctx, testSource(), srv.URL+"/", Validators{})
	if err != nil || p.NotModified {
		t.Fatalf("first: %+v %v", p, err)
	}
	p2, err := f.Fetch(ctx, testSource(), srv.URL+"/", p.Validators)
	if err != nil || !p2.NotModified || p2.Status != 304 || len(p2.Body) != 0 {
		t.Fatalf("second: %+v %v", p2, err)
	}
	if p2.Validators != p.Validators {
		t.Errorf("validators after 304 = %+v, want the previous %+v", p2.Validators, p.Validators)
	}
	h := rec.hitsFor("/")
	if h[1].Header.Get("If-None-Match") != etag || h[1].Header.Get("If-Modified-Since") != lastMod {
		t.Errorf("conditional headers: %v", h[1].Header)
	}
	p3, err := f.Fetch(ctx, testSource(), srv.URL+"/", Validators{LastModified: lastMod})
	if err != nil || !p3.NotModified {
		t.Errorf("by date: %+v %v", p3, err)
	}
}

func TestFetchKeepsRawBytes(t *testing.T) {
	body := []byte("<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9 \x93quoted\x94 \x80</body></html>")
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		_, _ = w.Write(body)
	}))
	f := newFetcher(t, Config{IgnoreRobots: true})
	p, err := f.Fetch(context.Background(), testSource(), srv.URL+"/", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Body, body) {
		t.Errorf("body changed:\n got %q\nwant %q", p.Body, body)
	}
	if p.Header.Get("Content-Type") != "text/html; charset=windows-1252" || p.Charset() != "windows-1252" {
		t.Errorf("content type %q", p.Header.Get("Content-Type"))
	}
	if p.Header.Get(hiddenContentType) != "" {
		t.Errorf("internal header leaked")
	}
}

func TestPerHostDelay(t *testing.T) {
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html(w, "<p>ok</p>")
	}))
	f := newFetcher(t, Config{IgnoreRobots: true})
	src := &newsflow.Source{Name: "polite", Delay: newsflow.Duration(200 * time.Millisecond), Parallelism: 1}
	const n = 4
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := f.Fetch(context.Background(), src, fmt.Sprintf("%s/p%d", srv.URL, i), Validators{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rec.mu.Lock()
	times := make([]time.Time, len(rec.hits))
	for i, h := range rec.hits {
		times[i] = h.At
	}
	rec.mu.Unlock()
	if len(times) != n {
		t.Fatalf("%d requests, want %d", len(times), n)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < n; i++ {
		if gap := times[i].Sub(times[i-1]); gap < 190*time.Millisecond {
			t.Errorf("requests %d and %d were %v apart, want >= 200ms", i-1, i, gap)
		}
	}
}

// TestSharedHostTakesStrictestLimits checks two sources on one host: the
// lax one fetching first still gets the strict one's delay and
// parallelism, since HostLimitsOf gives the host the strictest of both.
func TestSharedHostTakesStrictestLimits(t *testing.T) {
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html(w, "<p>ok</p>")
	}))
	strict := newsflow.Source{Name: "strict", Feeds: []string{srv.URL + "/feed.xml"}, Delay: newsflow.Duration(200 * time.Millisecond), Parallelism: 1}
	lax := newsflow.Source{Name: "lax", StartURLs: []string{srv.URL + "/"}, Delay: newsflow.Duration(time.Millisecond), Parallelism: 8}
	limits := HostLimitsOf([]newsflow.Source{lax, strict})
	host := mustParse(t, srv.URL).Host
	if l := limits[host]; l.Delay != 200*time.Millisecond || l.Parallelism != 1 {
		t.Fatalf("limits of %s: %+v, want 200ms and 1", host, l)
	}
	f := newFetcher(t, Config{IgnoreRobots: true, HostLimits: limits})
	const n = 4
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), &lax, fmt.Sprintf("%s/p%d", srv.URL, i), Validators{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rec.mu.Lock()
	times := make([]time.Time, len(rec.hits))
	for i, h := range rec.hits {
		times[i] = h.At
	}
	rec.mu.Unlock()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 190*time.Millisecond {
			t.Errorf("requests %d and %d were %v apart, want >= 200ms (the strict source's delay)", i-1, i, gap)
		}
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestFetchBadURL(t *testing.T) {
	f := newFetcher(t, Config{})
	for _, u := range []string{"ftp://example.com/", "not a url", "/relative", "http://"} {
		if _, err := f.Fetch(context.Background(), testSource(), u, Validators{}); SkipReason(err) != ReasonBadURL {
			t.Errorf("%q: err = %v, want bad_url", u, err)
		}
	}
}

func TestDeferRedirects(t *testing.T) {
	var targetHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new?x=1", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		targetHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><p>new</p></body></html>"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f, err := NewFetcher(Config{AllowPrivateNetworks: true, IgnoreRobots: true, DeferRedirects: true})
	if err != nil {
		t.Fatal(err)
	}
	src := &newsflow.Source{Name: "t"}
	_, err = f.Fetch(context.Background(), src, srv.URL+"/old", Validators{})
	var re *RedirectError
	if !errors.As(err, &re) || re.To != srv.URL+"/new?x=1" || re.Status != http.StatusMovedPermanently {
		t.Fatalf("err = %v, want a RedirectError to /new?x=1", err)
	}
	if targetHits.Load() != 0 {
		t.Errorf("the redirect target was fetched %d times", targetHits.Load())
	}
	if IsTransient(err) || SkipReason(err) != "" {
		t.Errorf("a deferred redirect is neither transient nor a skip: %v", err)
	}
	// Discovery documents still follow redirects.
	_, err = f.FetchDocument(context.Background(), src, srv.URL+"/old", Validators{})
	if errors.As(err, &re) || targetHits.Load() != 1 {
		t.Errorf("FetchDocument did not follow the redirect: %v, target hits %d", err, targetHits.Load())
	}
}
