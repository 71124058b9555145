// Package extractor turns one HTML page into an Article: the article text
// without the page's boilerplate, and its metadata. It is a pure function of
// the page bytes and URL (no network, no global mutable state but a cache
// of the time zones it has loaded, safe for concurrent use), unless the
// caller gives it a SiteMemory to learn a site's template across pages.
package extractor

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/newsflow/newsflow"
)

// Version is recorded in every Article as extractor_version; it changes
// whenever the output for the same page may change.
const Version = "0.5.7"

// Options carry what the caller knows besides the page bytes.
type Options struct {
	// ContentType is the HTTP Content-Type header, if any; its charset is
	// one hint among others, since servers lie.
	ContentType string
	// Rules are the source's CSS selector overrides, applied before the
	// generic method.
	Rules newsflow.ExtractRules
	// Site, when set, is the memory of the site's template that the
	// extraction learns from and applies (see SiteMemory); Extract is then
	// no longer a function of the page alone. Nil extracts each page on
	// its own.
	Site *SiteMemory
	// LikelyArticle is what the crawl knows of the URL: it came from a
	// feed item, a news sitemap entry or the source's article pattern.
	// It is weighed with the page's own evidence, never alone.
	LikelyArticle bool
}

// ErrNotArticle is matched (with errors.Is) by every *NotArticleError.
var ErrNotArticle = errors.New("not an article")

// NotArticleError reports a page that is not an article (a listing, a
// section front, a login wall, an error page) and why.
type NotArticleError struct {
	Reason string
	// Confidence is how strongly the page's evidence said article (0 to
	// 1), below the level at which it is taken as one.
	Confidence float64
	// Article is what the page gives when read as an article anyway, for
	// diagnosis (the extract command shows it); the pipeline stores
	// nothing of it.
	Article *newsflow.Article
}

func (e *NotArticleError) Error() string { return "not an article: " + e.Reason }

// Is makes errors.Is(err, ErrNotArticle) true.
func (e *NotArticleError) Is(target error) bool { return target == ErrNotArticle }

// Extract returns the article of a page. body is the raw response body in
// whatever charset the page uses; pageURL is the URL it was fetched from
// (after redirects), used to resolve relative links. A page that is not an
// article gives a *NotArticleError; a page that cannot be read at all (not
// HTML, binary) gives another error.
func Extract(body []byte, pageURL string, opts Options) (*newsflow.Article, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract: bad page URL %q: %w", pageURL, err)
	}
	doc, err := parse(body, opts.ContentType)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	applyRemoveRules(doc, opts.Rules)
	meta := extractMetadata(doc, base, opts.Rules)
	content := extractContent(doc, meta, opts.Rules)
	v := classify(base, meta, content, opts.LikelyArticle)
	if v.Reason != "" {
		return nil, &NotArticleError{Reason: v.Reason, Confidence: v.Confidence, Article: buildArticle(pageURL, meta, content)}
	}
	if opts.Site != nil {
		content = opts.Site.strip(pageURL, content)
	}
	a := buildArticle(pageURL, meta, content)
	a.ArticleConfidence = v.Confidence
	return a, nil
}
