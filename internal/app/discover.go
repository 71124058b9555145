package app

import (
	"context"
	"fmt"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/crawler"
)

// discover runs discovery for one source once and puts every URL that is
// due on the frontier. A URL fetched within the source's recrawl time is
// left alone, unless a sitemap says it changed since.
func (a *App) discover(ctx context.Context, src *newsflow.Source) error {
	log := a.Log.With("source", src.Name, "stage", "discover")
	now := time.Now()
	rd := a.round(src)
	stats, err := a.discoverer.Discover(crawler.WithBudget(ctx, rd.budget), src, func(c crawler.Candidate) error {
		a.Metrics.Discovered(src.Name, c.Via)
		v, seen, err := a.Bus.GetVisit(ctx, c.URL)
		if err != nil {
			return err
		}
		// A page the site refused (403, 429, ...) is asked for again next
		// round, not left alone for the recrawl time: so a source that
		// blocks the crawler keeps failing its rounds until it lets it in,
		// and its pages come in as soon as it does.
		refused := v.Status == "skipped:"+crawler.ReasonHTTP4xx
		if seen && !refused && now.Sub(v.FetchedAt) < src.Recrawl.D() && !c.Modified.After(v.FetchedAt) {
			a.Metrics.Skipped(src.Name, "fresh")
			return nil
		}
		if err := a.Bus.Enqueue(ctx, bus.Task{Source: src.Name, URL: c.URL, Via: c.Via, Queued: now}); err != nil {
			return err
		}
		a.Metrics.Queued(src.Name)
		return nil
	})
	for _, e := range stats.Errors {
		// The crawler logged each when it happened.
		a.Metrics.Failed("discover", src.Name, "document", e.Error())
	}
	if err == nil && len(stats.Errors) > 0 && stats.Feeds+stats.Sitemaps+stats.Pages == 0 {
		// Nothing could be read: the source is unreachable or has moved,
		// which is a failed crawl, not an empty one.
		err = fmt.Errorf("every discovery document failed (%d), the first: %w", len(stats.Errors), stats.Errors[0])
	}
	a.trapsOf(src, rd, stats.Traps)
	for from, to := range stats.Moved {
		log.Info("discovery document moved; update the configuration", "url", from, "final_url", to)
	}
	a.saveDiscovery(ctx, src.Name)
	if err != nil {
		a.endRound(src, rd, err)
		log.Error("discovery failed", "err", err)
		return err
	}
	// The round ends once its fetches are done (endRoundIfIdle).
	rd.discovered.Store(true)
	log.Info("discovery done", "found", stats.Found, "feeds", stats.Feeds, "sitemaps", stats.Sitemaps, "not_modified", stats.NotModified, "pages", stats.Pages,
		"fetches", rd.budget.Used(), "budget", rd.budget.Limit())
	return nil
}

// schedule runs discovery of a source at start and then at each time its
// schedule names, never two runs of one source at once; a round that NATS
// cut short is tried again sooner (nextRound). Before each run after the
// first it saves what the source's template memory learned.
func (a *App) schedule(ctx context.Context, src *newsflow.Source) {
	failures := 0
	for {
		a.endCurrentRound(src)
		a.newRound(src)
		if err := a.discover(ctx, src); err != nil && bus.Unavailable(err) {
			failures++
		} else {
			failures = 0
		}
		now := time.Now()
		next := nextRound(src.Next(now), now, failures)
		a.Log.Debug("next crawl", "source", src.Name, "at", next)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		a.saveSiteMemory(ctx, src.Name)
		a.saveCanaries(ctx)
	}
}

// Pauses before a discovery round that NATS cut short is tried again: the
// first, doubled with each such round in a row, up to the longest.
const (
	discoveryRetry    = 30 * time.Second
	maxDiscoveryRetry = 10 * time.Minute
)

// nextRound is when the next discovery round of a source starts: at the
// time its schedule names, or sooner when the last failures rounds in a
// row were cut short by NATS not answering.
func nextRound(scheduled, now time.Time, failures int) time.Time {
	if failures <= 0 {
		return scheduled
	}
	wait := discoveryRetry
	for i := 1; i < failures && wait < maxDiscoveryRetry; i++ {
		wait *= 2
	}
	if retry := now.Add(min(wait, maxDiscoveryRetry)); retry.Before(scheduled) {
		return retry
	}
	return scheduled
}
