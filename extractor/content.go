package extractor

import (
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// content is the main text of a page and what was measured while finding it.
type content struct {
	// Text is the article text, paragraphs separated by blank lines.
	Text string
	// Paragraphs is the number of paragraphs in Text.
	Paragraphs int
	// LinkDensity is the share of the chosen block's text that sits inside
	// links (near 1 for link lists and section fronts).
	LinkDensity float64
	// ProseChars is the text of the chosen blocks' paragraphs that are not
	// mostly links: the story, when the page has one.
	ProseChars int
	// TeaserLinks counts the distinct links inside the chosen blocks that
	// stand alone as headlines (the cards of a listing), not links set in
	// a sentence.
	TeaserLinks int
	// HeadlineGap and HeadlineLinkGap are the text, and the link text,
	// between the page's <h1> and the start of the chosen text: small
	// when the story follows its headline. Both are -1 when the page has
	// no <h1> before the text.
	HeadlineGap, HeadlineLinkGap int
	// CardProse is the prose of the teaser cards in the chosen blocks:
	// their summaries.
	CardProse int
	// HeadlinesUnderH1 counts the headline links between the page's <h1>
	// and the chosen text (or, when the text does not follow the <h1>,
	// in the headlineWindow after it): a listing's heading heads its
	// list, a story's heads the story.
	HeadlinesUnderH1 int
	// HeadlineLine is true when, on a page without an <h1>, the text
	// opened with a line repeating the title: the story's headline, set
	// as a line in bold or a large font.
	HeadlineLine bool
	// DroppedSummaries counts the page's teaser summaries
	// (pageSignals.TeaserParagraphs) that stood in the lists of cards
	// under the story, which the text leaves out (dropCardLists).
	DroppedSummaries int
	// FromRule is true when the source's body selector chose the text.
	FromRule bool
	// FromJSONLD is true when the text is the page's JSON-LD articleBody,
	// used because the markup shows almost none (withJSONLDBody).
	FromJSONLD bool
}

// applyRemoveRules deletes what the source's extract.remove selectors match.
func applyRemoveRules(doc *goquery.Document, rules newsflow.ExtractRules) {
	for _, sel := range rules.Remove {
		doc.Find(sel).Remove()
	}
}

// extractContent finds the article body: the source's body selector when
// it matches text, else the best-scoring block of the cleaned page and its
// qualifying siblings.
func extractContent(doc *goquery.Document, meta *metadata, rules newsflow.ExtractRules) *content {
	if rules.Body != "" {
		if sel := doc.Find(rules.Body); sel.Length() > 0 {
			var r renderer
			for _, n := range sel.Nodes {
				r.render(n)
			}
			if c := r.result(); c.Text != "" {
				// The operator named the story's block: its text is the
				// story.
				c.FromRule = true
				c.ProseChars = len(c.Text)
				c.HeadlineGap, c.HeadlineLinkGap = -1, -1
				return c
			}
		}
	}
	body := findBody(doc)
	if body == nil {
		return withJSONLDBody(&content{}, meta)
	}
	size := 0
	if meta != nil {
		size = meta.Page.elements
	}
	raw := measure(body, size)
	var pageStories stories
	if meta != nil {
		pageStories = findStories(meta.Page.h1s, normTitle(meta.Title))
	}
	var links []*html.Node
	if meta != nil {
		links = meta.Page.links
	}
	cards, headlines := teaserCards(body, raw, links)
	var marked []*html.Node
	if meta != nil && meta.Page.elements > 0 {
		// The page index found the marked elements (a parsed page has
		// elements).
		marked = outermostWithin(body, meta.Page.articleBodies)
	} else {
		marked = markedBodies(body)
	}
	droppedSummaries := 0
	if meta != nil {
		// The story's headline, named as one when it repeats the title
		// or reads as a headline on a dated page (sites retitle
		// stories); a heading named so by neither (a label, a
		// placeholder) still heads the paragraphs of a story under it.
		title := normTitle(meta.Title)
		if h := storyHeadline(meta.Page.h1s, body, title); h != nil {
			named := repeatsTitle(title, h) || !meta.Published.IsZero() && isHeadline(textOf(h))
			if lists := dropCardLists(body, h, named, cards, headlines, raw); len(lists) > 0 {
				// The page is measured again without the lists.
				raw = measure(body, size)
				cards, headlines = teaserCards(body, raw, links)
				droppedSummaries = countWithin(meta.Page.teaserParas, lists)
			}
		}
	}
	st := remeasure(raw, body, clean(body, raw, microdataBody(marked, raw)))
	cands := scoreCandidates(body, st)
	top := topCandidate(body, st, cands)
	if declared := microdataBody(marked, st); declared != nil {
		top = declared
	}
	if story := pageStories.moved(top); story != nil {
		if t := topCandidate(story, st, cands.within(story)); st[t] != nil && st[t].proseLen >= titledStoryProse {
			top = t
		}
	}
	// A block of the chosen kind is another story's when a headline link,
	// or an <h1>, stands between it and the text.
	apart := slices.Clip(headlines)
	if meta != nil {
		for _, h := range meta.Page.h1s {
			if s := raw[h]; s != nil {
				apart = append(apart, s.textAt)
			}
		}
	}
	nodes := withSplitCells(withTwins(withSiblings(top, st, cands), top, body, st, raw, apart), top, st, raw, apart)
	r := renderer{stats: st}
	var h1 *html.Node
	if meta != nil {
		r.title = normTitle(meta.Title)
		r.authors = meta.Authors
		r.sectionH1s = r.title != "" && sectionHeadings(meta.Page.h1s, nodes, r.title) >= 2
		r.noHeadline = len(meta.Page.h1s) == 0
		h1 = storyHeadline(meta.Page.h1s, body, r.title)
	}
	for _, n := range nodes {
		r.render(n)
	}
	r.dropClosingFurniture()
	if meta != nil {
		r.paras = append(r.standfirst(h1, nodes, strings.Join(r.paras, "\n\n"), raw, headlines), r.paras...)
	}
	c := r.result()
	c.LinkDensity = st[top].linkDensity()
	c.ProseChars, c.TeaserLinks, c.CardProse = blockShape(nodes, body, st, cards)
	c.DroppedSummaries = droppedSummaries
	c.HeadlineLine = r.headlineLine
	if meta != nil {
		c.HeadlineGap, c.HeadlineLinkGap = headlineGap(h1, nodes, raw)
		if c.HeadlineGap != 0 {
			// (A gap of 0: the text holds the <h1> or starts right under
			// it.)
			c.HeadlinesUnderH1 = headlinesUnder(h1, nodes, raw, headlines)
		}
	}
	return withJSONLDBody(c, meta)
}

// dropCardLists removes the lists of teaser cards that follow a story
// under its headline h1 (the "more stories" a template sets under the
// text) before the blocks are scored: a short story must not lose to the
// summaries of other stories, and they are no evidence that the page
// lists stories. A list is the largest element around a card, not
// holding the headline, with two thirds of its text or more in cards
// (two or more); the story is storyFullChars of text outside links and
// cards between the headline and the list when fewer than
// minHeadlinesUnderH1 headline links stand there (headlines: their
// positions in the page), and storyFullChars of prose outside cards when
// more do: a box of other headlines under the story's headline (the most
// read, related stories) leaves the story under it, but only paragraphs
// of prose, not the dates and bylines of a list of headlines, are one.
// Under a heading not named as the story's headline (named false) the
// story is always prose, in minStoryParagraphs paragraphs or more.
// A listing's cards start under its heading, or its headlines do, and
// cards above the story stay, for the classifier to weigh. It returns
// the lists it removed.
func dropCardLists(body, h1 *html.Node, named bool, cards []teaserCard, headlines []int, raw statsTable) []*html.Node {
	hs := raw[h1]
	if hs == nil || len(cards) < 2 {
		return nil
	}
	// The boxes, in document order, once each and outermost only: a
	// card's box may hold another's (a list of two short cards is the
	// box of a third), and its text counts once.
	var boxes []*html.Node
	for _, c := range cards {
		if raw[c.box] != nil && (len(boxes) == 0 || boxes[len(boxes)-1] != c.box) {
			boxes = append(boxes, c.box)
		}
	}
	slices.SortStableFunc(boxes, func(a, b *html.Node) int {
		if d := raw[a].textAt - raw[b].textAt; d != 0 {
			return d
		}
		return raw[b].textLen - raw[a].textLen
	})
	outer := boxes[:0]
	for _, b := range boxes {
		if n := len(outer); n > 0 && (outer[n-1] == b || isAncestor(outer[n-1], b)) {
			continue
		}
		outer = append(outer, b)
	}
	boxes = outer
	// cardsIn sums the text, the text outside links and the prose of the
	// boxes that lie in [from, to) of the document's text, and counts
	// them.
	cardsIn := func(from, to int) (text, unlinked, prose, n int) {
		for _, b := range boxes {
			if bs := raw[b]; bs != nil && bs.textAt >= from && bs.textAt < to {
				text += bs.textLen
				unlinked += bs.textLen - bs.linkLen
				prose += bs.proseLen
				n++
			}
		}
		return text, unlinked, prose, n
	}
	end, linkEnd := hs.textAt+hs.textLen, hs.linkAt+hs.linkLen
	// storyBefore reports whether the story stands between the headline
	// and a; prose remembers the prose found before each position.
	prose := map[int]int{}
	storyBefore := func(a *html.Node) bool {
		as := raw[a]
		_, cardText, cardProse, _ := cardsIn(end, as.textAt)
		teasers := 0
		for _, at := range headlines {
			if at >= end && at < as.textAt {
				teasers++
			}
		}
		if named && teasers < minHeadlinesUnderH1 {
			return as.textAt-end-(as.linkAt-linkEnd)-cardText >= storyFullChars
		}
		p, ok := prose[as.textAt]
		if !ok {
			p = proseWithin(body, end, as.textAt, raw) - cardProse
			if !named && p >= storyFullChars && proseParagraphs(body, end, as.textAt, raw, boxes, minStoryParagraphs) < minStoryParagraphs {
				// One paragraph under a section's name is the section's
				// introduction, not a story.
				p = 0
			}
			prose[as.textAt] = p
		}
		return p >= storyFullChars
	}
	var lists []*html.Node
	for _, b := range boxes {
		if bs := raw[b]; bs == nil || bs.textAt < end || len(lists) > 0 && isAncestor(lists[len(lists)-1], b) {
			continue
		}
		var list *html.Node
		for a := b.Parent; a != nil && a != body && raw[a] != nil && !isAncestor(a, h1) && storyBefore(a); a = a.Parent {
			as := raw[a]
			text, _, _, n := cardsIn(as.textAt, as.textAt+as.textLen)
			if n < 2 || text*3 < as.textLen*2 {
				if list != nil {
					break
				}
				continue
			}
			list = a
		}
		if list != nil {
			lists = append(lists, list)
		}
	}
	for _, l := range lists {
		if l.Parent != nil {
			l.Parent.RemoveChild(l)
		}
	}
	return lists
}

// countWithin counts the nodes that lie inside one of the roots.
func countWithin(nodes, roots []*html.Node) int {
	n := 0
	for _, c := range nodes {
		if insideOneOf(c, roots) {
			n++
		}
	}
	return n
}

// insideOneOf reports whether n lies inside one of the roots.
func insideOneOf(n *html.Node, roots []*html.Node) bool {
	return slices.ContainsFunc(roots, func(r *html.Node) bool { return isAncestor(r, n) })
}

// minStoryParagraphs is the number of paragraphs of prose that make a
// story under a heading that does not name it.
const minStoryParagraphs = 2

// proseParagraphs counts, up to want, the paragraphs of prose under root
// whose text lies wholly in [from, to) of the document's text, outside
// the boxes given (cards, whose summaries are no story's). It walks down
// only the elements that hold prose there.
func proseParagraphs(root *html.Node, from, to int, st statsTable, boxes []*html.Node, want int) int {
	n := 0
	stack := []*html.Node{root}
	for len(stack) > 0 && n < want {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for c := e.FirstChild; c != nil; c = c.NextSibling {
			s := st[c]
			if s == nil || s.proseLen == 0 || s.textAt+s.textLen <= from || s.textAt >= to || slices.Contains(boxes, c) {
				continue
			}
			if s.textAt >= from && s.textAt+s.textLen <= to && s.isProse(isBlock(c)) {
				n++
				continue
			}
			stack = append(stack, c)
		}
	}
	return n
}

// proseWithin sums the prose (st's proseLen) of the elements under root
// whose text lies wholly in [from, to) of the document's text. It walks
// down only the elements that straddle a bound, two at most on each
// level.
func proseWithin(root *html.Node, from, to int, st statsTable) int {
	sum := 0
	stack := []*html.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			s := st[c]
			switch {
			case s == nil || s.textAt+s.textLen <= from || s.textAt >= to:
			case s.textAt >= from && s.textAt+s.textLen <= to:
				sum += s.proseLen
			default:
				stack = append(stack, c)
			}
		}
	}
	return sum
}

// markedBodies returns the elements marked itemprop="articleBody" that
// no other marked element holds, in document order.
func markedBodies(body *html.Node) []*html.Node {
	var marked []*html.Node
	walk(body, func(e *html.Node) bool {
		if e.Type == html.ElementNode && hasWord(attr(e, "itemprop"), "articleBody") {
			marked = append(marked, e)
			return false
		}
		return true
	})
	return marked
}

// outermostWithin returns, of nodes (in document order), those under
// root or root itself that no other of them there holds: what
// markedBodies finds when nodes are the page's marked elements.
func outermostWithin(root *html.Node, nodes []*html.Node) []*html.Node {
	var out []*html.Node
	for _, n := range nodes {
		if n != root && !isAncestor(root, n) {
			continue
		}
		// The nodes kept hold no one another and come in document
		// order: one inside any of them is inside the last.
		if len(out) > 0 && isAncestor(out[len(out)-1], n) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// microdataBody returns the page's one element marked
// itemprop="articleBody" (of marked, as markedBodies found them, those
// still in the page) when it holds a story's worth of prose
// (storyFullChars): the page's own statement of where its text is. nil
// when there is none, or several (a listing of marked-up teasers).
func microdataBody(marked []*html.Node, st statsTable) *html.Node {
	var found *html.Node
	n := 0
	for _, e := range marked {
		if attached(e) {
			found = e
			n++
		}
	}
	if n != 1 || st[found] == nil || st[found].proseLen < storyFullChars {
		return nil
	}
	return found
}

// Bounds for using the JSON-LD articleBody: the markup shows fewer than
// shownWordsFloor words, and the declared body has declaredWordsFloor or
// more, and several times what the markup shows.
const (
	shownWordsFloor    = 50
	declaredWordsFloor = 150
)

// withJSONLDBody falls back on the JSON-LD articleBody when the page shows
// almost no text of its own but declares a long body: pages that render
// their text with scripts. Only then: where the page shows its text, the
// markup is the better evidence, since articleBody is often cut short or
// holds what the page does not show. A paywalled page keeps what it shows.
func withJSONLDBody(c *content, meta *metadata) *content {
	if meta == nil || meta.JSONLDBody == "" || meta.Paywalled || c.FromRule {
		return c
	}
	shown := wordCount(c.Text)
	if shown >= shownWordsFloor {
		return c
	}
	declared := declaredBody(meta.JSONLDBody)
	if words := wordCount(declared.Text); words < declaredWordsFloor || words < 3*shown {
		return c
	}
	declared.FromJSONLD = true
	declared.ProseChars = len(declared.Text)
	declared.HeadlineGap, declared.HeadlineLinkGap = -1, -1
	return declared
}

// declaredBody turns an articleBody into article text: as markup when it
// holds tags, else as plain text whose line breaks end paragraphs.
func declaredBody(body string) *content {
	var r renderer
	if strings.Contains(body, "</") {
		if root, err := html.Parse(strings.NewReader(body)); err == nil {
			r.render(root)
			return r.result()
		}
	}
	for _, p := range strings.Split(body, "\n") {
		if p = normalizeSpace(p); p != "" {
			r.paras = append(r.paras, p)
		}
	}
	return r.result()
}

// blockShape measures the chosen blocks: the prose they hold, and the
// teaser cards among them: a headline link with a short summary beside
// it, as listings show each story. The cards are found before cleaning,
// which removes the headers that hold their links; a card counts when its
// summary is still part of the chosen text.
func blockShape(nodes []*html.Node, body *html.Node, st statsTable, cards []teaserCard) (prose, teasers, cardProse int) {
	for _, n := range nodes {
		if s := st[n]; s != nil {
			prose += s.proseLen
		}
	}
	seen := map[string]bool{}
	boxes := map[*html.Node]bool{}
	for _, c := range cards {
		if seen[c.href] || !isAncestor(body, c.box) {
			continue
		}
		for _, n := range nodes {
			if c.box == n || isAncestor(n, c.box) {
				seen[c.href] = true
				teasers++
				if !boxes[c.box] {
					boxes[c.box] = true
					cardProse += st[c.box].proseLen
				}
				break
			}
		}
	}
	return prose, teasers, cardProse
}

// headlineGap measures how far the chosen text starts after the
// headline, in the page as it was before cleaning (-1 when there is no
// headline before it).
func headlineGap(h1 *html.Node, nodes []*html.Node, raw statsTable) (text, links int) {
	if h1 == nil || len(nodes) == 0 {
		return -1, -1
	}
	h, first := raw[h1], raw[nodes[0]]
	if h == nil || first == nil {
		return -1, -1
	}
	for _, n := range nodes {
		// Inside a chosen block, as the page was before cleaning (which
		// may have removed the header holding it).
		if s := raw[n]; s != nil && s.textAt <= h.textAt && h.textAt < s.textAt+s.textLen {
			return 0, 0
		}
	}
	if first.textAt < h.textAt {
		return -1, -1
	}
	end, endLinks := h.textAt+h.textLen, h.linkAt+h.linkLen
	return max(0, first.textAt-end), max(0, first.linkAt-endLinks)
}

// teaserCard is a headline link and the small block holding it with its
// summary.
type teaserCard struct {
	href string
	box  *html.Node
}

// Bounds of a teaser card: the prose of its summary, and its whole text.
const (
	cardMinProse = 60
	cardMaxProse = 500
	cardMaxText  = 1500
)

// headlineWindow is the text after a page's <h1> in which
// headlinesUnder counts headline links when the chosen text does not
// follow it.
const headlineWindow = 3000

// headlinesUnder counts the headline links (given by their text
// position, in document order) that stand between the <h1> and the
// chosen text.
func headlinesUnder(h1 *html.Node, nodes []*html.Node, raw statsTable, headlines []int) int {
	h := raw[h1]
	if h1 == nil || h == nil || len(nodes) == 0 {
		return 0
	}
	from, to := h.textAt+h.textLen, h.textAt+h.textLen+headlineWindow
	if first := raw[nodes[0]]; first != nil && first.textAt >= from {
		to = first.textAt
	}
	n := 0
	for _, at := range headlines {
		if at >= from && at < to {
			n++
		}
	}
	return n
}

// teaserCards lists the page's teaser cards: links that stand alone as
// headlines (4 to 40 words) whose nearest enclosing block with prose (up
// to four levels up) is small. It also gives the text position of every
// headline link, card or not. links are the page's <a> elements with an
// href, in document order, when the page index gave them; nil walks body
// for them.
func teaserCards(body *html.Node, st statsTable, links []*html.Node) (cards []teaserCard, headlines []int) {
	visit := func(a *html.Node) {
		href := attr(a, "href")
		if href == "" || href[0] == '#' || !standsAlone(a, st) {
			return
		}
		if n, short := shortWords(a, 600); !short || n < 4 || n > 40 {
			return
		}
		if s := st[a]; s != nil {
			headlines = append(headlines, s.textAt)
		}
		box := a.Parent
		for i := 0; i < 4 && box != nil && box != body; i, box = i+1, box.Parent {
			s := st[box]
			if s == nil || s.proseLen < cardMinProse {
				continue
			}
			if s.proseLen <= cardMaxProse && s.textLen <= cardMaxText {
				cards = append(cards, teaserCard{href, box})
			}
			break
		}
	}
	if links == nil {
		walk(body, func(n *html.Node) bool {
			if n.DataAtom != atom.A {
				return true
			}
			visit(n)
			return false
		})
		return cards, headlines
	}
	for _, a := range links {
		// As the walk does: links under body, not inside another <a>.
		if st[a] != nil && !insideAny(a, atom.A) {
			visit(a)
		}
	}
	return cards, headlines
}

// standsAlone reports a link that makes most of its paragraph (or sits
// in a heading): a headline, not a link set in a sentence.
func standsAlone(a *html.Node, st statsTable) bool {
	if hasHeadingInside(a) {
		return true
	}
	for p := a.Parent; p != nil; p = p.Parent {
		if headingLevel(p) > 0 {
			return true
		}
		if !isBlock(p) {
			continue
		}
		s := st[p]
		return s != nil && s.inlineLinkLen*10 >= s.inlineLen*6
	}
	return false
}

// findBody returns the <body> element (or the root when there is none).
func findBody(doc *goquery.Document) *html.Node {
	if len(doc.Nodes) == 0 {
		return nil
	}
	found := findElement(doc.Nodes[0], func(n *html.Node) step {
		if n.DataAtom == atom.Body {
			return stepFound
		}
		return stepInto
	})
	if found == nil {
		found = doc.Nodes[0]
	}
	return found
}

// walk visits the elements under root in document order without
// recursion; when visit returns false the element's children are skipped.
func walk(root *html.Node, visit func(*html.Node) bool) {
	traverse(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode || n.Type == html.DocumentNode {
			return visit(n)
		}
		return true
	})
}

// step is what findElement does after visiting an element.
type step int

const (
	stepInto  step = iota // look at its children next
	stepOver              // skip its children
	stepFound             // stop: it is the one
)

// findElement returns the first element under root, in document order,
// that visit reports found, or nil; it stops there, where walk would go on
// visiting every later sibling.
func findElement(root *html.Node, visit func(*html.Node) step) *html.Node {
	n := root
	for n != nil {
		into := true
		if n.Type == html.ElementNode || n.Type == html.DocumentNode {
			switch visit(n) {
			case stepFound:
				return n
			case stepOver:
				into = false
			}
		}
		if into && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == root {
			return nil
		}
		n = n.NextSibling
	}
	return nil
}

// walkAll visits every node (not only elements) under root.
func walkAll(root *html.Node, visit func(*html.Node)) {
	traverse(root, func(n *html.Node) bool { visit(n); return true })
}

// traverse visits every node under root, root included, in document order
// without recursion; when visit returns false the node's children are
// skipped.
func traverse(root *html.Node, visit func(*html.Node) bool) {
	n := root
	for n != nil {
		if visit(n) && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

// holdsEmbeddedPost reports a wrapper that is mostly one quoted post (a
// tweet or an Instagram post embedded in the story, set in a <blockquote>
// by the network's embed code), whatever its class says: a share bar or a
// comment section is not mostly one quotation.
func holdsEmbeddedPost(n *html.Node, st statsTable) bool {
	s := st[n]
	if s == nil || s.textLen < minEmbedLen {
		return false
	}
	found := findElement(n, func(c *html.Node) step {
		switch {
		case c.DataAtom != atom.Blockquote:
			return stepInto
		case st[c] == nil:
			return stepOver
		}
		return stepFound
	})
	return found != nil && st[found].textLen*5 >= s.textLen*4
}

// minEmbedLen is the least text of an embedded post worth keeping.
const minEmbedLen = 40

// isDropped reports the elements that never hold article text. Ruby
// annotations (<rt>, the reading set above the characters, and <rp>, its
// parentheses) are dropped too: the text is the characters they gloss.
func isDropped(a atom.Atom) bool {
	switch a {
	case atom.Rt, atom.Rp:
		return true
	case atom.Script, atom.Style, atom.Noscript, atom.Template,
		atom.Iframe, atom.Svg, atom.Math, atom.Canvas,
		atom.Object, atom.Embed, atom.Video, atom.Audio,
		atom.Map, atom.Select, atom.Button, atom.Input,
		atom.Textarea, atom.Option, atom.Link, atom.Meta,
		atom.Nav, atom.Aside, atom.Footer, atom.Dialog,
		atom.Figcaption, atom.Label, atom.Img, atom.Picture,
		atom.Head, atom.Title:
		return true
	}
	return false
}

// isDialog reports an element marked as a dialog (role=dialog or
// alertdialog): a cookie or newsletter prompt, a login box, dropped as a
// <dialog> is, even where the other furniture comes back.
func isDialog(n *html.Node) bool {
	role := strings.ToLower(strings.TrimSpace(attr(n, "role")))
	return role == "dialog" || role == "alertdialog"
}

// clean removes from the tree what cannot be article text: scripts and
// styles, hidden elements, navigation, and elements whose class, id or role
// names page furniture (unless they hold much of the page's text, which a
// wrapper named e.g. "has-sidebar" may, or lie inside declared, the page's
// one itemprop=articleBody, if any). It returns the parent of each element
// it removed (comments aside), for remeasure.
func clean(body *html.Node, st statsTable, declared *html.Node) []*html.Node {
	total := st[body]
	var doomed []*html.Node
	// sectionEnd is the last sibling of a furniture section being skipped.
	var sectionEnd *html.Node
	walk(body, func(n *html.Node) bool {
		if n == body || n.Type != html.ElementNode {
			return true
		}
		if sectionEnd != nil {
			if inSection(n, sectionEnd) {
				return false
			}
			sectionEnd = nil
		}
		if level := headingLevel(n); level > 0 {
			// A heading named as furniture ("byline") goes alone unless
			// what follows it is small; one reading as furniture ("Related
			// stories") takes along up to half of the page's prose; one
			// both named and reading so takes its whole section.
			phrase := normPhrase(leadingText(n, 100))
			byText, byName := isBoilerPhrase(phrase), classifyAttrs(n) == attrNegative
			if byText || byName {
				share := 0
				if !byName {
					share = 2
				} else if !byText {
					share = 4
				}
				sec := boilerSection(n, level, st, total, share)
				doomed = append(doomed, sec...)
				sectionEnd = sec[len(sec)-1]
				return false
			}
			// "Popular on IndieWire", "Latest from Reuters": a box's word
			// and a name. A subheading can read so too, so the section
			// goes only when it holds no prose at all.
			if isBoxOfSite(phrase) {
				if sec := boilerSection(n, level, st, total, 0); sectionProse(sec[1:], st) == 0 {
					doomed = append(doomed, sec...)
					sectionEnd = sec[len(sec)-1]
					return false
				}
			}
		}
		if isConsentNotice(n, st) {
			doomed = append(doomed, n)
			return false
		}
		if list := labelledList(n, st); list != nil {
			doomed = append(doomed, n, list)
			sectionEnd = list
			return false
		}
		if removable(n, st, total, declared) {
			doomed = append(doomed, n)
			return false
		}
		return true
	})
	if keptProse(doomed, st, total) < 4*minParagraphLen {
		// The rules would leave next to no prose (the article sits in an
		// element named like furniture, or one hidden until a script
		// shows it): keep to removing what never holds text.
		doomed = slices.DeleteFunc(doomed, func(n *html.Node) bool {
			return !isDropped(n.DataAtom) && !isDialog(n) && !isConsentNotice(n, st) && !namedComments(n)
		})
	}
	var parents []*html.Node
	for _, n := range doomed {
		if p := n.Parent; p != nil {
			parents = append(parents, p)
			p.RemoveChild(n)
		}
	}
	// Comments are not text; drop them so they do not break up runs.
	var comments []*html.Node
	walkAll(body, func(n *html.Node) {
		if n.Type == html.CommentNode {
			comments = append(comments, n)
		}
	})
	for _, n := range comments {
		n.Parent.RemoveChild(n)
	}
	return parents
}

// labelledList returns the list of links that a short block reading as
// a box heading ("More Great WIRED Stories" set in a <div>) introduces,
// or nil: the pair is a related-stories box without a heading element.
func labelledList(n *html.Node, st statsTable) *html.Node {
	s := st[n]
	if s == nil || headingLevel(n) > 0 || !isBlock(n) || s.hasBlock || s.textLen > 60 {
		return nil
	}
	list := elementSibling(n, +1)
	if list == nil || (list.DataAtom != atom.Ul && list.DataAtom != atom.Ol) {
		return nil
	}
	if ls := st[list]; ls == nil || ls.linkDensity() < 0.3 {
		return nil
	}
	// Reading the label's text comes last: most short blocks are not
	// followed by a list of links.
	if !isBoilerHeading(n) {
		return nil
	}
	return list
}

// inSection reports whether n is a sibling before or at end, i.e. inside
// the section being skipped (walk visits siblings in order).
func inSection(n, end *html.Node) bool {
	if n.Parent != end.Parent {
		return false
	}
	for s := n; s != nil; s = s.NextSibling {
		if s == end {
			return true
		}
	}
	return false
}

// keptProse is the page's prose left once the doomed elements are gone.
func keptProse(doomed []*html.Node, st statsTable, total *nodeStats) int {
	kept := total.proseLen
	for _, n := range doomed {
		if s := st[n]; s != nil {
			kept -= s.proseLen
		}
	}
	return kept
}

// sectionProse sums the prose of the nodes of a section.
func sectionProse(nodes []*html.Node, st statsTable) int {
	prose := 0
	for _, n := range nodes {
		if s := st[n]; s != nil {
			prose += s.proseLen
		}
	}
	return prose
}

// boilerSection returns a furniture heading together with the siblings
// it introduces (up to the next heading of the same or a higher level)
// when their prose is at most 1/share of the page's (share 0: whatever
// their size); else the heading alone.
func boilerSection(h *html.Node, level int, st statsTable, total *nodeStats, share int) []*html.Node {
	out := []*html.Node{h}
	prose := 0
	for s := h.NextSibling; s != nil; s = s.NextSibling {
		if l := headingLevel(s); l > 0 && l <= level {
			break
		}
		if s.Type == html.ElementNode && st[s] != nil {
			prose += st[s].proseLen
		}
		out = append(out, s)
	}
	if share > 0 && prose*share > total.proseLen {
		return out[:1]
	}
	return out
}

// isPhrasing reports the inline elements that carry words of a sentence.
func isPhrasing(a atom.Atom) bool {
	switch a {
	case atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo,
		atom.Cite, atom.Code, atom.Data, atom.Dfn, atom.Em,
		atom.Font, atom.I, atom.Kbd, atom.Mark, atom.Q,
		atom.S, atom.Samp, atom.Small, atom.Strong, atom.Sub,
		atom.Sup, atom.U, atom.Var:
		return true
	}
	return false
}

// isInlineCard reports an inline element holding a picture and two links
// or more, none of its children doing so alone: a hover card (a person's
// photo, name and latest stories) set inside a sentence, which a browser
// shows only on demand. The innermost such element is the card; the link
// in the sentence that opens it stays.
func isInlineCard(n *html.Node) bool {
	if !holdsCard(n) {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && holdsCard(c) {
			return false
		}
	}
	return true
}

// holdsCard reports whether a picture and two links or more are under n.
func holdsCard(n *html.Node) bool {
	imgs, links := 0, 0
	walk(n, func(c *html.Node) bool {
		switch c.DataAtom {
		case atom.Img, atom.Picture:
			imgs++
		case atom.A:
			links++
		}
		return true
	})
	return imgs > 0 && links >= 2
}

// holdsTextField reports whether a field to type text in (a <textarea>,
// or an <input> for text, an e-mail address or a password) is under n.
func holdsTextField(n *html.Node) bool {
	return findElement(n, func(c *html.Node) step {
		switch c.DataAtom {
		case atom.Textarea:
			return stepFound
		case atom.Input:
			switch strings.ToLower(attr(c, "type")) {
			case "", "text", "email", "password", "tel":
				return stepFound
			}
			return stepOver
		}
		return stepInto
	}) != nil
}

// declaredProse is the prose that keeps a block named as furniture
// inside the page's declared article body.
const declaredProse = 200

// removable decides whether clean drops element n; declared is the page's
// one itemprop=articleBody, or nil.
func removable(n *html.Node, st statsTable, total *nodeStats, declared *html.Node) bool {
	s := st[n]
	mostProse := s != nil && s.proseLen >= storyFullChars && s.proseLen*2 > total.proseLen
	if n.DataAtom == atom.Aside && mostProse && !isHidden(n) {
		// An <aside> holding most of the page's prose is where the
		// template put the story, whatever the element means.
		return false
	}
	if isDropped(n.DataAtom) || isHidden(n) {
		return true
	}
	big := (s.textLen > total.textLen*2/5 && s.linkDensity() < 0.3) ||
		(s.paragraphs >= 3 && s.paragraphs*2 > total.paragraphs) || mostProse
	if big && (furnitureID(n) || namedComments(n)) {
		// A block that holds much of the page yet is named the page's
		// sidebar or comments by its id, or named as the readers'
		// comments at all, is that, not the article's wrapper: the story
		// beside it is short.
		big = false
	}
	switch n.DataAtom {
	case atom.Header, atom.Form:
		// Page headers and search forms; a form wrapping the whole page
		// (as some frameworks do) stays.
		if !big && s.paragraphs < 3 {
			return true
		}
		// A form asking for an address or a comment (a newsletter sign-up,
		// a comment or login form) is no part of the story, however much
		// it explains itself, unless it holds most of the page's prose.
		if n.DataAtom == atom.Form && !mostProse && holdsTextField(n) {
			return true
		}
	}
	if !isBlock(n) && n.DataAtom != atom.A && s.textLen > 0 && s.linkDensity() >= 0.8 && isInlineCard(n) {
		return true
	}
	if isPhrasing(n.DataAtom) {
		// Words inside a sentence (a link styled "meta-org") are part of
		// it whatever their class says.
		return false
	}
	class := classifyAttrs(n)
	if class >= attrNegative && holdsEmbeddedPost(n, st) {
		return false
	}
	if class == attrNegative && declared != nil && s.proseLen >= declaredProse && s.linkDensity() <= 0.3 &&
		s.proseLen >= s.paragraphs*proseNeighbourLen && isAncestor(declared, n) {
		// Paragraphs of prose inside the block the page declares as its
		// article body ("TestReport__Section--Ads") are the story's,
		// whatever the block's name says; a chart's labels are not.
		return false
	}
	switch class {
	case attrNegative:
		return !big
	case attrMixed:
		return !big && (s.textLen < 200 || s.linkDensity() > 0.5)
	case attrWeak:
		return !big && (s.textLen < 200 || s.linkDensity() > 0.3)
	}
	return false
}

// furnitureID reports an element whose id is one furniture word alone
// ("sidebar", "comments", "navigation"): an id names the one part of the
// page the element is, not what it wraps, however much text it holds.
func furnitureID(n *html.Node) bool {
	id := strings.ToLower(strings.TrimSpace(attr(n, "id")))
	return negativeWords[id]
}

// storyHeadline returns the heading the story stands under: the first
// <h1> that repeats the title (not the site's name set in its logo's <h1>
// above the story's), else an <h2> or <h3> that does (titleHeading), else
// the first <h1>, or nil.
func storyHeadline(h1s []*html.Node, body *html.Node, title string) *html.Node {
	for _, h := range h1s {
		if repeatsTitle(title, h) {
			return h
		}
	}
	if h := titleHeading(body, title); h != nil {
		return h
	}
	if len(h1s) > 0 {
		return h1s[0]
	}
	return nil
}

// titleHeading returns the first <h2> or <h3> that repeats the title, or
// at least half of it (not a section's heading that repeats a few of its
// words): the story's headline on a page that sets it below an <h1> of the site's, or
// without any.
func titleHeading(body *html.Node, title string) *html.Node {
	if title == "" {
		return nil
	}
	return findElement(body, func(n *html.Node) step {
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Nav, atom.Footer, atom.Aside:
			return stepOver
		case atom.H2, atom.H3:
			if t := normTitle(leadingText(n, 300)); wordCount(t) >= 3 && 2*len(t) >= len(title) && strings.Contains(title, t) {
				return stepFound
			}
			return stepOver
		}
		return stepInto
	})
}

// sectionHeadings counts the headings hs inside one of blocks that do not
// repeat the title.
func sectionHeadings(hs, blocks []*html.Node, title string) int {
	n := 0
	for _, x := range hs {
		if !repeatsTitle(title, x) && insideOneOf(x, blocks) {
			n++
		}
	}
	return n
}

// namedComments reports an element named as the readers' comments: named
// as furniture, by a word of comments ("comment-215176", "commentlist",
// "disqus_thread"), not by "commentary", an opinion piece's.
func namedComments(n *html.Node) bool {
	if classifyAttrs(n) != attrNegative {
		return false
	}
	for _, a := range n.Attr {
		if a.Key == "class" || a.Key == "id" {
			v := strings.ReplaceAll(strings.ToLower(a.Val), "commentary", "")
			if strings.Contains(v, "comment") || strings.Contains(v, "disqus") {
				return true
			}
		}
	}
	return false
}
