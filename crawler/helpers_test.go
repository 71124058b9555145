package crawler

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// hit is one request a test server saw.
type hit struct {
	Path   string
	At     time.Time
	Header http.Header
}

// recorder wraps a handler and remembers every request it served.
type recorder struct {
	mu   sync.Mutex
	hits []hit
	h    http.Handler
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.hits = append(r.hits, hit{Path: req.URL.RequestURI(), At: time.Now(), Header: req.Header.Clone()})
	r.mu.Unlock()
	r.h.ServeHTTP(w, req)
}

// paths returns the request URIs seen, in order.
func (r *recorder) paths() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.hits))
	for i, h := range r.hits {
		out[i] = h.Path
	}
	return out
}

// count returns how many requests for path were seen.
func (r *recorder) count(path string) int {
	n := 0
	for _, p := range r.paths() {
		if p == path {
			n++
		}
	}
	return n
}

// hitsFor returns the requests for path.
func (r *recorder) hitsFor(path string) []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []hit
	for _, h := range r.hits {
		if h.Path == path {
			out = append(out, h)
		}
	}
	return out
}

// newServer starts a loopback server whose requests are recorded.
func newServer(t *testing.T, h http.Handler) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{h: h}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv, rec
}

// newFetcher returns a Fetcher allowed to reach the loopback test servers,
// with short retry delays.
func newFetcher(t *testing.T, cfg Config) *Fetcher {
	t.Helper()
	cfg.AllowPrivateNetworks = true
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = 5 * time.Millisecond
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	f, err := NewFetcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// testSource is a source without politeness delay.
func testSource() *newsflow.Source {
	return &newsflow.Source{Name: "test", Parallelism: 4}
}

// html writes an HTML response.
func html(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(body))
}
