package crawler

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/newsflow/newsflow"
)

// Where a candidate was found: the values of Candidate.Via.
const (
	ViaFeed    = "feed"
	ViaSitemap = "sitemap"
	ViaPage    = "page"
)

// Bounds of one discovery run, so that no site can keep it going forever.
const (
	// maxSitemapDepth is how many sitemap index levels are followed below
	// a listed sitemap.
	maxSitemapDepth = 3
	// maxSitemapDocs is how many sitemap documents one run reads.
	maxSitemapDocs = 200
	// maxPagesPerStart is how many listing pages one start URL leads to.
	maxPagesPerStart = 50
)

// Candidate is an article URL found by discovery.
type Candidate struct {
	// URL is the canonical URL (see Canonicalize).
	URL string `json:"url"`
	// Via is where it was found: "feed", "sitemap" or "page".
	Via string `json:"via,omitempty"`
	// Title is the headline, when the feed or news sitemap gives one.
	Title string `json:"title,omitempty"`
	// Published is the publication time, when the feed or news sitemap
	// gives one.
	Published time.Time `json:"published,omitzero"`
	// Modified is the feed item's update time or the sitemap's lastmod.
	Modified time.Time `json:"modified,omitzero"`
}

// DiscoverStats counts what one discovery run did.
type DiscoverStats struct {
	// Feeds, Sitemaps and Pages count the documents read successfully.
	Feeds, Sitemaps, Pages int
	// Found is how many candidates were emitted.
	Found int
	// Duplicates is how many candidates were left out because their
	// canonical URL had been emitted already in this run.
	Duplicates int
	// NotModified counts the feeds and sitemaps that answered 304 Not
	// Modified to a conditional request; their candidates are the ones
	// the previous run read from them (they count in Feeds and Sitemaps
	// too).
	NotModified int
	// Errors holds one error per document that could not be fetched or
	// parsed, each naming the document's URL.
	Errors []error
	// Traps counts, by kind (Trap*), the links refused or cut short as
	// spider traps, and a round stopped by its fetch budget.
	Traps map[string]int
	// Moved maps each start page, feed and sitemap that redirected to the
	// URL it ended at, so that the configuration can be brought up to date.
	Moved map[string]string
}

func (s *DiscoverStats) trap(kind string) {
	if s.Traps == nil {
		s.Traps = map[string]int{}
	}
	s.Traps[kind]++
}

func (s *DiscoverStats) moved(from, to string) {
	if from == to {
		return
	}
	if s.Moved == nil {
		s.Moved = map[string]string{}
	}
	s.Moved[from] = to
}

// Discoverer finds the article URLs of a source.
//
// A Discoverer remembers, per source, the feeds and sitemaps it has read
// whole: the next run asks for them with If-None-Match/If-Modified-Since,
// and a 304 gives the same candidates again without a download or a parse.
// Keep one Discoverer for the life of the process to benefit, and carry
// what it remembers over to the next process with Remembered and Remember.
type Discoverer struct {
	// Fetcher fetches every document; required.
	Fetcher *Fetcher
	// Logger receives progress records; nil discards them.
	Logger *slog.Logger

	docs docCache
}

// Bounds of the documents a Discoverer remembers: the candidates of one
// document (a larger one, a sitemap of the whole archive, is read again
// every run), and the candidates of all of them (beyond it, the documents
// used least recently are forgotten: dated sitemaps that no index names
// any more).
const (
	maxCachedCandidates = 5000
	maxCachedTotal      = 200000
)

// docCache holds the validators and candidates of the documents read
// whole, by source name and URL.
type docCache struct {
	mu    sync.Mutex
	docs  map[string]*cachedDoc
	total int // candidates held
	clock uint64
}

type cachedDoc struct {
	validators Validators
	cands      []Candidate
	used       uint64 // the cache's clock when last asked for
}

func (c *docCache) get(key string) (cachedDoc, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.docs[key]
	if !ok {
		return cachedDoc{}, false
	}
	c.clock++
	d.used = c.clock
	return *d, true
}

// put remembers a document read whole; one without validators, or with too
// many candidates, is forgotten instead.
func (c *docCache) put(key string, v Validators, cands []Candidate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(key)
	if v.IsZero() || len(cands) > maxCachedCandidates {
		return
	}
	for c.total+len(cands) > maxCachedTotal && len(c.docs) > 0 {
		oldest := ""
		for k, d := range c.docs {
			if oldest == "" || d.used < c.docs[oldest].used {
				oldest = k
			}
		}
		c.remove(oldest)
	}
	if c.docs == nil {
		c.docs = map[string]*cachedDoc{}
	}
	c.clock++
	c.docs[key] = &cachedDoc{validators: v, cands: slices.Clone(cands), used: c.clock}
	c.total += len(cands)
}

// remove forgets a document; c.mu must be held.
func (c *docCache) remove(key string) {
	if d, ok := c.docs[key]; ok {
		c.total -= len(d.cands)
		delete(c.docs, key)
	}
}

func (c *docCache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(key)
}

// docKey is the key of a source's document in the docCache.
func docKey(source, u string) string { return source + " " + u }

// errEnough stops a run once MaxArticles candidates were emitted, and
// errSpent once the fetch budget of the round is spent.
var (
	errEnough = errors.New("enough candidates")
	errSpent  = errors.New("fetch budget spent")
)

// Discover finds the article URLs of a source and calls emit once for each
// distinct canonical URL, in this order: feeds, then sitemaps, then start
// pages.
//
//   - Feeds (RSS, Atom, JSON Feed): every item link is an article; the
//     article pattern is not applied, a feed lists articles by nature.
//     Feeds are read in batches of 250 items, at most 50,000, and reading
//     stops at MaxArticles, so that a huge feed takes little memory.
//   - Sitemaps: indexes are followed up to 3 levels and 200 documents per
//     run; gzip sitemaps are read too. Entries of a Google News sitemap
//     (<news:news>) are always articles; entries of a plain sitemap, which
//     lists section and tag pages as well, are kept only when they match
//     the source's ArticlePattern (all are kept when it is empty). Entries
//     are emitted newest first by lastmod or publication date.
//   - With src.RobotsSitemaps, the Sitemap: lines of the robots.txt of
//     the source's hosts are read as listed sitemaps.
//   - Start pages: links resolved against <base href> and the page URL are
//     kept when they match the ArticlePattern; pagination (rel=next,
//     "Next"/"More"/"Older"/"»" or page-number links, page=N and /page/N
//     variants of the page's URL, same host only) is followed up to
//     src.MaxDepth steps and 50 pages per start URL, never visiting a page
//     twice. MaxDepth 0 reads the start pages only. Start and listing
//     pages follow redirects, even with Config.DeferRedirects.
//
// Links that look like spider traps (see URLTrap) are left out, session
// ids are dropped from links (see StripSession), a listing page whose
// content was read under another URL is not followed, and each of these
// is counted in DiscoverStats.Traps. When the context carries a Budget
// (see WithBudget), every request draws from it, and discovery stops once
// it is spent. Documents that redirected are listed in DiscoverStats.Moved.
//
// Discovery stops after src.MaxArticles candidates (0: no limit). A
// document that cannot be fetched or parsed is recorded in the stats and
// discovery goes on. The error is non-nil only when ctx is done or emit
// fails; emit's error is returned as it is.
func (d *Discoverer) Discover(ctx context.Context, src *newsflow.Source, emit func(Candidate) error) (DiscoverStats, error) {
	r := &run{ctx: ctx, d: d, src: src, emit: emit, seen: map[string]bool{}, log: d.Logger}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.log = r.log.With("source", src.Name, "stage", "discover")
	if d.Fetcher == nil {
		return r.stats, errors.New("crawler: discover: no Fetcher")
	}
	r.now = time.Now()
	err := r.do(ctx)
	if errors.Is(err, errEnough) || errors.Is(err, errSpent) {
		err = nil
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("crawler: discover %s: %w", src.Name, ctx.Err())
	}
	r.log.Debug("discovery done", "found", r.stats.Found, "duplicates", r.stats.Duplicates, "errors", len(r.stats.Errors))
	return r.stats, err
}

// run is the state of one Discover call.
type run struct {
	ctx   context.Context
	d     *Discoverer
	src   *newsflow.Source
	emit  func(Candidate) error
	seen  map[string]bool
	stats DiscoverStats
	log   *slog.Logger

	sitemapsSeen map[string]bool
	now          time.Time
	// bodies holds a hash of each listing page read, to tell the same
	// page under another URL.
	bodies map[[sha256.Size]byte]bool
}

func (r *run) do(ctx context.Context) error {
	for _, u := range r.src.Feeds {
		if err := r.feed(ctx, u); err != nil {
			return err
		}
	}
	r.sitemapsSeen = map[string]bool{}
	sitemaps := r.src.Sitemaps
	if r.src.RobotsSitemaps {
		sitemaps = append(slices.Clip(sitemaps), r.robotsSitemaps(ctx)...)
	}
	for _, u := range sitemaps {
		if err := r.sitemap(ctx, u, 0); err != nil {
			return err
		}
	}
	visited := map[string]bool{}
	for _, u := range r.src.StartURLs {
		if err := r.pages(ctx, u, visited); err != nil {
			return err
		}
	}
	return nil
}

// robotsSitemaps returns the sitemaps named by the robots.txt of every
// host of the source's feeds, sitemaps and start URLs; a robots.txt that
// cannot be read is recorded as a document error.
func (r *run) robotsSitemaps(ctx context.Context) []string {
	var out []string
	hosts := map[string]bool{}
	for _, list := range [][]string{r.src.Feeds, r.src.Sitemaps, r.src.StartURLs} {
		for _, raw := range list {
			u, err := url.Parse(raw)
			if err != nil || hosts[u.Scheme+"://"+u.Host] {
				continue
			}
			hosts[u.Scheme+"://"+u.Host] = true
			found, err := r.d.Fetcher.RobotsSitemaps(ctx, r.src, raw)
			if err != nil {
				r.fail(ctx, "robots.txt", u.Scheme+"://"+u.Host+"/robots.txt", err)
				continue
			}
			out = append(out, found...)
		}
	}
	return out
}

// add emits a candidate unless it was emitted before.
func (r *run) add(c Candidate) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if u, ok := StripSession(c.URL); ok {
		r.stats.trap(TrapSessionID)
		c.URL = u
	}
	if kind := ArticleTrap(c.URL, r.now); kind != "" {
		r.stats.trap(kind)
		r.log.Debug("link refused as a spider trap", "url", c.URL, "kind", kind)
		return nil
	}
	if r.seen[c.URL] {
		r.stats.Duplicates++
		return nil
	}
	r.seen[c.URL] = true
	r.stats.Found++
	if err := r.emit(c); err != nil {
		return err
	}
	if r.src.MaxArticles > 0 && r.stats.Found >= r.src.MaxArticles {
		return errEnough
	}
	return nil
}

// fail records a per-document error; it returns ctx's error when that is
// the cause, which ends the run.
func (r *run) fail(ctx context.Context, kind, u string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if SkipReason(err) == ReasonBudget {
		r.stats.trap(TrapBudget)
		r.log.Warn("fetch budget of the round spent; discovery stops", "url", u)
		return errSpent
	}
	r.log.Warn("discovery document failed", "kind", kind, "url", u, "err", err)
	r.stats.Errors = append(r.stats.Errors, fmt.Errorf("crawler: discover %s %s: %w", kind, u, err))
	return nil
}

// fetchDocument fetches a feed or sitemap, conditionally when an earlier
// run read it whole. It returns the page, or the candidates remembered of
// it when the server answers 304 Not Modified (cached is then true).
func (r *run) fetchDocument(ctx context.Context, key, u string) (p *Page, cands []Candidate, cached bool, err error) {
	prev, known := r.d.docs.get(key)
	p, err = r.d.Fetcher.FetchDocument(ctx, r.src, u, prev.validators)
	if err != nil {
		return nil, nil, false, err
	}
	if p.NotModified {
		if !known {
			return nil, nil, false, errors.New("304 Not Modified to an unconditional request")
		}
		r.stats.NotModified++
		return p, prev.cands, true, nil
	}
	r.stats.moved(u, p.FinalURL)
	return p, nil, false, nil
}

// emitAll adds the candidates of one document, then remembers the document
// for a conditional request next run; a run cut short remembers nothing of
// it, so that the next run reads it whole again.
func (r *run) emitAll(key string, p *Page, cands []Candidate) error {
	for _, c := range cands {
		if err := r.add(c); err != nil {
			return err
		}
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	r.d.docs.put(key, p.Validators, cands)
	return nil
}

// feed reads a feed as a stream of batches (see parseFeedStream), adding
// the candidates of each before the next is parsed, so that a huge feed
// neither sits in memory parsed whole nor is read past MaxArticles.
func (r *run) feed(ctx context.Context, u string) error {
	key := docKey(r.src.Name, u)
	p, cands, cached, err := r.fetchDocument(ctx, key, u)
	if err != nil {
		return r.fail(ctx, "feed", u, err)
	}
	if cached {
		r.stats.Feeds++
		return r.emitAll(key, p, cands)
	}
	// Only a feed small enough to be remembered keeps its candidates.
	keep := true
	var addErr error
	err = parseFeedStream(p.Body, p.FinalURL, func(batch []Candidate) error {
		if keep && len(cands)+len(batch) <= maxCachedCandidates {
			cands = append(cands, batch...)
		} else {
			keep, cands = false, nil
		}
		for _, c := range batch {
			if addErr = r.add(c); addErr != nil {
				return addErr
			}
		}
		return nil
	})
	p.Body = nil
	if addErr != nil {
		// Stopped by MaxArticles, ctx or emit: the feed was not read
		// whole, so it is not remembered.
		r.d.docs.forget(key)
		r.stats.Feeds++
		return addErr
	}
	if err != nil {
		r.d.docs.forget(key)
		return r.fail(ctx, "feed", u, err)
	}
	r.stats.Feeds++
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if keep {
		r.d.docs.put(key, p.Validators, cands)
	} else {
		r.d.docs.forget(key)
	}
	return nil
}

func (r *run) sitemap(ctx context.Context, u string, depth int) error {
	canon, err := Canonicalize(u)
	if err != nil {
		return r.fail(ctx, "sitemap", u, err)
	}
	if r.sitemapsSeen[canon] || len(r.sitemapsSeen) >= maxSitemapDocs {
		return nil
	}
	r.sitemapsSeen[canon] = true
	// Only sitemaps that list pages are remembered: an index is read
	// every run, so that changed sitemaps below it are found.
	key := docKey(r.src.Name, u)
	p, cands, cached, err := r.fetchDocument(ctx, key, u)
	if err != nil {
		return r.fail(ctx, "sitemap", u, err)
	}
	if cached {
		r.stats.Sitemaps++
		return r.emitAll(key, p, cands)
	}
	kind, entries, err := parseSitemap(p.Body)
	if err != nil {
		r.d.docs.forget(key)
		return r.fail(ctx, "sitemap", u, err)
	}
	r.stats.Sitemaps++
	slices.SortStableFunc(entries, func(a, b sitemapEntry) int {
		return cmp.Compare(entryTime(b).UnixNano(), entryTime(a).UnixNano())
	})
	if kind == sitemapIndex {
		r.d.docs.forget(key)
		if depth >= maxSitemapDepth {
			return r.fail(ctx, "sitemap", u, errors.New("sitemap index nested too deep"))
		}
		for _, e := range entries {
			if err := r.sitemap(ctx, resolveRef(p.FinalURL, e.Loc), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	// Candidates are made and added one by one, so that a run that has
	// enough stops making them; only a sitemap small enough to be
	// remembered keeps them.
	keep := true
	for _, e := range entries {
		c, err := Canonicalize(resolveRef(p.FinalURL, e.Loc))
		if err != nil {
			continue
		}
		if !e.News && !r.src.IsArticleURL(c) {
			continue
		}
		cand := Candidate{URL: c, Via: ViaSitemap, Title: e.Title, Published: e.Published, Modified: e.LastMod}
		if keep && len(cands) < maxCachedCandidates {
			cands = append(cands, cand)
		} else {
			keep, cands = false, nil
		}
		if err := r.add(cand); err != nil {
			r.d.docs.forget(key)
			return err
		}
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if keep {
		r.d.docs.put(key, p.Validators, cands)
	} else {
		r.d.docs.forget(key)
	}
	return nil
}

// entryTime is the time a sitemap entry is sorted by.
func entryTime(e sitemapEntry) time.Time {
	if !e.Published.IsZero() {
		return e.Published
	}
	return e.LastMod
}

// pages reads a start page and follows its pagination breadth first. It
// follows redirects, a start page's included; links that look like spider
// traps are not followed, nor the links of a page whose content was seen
// under another URL in this run.
func (r *run) pages(ctx context.Context, start string, visited map[string]bool) error {
	canon, err := Canonicalize(start)
	if err != nil {
		return r.fail(ctx, "page", start, err)
	}
	type item struct {
		url   string
		depth int
	}
	queue := []item{{canon, 0}}
	visited[canon] = true
	if r.bodies == nil {
		r.bodies = map[[sha256.Size]byte]bool{}
	}
	fetched := 0
	for len(queue) > 0 {
		if fetched >= maxPagesPerStart {
			r.stats.trap(TrapPagination)
			r.log.Warn("listing pages go on past the limit of a start page", "start", start, "limit", maxPagesPerStart)
			break
		}
		it := queue[0]
		queue = queue[1:]
		if err := ctx.Err(); err != nil {
			return err
		}
		fetched++
		p, err := r.d.Fetcher.FetchListing(ctx, r.src, it.url, Validators{})
		if err != nil {
			if err := r.fail(ctx, "page", it.url, err); err != nil {
				return err
			}
			continue
		}
		if it.depth == 0 {
			r.stats.moved(start, p.FinalURL)
		}
		sum := sha256.Sum256(p.Body)
		if r.bodies[sum] {
			r.stats.trap(TrapDuplicate)
			continue
		}
		r.bodies[sum] = true
		links, err := extractLinks(p.Body, p.FinalURL)
		if err != nil {
			if err := r.fail(ctx, "page", it.url, err); err != nil {
				return err
			}
			continue
		}
		r.stats.Pages++
		final, _ := Canonicalize(p.FinalURL)
		visited[final] = true
		isNext := map[string]bool{}
		for _, n := range links.Next {
			isNext[n] = true
		}
		for _, l := range links.Links {
			if l == final || l == it.url || !r.src.IsArticleURL(l) {
				continue
			}
			isNext[l] = false // an article is never a listing page
			if err := r.add(Candidate{URL: l, Via: ViaPage}); err != nil {
				return err
			}
		}
		if it.depth >= r.src.MaxDepth {
			continue
		}
		for _, n := range links.Next {
			if !isNext[n] {
				continue
			}
			if u, ok := StripSession(n); ok {
				r.stats.trap(TrapSessionID)
				n = u
			}
			if visited[n] {
				continue
			}
			visited[n] = true
			if kind := URLTrap(n, r.now); kind != "" {
				r.stats.trap(kind)
				r.log.Debug("listing page refused as a spider trap", "url", n, "kind", kind)
				continue
			}
			queue = append(queue, item{n, it.depth + 1})
		}
	}
	return nil
}

// resolveRef resolves a possibly relative reference against a document URL;
// on error it returns ref unchanged for Canonicalize to reject.
func resolveRef(base, ref string) string {
	b, err := parseURL(base)
	if err != nil {
		return ref
	}
	r, err := parseURL(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}
