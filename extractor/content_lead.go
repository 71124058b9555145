package extractor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Bounds of the standfirst: the text after the headline in which it is
// looked for, the size of one of its paragraphs, and how many it has.
const (
	leadWindow   = 1500
	leadMinChars = 80
	leadMaxChars = 1200
	leadMinWords = 10
	maxLeadParas = 3
	// maxLeadNodes bounds the nodes the walk visits, which empty
	// elements would not otherwise stop.
	maxLeadNodes = 2000
)

// standfirst returns the paragraphs of prose that stand between the
// headline and the chosen text and that the text does not hold: the
// standfirst (lead, teaser, chapô) that templates set in the article's
// header or beside its body, which is the story's first paragraph. The
// search stops where the text starts, at the chosen blocks, or after
// leadWindow characters, or at a headline link (headlines, positions in
// the raw page, as teaserCards gives them): what follows another story's
// headline is that story's. Links, captions, headings, bylines and date
// lines are passed over.
func (r *renderer) standfirst(h1 *html.Node, nodes []*html.Node, text string, raw statsTable, headlines []int) []string {
	if h1 == nil || len(nodes) == 0 || !attached(h1) || raw[h1] == nil {
		return nil
	}
	from := raw[h1].textAt + raw[h1].textLen
	var lead []string
	seen := 0
	for n, visited := nextOutside(h1), 0; n != nil && seen <= leadWindow && visited < maxLeadNodes; visited++ {
		if n.Type == html.TextNode {
			seen += len(strings.TrimSpace(n.Data))
			n = nextInOrder(n)
			continue
		}
		if n.Type != html.ElementNode {
			n = nextOutside(n)
			continue
		}
		if holdsAny(n, nodes) {
			break
		}
		s := r.stats[n]
		if s == nil || s.textLen == 0 {
			n = nextOutside(n)
			continue
		}
		if !leadCandidate(n, s) || inHeadline(n, nodes) {
			if s.hasBlock && !isDropped(n.DataAtom) && headingLevel(n) == 0 && !isCaption(n) {
				n = nextInOrder(n)
			} else {
				seen += s.textLen
				n = nextOutside(n)
			}
			continue
		}
		if rs := raw[n]; rs == nil || headlineBetween(headlines, from, rs.textAt) {
			break
		}
		seen += s.textLen
		lr := renderer{stats: r.stats, title: r.title, authors: r.authors}
		lr.render(n)
		for _, p := range lr.paras {
			if strings.Contains(text, p) {
				// The text starts here.
				return lead
			}
			if wordCount(p) >= leadMinWords && len(lead) < maxLeadParas {
				lead = append(lead, p)
			}
		}
		n = nextOutside(n)
	}
	return lead
}

// headlineBetween reports whether a headline position lies in [from, to).
func headlineBetween(headlines []int, from, to int) bool {
	for _, at := range headlines {
		if at >= from && at < to {
			return true
		}
	}
	return false
}

// leadCandidate reports a paragraph-sized block of text that is not
// links: a <p>, or a block with no block inside it.
func leadCandidate(n *html.Node, s *nodeStats) bool {
	if n.DataAtom != atom.P && (s.hasBlock || !isBlock(n) || headingLevel(n) > 0 || isCaption(n)) {
		return false
	}
	return s.textLen >= leadMinChars && s.textLen <= leadMaxChars && s.linkLen*5 <= s.textLen
}

// inHeadline reports whether n lies, below the blocks of the chosen
// text, in a block that is the article's header (a <header>, or a block
// whose class or id names a head, a hero or a byline): a paragraph set
// there is a second headline (a dek), kept out of the text like the
// headline.
func inHeadline(n *html.Node, nodes []*html.Node) bool {
	for a := n.Parent; a != nil && a.Type == html.ElementNode; a = a.Parent {
		if holdsAny(a, nodes) {
			return false
		}
		if a.DataAtom == atom.Header || namesHead(attr(a, "class")) || namesHead(attr(a, "id")) {
			return true
		}
	}
	return false
}

// namesHead reports a class or id naming the head of a page or article,
// or its byline block.
func namesHead(v string) bool {
	v = strings.ToLower(v)
	return strings.Contains(v, "head") || strings.Contains(v, "hero") || strings.Contains(v, "byline")
}

// isCaption reports a figure or its caption.
func isCaption(n *html.Node) bool {
	return n.DataAtom == atom.Figure || n.DataAtom == atom.Figcaption
}

// holdsAny reports whether n is one of nodes or holds one of them.
func holdsAny(n *html.Node, nodes []*html.Node) bool {
	for _, c := range nodes {
		for a := c; a != nil; a = a.Parent {
			if a == n {
				return true
			}
		}
	}
	return false
}

// attached reports whether n is still in a document (cleaning detaches
// what it removes).
func attached(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.DocumentNode {
			return true
		}
	}
	return false
}

// nextInOrder returns the node after n in document order, going into n.
func nextInOrder(n *html.Node) *html.Node {
	if n.FirstChild != nil {
		return n.FirstChild
	}
	return nextOutside(n)
}

// nextOutside returns the node after n and its subtree in document order.
func nextOutside(n *html.Node) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}
