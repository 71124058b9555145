package extractor

import (
	"maps"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// nodeStats are text measures of one element, computed bottom-up in one
// walk so that no subtree is read twice.
type nodeStats struct {
	// textLen counts the characters of the element's text, whitespace runs
	// counted as one.
	textLen int
	// linkLen counts those inside <a> elements.
	linkLen int
	// inlineLen and inlineCommas cover only text not inside a nested block
	// element, the element's own paragraph text: its length and its
	// commas and other clause separators.
	inlineLen, inlineCommas int
	// inlineLinkLen is the part of inlineLen inside links.
	inlineLinkLen int
	// proseLen sums the own text of the paragraphs below (and at) the
	// element that are not mostly links.
	proseLen int
	// hasBlock is true when the element has a block-level descendant.
	hasBlock bool
	// inLink is true when the element stands inside a link to another
	// page (leadsAway): its text is the link's, a card's, not prose.
	inLink bool
	// paragraphs counts descendant paragraph units (blocks with at least
	// minParagraphLen characters of their own text).
	paragraphs int
	// order is the element's position in document order, which breaks
	// ties between equal scores the same way on every run.
	order int
	// textAt and linkAt are the text, and the text inside links, that
	// come before the element in the document: how far it stands from
	// another element.
	textAt, linkAt int
}

// minParagraphLen is the own-text length from which a block counts as a
// paragraph when scoring.
const minParagraphLen = 25

// statsTable maps elements to their measures.
type statsTable map[*html.Node]*nodeStats

// measure computes the stats of every element under root with an
// iterative post-order walk (deep documents cannot exhaust the stack).
// size is about how many elements root holds, 0 when not known.
func measure(root *html.Node, size int) statsTable {
	// Sizing the table up front spares rehashing it as it grows: on a
	// page of a million elements that is most of the cost. The stats
	// come in chunks rather than one allocation each (size counts the
	// head and what raw-text elements hold too, which are not measured),
	// and the walk keeps each frame's stats at hand instead of looking
	// them up.
	if size <= 0 {
		walk(root, func(*html.Node) bool { size++; return true })
	}
	st := make(statsTable, size)
	var chunk []nodeStats
	// text and links count the text read so far, and how much of it was
	// inside links (links open at the top of the stack).
	text, links, openLinks := 0, 0, 0
	// away counts the open links that lead to another page.
	away := 0
	newStats := func(n *html.Node) *nodeStats {
		if len(chunk) == 0 {
			chunk = make([]nodeStats, 256)
		}
		s := &chunk[0]
		chunk = chunk[1:]
		s.order = len(st)
		s.textAt, s.linkAt = text, links
		st[n] = s
		return s
	}
	type frame struct {
		n     *html.Node
		child *html.Node
		s     *nodeStats
	}
	stack := []frame{{n: root, child: root.FirstChild, s: newStats(root)}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if c := top.child; c != nil {
			top.child = c.NextSibling
			switch c.Type {
			case html.TextNode:
				l := top.s.addText(c.Data)
				text += l
				if openLinks > 0 {
					links += l
				}
			case html.ElementNode:
				first := c.FirstChild
				if isRawText(c.DataAtom) {
					first = nil
				}
				if c.DataAtom == atom.A {
					openLinks++
					if leadsAway(c) {
						away++
					}
				}
				stack = append(stack, frame{n: c, child: first, s: newStats(c)})
			}
			continue
		}
		n, s := top.n, top.s
		stack = stack[:len(stack)-1]
		if n.DataAtom == atom.A {
			openLinks--
			if leadsAway(n) {
				away--
			}
		}
		block := isBlock(n)
		s.inLink = away > 0
		s.close(n, block)
		if len(stack) == 0 {
			break
		}
		stack[len(stack)-1].s.add(s, block)
	}
	return st
}

// leadsAway reports whether link a leads to another page: it has an
// href, and not one to an anchor of this page (a tab, an accordion's
// header).
func leadsAway(a *html.Node) bool {
	href, ok := attrOK(a, "href")
	return ok && href != "" && href[0] != '#'
}

// close completes the stats of element n once its content is counted:
// a link's text is all link text, and a block with enough text of its
// own is a paragraph.
func (s *nodeStats) close(n *html.Node, block bool) {
	if n.DataAtom == atom.A {
		s.linkLen = s.textLen
		s.inlineLinkLen = s.inlineLen
	}
	if s.isParagraph(block) {
		s.paragraphs++
		if s.isProse(block) {
			s.proseLen += s.inlineLen
		}
	}
}

// isParagraph reports an element (a block when block is true) with
// enough text of its own to be a paragraph.
func (s *nodeStats) isParagraph(block bool) bool {
	return block && (!s.hasBlock && s.inlineLen >= minParagraphLen || s.inlineLen >= 3*minParagraphLen)
}

// isProse reports a paragraph of prose: not mostly links, nor inside a
// link to another page.
func (s *nodeStats) isProse(block bool) bool {
	return s.isParagraph(block) && !s.inLink && s.inlineLinkLen*10 < s.inlineLen*3
}

// add counts the stats of a child element c, a block or not, into the
// parent's.
func (s *nodeStats) add(c *nodeStats, block bool) {
	s.textLen += c.textLen
	s.linkLen += c.linkLen
	s.paragraphs += c.paragraphs
	s.proseLen += c.proseLen
	if block {
		s.hasBlock = true
	} else {
		s.hasBlock = s.hasBlock || c.hasBlock
		s.inlineLen += c.inlineLen
		s.inlineCommas += c.inlineCommas
		s.inlineLinkLen += c.inlineLinkLen
	}
}

// addText counts a text node of the element itself.
func (s *nodeStats) addText(text string) int {
	l, commas := textMeasure(text)
	s.textLen += l
	s.inlineLen += l
	s.inlineCommas += commas
	return l
}

// remeasure returns what measure(root) would, for a tree that was raw's
// until elements were removed from it (parents holds the parent each
// had): raw's stats, with those of the elements that held a removed one
// counted again from their children. raw is not changed. The positions
// (order, textAt, linkAt) stay raw's: they still sort the elements in
// document order.
func remeasure(raw statsTable, root *html.Node, parents []*html.Node) statsTable {
	changed := map[*html.Node]bool{}
	for _, p := range parents {
		// A parent removed in turn (inside another removed element) is
		// no longer under root.
		attached := false
		for a := p; a != nil; a = a.Parent {
			if a == root || changed[a] {
				attached = true
				break
			}
		}
		for a := p; attached && a != nil && !changed[a]; a = a.Parent {
			changed[a] = true
			if a == root {
				break
			}
		}
	}
	if len(changed) == 0 {
		return raw
	}
	st := maps.Clone(raw)
	// The new stats come from one allocation: an element counted again
	// is a changed one.
	fresh := make([]nodeStats, 0, len(changed))
	var recount func(n *html.Node)
	recount = func(n *html.Node) {
		old := raw[n]
		if old == nil || isRawText(n.DataAtom) {
			return // measured empty, whatever it holds
		}
		fresh = append(fresh, nodeStats{order: old.order, textAt: old.textAt, linkAt: old.linkAt, inLink: old.inLink})
		s := &fresh[len(fresh)-1]
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				s.addText(c.Data)
			case c.Type == html.ElementNode:
				if changed[c] {
					recount(c)
				}
				if cs := st[c]; cs != nil {
					s.add(cs, isBlock(c))
				}
			}
		}
		s.close(n, isBlock(n))
		st[n] = s
	}
	recount(root)
	return st
}

// textMeasure returns the length of s with whitespace runs counted as one
// character (leading and trailing ones included, as they separate words),
// and the number of clause separators in it.
func textMeasure(s string) (n, commas int) {
	space := false
	for i := 0; i < len(s); {
		switch textClasses[s[i]] {
		case textOther:
			// A run of them counts one each.
			j := i + 1
			for j < len(s) && textClasses[s[j]] == textOther {
				j++
			}
			n += j - i
			i, space = j, false
		case textSpace:
			if !space {
				n++
			}
			i, space = i+1, true
		case textComma:
			n, commas = n+1, commas+1
			i, space = i+1, false
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if unicode.IsSpace(r) {
				if !space {
					n++
				}
				space = true
				continue
			}
			space = false
			n++
			switch r {
			case '，', '、', '،', '׳', '﹐', '︐', '､':
				commas++
			}
		}
	}
	if n == 1 && space {
		n = 0
	}
	return n, commas
}

// The classes of bytes textMeasure and the renderer tell apart; those
// below textSpace are the ASCII characters that are not white space.
const (
	textOther = iota // ASCII other than white space and commas
	textComma
	textSpace // ASCII white space but a vertical tab
	textMulti // a byte of a multi-byte character
)

// textClasses files every byte in its class.
var textClasses = func() (t [256]uint8) {
	for c := utf8.RuneSelf; c < len(t); c++ {
		t[c] = textMulti
	}
	for _, c := range " \n\t\r\f" {
		t[c] = textSpace
	}
	t[','] = textComma
	return t
}()

// isRawText reports the elements that hold code or markup rather than
// text; they measure as empty.
func isRawText(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math, atom.Textarea, atom.Title:
		return true
	}
	return false
}

// linkDensity is the share of an element's text inside links.
func (s *nodeStats) linkDensity() float64 {
	if s.textLen == 0 {
		return 0
	}
	return float64(s.linkLen) / float64(s.textLen)
}

// isBlock reports the elements that start a new paragraph of text (a
// switch: it is asked of every element, often more than once).
func isBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote,
		atom.Body, atom.Center, atom.Dd, atom.Details,
		atom.Dialog, atom.Div, atom.Dl, atom.Dt,
		atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer,
		atom.Form, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr,
		atom.Li, atom.Main, atom.Nav, atom.Ol, atom.P,
		atom.Pre, atom.Section, atom.Table, atom.Tbody,
		atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr,
		atom.Ul, atom.Html, atom.Summary, atom.Caption,
		atom.Menu, atom.Noscript:
		return true
	}
	return false
}
