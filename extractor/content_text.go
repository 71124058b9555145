package extractor

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxRenderDepth bounds the recursion of the renderer; the HTML parser
// already caps nesting well below it.
const maxRenderDepth = 1024

// sentenceOutsideLinks is the text outside links from which a paragraph
// that is mostly links still counts as prose.
const sentenceOutsideLinks = 2 * minParagraphLen

// proseNeighbourLen is the prose a block needs to count as a paragraph of
// the article around a linked subheading.
const proseNeighbourLen = 4 * minParagraphLen

// renderer turns elements into text: one paragraph per block (paragraph,
// heading, list item, quote, cell, <br><br>), whitespace collapsed, and
// furniture left inside the article block dropped on the way.
type renderer struct {
	stats statsTable
	// title is the page title as normTitle gives it; a heading repeating
	// it is not body text.
	title string
	// authors are the article's authors; a byline naming them at the
	// start of the text is not body text.
	authors []string
	paras   []string
	// cur holds the paragraph being written; its storage is reused for
	// the next one.
	cur []byte
	// space is a pending word separator in cur.
	space bool
	// brs counts consecutive <br> since the last text.
	brs int
	// block holds the stats of the element being rendered.
	block *nodeStats
	// headed marks the paragraphs that are headings.
	headed []bool
	// sectionH1s is true when the article's blocks hold several <h1>
	// elements: they head its sections rather than the page.
	sectionH1s bool
	// noHeadline is true when the page has no <h1>: its headline may be
	// a line of the text (isHeadlineLine).
	noHeadline bool
	// headlineLine is set when the text opened with such a line.
	headlineLine bool
}

// render appends the text of n.
func (r *renderer) render(n *html.Node) {
	r.block = r.stats[n]
	r.node(n, 0)
	r.flush()
}

func (r *renderer) node(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return
	case html.ElementNode, html.DocumentNode:
	default:
		return
	}
	if depth > maxRenderDepth || r.skip(n, depth) {
		return
	}
	if n.DataAtom == atom.Br {
		r.brs++
		if r.brs >= 2 {
			r.flush()
		} else {
			r.space = true
		}
		return
	}
	block := isBlock(n)
	if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
		// Cells are words of their row, which is the paragraph.
		block = false
		r.space = true
	}
	if block {
		r.flush()
	}
	before := len(r.paras)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, depth+1)
	}
	if !block && len(r.paras) > before && (n.DataAtom == atom.Td || n.DataAtom == atom.Th) {
		// A cell in which a paragraph ended is a column of text, not a
		// word of its row: its last paragraph ends with it, and the next
		// cell (an ad's label beside the story) does not run into it.
		r.flush()
	}
	if block {
		r.flush()
		if headingLevel(n) > 0 && len(r.paras) == before+1 {
			r.headed = append(r.headed, make([]bool, len(r.paras)-len(r.headed))...)
			r.headed[before] = true
		}
	}
}

// skip reports elements inside the article block that are not article text.
func (r *renderer) skip(n *html.Node, depth int) bool {
	if n.Type != html.ElementNode || depth == 0 {
		return false
	}
	if isDropped(n.DataAtom) || n.DataAtom == atom.H1 && !r.sectionH1s {
		return true
	}
	if r.title != "" && headingLevel(n) > 0 && r.repeatsTitle(n) {
		return true
	}
	if r.stats == nil {
		return false
	}
	s := r.stats[n]
	if s == nil || s.textLen == 0 || !isBlock(n) {
		return false
	}
	if r.title != "" && len(r.paras) == 0 && len(r.cur) == 0 && !s.hasBlock && s.textLen < maxTitleLen && r.repeatsTitle(n) {
		// The headline set in a plain paragraph ("<p class=titulo>")
		// before any text of the article.
		return true
	}
	if n.DataAtom == atom.Header && r.block != nil && s.proseLen*3 < r.block.proseLen && hasDescendant(n, atom.H1) {
		// The article's own header: headline, standfirst, byline.
		return true
	}
	// Link lists and "read more" paragraphs; quotes (embedded posts)
	// carry more links and are only dropped when they are little else.
	if n.DataAtom == atom.Blockquote {
		return s.linkDensity() > 0.8
	}
	if s.linkDensity() <= 0.5 {
		return false
	}
	if n.DataAtom == atom.Li {
		// An item that is all link in a list that is mostly prose (a
		// changelog, a list of points) is one of its points; a list of
		// links is links throughout.
		if ps := r.stats[n.Parent]; ps != nil && ps.linkDensity() <= 0.5 {
			return false
		}
	}
	if !s.hasBlock && s.textLen-s.linkLen >= sentenceOutsideLinks && s.linkDensity() <= 0.9 {
		// A paragraph whose words outside its links make a sentence of
		// their own ("James Van Der Beek has been eliminated from
		// Dancing with the Stars") is prose with named things linked.
		return false
	}
	if !s.hasBlock && s.linkDensity() <= 0.9 && r.isProse(r.textSibling(n, -1)) && sentenceRunsIntoLink(n) {
		// "Smith replaced Jones, <a>who had held the post for eight
		// months.</a>": a sentence of the story that goes on in its link.
		return false
	}
	// A linked subheading between two paragraphs of the article (the
	// product or place a section is about) is part of its text; a lone
	// word ("[edit]") is more likely a control.
	return headingLevel(n) == 0 || wordCount(normTitle(leadingText(n, 100))) < 2 || !r.betweenProse(n)
}

// sentenceRunsIntoLink reports a paragraph that is one sentence running
// into a link: it opens with words of its own, at least three and not a
// label ("Read more:", "See also »"), which go on into its one link in
// the middle of the sentence, and the link ends the sentence. A line of
// several links ("Follow us on Facebook, Twitter and YouTube.") is no
// such sentence.
func sentenceRunsIntoLink(p *html.Node) bool {
	var before, after strings.Builder
	links := 0
	var read func(n *html.Node)
	read = func(n *html.Node) {
		for c := n.FirstChild; c != nil && links <= 1; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode && links == 0:
				before.WriteString(c.Data)
			case c.Type == html.TextNode:
				after.WriteString(c.Data)
			case c.DataAtom == atom.A:
				links++
			case c.Type == html.ElementNode && !isBlock(c):
				read(c)
			}
		}
	}
	read(p)
	lead, tail := strings.TrimSpace(before.String()), strings.TrimSpace(after.String())
	if links != 1 || wordCount(lead) < 3 || len(tail) > 3 {
		return false
	}
	// Mid-sentence: not after a label's colon or arrow, nor after a
	// sentence of its own ("Liked the article? <a>Donate now!</a>").
	if last, _ := utf8.DecodeLastRuneInString(lead); !unicode.IsLetter(last) && !unicode.IsDigit(last) && last != ',' && last != ';' {
		return false
	}
	return endsWithStop(strings.TrimRight(strings.TrimSpace(leadingText(p, 2000)), `"'”’»)`))
}

// betweenProse reports an element whose nearest siblings with text on
// both sides (media between are passed over) are paragraphs of prose.
func (r *renderer) betweenProse(n *html.Node) bool {
	return r.isProse(r.textSibling(n, -1)) && r.isProse(r.textSibling(n, +1))
}

// textSibling returns the nearest element before (dir < 0) or after n
// that holds text.
func (r *renderer) textSibling(n *html.Node, dir int) *html.Node {
	for {
		if n = elementSibling(n, dir); n == nil {
			return nil
		}
		if s := r.stats[n]; s != nil && s.textLen > 0 {
			return n
		}
	}
}

func (r *renderer) isProse(n *html.Node) bool {
	if n == nil || headingLevel(n) > 0 {
		return false
	}
	s := r.stats[n]
	return s != nil && s.proseLen >= proseNeighbourLen && s.linkDensity() <= 0.5
}

// hasDescendant reports whether an element of kind a is under n.
func hasDescendant(n *html.Node, a atom.Atom) bool {
	return findElement(n, func(c *html.Node) step {
		if c != n && c.DataAtom == a {
			return stepFound
		}
		return stepInto
	}) != nil
}

// elementSibling returns the nearest element before (dir < 0) or after n.
func elementSibling(n *html.Node, dir int) *html.Node {
	for {
		if dir < 0 {
			n = n.PrevSibling
		} else {
			n = n.NextSibling
		}
		if n == nil || n.Type == html.ElementNode {
			return n
		}
	}
}

// maxTitleLen bounds the text of a paragraph that can be the headline.
const maxTitleLen = 300

// repeatsTitle reports a heading that repeats the page title.
func (r *renderer) repeatsTitle(h *html.Node) bool { return repeatsTitle(r.title, h) }

// normTitle lower-cases s and keeps its letters and digits as
// space-separated words.
func normTitle(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}), " ")
}

// isBoilerHeading reports a heading such as "Related" or "Popular Now".
func isBoilerHeading(h *html.Node) bool {
	return isBoilerPhrase(normPhrase(leadingText(h, 100)))
}

// leadingText returns the text under n, read until it exceeds limit bytes
// (for the short elements whose text is compared with phrases).
func leadingText(n *html.Node, limit int) string {
	var b strings.Builder
	walkAll(n, func(c *html.Node) {
		if c.Type == html.TextNode && b.Len() < limit {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	})
	return b.String()
}

// text appends a text node, collapsing whitespace.
func (r *renderer) text(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
				r.space = true
				i++
				continue
			}
			// A run of other ASCII characters is written at once.
			j := i + 1
			for j < len(s) && textClasses[s[j]] < textSpace {
				j++
			}
			r.sep()
			r.cur = append(r.cur, s[i:j]...)
			i = j
			continue
		}
		ru, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case ru == '\u200b' || ru == '\ufeff':
			// Zero-width: neither a character nor a word break.
			continue
		case unicode.IsSpace(ru):
			r.space = true
			continue
		}
		r.sep()
		r.cur = utf8.AppendRune(r.cur, ru)
	}
}

// sep writes the pending separator before new text.
func (r *renderer) sep() {
	if r.space && len(r.cur) > 0 {
		if r.brs == 1 {
			r.cur = append(r.cur, '\n')
		} else {
			r.cur = append(r.cur, ' ')
		}
	}
	r.space = false
	r.brs = 0
}

// flush ends the current paragraph, dropping furniture lines.
func (r *renderer) flush() {
	r.space = false
	r.brs = 0
	if len(r.cur) == 0 {
		return
	}
	p := string(r.cur)
	r.cur = r.cur[:0]
	var kept []string
	labelled := false
	for line := range strings.SplitSeq(p, "\n") {
		line = trimShareButton(trimSpace(line))
		if line == "" {
			continue
		}
		// A "Tags" label on a line of its own takes the list under it.
		if labelled && !endsWithStop(line) {
			labelled = false
			continue
		}
		labelled = len(line) <= maxLabelLen && labelWords[normPhrase(line)]
		if r.noHeadline && len(r.paras) == 0 && len(kept) == 0 && r.isHeadlineLine(line) {
			r.headlineLine = true
			continue
		}
		if !labelled && !isFurnitureLine(line) && !r.isByline(line) && !r.isDateline(line) && !r.isOpeningPitch(line) {
			kept = append(kept, line)
		}
	}
	if len(kept) > 0 {
		r.paras = append(r.paras, strings.Join(kept, "\n"))
	}
}

// isHeadlineLine reports a line that repeats the page title (or part of
// it, three words or more): on a page without an <h1>, the first line of
// the text is the headline when the template writes it as a line in bold
// or a large font over a <br>. (Under an <h1>, a story may repeat its
// headline as its own first line.)
func (r *renderer) isHeadlineLine(line string) bool {
	if r.title == "" || len(line) >= maxTitleLen {
		return false
	}
	t := normTitle(line)
	return wordCount(t) >= 3 && strings.Contains(r.title, t)
}

// bylineParas is how many paragraphs into the text a byline is looked for.
const bylineParas = 3

// isByline reports a line near the start of the text that is the byline
// of the article's authors ("By John Smith"): it opens like a byline and
// names only authors found in the metadata, or, when the metadata names
// none, only people ("By John Smith - March 3, 2009", the byline the
// metadata could not place, with no heading above it); or it credits the
// newsroom (isStaffCredit).
func (r *renderer) isByline(line string) bool {
	if len(r.paras) >= bylineParas || len(line) > maxBylineLen {
		return false
	}
	if isStaffCredit(line) {
		return true
	}
	if !opensByline(line) {
		return false
	}
	names := cleanAuthors([]string{line})
	if len(r.authors) == 0 {
		return len(names) > 0 && allPersonNames(names)
	}
	for _, n := range names {
		if !slices.ContainsFunc(r.authors, func(a string) bool { return strings.EqualFold(a, n) }) {
			return false
		}
	}
	return len(names) > 0
}

// isStaffCredit reports a byline that credits the newsroom or a wire
// rather than a person ("By Staff Writer - March 3, 2009", "By The
// Associated Press"), or a person by a staff role alone ("Jane Doe, Staff
// Writer"); a role with more words ("Caroline Hawley, BBC diplomatic
// correspondent") is not one.
func isStaffCredit(line string) bool {
	for _, lead := range bylineLeads {
		if l := len(lead); len(line) > l+1 && strings.EqualFold(line[:l], lead) && line[l] == ' ' {
			return creditsStaff(strings.Fields(strings.ToLower(strings.Map(bylinePunct, line[l+1:]))))
		}
	}
	return namesStaffRole(line)
}

// namesStaffRole reports a byline that names a reporter by a staff role
// alone ("Jane Doe, Staff Writer").
func namesStaffRole(line string) bool {
	name, rest, ok := strings.Cut(line, ",")
	if !ok {
		return false
	}
	role := strings.Join(strings.Fields(strings.ToLower(strings.Map(bylinePunct, rest))), " ")
	return staffRoles[role] && allPersonNames([]string{strings.TrimSpace(name)})
}

// bylinePunct maps the punctuation that parts a byline's name, credit
// and date to a space.
func bylinePunct(r rune) rune {
	switch r {
	case ',', '|', '-', '–', '—', ':':
		return ' '
	}
	return r
}

// creditsStaff reports whether the words of a byline after its lead are a
// staff credit, alone or before a date ("staff writer october 22 2010").
func creditsStaff(words []string) bool {
	for k := len(words); k > 0; k-- {
		if staffCredits[strings.Join(words[:k], " ")] {
			return k == len(words) || strings.ContainsAny(strings.Join(words[k:], " "), "0123456789")
		}
	}
	return false
}

// staffCredits name a newsroom or a wire in a byline; staffRoles are the
// roles that follow a reporter's name in one.
var (
	staffCredits = phraseSet("staff", "staff writer", "staff writers", "staff report", "staff reports", "staff reporter",
		"staff and wire reports", "staff and wire services", "wire reports", "wire services", "news services",
		"news staff", "web staff", "digital staff", "editorial staff", "the associated press", "associated press",
		"the editors", "reuters", "afp", "ap")
	staffRoles = phraseSet("staff writer", "staff reporter", "staff writers", "senior writer", "contributing writer",
		"correspondent", "special correspondent", "reporter", "staff")
)

// isOpeningPitch reports a newsletter pitch set above the story, near the
// start of the text; the same sentence later in the story stays.
func (r *renderer) isOpeningPitch(line string) bool {
	return len(r.paras) < bylineParas && isNewsletterPitch(line)
}

// isDateline reports a line near the start of the text that is only the
// article's date ("May 6, 2024", "Published: 06/05/2024").
func (r *renderer) isDateline(line string) bool {
	if len(r.paras) >= bylineParas || len(line) > maxDatelineLen || !strings.ContainsAny(line, "0123456789") {
		return false
	}
	if strings.Contains(line, ":") && isMetaField(line) {
		return true
	}
	return wordCount(line) <= maxDatelineWords && !parseDate(line).IsZero()
}

// Bounds of a line that is only a date: its length in bytes and words.
const (
	maxDatelineLen   = 48
	maxDatelineWords = 6
)

// maxBylineLen bounds the length of a byline line, in bytes.
const maxBylineLen = 100

// maxClosingLines bounds the closing furniture trimmed from an article's end.
const maxClosingLines = 3

// dropClosingFurniture removes the calls to action and credit lines that
// end the text (isClosingFurniture); the same words inside the story stay.
func (r *renderer) dropClosingFurniture() {
	r.flush()
	for i := 0; i < maxClosingLines && len(r.paras) > 1 && (isClosingFurniture(r.paras[len(r.paras)-1]) || r.orphan(len(r.paras)-1)); i++ {
		r.paras = r.paras[:len(r.paras)-1]
	}
}

// orphan reports a heading at the end of a story's text (three
// paragraphs or more before it) with no text under it: it announced
// what went with the page furniture ("You might also like", "News").
// Headings of more than maxLabelWords words, which some templates use for
// pull quotes, are text.
func (r *renderer) orphan(i int) bool {
	return i >= minStoryParas && i < len(r.headed) && r.headed[i] && wordCount(r.paras[i]) <= maxLabelWords
}

// minStoryParas is how many paragraphs make a story's text for orphan.
const minStoryParas = 3

// maxLabelWords bounds the heading of a box.
const maxLabelWords = 8

// result returns the content collected so far.
func (r *renderer) result() *content {
	r.flush()
	return &content{Text: strings.Join(r.paras, "\n\n"), Paragraphs: len(r.paras)}
}

func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' })
}
