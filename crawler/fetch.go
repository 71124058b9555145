package crawler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsflow/newsflow"
)

// Config configures a Fetcher. Zero values take the defaults noted.
type Config struct {
	// UserAgent is sent with every request and matched against robots.txt
	// groups; default newsflow.DefaultUserAgent.
	UserAgent string
	// Timeout bounds one request, headers and body; default 30s.
	Timeout time.Duration
	// MaxBodySize is the largest body Fetch accepts, in bytes; a bigger one
	// gives a *SkipError with Reason "too_large". Default 10 MiB.
	MaxBodySize int64
	// MaxDocumentSize is the largest decompressed feed or sitemap that
	// FetchDocument accepts; default 50 MiB, the sitemap protocol's limit.
	MaxDocumentSize int64
	// Retries is how many times a 5xx, 429 or network error is retried,
	// with exponential backoff and jitter; 429 and 503 honour Retry-After.
	// Zero means no retries.
	Retries int
	// AllowPrivateNetworks lets the Fetcher connect to loopback, private,
	// link-local, unspecified and CGNAT addresses. When false the check is
	// made on the resolved address at dial time, so that redirects and DNS
	// answers cannot get around it; a refusal is an error matching
	// ErrPrivateAddress.
	AllowPrivateNetworks bool
	// IgnoreRobots disables robots.txt; meant for one's own sites only.
	IgnoreRobots bool
	// Logger receives debug and warning records; nil discards them.
	Logger *slog.Logger
	// RetryBaseDelay is the first backoff delay; default 500ms.
	RetryBaseDelay time.Duration
	// DeferRedirects makes Fetch stop at a page's first redirect and
	// return a *RedirectError naming the target, for the caller to queue
	// as a task of its own. With a shared frontier that deduplicates
	// URLs, a page reached both directly and through a redirect is then
	// fetched once. Discovery documents always follow redirects.
	DeferRedirects bool
	// HostLimits are the politeness limits of hosts that several sources
	// fetch from (see HostLimitsOf); a host not listed takes the limits of
	// the first source that fetches from it.
	HostLimits map[string]HostLimit
}

// HostLimit is the politeness of one host: the pause between two requests
// and how many may run at once.
type HostLimit struct {
	Delay       time.Duration
	Parallelism int
}

// HostLimitsOf returns, for every host named in the sources' feeds,
// sitemaps and start URLs, the strictest limits of the sources that name
// it: the longest delay and the lowest parallelism. Two sources on one
// site then share one politeness, whichever of them fetches first.
func HostLimitsOf(sources []newsflow.Source) map[string]HostLimit {
	out := map[string]HostLimit{}
	for _, src := range sources {
		for _, list := range [][]string{src.Feeds, src.Sitemaps, src.StartURLs} {
			for _, raw := range list {
				u, err := url.Parse(raw)
				if err != nil || u.Host == "" {
					continue
				}
				key := politenessKey(u)
				l, seen := out[key]
				delay, par := src.Delay.D(), max(src.Parallelism, 1)
				if !seen || delay > l.Delay {
					l.Delay = delay
				}
				if !seen || par < l.Parallelism {
					l.Parallelism = par
				}
				out[key] = l
			}
		}
	}
	return out
}

// ConfigFrom builds a Config from the crawler section of newsflow.yaml.
func ConfigFrom(c newsflow.CrawlerConfig, logger *slog.Logger) Config {
	return Config{
		UserAgent:            c.UserAgent,
		Timeout:              c.Timeout.D(),
		MaxBodySize:          c.MaxBodySize,
		Retries:              c.Retries,
		AllowPrivateNetworks: c.AllowPrivateNetworks,
		IgnoreRobots:         c.IgnoreRobots,
		Logger:               logger,
	}
}

// Validators are the response headers that make the next GET conditional.
type Validators struct {
	ETag         string
	LastModified string
}

// IsZero reports whether there is nothing to send.
func (v Validators) IsZero() bool { return v.ETag == "" && v.LastModified == "" }

// Page is a fetched response.
type Page struct {
	// URL is the URL that was requested.
	URL string
	// FinalURL is the URL that answered, after redirects.
	FinalURL string
	// Redirects are the URLs between URL and FinalURL, in the order they
	// were visited; empty when URL answered directly or redirected
	// straight to FinalURL (compare URL and FinalURL to tell).
	Redirects []string
	// Status is the HTTP status of the final response.
	Status int
	// Header is the header of the final response.
	Header http.Header
	// ContentType is the media type of the body, without parameters.
	ContentType string
	// Body is the body as served: not converted from its charset (the
	// extractor detects charsets); FetchDocument gunzips .gz documents.
	Body []byte
	// Validators are the response's ETag and Last-Modified, for the next
	// conditional GET.
	Validators Validators
	// NotModified is true when the server answered 304 to a conditional GET.
	NotModified bool
	// Attempts is how many requests it took, retries included.
	Attempts int
	// FetchedAt is when the final response arrived.
	FetchedAt time.Time
	// Duration is the wall time of the call, robots.txt, politeness waits
	// and retries included.
	Duration time.Duration
}

// Charset returns the charset named by the Content-Type header, or "".
func (p *Page) Charset() string {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return params["charset"]
}

// Fetcher fetches pages and discovery documents politely: through colly,
// one collector per host, obeying robots.txt, per-host limits, retries,
// size and time limits. It is safe for concurrent use.
type Fetcher struct {
	cfg       Config
	log       *slog.Logger
	transport http.RoundTripper
	robots    *robotsCache

	mu         sync.Mutex
	collectors map[string]*colly.Collector
}

// Defaults of Config.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxBodySize     = 10 << 20
	DefaultMaxDocumentSize = 50 << 20
)

// NewFetcher returns a Fetcher for cfg.
func NewFetcher(cfg Config) (*Fetcher, error) {
	if cfg.UserAgent == "" {
		cfg.UserAgent = newsflow.DefaultUserAgent
	}
	if cfg.Timeout < 0 || cfg.MaxBodySize < 0 || cfg.MaxDocumentSize < 0 || cfg.Retries < 0 || cfg.RetryBaseDelay < 0 {
		return nil, errors.New("crawler: new fetcher: negative limit in config")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBodySize == 0 {
		cfg.MaxBodySize = DefaultMaxBodySize
	}
	if cfg.MaxDocumentSize == 0 {
		cfg.MaxDocumentSize = DefaultMaxDocumentSize
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = defaultRetryBaseDelay
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	dialer := &net.Dialer{Timeout: min(cfg.Timeout, 30*time.Second), KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivateNetworks {
		dialer.Control = guardControl
	}
	base := &http.Transport{
		Proxy:                 nil, // a proxy would hide the real destination from the address guard
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		ExpectContinueTimeout: time.Second,
	}
	f := &Fetcher{
		cfg:        cfg,
		log:        cfg.Logger,
		transport:  &rawTransport{base: base},
		collectors: map[string]*colly.Collector{},
	}
	f.robots = newRobotsCache(f)
	return f, nil
}

// CloseIdleConnections closes the connections kept alive for reuse; call
// it when the Fetcher is no longer used.
func (f *Fetcher) CloseIdleConnections() {
	if t, ok := f.transport.(*rawTransport); ok {
		if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
			c.CloseIdleConnections()
		}
	}
}

// fetch modes.
type mode int

const (
	modePage mode = iota
	modeListing
	modeDocument
	modeRobots
)

// Fetch GETs one URL of a source as an HTML page. It obeys robots.txt
// (unless IgnoreRobots), the source's per-host Delay and Parallelism,
// follows up to 10 redirects, retries 5xx, 429 and network errors, and
// sends If-None-Match / If-Modified-Since when prev has validators (a 304
// gives a Page with NotModified set). A body that is not HTML gives a
// *SkipError "not_html", a body over MaxBodySize "too_large". Because colly
// holds the host's slot for Delay after each response, Fetch returns once
// that Delay has passed; a cancelled ctx returns at once.
func (f *Fetcher) Fetch(ctx context.Context, src *newsflow.Source, rawURL string, prev Validators) (*Page, error) {
	return f.fetch(ctx, src, rawURL, prev, modePage)
}

// FetchListing is Fetch for the start and listing pages of discovery: it
// follows redirects even when Config.DeferRedirects is set (a start page
// that moved, from http to https or to a trailing slash, still leads to
// its links), up to MaxRedirects, and Page.FinalURL names where it
// ended.
func (f *Fetcher) FetchListing(ctx context.Context, src *newsflow.Source, rawURL string, prev Validators) (*Page, error) {
	return f.fetch(ctx, src, rawURL, prev, modeListing)
}

// FetchDocument is Fetch for discovery documents (feeds and sitemaps): it
// accepts XML, RSS, Atom, JSON, text and gzip content types, and gunzips
// gzip bodies (.xml.gz sitemaps) up to MaxDocumentSize decompressed bytes.
// Page.Body holds the decompressed document. Like Fetch, it asks
// conditionally when prev has validators.
func (f *Fetcher) FetchDocument(ctx context.Context, src *newsflow.Source, rawURL string, prev Validators) (*Page, error) {
	return f.fetch(ctx, src, rawURL, prev, modeDocument)
}

func (f *Fetcher) fetch(ctx context.Context, src *newsflow.Source, rawURL string, prev Validators, m mode) (*Page, error) {
	start := time.Now()
	if src == nil {
		src = &newsflow.Source{}
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		if err == nil {
			err = errNotHTTP
		}
		return nil, &SkipError{Reason: ReasonBadURL, URL: rawURL, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("crawler: fetch %s: %w", rawURL, err)
	}
	coll, err := f.collectorFor(politenessKey(u), src)
	if err != nil {
		return nil, fmt.Errorf("crawler: fetch %s: %w", rawURL, err)
	}
	if m != modeRobots && !f.cfg.IgnoreRobots {
		if err := f.robots.check(ctx, src, u); err != nil {
			return nil, err
		}
	}

	hdr := http.Header{}
	hdr.Set("User-Agent", f.cfg.UserAgent)
	maxBody := f.cfg.MaxBodySize
	var check func(int, http.Header) string
	switch m {
	case modePage, modeListing:
		hdr.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
		check = f.pageHeaderCheck
	case modeDocument:
		hdr.Set("Accept", "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5")
		check = f.documentHeaderCheck
		maxBody = f.cfg.MaxDocumentSize
	case modeRobots:
		hdr.Set("Accept", "text/plain,*/*;q=0.5")
		maxBody = robotsMaxSize
	}
	if prev.ETag != "" {
		hdr.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		hdr.Set("If-Modified-Since", prev.LastModified)
	}
	limit := maxBody
	if m != modeRobots {
		limit++ // one byte more than allowed tells "too large" from "just fits"
	}

	log := f.log.With("stage", "fetch", "source", src.Name, "url", rawURL)
	budget := budgetOf(ctx)
	for attempt := 1; ; attempt++ {
		if !budget.take() {
			return nil, &SkipError{Reason: ReasonBudget, URL: rawURL, Err: ErrBudgetSpent}
		}
		st, err := f.attempt(ctx, coll, u.String(), hdr, limit, check, m == modePage && f.cfg.DeferRedirects)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("crawler: fetch %s: %w", rawURL, ctxErr)
		}
		var wait time.Duration
		var final error
		switch {
		case st != nil && st.reason != "":
			return nil, &SkipError{Reason: st.reason, URL: rawURL, Status: st.status}
		case err != nil:
			if errors.Is(err, ErrPrivateAddress) {
				return nil, &SkipError{Reason: ReasonPrivateAddress, URL: rawURL, Err: err}
			}
			if errors.Is(err, ErrBudgetSpent) {
				return nil, &SkipError{Reason: ReasonBudget, URL: rawURL, Err: err}
			}
			if errors.Is(err, errTooManyRedirects) {
				return nil, &SkipError{Reason: ReasonTooManyRedirects, URL: rawURL, Err: err}
			}
			if errors.Is(err, errNotHTTP) {
				return nil, &SkipError{Reason: ReasonBadURL, URL: rawURL, Err: err}
			}
			final = &transientError{url: rawURL, err: err}
			wait = backoff(f.cfg.RetryBaseDelay, attempt)
		case m != modeRobots && retryableStatus(st.status):
			ra := time.Duration(0)
			if st.status == http.StatusTooManyRequests || st.status == http.StatusServiceUnavailable {
				ra = parseRetryAfter(st.header, time.Now())
			}
			final = &HTTPError{Status: st.status, RetryAfter: ra, URL: rawURL}
			wait = ra
			if wait == 0 {
				wait = backoff(f.cfg.RetryBaseDelay, attempt)
			}
		default:
			p, err := f.finish(rawURL, st, m, attempt, maxBody)
			if err != nil {
				return nil, err
			}
			if p.NotModified {
				// A 304 may omit the validators; the caller's still hold.
				p.Validators.ETag = cmp.Or(p.Validators.ETag, prev.ETag)
				p.Validators.LastModified = cmp.Or(p.Validators.LastModified, prev.LastModified)
			}
			p.Duration = time.Since(start)
			log.Debug("fetched", "status", p.Status, "bytes", len(p.Body), "attempts", attempt, "final_url", p.FinalURL)
			return p, nil
		}
		if attempt > f.cfg.Retries || m == modeRobots {
			return nil, final
		}
		log.Warn("fetch failed, retrying", "attempt", attempt, "wait", wait, "err", final)
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, fmt.Errorf("crawler: fetch %s: %w", rawURL, err)
		}
	}
}

// finish turns a completed response into a Page or a skip.
func (f *Fetcher) finish(rawURL string, st *attemptState, m mode, attempts int, limit int64) (*Page, error) {
	h := restoreHeader(st.header)
	p := &Page{
		URL:         rawURL,
		FinalURL:    rawURL,
		Status:      st.status,
		Header:      h,
		ContentType: mediaType(h.Get("Content-Type")),
		Body:        st.body,
		Validators:  Validators{ETag: h.Get("ETag"), LastModified: h.Get("Last-Modified")},
		Attempts:    attempts,
		FetchedAt:   time.Now().UTC(),
	}
	if n := len(st.urls); n > 0 {
		p.FinalURL = st.urls[n-1]
		if n > 2 {
			p.Redirects = append([]string(nil), st.urls[1:n-1]...)
		}
	}
	if m == modeRobots {
		return p, nil
	}
	switch s := st.status; {
	case s == http.StatusNotModified:
		p.NotModified = true
		return p, nil
	case isRedirect(s) && st.deferRedirect:
		loc, err := url.Parse(h.Get("Location"))
		if err != nil || h.Get("Location") == "" {
			return nil, &SkipError{Reason: ReasonBadURL, URL: rawURL, Status: s, Err: fmt.Errorf("redirect without a usable Location")}
		}
		base, _ := url.Parse(rawURL)
		return nil, &RedirectError{From: rawURL, To: base.ResolveReference(loc).String(), Status: s}
	case s == http.StatusNotFound:
		return nil, &SkipError{Reason: ReasonHTTP404, URL: rawURL, Status: s}
	case s == http.StatusGone:
		return nil, &SkipError{Reason: ReasonHTTP410, URL: rawURL, Status: s}
	case s >= 400:
		return nil, &SkipError{Reason: ReasonHTTP4xx, URL: rawURL, Status: s}
	case s < 200 || s >= 300:
		return nil, &SkipError{Reason: "http_" + strconv.Itoa(s/100) + "xx", URL: rawURL, Status: s}
	}
	if int64(len(p.Body)) > limit {
		return nil, &SkipError{Reason: ReasonTooLarge, URL: rawURL, Status: p.Status}
	}
	switch m {
	case modePage, modeListing:
		if reason := checkHTMLBody(p.ContentType, p.Body); reason != "" {
			return nil, &SkipError{Reason: reason, URL: rawURL, Status: p.Status}
		}
	case modeDocument:
		body, err := maybeGunzip(p.Body, f.cfg.MaxDocumentSize)
		if err != nil {
			if errors.Is(err, errDocumentTooLarge) {
				return nil, &SkipError{Reason: ReasonTooLarge, URL: rawURL, Status: p.Status, Err: err}
			}
			return nil, fmt.Errorf("crawler: fetch %s: %w", rawURL, err)
		}
		p.Body = body
	}
	return p, nil
}

// mediaType returns the lowercased media type of a Content-Type value.
func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// headerContentType reads the media type from a header that passed through
// rawTransport.
func headerContentType(h http.Header) string {
	if v := h.Get(hiddenContentType); v != "" {
		return mediaType(v)
	}
	return mediaType(h.Get("Content-Type"))
}

// tooLargeByHeader reports a declared Content-Length over limit.
func tooLargeByHeader(h http.Header, limit int64) bool {
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	return err == nil && n > limit
}

// pageHeaderCheck stops a page download early when the headers already
// show it will be skipped.
func (f *Fetcher) pageHeaderCheck(status int, h http.Header) string {
	if status < 200 || status >= 300 {
		return ""
	}
	if tooLargeByHeader(h, f.cfg.MaxBodySize) {
		return ReasonTooLarge
	}
	if ct := headerContentType(h); ct != "" && !isHTMLType(ct) {
		return ReasonNotHTML
	}
	return ""
}

// documentHeaderCheck is pageHeaderCheck for discovery documents.
func (f *Fetcher) documentHeaderCheck(status int, h http.Header) string {
	if status < 200 || status >= 300 {
		return ""
	}
	if tooLargeByHeader(h, f.cfg.MaxDocumentSize) {
		return ReasonTooLarge
	}
	if ct := headerContentType(h); ct != "" && !isDocumentType(ct) {
		return ReasonNotDocument
	}
	return ""
}

// isRedirect reports the statuses that carry a Location to follow.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
