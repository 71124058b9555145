package extractor

import (
	"sort"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// candidate is an element credited with the score of paragraphs below it.
type candidate struct {
	node  *html.Node
	score float64
}

// candidates maps elements to their raw (not link-adjusted) scores.
type candidates map[*html.Node]float64

// scoreCandidates credits every paragraph's score to its nearest
// ancestors, halving and then thirding with distance, as Readability does:
// the element collecting most credit is the one holding most prose.
func scoreCandidates(body *html.Node, st statsTable) candidates {
	cands := candidates{}
	walk(body, func(n *html.Node) bool {
		s := st[n]
		if s == nil || s.inlineLen < minParagraphLen || !isBlock(n) || headingLevel(n) > 0 {
			return true
		}
		score := 1 + float64(s.inlineCommas) + min(float64(s.inlineLen/100), 3)
		anc := n.Parent
		level := 0
		if s.hasBlock {
			// Text mixed with blocks is credited to its own element.
			anc = n
		}
		for ; anc != nil && level < 5; anc = anc.Parent {
			if anc.Type != html.ElementNode || st[anc] == nil {
				break
			}
			switch level {
			case 0:
				cands[anc] += score
			case 1:
				cands[anc] += score / 2
			default:
				cands[anc] += score / float64(level*3)
			}
			level++
		}
		return true
	})
	return cands
}

// tagScore favours elements that usually wrap prose.
func tagScore(n *html.Node) float64 {
	var s float64
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		s = 5
	case atom.Pre, atom.Td, atom.Blockquote:
		s = 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		s = -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		s = -5
	}
	return s
}

// classScore is what an element's class and id say; a positive name
// (e.g. "content") never adds more than the prose credit itself, so a
// short block cannot win on its name alone.
func classScore(n *html.Node, credit float64) float64 {
	switch classifyAttrs(n) {
	case attrPositive:
		return min(25, credit)
	case attrNegative:
		return -25
	}
	return 0
}

// final is a candidate's score: prose credit plus what its tag and name
// suggest, discounted by its link density.
func (c candidates) final(n *html.Node, st statsTable) float64 {
	credit := c[n]
	return (credit + tagScore(n) + classScore(n, credit)) * (1 - st[n].linkDensity())
}

// topCandidate picks the best-scoring element, then climbs to an
// ancestor when that ancestor gathers comparable credit (the article was
// split across several blocks) or when the element is an only child.
func topCandidate(body *html.Node, st statsTable, cands candidates) *html.Node {
	ranked := make([]candidate, 0, len(cands))
	for n := range cands {
		ranked = append(ranked, candidate{n, cands.final(n, st)})
	}
	// Map order is random: equal scores go in document order, so that the
	// same page gives the same text on every run.
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].score != ranked[j].score {
			return ranked[i].score > ranked[j].score
		}
		return st[ranked[i].node].order < st[ranked[j].node].order
	})
	if len(ranked) == 0 || ranked[0].score <= 0 || ranked[0].node == body {
		return body
	}
	top := ranked[0].node
	topScore := ranked[0].score

	// Several strong candidates under one ancestor: the article is split.
	var alts []*html.Node
	for _, c := range ranked[1:min(len(ranked), 5)] {
		if c.score >= 0.75*topScore {
			alts = append(alts, c.node)
		}
	}
	if len(alts) >= 3 {
		for p := top.Parent; p != nil && p != body; p = p.Parent {
			shared := 0
			for _, a := range alts {
				if isAncestor(p, a) {
					shared++
				}
			}
			if shared >= 3 {
				top = p
				break
			}
		}
	}

	// Climb while the parent scores close to or above the top.
	last := cands.final(top, st)
	threshold := last / 3
	for p := top.Parent; p != nil && p != body; p = p.Parent {
		if _, ok := cands[p]; !ok {
			continue
		}
		ps := cands.final(p, st)
		if ps < threshold {
			break
		}
		if ps > last {
			top = p
			break
		}
		last = ps
	}
	for top.Parent != nil && top.Parent != body && onlyElementChild(top) {
		top = top.Parent
	}
	return climbProse(top, body, st)
}

// climbProse widens top to its ancestors while what they add is mostly
// prose: an article split into several sibling blocks deeper than the
// sibling search reaches.
func climbProse(top, body *html.Node, st statsTable) *html.Node {
	for p := top.Parent; p != nil && p != body && st[p] != nil; p = p.Parent {
		extra := st[p].textLen - st[top].textLen
		prose := st[p].proseLen - st[top].proseLen
		if extra <= 0 {
			// A wrapper adding nothing: look past it.
			continue
		}
		if prose < 2*minParagraphLen || prose*4 < st[top].proseLen || prose*10 < extra*7 {
			break
		}
		top = p
	}
	return top
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

func onlyElementChild(n *html.Node) bool {
	for c := n.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c != n && c.Type == html.ElementNode {
			return false
		}
	}
	return true
}

// withSiblings returns top together with the siblings that look like
// more of the same article: well-scored blocks, or prose paragraphs.
func withSiblings(top *html.Node, st statsTable, cands candidates) []*html.Node {
	if top.Parent == nil {
		return []*html.Node{top}
	}
	topScore := cands.final(top, st)
	threshold := max(10, topScore*0.2)
	topClass := attr(top, "class")
	var out []*html.Node
	for s := top.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type != html.ElementNode {
			continue
		}
		if s == top {
			out = append(out, s)
			continue
		}
		bonus := 0.0
		if topClass != "" && attr(s, "class") == topClass {
			bonus = topScore * 0.2
		}
		if _, ok := cands[s]; ok && cands.final(s, st)+bonus >= threshold {
			out = append(out, s)
			continue
		}
		if isProse(s, st[s]) {
			out = append(out, s)
		}
	}
	return out
}

// isProse reports a paragraph (a <p>, or a block holding only inline
// content) that reads as running text.
func isProse(n *html.Node, s *nodeStats) bool {
	if s == nil || !(n.DataAtom == atom.P || isBlock(n) && !s.hasBlock && headingLevel(n) == 0) {
		return false
	}
	ld := s.linkDensity()
	if s.textLen > 80 {
		return ld < 0.25
	}
	return ld == 0 && s.textLen > 0 && endsSentence(n)
}

// endsSentence reports text ending with sentence punctuation.
func endsSentence(n *html.Node) bool {
	last := ""
	walkAll(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			if t := trimSpace(c.Data); t != "" {
				last = t
			}
		}
	})
	if last == "" {
		return false
	}
	switch last[len(last)-1] {
	case '.', '!', '?', '"', ':':
		return true
	}
	return false
}

// attr returns the value of an attribute of n, or "".
func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

// attrOK returns the value of an attribute and whether n, which may be
// nil, has it.
func attrOK(n *html.Node, key string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// hasAttr reports whether n has the attribute, empty or not.
func hasAttr(n *html.Node, key string) bool {
	_, ok := attrOK(n, key)
	return ok
}
