package extractor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageIndex holds the elements that metadata and the page signals read,
// found in one walk of the document rather than by a selector query each:
// every query is a walk of its own, and a page is asked a dozen of them.
// Each list is in document order.
type pageIndex struct {
	root      *html.Node   // the <html> element, or nil
	title     *html.Node   // the first <title>, or nil
	h1        []*html.Node // every <h1>
	headings  []*html.Node // every <h1> and <h2>
	metas     []*html.Node
	ldScripts []*html.Node // <script> blocks of JSON-LD
	canonical *html.Node   // the first <link rel=canonical>, or nil
	imageSrc  *html.Node   // the first <link rel=image_src>, or nil
	// itemDates are the first elements whose itemprop is exactly
	// datePublished or dateModified.
	itemDates map[string]*html.Node
	times     []*html.Node // every <time>
	// paywallBoxes are the block elements whose class or id could name
	// a paywall (mayNamePaywall).
	paywallBoxes []*html.Node
	links        []*html.Node // <a> with an href attribute
	paras        []*html.Node // every <p>
	articles     int          // <article> elements
	elements     int          // all elements
	passwords    int          // <input type=password>

	// articleBodies are the elements whose (first) itemprop holds
	// articleBody.
	articleBodies []*html.Node

	// titleLine is the page's headline line (headlineLine), found once
	// for the byline search and the date walk when titleLineFound.
	titleLine      *html.Node
	titleLineFound bool
}

// headlineLine returns headlineLine(ix.root, storyTitle(ix, mt)): on a
// page without an <h1>, the line that sets the story's headline. The
// byline search and the date walk both ask for it; the page is walked for
// it once.
func (ix *pageIndex) headlineLine(mt metaTags) *html.Node {
	if !ix.titleLineFound {
		if ix.root != nil {
			ix.titleLine = headlineLine(ix.root, storyTitle(ix, mt))
		}
		ix.titleLineFound = true
	}
	return ix.titleLine
}

// indexPage walks the document once and files the elements of interest.
func indexPage(doc *html.Node) *pageIndex {
	ix := &pageIndex{itemDates: map[string]*html.Node{}}
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		ix.elements++
		switch n.DataAtom {
		case atom.Html:
			if ix.root == nil {
				ix.root = n
			}
		case atom.Title:
			if ix.title == nil {
				ix.title = n
			}
		case atom.H1:
			ix.h1 = append(ix.h1, n)
			ix.headings = append(ix.headings, n)
		case atom.H2:
			ix.headings = append(ix.headings, n)
		case atom.Meta:
			ix.metas = append(ix.metas, n)
		case atom.Script:
			switch strings.ToLower(attr(n, "type")) {
			case "application/ld+json", "application/json+ld":
				ix.ldScripts = append(ix.ldScripts, n)
			}
		case atom.Link:
			rel := attr(n, "rel")
			if ix.canonical == nil && strings.EqualFold(rel, "canonical") {
				ix.canonical = n
			}
			if ix.imageSrc == nil && rel == "image_src" {
				ix.imageSrc = n
			}
		case atom.Time:
			ix.times = append(ix.times, n)
		case atom.Div, atom.Section, atom.Aside, atom.Dialog, atom.Form:
			if mayNamePaywall(attr(n, "class")) || mayNamePaywall(attr(n, "id")) {
				ix.paywallBoxes = append(ix.paywallBoxes, n)
			}
		case atom.Article:
			ix.articles++
		case atom.Input:
			if strings.EqualFold(attr(n, "type"), "password") {
				ix.passwords++
			}
		case atom.A:
			if hasAttr(n, "href") {
				ix.links = append(ix.links, n)
			}
		case atom.P:
			ix.paras = append(ix.paras, n)
		}
		// articleBody counts in the first itemprop only, the one attr
		// reads, as markedBodies reads it.
		firstItemprop := true
		for _, a := range n.Attr {
			if a.Key != "itemprop" {
				continue
			}
			if (a.Val == "datePublished" || a.Val == "dateModified") && ix.itemDates[a.Val] == nil {
				ix.itemDates[a.Val] = n
			}
			if firstItemprop && hasWord(a.Val, "articleBody") {
				ix.articleBodies = append(ix.articleBodies, n)
			}
			firstItemprop = false
		}
		return true
	})
	return ix
}

// textOf returns the text of n and its descendants, as goquery's Text does.
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	if c := n.FirstChild; c != nil && c == n.LastChild && c.Type == html.TextNode {
		return c.Data // the common case: no copy
	}
	var b strings.Builder
	walkAll(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}
