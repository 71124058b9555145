package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/newsflow/newsflow"
)

// robots.txt is handled here rather than by colly (whose IgnoreRobotsTxt
// stays true): colly fetches it outside the per-host limit, with no context,
// no size cap and no expiry, caches failures forever, and returns a bare
// error on 5xx. Here it is fetched through the host's collector like any
// other request, cached per scheme and host, and read as Google does: a
// 4xx allows everything, a 5xx or 429 disallows everything for a short
// while, a network error is a transient error and is not cached.
const (
	robotsMaxSize   = 500 << 10 // Google reads the first 500 KiB
	robotsTTL       = 24 * time.Hour
	robotsErrorTTL  = 10 * time.Minute
	robotsCacheSize = 10000
)

type robotsEntry struct {
	ready   chan struct{} // closed when data or err is set
	data    *robotstxt.RobotsData
	err     error
	expires time.Time
}

// robotsCache holds parsed robots.txt files by scheme and host.
type robotsCache struct {
	f       *Fetcher
	mu      sync.Mutex
	entries map[string]*robotsEntry
}

func newRobotsCache(f *Fetcher) *robotsCache {
	return &robotsCache{f: f, entries: map[string]*robotsEntry{}}
}

// check returns nil when robots.txt lets our user agent fetch u, a
// *SkipError wrapping ErrRobotsDisallowed when it does not, and another
// error when robots.txt could not be read.
func (rc *robotsCache) check(ctx context.Context, src *newsflow.Source, u *url.URL) error {
	data, err := rc.get(ctx, src, u)
	if err != nil {
		return err
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !data.TestAgent(path, rc.f.cfg.UserAgent) {
		return &SkipError{Reason: ReasonRobots, URL: u.String(), Err: ErrRobotsDisallowed}
	}
	return nil
}

// RobotsSitemaps returns the sitemap URLs that the robots.txt of rawURL's
// host names in its Sitemap: lines (absolute http(s) URLs only).
func (f *Fetcher) RobotsSitemaps(ctx context.Context, src *newsflow.Source, rawURL string) ([]string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("crawler: robots.txt sitemaps of %q: not an http(s) URL", rawURL)
	}
	data, err := f.robots.get(ctx, src, u)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range data.Sitemaps {
		if su, err := url.Parse(strings.TrimSpace(s)); err == nil && (su.Scheme == "http" || su.Scheme == "https") && su.Host != "" {
			out = append(out, su.String())
		}
	}
	return out, nil
}

// get returns the robots.txt of u's host, fetching it once for all
// concurrent callers.
func (rc *robotsCache) get(ctx context.Context, src *newsflow.Source, u *url.URL) (*robotstxt.RobotsData, error) {
	key := hostKey(u.Scheme, u.Host)
	for {
		rc.mu.Lock()
		e, ok := rc.entries[key]
		if ok {
			select {
			case <-e.ready:
				if time.Now().After(e.expires) {
					delete(rc.entries, key)
					ok = false
				}
			default:
			}
		}
		if !ok {
			if len(rc.entries) >= robotsCacheSize {
				rc.evictExpired()
			}
			e = &robotsEntry{ready: make(chan struct{})}
			rc.entries[key] = e
			rc.mu.Unlock()
			rc.load(ctx, src, u, key, e)
			return e.data, e.err
		}
		rc.mu.Unlock()
		select {
		case <-e.ready:
			if e.err != nil {
				continue // the loader failed and dropped its entry; try ourselves
			}
			return e.data, nil
		case <-ctx.Done():
			return nil, fmt.Errorf("crawler: robots.txt for %s: %w", u.Host, ctx.Err())
		}
	}
}

// evictExpired drops expired entries, or all of them if none expired; the
// caller holds rc.mu.
func (rc *robotsCache) evictExpired() {
	now := time.Now()
	n := len(rc.entries)
	for k, e := range rc.entries {
		select {
		case <-e.ready:
			if now.After(e.expires) {
				delete(rc.entries, k)
			}
		default:
		}
	}
	if len(rc.entries) == n {
		clear(rc.entries)
	}
}

// load fetches and parses robots.txt into e and publishes it.
func (rc *robotsCache) load(ctx context.Context, src *newsflow.Source, u *url.URL, key string, e *robotsEntry) {
	robotsURL := u.Scheme + "://" + u.Host + "/robots.txt"
	p, err := rc.f.fetch(ctx, src, robotsURL, Validators{}, modeRobots)
	now := time.Now()
	switch {
	case err != nil:
		if SkipReason(err) == ReasonPrivateAddress {
			e.err = &SkipError{Reason: ReasonPrivateAddress, URL: u.String(), Err: errors.Unwrap(err)}
		} else {
			e.err = fmt.Errorf("crawler: robots.txt for %s: %w", u.Host, err)
		}
	case p.Status >= 200 && p.Status < 300:
		e.data, err = robotstxt.FromBytes(p.Body)
		if err != nil {
			// Unparsable robots.txt: treat it as absent, like a 404.
			e.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		}
		e.expires = now.Add(robotsTTL)
	case p.Status == http.StatusTooManyRequests || p.Status >= 500:
		e.data, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
		e.expires = now.Add(robotsErrorTTL)
	case p.Status >= 400:
		e.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		e.expires = now.Add(robotsTTL)
	default: // 1xx, 3xx left after redirects: treat as unreachable for now
		e.data, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
		e.expires = now.Add(robotsErrorTTL)
	}
	if e.err != nil {
		rc.mu.Lock()
		if rc.entries[key] == e {
			delete(rc.entries, key)
		}
		rc.mu.Unlock()
	}
	close(e.ready)
	if e.err == nil {
		rc.f.log.Debug("robots.txt loaded", "host", u.Host, "status", p.Status)
	}
}
