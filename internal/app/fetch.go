package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/crawler"
	"github.com/newsflow/newsflow/extractor"
)

// Stage names, used in dead-letter subjects and failure metrics.
const (
	stageFetch = "fetch"
	stageStore = "store"
)

// frontierWait is how long a fetch worker's pull request waits for a task.
const frontierWait = 2 * time.Second

// fetchWorkers consume the frontier of one source until ctx ends: fetch,
// extract, publish, ack. A task is acknowledged only once its article is
// safely on the NEWS stream, or once it is known not to be one.
//
// In once mode a task that still fails after the fetcher's own retries is
// dead-lettered at once, so the run can end; in service mode it is retried
// later, with a growing delay, until the consumer's delivery limit.
func (a *App) fetchWorkers(ctx context.Context, src *newsflow.Source, once bool) error {
	cons, err := a.Bus.FetchConsumer(ctx, src.Name)
	if err != nil {
		return fmt.Errorf("fetch %s: consumer: %w", src.Name, err)
	}
	// The workers of a source report a frontier they cannot reach once,
	// and once when it answers again, not at every try in between.
	var failing atomic.Bool
	var wg sync.WaitGroup
	for range src.Parallelism {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				msgs, err := cons.Fetch(ctx, 1, frontierWait)
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					if !failing.Swap(true) {
						a.Log.Warn("frontier fetch failed; retrying every second", "source", src.Name, "err", err)
					}
					sleep(ctx, time.Second)
					continue
				}
				if failing.Swap(false) {
					a.Log.Info("frontier answers again", "source", src.Name)
				}
				if len(msgs) == 0 {
					a.endRoundIfIdle(src)
					continue
				}
				rd := a.round(src)
				rd.inFlight.Add(int64(len(msgs)))
				for _, m := range msgs {
					a.handleTask(ctx, src, m, cons.MaxDeliver(), once)
					rd.inFlight.Add(-1)
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

// handleTask takes one frontier message to its end: acked, retried later,
// or dead-lettered with the reason.
func (a *App) handleTask(ctx context.Context, src *newsflow.Source, m *bus.Message, maxDeliver int, once bool) {
	log := a.Log.With("source", src.Name, "stage", stageFetch)
	task, err := bus.DecodeTask(m)
	if err != nil {
		a.deadLetter(context.WithoutCancel(ctx), m, src.Name, "bad_task", err)
		return
	}
	log = log.With("url", task.URL)
	keepAlive := m.KeepAlive()
	outcome, err := a.process(ctx, src, task)
	keepAlive()
	// The task is settled even when shutdown began meanwhile: an ack sent
	// with a cancelled context is never sent.
	settle, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case err == nil:
		if outcome != "" {
			a.Metrics.Skipped(src.Name, outcome)
		}
		if err := m.Ack(settle); err != nil {
			log.Warn("ack failed; the task will be delivered again", "err", err)
		}
	case ctx.Err() != nil:
		// Shutting down: hand the task back for the next process, after
		// the pull requests still open here have expired, so that it is
		// not delivered into one of them on a closing connection.
		m.Nak(frontierWait)
	case busUnavailable(err):
		// NATS did not answer: the task did nothing wrong, so it is handed
		// back however often it was delivered, never dead-lettered, and
		// comes back once the bus does. A nak that cannot be sent now is
		// made good by the ack wait.
		a.Metrics.Failed(stageFetch, src.Name, "bus_unavailable", err.Error())
		log.Warn("bus unavailable; task handed back", "err", err, "in", busRetryDelay)
		m.Nak(busRetryDelay)
	case crawler.IsTransient(err) && !once && int(m.Deliveries()) < maxDeliver:
		a.round(src).failed.Add(1)
		delay := retryDelay(int(m.Deliveries()))
		a.Metrics.Failed(stageFetch, src.Name, failureReason(err), err.Error())
		log.Info("fetch failed, will retry", "err", err, "in", delay, "deliveries", m.Deliveries())
		m.Nak(delay)
	default:
		a.round(src).failed.Add(1)
		a.deadLetter(settle, m, src.Name, failureReason(err), err)
	}
}

// deadLetter sends a frontier task to news.dead.fetch with its reason.
func (a *App) deadLetter(ctx context.Context, m *bus.Message, source, reason string, cause error) {
	a.Metrics.Failed(stageFetch, source, reason, cause.Error())
	if err := m.DeadLetter(ctx, stageFetch, reason+": "+cause.Error()); err != nil {
		a.Log.Error("dead-letter failed; the task stays on the frontier", "source", source, "err", err)
		return
	}
	a.Metrics.DeadLettered(stageFetch, 1)
	a.Log.Warn("task dead-lettered", "source", source, "reason", reason, "err", cause)
}

// process fetches, extracts and publishes one URL. It returns a skip reason
// ("" when an article was published) or an error.
func (a *App) process(ctx context.Context, src *newsflow.Source, task bus.Task) (string, error) {
	visit, seen, err := a.Bus.GetVisit(ctx, task.URL)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errSeenState, err)
	}
	if seen && visit.FetchedAt.After(task.Queued) {
		return "fresh", nil // fetched since it was queued, by another path
	}
	var prev crawler.Validators
	if seen {
		prev = crawler.Validators{ETag: visit.ETag, LastModified: visit.LastModified}
	}
	rd := a.round(src)
	page, err := a.fetcher.Fetch(crawler.WithBudget(ctx, rd.budget), src, task.URL, prev)
	if page != nil {
		a.Metrics.Fetched(src.Name, page.Status, page.Duration)
		rd.fetched(page.Status)
	}
	if err != nil {
		if reason := crawler.SkipReason(err); reason == crawler.ReasonBudget {
			// Not recorded as a visit: the next round queues it again.
			if rd.budget.FirstRefusal() {
				a.Metrics.Trap(src.Name, crawler.TrapBudget)
				a.Log.Warn("fetch budget of the round spent; the remaining tasks are dropped unvisited, for the next round to queue again",
					"source", src.Name, "budget", rd.budget.Limit())
			}
			return reason, nil
		} else if reason != "" {
			if reason == crawler.ReasonHTTP4xx {
				// Not a missing page but a refusal (403, 429, ...): a
				// source that answers every fetch so is blocking us.
				rd.failed.Add(1)
			}
			a.putVisit(ctx, task.URL, bus.Visit{URL: task.URL, FetchedAt: time.Now(), Status: "skipped:" + reason})
			return reason, nil
		}
		var redirect *crawler.RedirectError
		if errors.As(err, &redirect) {
			return a.queueRedirect(ctx, src, task, redirect)
		}
		if page == nil {
			a.Metrics.Fetched(src.Name, 0, 0)
		}
		return "", err
	}
	if page.NotModified {
		visit.FetchedAt = page.FetchedAt
		a.putVisit(ctx, task.URL, visit)
		return "not_modified", nil
	}
	return a.publishPage(ctx, src, rd, task.URL, page, visit, seen, likelyArticle(src, task), a.keepPage(src, page))
}

// publishPage extracts a fetched page (fetched now, or read from a web
// archive) and publishes its article unless the page is no article, a
// duplicate, or unchanged since the visit recorded for the requested URL.
// It returns a skip reason ("" when an article was published) or an error.
// rd is the crawl round the page was fetched in (nil for a page read from
// an archive, where no trap is to be cut short); likely says the URL is
// expected to be an article (see likelyArticle); rawPage is where the page
// is kept, if it is.
func (a *App) publishPage(ctx context.Context, src *newsflow.Source, rd *round, requested string, page *crawler.Page, visit bus.Visit, seen, likely bool, rawPage string) (string, error) {
	finalURL := requested
	if c, err := crawler.Canonicalize(page.FinalURL); err == nil {
		finalURL = c
	}
	start := time.Now()
	art, err := extractor.Extract(page.Body, page.FinalURL, extractor.Options{
		ContentType:   page.Header.Get("Content-Type"),
		Rules:         src.Extract,
		Site:          a.sites[src.Name],
		LikelyArticle: likely,
	})
	if err != nil {
		reason := "unreadable"
		if errors.Is(err, extractor.ErrNotArticle) {
			reason = "not_article"
			a.observePage(src.Name, nil)
		}
		a.Log.Debug("not stored", "url", page.FinalURL, "reason", reason, "err", err)
		a.putVisit(ctx, finalURL, bus.Visit{URL: finalURL, FetchedAt: page.FetchedAt, Status: reason,
			ETag: page.Validators.ETag, LastModified: page.Validators.LastModified})
		return reason, nil
	}
	a.Metrics.Extracted(src.Name, time.Since(start))
	art.URL = page.FinalURL
	art.RawPage = rawPage
	art.CanonicalURL = chooseCanonical(finalURL, art.CanonicalURL)
	art.Seal(src.Name, page.FetchedAt)
	a.observePage(src.Name, art)
	if art.CanonicalURL != finalURL {
		if v, ok, _ := a.Bus.GetVisit(ctx, art.CanonicalURL); ok && v.ContentHash == art.ContentHash {
			a.putVisit(ctx, finalURL, bus.Visit{URL: finalURL, FetchedAt: page.FetchedAt, Status: "duplicate", ContentHash: art.ContentHash})
			return "duplicate", nil
		}
	}
	if rd != nil && rd.duplicate(art.ContentHash, art.CanonicalURL) {
		// The same page under another URL: a site that serves one story
		// under endless URLs would otherwise fill the store.
		a.Metrics.Trap(src.Name, crawler.TrapDuplicate)
		a.putVisit(ctx, finalURL, bus.Visit{URL: finalURL, FetchedAt: page.FetchedAt, Status: crawler.TrapDuplicate, ContentHash: art.ContentHash})
		return crawler.TrapDuplicate, nil
	}
	stored := bus.Visit{URL: art.CanonicalURL, FetchedAt: page.FetchedAt, ContentHash: art.ContentHash, Status: "stored",
		ETag: page.Validators.ETag, LastModified: page.Validators.LastModified}
	if seen && visit.ContentHash == art.ContentHash {
		a.putVisit(ctx, finalURL, stored)
		return "unchanged", nil
	}
	if err := a.markNearDuplicate(ctx, art); err != nil {
		return "", fmt.Errorf("%w: %w", errFingerprint, err)
	}
	if err := a.Bus.PublishArticle(ctx, art); err != nil {
		return "", fmt.Errorf("%w: %w", errPublish, err)
	}
	a.Metrics.Published(src.Name)
	if art.NearDuplicateOf != "" {
		a.Metrics.NearDuplicate(src.Name)
	}
	a.putVisit(ctx, finalURL, stored)
	if art.CanonicalURL != finalURL {
		a.putVisit(ctx, art.CanonicalURL, stored)
	}
	return "", nil
}

// likelyArticle reports what the crawl knows of a page before reading it:
// a feed item, or a URL that matches the source's article_pattern, is
// meant to be an article. The extractor weighs that with the page's own
// evidence.
func likelyArticle(src *newsflow.Source, task bus.Task) bool {
	return task.Via == crawler.ViaFeed || src.ArticlePattern != "" && src.IsArticleURL(task.URL)
}

// queueRedirect puts the target of a redirect on the frontier as a task of
// its own: the frontier deduplicates URLs, so a page reached both directly
// and through a redirect is fetched once, by whichever crawler takes it.
// The task carries the chain that led to it, so that a chain longer than
// crawler.MaxRedirects, or one that comes back to a URL of its own, ends
// there as a trap.
func (a *App) queueRedirect(ctx context.Context, src *newsflow.Source, task bus.Task, r *crawler.RedirectError) (string, error) {
	target, err := crawler.Canonicalize(r.To)
	if err != nil {
		a.putVisit(ctx, task.URL, bus.Visit{URL: task.URL, FetchedAt: time.Now(), Status: "skipped:bad_redirect"})
		return "bad_redirect", nil
	}
	if u, ok := crawler.StripSession(target); ok {
		a.Metrics.Trap(src.Name, crawler.TrapSessionID)
		target = u
	}
	a.Metrics.Fetched(src.Name, r.Status, 0)
	chain := append(slices.Clip(task.Chain), task.URL)
	kind := crawler.ArticleTrap(target, time.Now())
	switch {
	case slices.Contains(chain, target):
		kind = crawler.TrapRedirectLoop
	case len(chain) > crawler.MaxRedirects:
		kind = crawler.TrapRedirectChain
	}
	if kind != "" {
		a.Metrics.Trap(src.Name, kind)
		a.Log.Warn("redirect refused as a spider trap", "source", src.Name, "url", task.URL, "target", target,
			"kind", kind, "hops", len(chain), "first", chain[0])
		a.putVisit(ctx, task.URL, bus.Visit{URL: task.URL, FetchedAt: time.Now(), Status: "skipped:" + kind})
		return kind, nil
	}
	a.putVisit(ctx, task.URL, bus.Visit{URL: task.URL, FetchedAt: time.Now(), Status: "redirect"})
	if err := a.Bus.Enqueue(ctx, bus.Task{Source: src.Name, URL: target, Via: "redirect", Queued: time.Now(), Chain: chain}); err != nil {
		return "", fmt.Errorf("%w: queue redirect target: %w", errPublish, err)
	}
	a.Metrics.Queued(src.Name)
	return "redirect", nil
}

// putVisit records the seen state of a URL; a failure only costs a refetch.
func (a *App) putVisit(ctx context.Context, u string, v bus.Visit) {
	if v.URL == "" {
		v.URL = u
	}
	v.FetchedAt = v.FetchedAt.UTC()
	if err := a.Bus.PutVisit(ctx, u, v); err != nil {
		a.Log.Warn("seen state not saved", "url", u, "err", err)
	}
}

// chooseCanonical returns the URL that identifies an article: the page's
// rel=canonical when it is on the same site and names a real path (pages
// that point every canonical at the home page are common), else the
// canonical form of the fetched URL.
func chooseCanonical(fetched, declared string) string {
	if declared == "" {
		return fetched
	}
	c, err := crawler.Canonicalize(declared)
	if err != nil {
		return fetched
	}
	fu, err1 := url.Parse(fetched)
	cu, err2 := url.Parse(c)
	if err1 != nil || err2 != nil || cu.Path == "/" || cu.Path == "" || siteOf(fu.Hostname()) != siteOf(cu.Hostname()) {
		return fetched
	}
	return c
}

// siteOf strips a leading "www." or "m." so a page's canonical may move
// between a site's main and mobile hosts.
func siteOf(host string) string {
	for _, p := range []string{"www.", "m.", "amp."} {
		host = strings.TrimPrefix(host, p)
	}
	return host
}

// Errors of the bus during a task, told apart in failure metrics.
var (
	errPublish     = errors.New("publish")
	errSeenState   = errors.New("seen state")
	errFingerprint = errors.New("fingerprint")
)

// busRetryDelay is the pause before a task that failed on the bus is tried
// again.
const busRetryDelay = 5 * time.Second

// busUnavailable reports whether a task failed because NATS did not answer
// while its visit was read or its result published.
func busUnavailable(err error) bool {
	return (errors.Is(err, errPublish) || errors.Is(err, errSeenState) || errors.Is(err, errFingerprint)) && bus.Unavailable(err)
}

// failureReason names a fetch error by a bounded label.
func failureReason(err error) string {
	var he *crawler.HTTPError
	switch {
	case errors.As(err, &he):
		return fmt.Sprintf("http_%d", he.Status)
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "timeout"):
		return "timeout"
	case crawler.IsTransient(err):
		return "network"
	case errors.Is(err, errPublish):
		return "publish"
	case errors.Is(err, errSeenState):
		return "seen_state"
	case errors.Is(err, errFingerprint):
		return "fingerprint"
	}
	return "error"
}

// retryDelay is the pause before a failed task is tried again: 1, 4, 16
// minutes, at most an hour.
func retryDelay(deliveries int) time.Duration {
	d := time.Minute
	for i := 1; i < deliveries && d < time.Hour; i++ {
		d *= 4
	}
	return min(d, time.Hour)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
