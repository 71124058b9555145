package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gocolly/colly/v2"

	"github.com/newsflow/newsflow"
)

// hiddenContentType is where the transport parks the Content-Type header
// while colly handles a response: colly converts bodies whose Content-Type
// names a non-UTF-8 charset (even with DetectCharset off), and we hand on
// the bytes exactly as served.
const hiddenContentType = "X-Newsflow-Content-Type"

// maxRedirects is how many redirects one fetch follows.
const maxRedirects = 10

var errTooManyRedirects = errors.New("more than 10 redirects")

// stateKey carries an *attemptState in a request's context.
type stateKey struct{}

// attemptState is what one colly request reports back to the Fetcher.
type attemptState struct {
	mu     sync.Mutex
	urls   []string // every URL requested, redirects included, in order
	reason string   // skip reason decided from the response headers
	status int
	header http.Header
	body   []byte
	got    bool // a response reached OnResponse
	// deferRedirect stops at the first redirect and reports it instead
	// of following it.
	deferRedirect bool
}

func (s *attemptState) addURL(u string) {
	s.mu.Lock()
	s.urls = append(s.urls, u)
	s.mu.Unlock()
}

// rawTransport records each request of a fetch (so redirects are known),
// keeps colly from decompressing (it would do so without a size cap) and
// hides Content-Type from colly's charset conversion.
type rawTransport struct {
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *rawTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if st, ok := req.Context().Value(stateKey{}).(*attemptState); ok {
		st.addURL(req.URL.String())
	}
	res, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	// Decompression of Content-Encoding is left to the Go transport (it
	// streams, so colly's body limit applies to the decompressed bytes);
	// anything else stays compressed and FetchDocument gunzips it with a cap.
	res.Uncompressed = true
	delete(res.Header, hiddenContentType) // a server cannot choose our Content-Type
	if ct, ok := res.Header["Content-Type"]; ok {
		res.Header[hiddenContentType] = ct
		delete(res.Header, "Content-Type")
	}
	return res, nil
}

// restoreHeader returns a copy of h with Content-Type back in its place.
func restoreHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		return http.Header{}
	}
	if ct, ok := out[hiddenContentType]; ok {
		out["Content-Type"] = ct
		delete(out, hiddenContentType)
	}
	return out
}

// hostKey identifies the origin of a URL for robots.txt: scheme, host and
// port.
func hostKey(scheme, host string) string {
	return strings.ToLower(scheme + "://" + host)
}

// politenessKey identifies the host a per-host limit applies to: the host
// name and any non-default port, whatever the scheme.
func politenessKey(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	return host
}

// collectorFor returns the collector of a host, creating it with the
// source's Delay and Parallelism on first use. One collector per host is
// what makes colly's LimitRule, which matches hosts by glob, a per-host
// limit: the rule's glob is "*", and only requests to this host go
// through this collector. The host's limits are those of Config.HostLimits,
// else those of the first source to fetch from it.
func (f *Fetcher) collectorFor(key string, src *newsflow.Source) (*colly.Collector, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.collectors[key]; ok {
		return c, nil
	}
	c := colly.NewCollector()
	c.UserAgent = f.cfg.UserAgent
	c.AllowURLRevisit = true // the caller dedupes; this keeps colly's visited map empty
	c.IgnoreRobotsTxt = true // robots.txt is handled by robotsCache
	c.ParseHTTPErrorResponse = true
	c.DetectCharset = false
	c.MaxDepth = 0
	c.WithTransport(f.transport)
	c.SetRequestTimeout(f.cfg.Timeout)
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if st, ok := req.Context().Value(stateKey{}).(*attemptState); ok && st.deferRedirect {
			return http.ErrUseLastResponse
		}
		if len(via) > maxRedirects {
			return errTooManyRedirects
		}
		if !budgetOf(req.Context()).take() {
			return ErrBudgetSpent
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("%w: redirect to %s", errNotHTTP, req.URL.Redacted())
		}
		return nil
	})
	delay := src.Delay.D()
	par := max(src.Parallelism, 1)
	if l, ok := f.cfg.HostLimits[key]; ok {
		delay, par = l.Delay, l.Parallelism
	}
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Delay: delay, Parallelism: par}); err != nil {
		return nil, err
	}
	if len(f.collectors) >= maxCollectors {
		// Collectors are cheap to rebuild; forgetting them all bounds memory
		// at the price of a fresh limit state for the hosts in flight.
		clear(f.collectors)
	}
	f.collectors[key] = c
	return c, nil
}

// maxCollectors bounds the per-host collector map.
const maxCollectors = 4096

// attempt runs one GET through colly and reports what happened. The request
// runs in its own goroutine so that a cancelled ctx returns at once even
// while colly waits for the host's slot or sleeps its Delay.
func (f *Fetcher) attempt(ctx context.Context, base *colly.Collector, rawURL string, hdr http.Header, maxBody int64, check func(status int, h http.Header) string, deferRedirect bool) (*attemptState, error) {
	st := &attemptState{deferRedirect: deferRedirect}
	c := base.Clone()
	c.Context = context.WithValue(ctx, stateKey{}, st)
	c.MaxBodySize = int(maxBody)
	c.OnRequestHeaders(func(r *colly.Request) {
		if ctx.Err() != nil {
			r.Abort()
		}
	})
	c.OnResponseHeaders(func(r *colly.Response) {
		if check == nil {
			return
		}
		if reason := check(r.StatusCode, *r.Headers); reason != "" {
			st.mu.Lock()
			st.reason = reason
			st.status = r.StatusCode
			st.header = *r.Headers
			st.mu.Unlock()
			r.Request.Abort()
		}
	})
	c.OnResponse(func(r *colly.Response) {
		st.mu.Lock()
		st.got = true
		st.status = r.StatusCode
		if r.Headers != nil {
			st.header = *r.Headers
		}
		st.body = r.Body
		st.mu.Unlock()
	})
	done := make(chan error, 1)
	go func() { done <- c.Request(http.MethodGet, rawURL, nil, nil, hdr.Clone()) }()
	select {
	case err := <-done:
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.got {
			return st, nil
		}
		return st, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
