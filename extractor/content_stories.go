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
// names content: "story-text", "post-body"; or with the same class of a
// grid, "col-md-8", in the same frame: sameFrame), where they hold prose: a
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
	return inDocumentOrder(nodes, twins, st)
}

// inDocumentOrder returns the chosen blocks with more of them added, in
// the document's order.
func inDocumentOrder(nodes, more []*html.Node, st statsTable) []*html.Node {
	out := append(slices.Clip(nodes), more...)
	slices.SortFunc(out, func(a, b *html.Node) int { return st[a].order - st[b].order })
	return out
}

// withSplitCells adds to the chosen blocks the other cells of the table
// that holds the chosen block's cell, in rows above or below it, where
// they hold prose: a story that an old table template split into rows,
// an ad's cell between. Of each row only the cell with the most prose is
// the story's column; the cells beside it, and the cells in the chosen
// block's own row, are the page's columns (navigation, a sidebar). A cell
// with a table of its own is a part of the page's layout, and a cell with
// another story's headline between it and the chosen text is that
// story's. The blocks come in document order.
func withSplitCells(nodes []*html.Node, top *html.Node, st, raw statsTable, headlines []int) []*html.Node {
	// The row of the chosen block: the chosen row, or the row of the cell
	// that is or holds the chosen block (up to two levels up).
	var row *html.Node
	for n, i := top, 0; n != nil && i < 3 && row == nil; n, i = n.Parent, i+1 {
		switch n.DataAtom {
		case atom.Tr:
			row = n
		case atom.Td:
			row = n.Parent
		case atom.Table, atom.Tbody, atom.Thead, atom.Tfoot:
			return nodes
		}
	}
	if row == nil || row.DataAtom != atom.Tr {
		return nodes
	}
	table := row.Parent
	if table != nil && table.DataAtom == atom.Tbody {
		table = table.Parent
	}
	if table == nil || table.DataAtom != atom.Table {
		return nodes
	}
	var cells []*html.Node
	for _, r := range tableRows(table) {
		if r == row {
			continue
		}
		// The row's cell with the most prose, the story's column: the
		// others beside it are the page's.
		var best *html.Node
		for c := r.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Td && st[c] != nil && (best == nil || st[c].proseLen > st[best].proseLen) {
				best = c
			}
		}
		if best == nil || holdsAny(best, nodes) || insideOneOf(best, nodes) || hasDescendant(best, atom.Table) {
			continue
		}
		if s := st[best]; s.proseLen >= splitCellProse && 2*s.proseLen >= s.textLen && s.linkDensity() <= 0.25 && !headlineApart(best, nodes, raw, headlines) {
			cells = append(cells, best)
		}
	}
	if len(cells) == 0 {
		return nodes
	}
	return inDocumentOrder(nodes, cells, st)
}

// splitCellProse is the prose a cell of the chosen block's table needs to
// be joined to it: the last paragraphs of a story, mostly prose.
const splitCellProse = storyFullChars / 4

// tableRows returns the rows of a table, those of its body sections
// included, not those of tables inside it.
func tableRows(table *html.Node) []*html.Node {
	var rows []*html.Node
	for c := table.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				if r.DataAtom == atom.Tr {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
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
