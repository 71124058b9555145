package extractor

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// The not-an-article decision is tested against pages that are not
// articles, built from the corpus pages themselves: each article page's
// own template (navigation, sidebars, footer) around what a site shows
// instead of a story on its section fronts, tag pages, search results,
// error pages and login pages. The stories the listings link to are the
// other corpus pages' headlines and summaries, so that the listings read
// as real ones do.

// Kinds of built non-article pages, with the reason each should get.
var nonArticleKinds = []struct {
	kind, reason string
}{
	{"section front", "listing page"},
	{"headline list", "listing page"},
	{"search results", "search results"},
	{"error page", "error page"},
	{"login page", "login wall"},
}

// builtPage is a non-article page made from a corpus page's template.
type builtPage struct {
	From, Kind, Want, URL string
	HTML                  []byte
	pageVerdict
}

// pageVerdict is what Extract said of a built page: why it is not an
// article ("" when it is one), how sure, its body text whatever the
// verdict, or another error.
type pageVerdict struct {
	Reason     string
	Confidence float64
	Text       string
	// Authors and Published are the metadata read, whatever the verdict.
	Authors   []string
	Published time.Time
	Err       error
}

// judgeAll extracts built pages on four workers and records each one's
// verdict; page gives a page's bytes, URL and the verdict to fill.
func judgeAll[T any](pages []T, page func(T) ([]byte, string, *pageVerdict)) {
	work := make(chan T)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for p := range work {
				body, pageURL, v := page(p)
				a, err := Extract(body, pageURL, Options{})
				var na *NotArticleError
				switch {
				case err == nil:
					v.Confidence, v.Text = a.ArticleConfidence, a.Text
					v.Authors, v.Published = a.Authors, a.PublishedAt
				case errors.As(err, &na):
					v.Reason, v.Confidence = na.Reason, na.Confidence
					if na.Article != nil {
						v.Text = na.Article.Text
						v.Authors, v.Published = na.Article.Authors, na.Article.PublishedAt
					}
				default:
					v.Err = err
				}
			}
		})
	}
	for _, p := range pages {
		work <- p
	}
	close(work)
	wg.Wait()
}

// builtSet is a set of pages built from the scrapinghub and readability
// pages once per test binary, each judged by Extract.
type builtSet[T any] struct {
	once  sync.Once
	pages []T
}

// load builds the set on its first call: build makes the pages from the
// corpus pages, and page gives each one's bytes, URL and verdict to fill.
func (b *builtSet[T]) load(t *testing.T, build func(sources []*corpusPage) []T, page func(T) ([]byte, string, *pageVerdict)) []T {
	t.Helper()
	sources := append(loadCorpus(t, scrapinghub), loadCorpus(t, readability)...)
	b.once.Do(func() {
		pages := build(sources)
		judgeAll(pages, page)
		b.pages = pages
	})
	return b.pages
}

var nonArticles builtSet[*builtPage]

// loadNonArticles builds and classifies the non-article pages once per
// test binary.
func loadNonArticles(t *testing.T) []*builtPage {
	t.Helper()
	return nonArticles.load(t, func(sources []*corpusPage) []*builtPage {
		stories := teaserStories(sources, true)
		var pages []*builtPage
		for i, p := range sources {
			for k, kind := range nonArticleKinds {
				b, err := buildNonArticle(p, kind.kind, stories, i*len(nonArticleKinds)+k)
				if err != nil || b == nil {
					continue
				}
				b.Want = kind.reason
				pages = append(pages, b)
			}
		}
		return pages
	}, func(b *builtPage) ([]byte, string, *pageVerdict) { return b.HTML, b.URL, &b.pageVerdict })
}

// teaserStory is a headline and summary a built listing links to.
type teaserStory struct{ title, summary string }

// teaserStories are the corpus articles' headlines, in the sources'
// order, with their summaries when summaries is set (then only the
// articles with a description give one).
func teaserStories(sources []*corpusPage, summaries bool) []teaserStory {
	var stories []teaserStory
	for _, p := range sources {
		switch {
		case p.Article == nil || p.Article.Title == "":
		case !summaries:
			stories = append(stories, teaserStory{title: p.Article.Title})
		case p.Article.Description != "":
			stories = append(stories, teaserStory{p.Article.Title, teaserSummary(p.Article.Description)})
		}
	}
	return stories
}

// storyBlock parses a corpus page and finds its body and the block that
// holds its story, as the extractor scores blocks; top is nil when the
// page has no body or its best block holds less than a story's prose.
func storyBlock(p *corpusPage) (doc *goquery.Document, body, top *html.Node, err error) {
	doc, err = parse(p.HTML, "")
	if err != nil {
		return nil, nil, nil, err
	}
	if body = findBody(doc); body == nil {
		return doc, nil, nil, nil
	}
	st := measure(body, 0)
	if top = topCandidate(body, st, scoreCandidates(body, st)); top == body || st[top].proseLen < storyFullChars {
		return doc, body, nil, nil
	}
	return doc, body, top, nil
}

// buildNonArticle rewrites a corpus page into a page of the given kind:
// the block holding its story is replaced, the rest of the page stays.
// The JSON-LD of the story goes with it; its other metadata (an og:type
// set site-wide, say) stays, as it does on real sites.
func buildNonArticle(p *corpusPage, kind string, stories []teaserStory, seed int) (*builtPage, error) {
	doc, body, top, err := storyBlock(p)
	if top == nil {
		return nil, err
	}
	doc.Find(`script[type="application/ld+json"]`).Remove()
	site := siteOf(p.URL)
	section := []string{"World", "Politics", "Business", "Local", "Sports", "Culture"}[seed%6]
	base, _ := url.Parse(p.URL)
	pageURL := base.Scheme + "://" + base.Host + "/" + strings.ToLower(section) + "/"
	// Sites name their sections in several ways: a label, or a phrase
	// that reads like a headline.
	heading := []string{section, section + " news", "The latest " + strings.ToLower(section) + " news and analysis"}[seed/6%3]
	title := heading + " | " + site
	var inner string
	switch kind {
	case "section front":
		inner = teaserCardsHTML(stories, seed, 12, true)
	case "headline list":
		inner = teaserCardsHTML(stories, seed, 25, false)
	case "search results":
		q := strings.ToLower(strings.Fields(stories[seed%len(stories)].title)[0])
		pageURL = base.Scheme + "://" + base.Host + "/search?q=" + url.QueryEscape(q)
		title, heading = fmt.Sprintf("Search results for %q | %s", q, site), "Search results"
		inner = `<p class="count">10 results</p>` + teaserCardsHTML(stories, seed, 10, true)
	case "error page":
		pageURL = p.URL + "-old"
		title, heading = "Page not found | "+site, "Sorry, we couldn't find that page"
		inner = `<p>The page you were looking for does not exist or has been moved.</p><p>Try the <a href="/">home page</a> or one of these stories:</p>` + teaserCardsHTML(stories, seed, 4, false)
	case "login page":
		pageURL = base.Scheme + "://" + base.Host + "/account/login"
		title, heading = "Sign in | "+site, "Sign in to your account"
		inner = `<form method="post" action="/account/login"><label>Email <input type="email" name="email"></label><label>Password <input type="password" name="password"></label><button>Sign in</button></form><p><a href="/account/reset">Forgot your password?</a> New here? <a href="/account/register">Create an account</a>.</p>`
	}
	frag, err := html.ParseFragment(strings.NewReader("<h1>"+html.EscapeString(heading)+"</h1>"+inner), top)
	if err != nil {
		return nil, err
	}
	for c := top.FirstChild; c != nil; c = top.FirstChild {
		top.RemoveChild(c)
	}
	for _, n := range frag {
		top.AppendChild(n)
	}
	// The page's own headline and title go with the story.
	doc.Find("h1").Each(func(_ int, s *goquery.Selection) {
		if !isAncestor(top, s.Get(0)) {
			s.Remove()
		}
	})
	doc.Find("title").SetText(title)
	doc.Find(`meta[property="og:title"]`).SetAttr("content", title)
	if storyLeft(p, body) {
		// The story ran on outside the block replaced: the page would
		// still be the article.
		return nil, nil
	}
	var b bytes.Buffer
	if err := html.Render(&b, doc.Nodes[0]); err != nil {
		return nil, err
	}
	return &builtPage{From: p.Corpus + "/" + p.ID, Kind: kind, URL: pageURL, HTML: b.Bytes()}, nil
}

// storyLeft reports whether body still holds a story's worth
// (storyFullChars) of the long paragraphs of the page's article.
func storyLeft(p *corpusPage, body *html.Node) bool {
	if p.Article == nil {
		return false
	}
	rest := strings.Join(strings.Fields(textOf(body)), " ")
	left := 0
	for _, para := range strings.Split(p.Article.Text, "\n") {
		para = strings.Join(strings.Fields(para), " ")
		if len(para) >= 80 && strings.Contains(rest, para) {
			left += len(para)
		}
	}
	return left >= storyFullChars
}

// teaserCardsHTML renders n stories as a listing shows them: headline
// links with their summaries, or headlines alone.
func teaserCardsHTML(stories []teaserStory, seed, n int, summaries bool) string {
	var b strings.Builder
	b.WriteString(`<div class="stream">`)
	for i := range n {
		s := stories[(seed*7+i*13)%len(stories)]
		slug := strings.Trim(strings.Map(func(r rune) rune {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
				return r
			}
			return '-'
		}, strings.ToLower(s.title)), "-")
		fmt.Fprintf(&b, `<article class="teaser"><h3><a href="/2024/05/%02d/%s">%s</a></h3>`, i+1, slug, html.EscapeString(s.title))
		if summaries {
			fmt.Fprintf(&b, `<p>%s</p><time datetime="2024-05-%02d">May %d, 2024</time>`, html.EscapeString(s.summary), i+1, i+1)
		}
		b.WriteString(`</article>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// teaserSummary cuts a description to what a listing shows under a
// headline: its first sentences, up to about 250 characters.
func teaserSummary(d string) string {
	if len(d) <= 250 {
		return d
	}
	head := string(truncateUTF8([]byte(d), 250))
	if cut := strings.LastIndexAny(head, ".!?"); cut >= 80 {
		return head[:cut+1]
	}
	if cut := strings.LastIndex(head, " "); cut >= 80 {
		head = head[:cut]
	}
	return head + " …"
}

// siteOf names the site of a URL by its host.
func siteOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "The Site"
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// TestNotArticleConfusion measures the not-an-article decision: the
// corpus articles rejected, and the built non-article pages accepted or
// rejected for another reason than theirs.
func TestNotArticleConfusion(t *testing.T) {
	articles := append(loadCorpus(t, scrapinghub), loadCorpus(t, readability)...)
	built := loadNonArticles(t)
	rejected := 0
	for _, p := range articles {
		if p.Reason != "" && !isTinyTestPage(p) && p.ID != "nytimes-5" {
			rejected++
			t.Logf("article rejected: %s/%s: %s", p.Corpus, p.ID, p.Reason)
		}
	}
	type row struct{ pages, accepted, wrongReason int }
	rows := map[string]*row{}
	for _, b := range built {
		r := rows[b.Kind]
		if r == nil {
			r = &row{}
			rows[b.Kind] = r
		}
		r.pages++
		switch {
		case b.Err != nil:
			t.Errorf("%s %s: %v", b.Kind, b.From, b.Err)
		case b.Reason == "":
			r.accepted++
			t.Logf("accepted %s built from %s (%s)", b.Kind, b.From, b.URL)
		case b.Reason != b.Want:
			r.wrongReason++
			t.Logf("%s built from %s: reason %q, want %q", b.Kind, b.From, b.Reason, b.Want)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n| pages | count | taken as articles | rejected for another reason |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| articles (scrapinghub, readability) | %d | %d | %d rejected |\n", len(articles), len(articles)-rejected, rejected)
	kinds := make([]string, 0, len(rows))
	for k := range rows {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	accepted := 0
	for _, k := range kinds {
		r := rows[k]
		accepted += r.accepted
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", k, r.pages, r.accepted, r.wrongReason)
	}
	t.Log(b.String())
	if rejected > len(articles)/100 {
		t.Errorf("%d corpus articles rejected, more than 1%%", rejected)
	}
	if accepted > len(built)*3/100 {
		t.Errorf("%d of %d built non-article pages taken as articles, more than 3%%", accepted, len(built))
	}
}

// isTinyTestPage reports a readability unit-test page of a handful of
// words, which no decision can call an article.
func isTinyTestPage(p *corpusPage) bool {
	return p.Corpus == readability && (p.Article == nil || wordCount(p.Article.Text) < 50)
}
