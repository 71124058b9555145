package extractor

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Bounds for reading a <noscript> as markup: its source holds paragraphs
// and at least noscriptMinBytes, its text a story's worth of prose
// (storyFullChars), and the element beside it shows at most
// noscriptShownMax characters.
const (
	noscriptMinBytes = 1000
	noscriptShownMax = 200
)

// mayHoldNoscriptStory reports whether the page's source has a <noscript>
// with paragraphs in it, large enough to be a story: the cheap test that
// spares most pages the walk of expandNoscriptStories.
func mayHoldNoscriptStory(page []byte) bool {
	for rest := page; ; {
		i := bytes.Index(rest, []byte("<noscript"))
		if i < 0 {
			return false
		}
		rest = rest[i+len("<noscript"):]
		end := bytes.Index(rest, []byte("</noscript"))
		if end < 0 {
			end = len(rest)
		}
		if end >= noscriptMinBytes && bytes.Contains(rest[:end], []byte("<p")) {
			return true
		}
		rest = rest[end:]
	}
}

// expandNoscriptStories puts in place of a <noscript> the markup it holds
// when that markup is a story and the element around it shows next to
// nothing: pages that render their text from a script template (Blogger
// themes) write the same text in <noscript> for readers without scripts,
// and a browser without scripts shows it. The parser, like a browser with
// scripts, reads <noscript> as raw text.
func expandNoscriptStories(root *html.Node) {
	var found []*html.Node
	walk(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Noscript {
			if c := n.FirstChild; c != nil && c.Type == html.TextNode && len(c.Data) >= noscriptMinBytes && strings.Contains(c.Data, "<p") {
				found = append(found, n)
			}
			return false
		}
		return true
	})
	for _, n := range found {
		parent := n.Parent
		if parent == nil || measure(parent, 0)[parent].textLen > noscriptShownMax {
			continue
		}
		nodes, err := html.ParseFragment(strings.NewReader(n.FirstChild.Data), parent)
		if err != nil {
			continue
		}
		wrap := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		for _, c := range nodes {
			wrap.AppendChild(c)
		}
		if s := measure(wrap, 0)[wrap]; s == nil || s.proseLen < storyFullChars {
			continue
		}
		parent.InsertBefore(wrap, n)
		parent.RemoveChild(n)
	}
}
