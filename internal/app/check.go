package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/crawler"
	"github.com/newsflow/newsflow/extractor"
)

// CheckReport is what `newsflow check` found for one source: what its
// discovery gave, and for a handful of its pages what would be stored or
// why not. Nothing is queued, published or stored.
type CheckReport struct {
	Source string `json:"source"`
	// Discovered counts the candidate URLs discovery emitted; Feeds,
	// Sitemaps and Pages the documents it read.
	Discovered             int      `json:"discovered"`
	Feeds, Sitemaps, Pages int      `json:"-"`
	DiscoveryErrors        []string `json:"discovery_errors,omitempty"`
	// Checked holds the pages fetched and extracted, in discovery order.
	Checked []CheckedPage `json:"checked"`
}

// CheckedPage is one page of a check: the article that would be stored,
// or the reason it would not be.
type CheckedPage struct {
	URL string `json:"url"`
	Via string `json:"via,omitempty"`
	// Article is what would be published and stored.
	Article *newsflow.Article `json:"article,omitempty"`
	// Rejected is the reason the page would not be stored (not_article,
	// http_404, not_html, robots, ...), with Detail saying more.
	Rejected string `json:"rejected,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// Check runs discovery of src (unless urls are given, which are checked
// instead) and fetches and extracts up to max of the pages found, with the
// source's rules, politeness and robots.txt, and nothing else: no frontier,
// no seen state, no stream, no store. The App must be opened with
// Need{Crawler: true}.
func (a *App) Check(ctx context.Context, src *newsflow.Source, urls []string, max int) (CheckReport, error) {
	if a.fetcher == nil {
		return CheckReport{}, errors.New("check: the crawler is not open")
	}
	rep := CheckReport{Source: src.Name}
	var cands []crawler.Candidate
	if len(urls) == 0 {
		stats, err := a.discoverer.Discover(ctx, src, func(c crawler.Candidate) error {
			cands = append(cands, c)
			return nil
		})
		rep.Discovered, rep.Feeds, rep.Sitemaps, rep.Pages = stats.Found, stats.Feeds, stats.Sitemaps, stats.Pages
		for _, e := range stats.Errors {
			rep.DiscoveryErrors = append(rep.DiscoveryErrors, e.Error())
		}
		if err != nil {
			return rep, fmt.Errorf("check %s: discovery: %w", src.Name, err)
		}
	}
	for _, u := range urls {
		c, err := crawler.Canonicalize(u)
		if err != nil {
			return rep, fmt.Errorf("check: %q: %w", u, err)
		}
		cands = append(cands, crawler.Candidate{URL: c})
	}
	seen := map[string]string{}
	for _, c := range cands {
		if len(rep.Checked) >= max || ctx.Err() != nil {
			break
		}
		p := a.checkPage(ctx, src, c)
		if p.Article != nil {
			// The pipeline stores a page reached twice (a tracking
			// parameter, a redirect) once.
			if first, dup := seen[p.Article.CanonicalURL]; dup {
				p = CheckedPage{URL: p.URL, Via: p.Via, Rejected: "duplicate", Detail: "the same article as " + first}
			} else {
				seen[p.Article.CanonicalURL] = p.URL
			}
		}
		rep.Checked = append(rep.Checked, p)
	}
	return rep, ctx.Err()
}

// checkPage fetches and extracts one page, following one redirect.
func (a *App) checkPage(ctx context.Context, src *newsflow.Source, c crawler.Candidate) CheckedPage {
	out := CheckedPage{URL: c.URL, Via: c.Via}
	u := c.URL
	page, err := a.fetcher.Fetch(ctx, src, u, crawler.Validators{})
	var redirect *crawler.RedirectError
	if errors.As(err, &redirect) {
		if u, err = crawler.Canonicalize(redirect.To); err == nil {
			page, err = a.fetcher.Fetch(ctx, src, u, crawler.Validators{})
		}
	}
	if err != nil {
		out.Rejected, out.Detail = crawler.SkipReason(err), err.Error()
		if out.Rejected == "" {
			out.Rejected = failureReason(err)
		}
		return out
	}
	art, err := extractor.Extract(page.Body, page.FinalURL, extractor.Options{ContentType: page.ContentType, Rules: src.Extract})
	if err != nil {
		out.Rejected, out.Detail = "unreadable", err.Error()
		if errors.Is(err, extractor.ErrNotArticle) {
			out.Rejected = "not_article"
		}
		return out
	}
	art.URL = page.FinalURL
	art.CanonicalURL = chooseCanonical(u, art.CanonicalURL)
	art.Seal(src.Name, time.Now())
	out.Article = art
	return out
}
