package extractor

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// titledStoryProse is the prose the titled story needs to be taken over
// the chosen block.
const titledStoryProse = 2 * proseNeighbourLen

// stories are the blocks of a page that holds several stories, each under
// its own <h1> in a block of the same kind side by side (templates that
// load the next stories below the first): titled is the one whose
// headline is the page's title, others the rest.
type stories struct {
	titled *html.Node
	others []*html.Node
}

// maxStories bounds the <h1>s of a page of stories: a page with more
// (each teaser of a listing under an <h1>) is not one.
const maxStories = 30

// findStories finds the stories of the page as it is before cleaning
// (which removes headers, and the headlines in them). It gives nothing on
// a page with one story, or where the second <h1> heads a box inside the
// story's own text.
func findStories(h1s []*html.Node, title string) stories {
	if len(h1s) < 2 || len(h1s) > maxStories || title == "" {
		return stories{}
	}
	var titled *html.Node
	var rest []*html.Node
	for _, h := range h1s {
		switch {
		case titled == nil && repeatsTitle(title, h):
			titled = h
		case wordCount(normTitle(leadingText(h, 300))) >= 3:
			// A headline, not a label ("Navigation") for screen readers.
			rest = append(rest, h)
		}
	}
	if titled == nil || len(rest) == 0 {
		return stories{}
	}
	// The highest block around the titled headline that holds no other.
	scope := titled
	for p := scope.Parent; p != nil && p.Type == html.ElementNode && !holdsAny(p, rest); p = p.Parent {
		scope = p
	}
	s := stories{titled: scope}
	for c := scope.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c != scope && sameKind(c, scope) && holdsAny(c, rest) {
			s.others = append(s.others, c)
		}
	}
	if len(s.others) == 0 {
		return stories{}
	}
	return s
}

// sameKind reports blocks that one template made: the same element with
// the same class.
func sameKind(a, b *html.Node) bool {
	return a.Type == html.ElementNode && a.Data == b.Data && attr(a, "class") == attr(b, "class") &&
		(a.DataAtom == atom.Article || attr(a, "class") != "")
}

// moved returns the titled story's block when the chosen block top is,
// or holds, another story; nil when top is the titled story or none.
func (s stories) moved(top *html.Node) *html.Node {
	if s.titled == nil || !attached(s.titled) || s.titled == top || isAncestor(s.titled, top) {
		return nil
	}
	for _, o := range s.others {
		if o == top || isAncestor(o, top) || isAncestor(top, o) {
			return s.titled
		}
	}
	return nil
}

// repeatsTitle reports a heading whose text is the page title (as
// normTitle gives it), or part of it.
func repeatsTitle(title string, h *html.Node) bool {
	t := normTitle(leadingText(h, 300))
	return wordCount(t) >= 3 && strings.Contains(title, t)
}

// within returns the candidates under root.
func (c candidates) within(root *html.Node) candidates {
	sub := candidates{}
	for n, s := range c {
		if isAncestor(root, n) {
			sub[n] = s
		}
	}
	return sub
}

// twinMinProse is the prose that a block of the chosen block's kind needs
// to be joined to it.
const twinMinProse = storyFullChars

// withTwins adds to the chosen blocks the other blocks that the same part
// of the template made as top (the same element, with the same class that
// names content: "story-text", "post-body"), where they hold prose: a
// story that ads or page modules split into several blocks, or a
// question's answers. A block with another story's headline between it
// and the chosen text (headlines: positions in the raw page of headline
// links and <h1>s) belongs to that story. The blocks come in document order.
func withTwins(nodes []*html.Node, top, body *html.Node, st, raw statsTable, headlines []int) []*html.Node {
	class := attr(top, "class")
	// A class naming content tells the template's part by itself; any
	// other (a grid's "col-md-8") only with the two elements around it.
	_, _, named := scanWords(class)
	if !named && (class == "" || top.Parent == nil || top.Parent.Parent == nil) {
		return nodes
	}
	var twins []*html.Node
	walk(body, func(n *html.Node) bool {
		if n.Type != html.ElementNode || slices.Contains(nodes, n) {
			return false
		}
		if n.Data != top.Data || attr(n, "class") != class || holdsAny(n, nodes) || !named && !sameFrame(n, top) {
			return true
		}
		if s := st[n]; s != nil && s.proseLen >= twinMinProse && s.linkDensity() <= 0.25 && !headlineApart(n, nodes, raw, headlines) {
			twins = append(twins, n)
		}
		return false
	})
	if len(twins) == 0 {
		return nodes
	}
	out := append(slices.Clip(nodes), twins...)
	slices.SortFunc(out, func(a, b *html.Node) int { return st[a].order - st[b].order })
	return out
}

// sameFrame reports whether a and b stand in elements of the same kind and
// class, two levels up.
func sameFrame(a, b *html.Node) bool {
	for range 2 {
		a, b = a.Parent, b.Parent
		if a == nil || b == nil || a.Data != b.Data || attr(a, "class") != attr(b, "class") {
			return false
		}
	}
	return true
}

// headlineApart reports whether a headline stands between n and each of
// the chosen blocks.
func headlineApart(n *html.Node, nodes []*html.Node, raw statsTable, headlines []int) bool {
	s := raw[n]
	if s == nil {
		return true
	}
	for _, c := range nodes {
		cs := raw[c]
		if cs == nil {
			continue
		}
		from, to := cs.textAt+cs.textLen, s.textAt
		if s.textAt < cs.textAt {
			from, to = s.textAt+s.textLen, cs.textAt
		}
		if !headlineBetween(headlines, from, to) {
			return false
		}
	}
	return true
}
