package extractor

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Short stories in crowded templates, as the pages of many news sites
// are: each corpus article (scrapinghub, readability) cut to its first
// two to five long paragraphs (100 words or more) and its page crowded
// with a ticker of headlines and a menu above everything, a column of 60
// to 150 headline links beside the page's own content (before it in the
// source, as a left column is, or after it), and a "More stories" block
// of ten teaser cards with summaries right under the story. Each page is
// built twice: as it is, and without the metadata an older CMS does not
// write (JSON-LD, og:type, article:published_time). Every one is an
// article, and the not-an-article decision must keep it.

// crowdedArticle is one such page and what Extract made of it.
type crowdedArticle struct {
	From, Variant, URL string
	HTML               []byte
	Words              int
	pageVerdict
}

var crowded builtSet[*crowdedArticle]

// loadCrowdedArticles builds and extracts the crowded articles once per
// test binary.
func loadCrowdedArticles(t *testing.T) []*crowdedArticle {
	t.Helper()
	return crowded.load(t, func(sources []*corpusPage) []*crowdedArticle {
		stories := teaserStories(sources, true)
		var pages []*crowdedArticle
		for i, p := range sources {
			if p.Reason != "" || isTinyTestPage(p) {
				continue
			}
			for v, variant := range []string{"with metadata", "without metadata"} {
				if raceEnabled && (i+v)%2 == 1 {
					// Under -race, which checks the concurrency, one
					// variant of each page.
					continue
				}
				c, err := buildCrowded(p, stories, i*2+v, v == 1)
				if err != nil || c == nil {
					continue
				}
				c.Variant = variant
				pages = append(pages, c)
			}
		}
		return pages
	}, func(c *crowdedArticle) ([]byte, string, *pageVerdict) { return c.HTML, c.URL, &c.pageVerdict })
}

// buildCrowded cuts a corpus article to its first two to five long
// paragraphs and crowds its page with headline links and cards; bare
// drops the page's article metadata. nil when the page has no story
// block to cut.
func buildCrowded(p *corpusPage, stories []teaserStory, seed int, bare bool) (*crowdedArticle, error) {
	doc, body, top, err := storyBlock(p)
	if top == nil {
		return nil, err
	}
	keep := 2 + seed%4
	var paras []*html.Node
	walk(top, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.P {
			paras = append(paras, n)
			return false
		}
		return true
	})
	long, words := 0, 0
	for _, n := range paras {
		if long >= keep {
			n.Parent.RemoveChild(n)
			continue
		}
		if t := strings.TrimSpace(textOf(n)); len(t) >= 80 {
			long++
			words += wordCount(t)
		}
	}
	if long < 2 || words < 100 {
		return nil, nil
	}
	if bare {
		doc.Find(`script[type="application/ld+json"], meta[property="og:type"], meta[property="article:published_time"]`).Remove()
	}
	headlines := func(n, from int) string {
		var b strings.Builder
		for i := range n {
			s := stories[(seed*11+from+i*17)%len(stories)]
			fmt.Fprintf(&b, `<li><a href="/news/%d/%d">%s</a></li>`, 1000+seed, from+i, html.EscapeString(s.title))
		}
		return b.String()
	}
	// The ticker and a menu head the page, a column of headlines stands
	// beside the page's own content (before it in the source, as a left
	// column does, or after it), and cards of more stories follow the
	// story.
	main := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div, Attr: []html.Attribute{{Key: "class", Val: "main"}}}
	for c := body.FirstChild; c != nil; c = body.FirstChild {
		body.RemoveChild(c)
		main.AppendChild(c)
	}
	column := `<div class="column"><h3>Latest headlines</h3><ul>` + headlines(60+seed*7%91, 20) + `</ul></div>`
	page := `<div class="ticker"><span>Breaking:</span><ul>` + headlines(10, 0) + `</ul></div>` +
		`<ul class="menu">` + headlines(10, 10) + `</ul>`
	left := seed/2%2 == 0
	if left {
		page += column
	}
	nodes, err := html.ParseFragment(strings.NewReader(page), body)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	body.AppendChild(main)
	if !left {
		nodes, err := html.ParseFragment(strings.NewReader(column), body)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			body.AppendChild(n)
		}
	}
	more, err := html.ParseFragment(strings.NewReader(`<div class="more"><h3>More stories</h3>`+teaserCardsHTML(stories, seed, 10, true)+`</div>`), body)
	if err != nil {
		return nil, err
	}
	for _, n := range more {
		top.Parent.InsertBefore(n, top.NextSibling)
	}
	var b bytes.Buffer
	if err := html.Render(&b, doc.Nodes[0]); err != nil {
		return nil, err
	}
	return &crowdedArticle{From: p.Corpus + "/" + p.ID, URL: p.URL, HTML: b.Bytes(), Words: words}, nil
}

// maxCrowdedRejected guards the share of the crowded articles rejected:
// the level reached, with a small margin (the goal is 1%).
const maxCrowdedRejected = 0.01

// TestCrowdedArticles measures how many short stories in crowded
// templates are rejected, by variant, and guards the level reached.
func TestCrowdedArticles(t *testing.T) {
	pages := loadCrowdedArticles(t)
	rejected := map[string]int{}
	n := map[string]int{}
	all := 0
	for _, c := range pages {
		n[c.Variant]++
		if c.Err != nil {
			t.Errorf("%s (%s): %v", c.From, c.Variant, c.Err)
			continue
		}
		if c.Reason != "" {
			rejected[c.Variant]++
			all++
			t.Logf("rejected %s (%s, %d words): %s, confidence %.2f", c.From, c.Variant, c.Words, c.Reason, c.Confidence)
		}
	}
	for _, v := range []string{"with metadata", "without metadata"} {
		t.Logf("%s: %d pages, %d rejected", v, n[v], rejected[v])
	}
	if len(pages) == 0 {
		t.Skip("no corpus article to crowd")
	}
	if raceEnabled {
		return // a sample: its figures are not the set's
	}
	if share := float64(all) / float64(len(pages)); share > maxCrowdedRejected {
		t.Errorf("%d of %d crowded articles rejected (%.1f%%), more than %.0f%%", all, len(pages), 100*share, 100*maxCrowdedRejected)
	}
}
