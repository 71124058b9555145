package extractor

import (
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/newsflow/newsflow"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageSignals are measures of the whole page, taken before the body
// extraction cleans the document, that tell articles from other pages.
type pageSignals struct {
	// DocTitle is the text of <title>; H1 the text of the first <h1>.
	DocTitle, H1 string
	// HeadlineLinks counts distinct link targets inside headings or
	// teaser blocks whose text is long enough to be a headline.
	HeadlineLinks int
	// Articles counts <article> elements.
	Articles int
	// TeaserLinks counts distinct link targets of links outside paragraphs
	// and navigation whose text reads like a headline (5 to 40 words):
	// the cards of section fronts.
	TeaserLinks int
	// PasswordInputs counts <input type=password>.
	PasswordInputs int
	// Paragraphs counts <p> elements with at least 25 words outside
	// navigation, headers, footers and teasers: continuous prose.
	Paragraphs int
	// TeaserParagraphs counts the <p> elements of 25 words or more that
	// summarise a story under its linked headline; teaserParas are they.
	TeaserParagraphs int
	teaserParas      []*html.Node
	// h1 is the first <h1>, or nil; h1s are all of them.
	h1  *html.Node
	h1s []*html.Node
	// links are the page's <a> elements with an href, in document order.
	links []*html.Node
	// articleBodies are the page's elements marked
	// itemprop="articleBody", in document order.
	articleBodies []*html.Node
	// elements counts the page's elements, which sizes the tables of
	// the body's measures.
	elements int
}

// isTeaserSummary reports whether paragraph p sits in a small block (up
// to three levels up, at most two paragraphs) under a linked headline.
// boxes remembers the answer for each block, which the paragraphs of one
// block share.
func isTeaserSummary(p *html.Node, boxes map[*html.Node]boxVerdict) bool {
	box := p.Parent
	for i := 0; i < 3 && box != nil && box.Type == html.ElementNode; i, box = i+1, box.Parent {
		if box.DataAtom == atom.Body || box.DataAtom == atom.Main {
			return false
		}
		v, ok := boxes[box]
		if !ok {
			v = boxOpen
			switch {
			case holdsMore(box, atom.P, 2):
				v = boxProse
			case holdsTeaserHeadline(box):
				v = boxTeaser
			}
			boxes[box] = v
		}
		switch v {
		case boxProse:
			return false
		case boxTeaser:
			return true
		}
	}
	return false
}

// boxVerdict is what isTeaserSummary found of one block.
type boxVerdict int8

const (
	boxOpen   boxVerdict = iota // neither: look further up
	boxProse                    // more than two paragraphs: a story's
	boxTeaser                   // a linked headline: a teaser's
)

// holdsTeaserHeadline reports a linked headline under n: a link (not to
// an anchor of the page) inside an h2, h3 or h4, or an h2 or h3 inside a
// link.
func holdsTeaserHeadline(n *html.Node) bool {
	return findElement(n, func(c *html.Node) step {
		if c == n {
			return stepInto
		}
		switch c.DataAtom {
		case atom.A:
			if href, ok := attrOK(c, "href"); ok && !strings.HasPrefix(href, "#") && insideAny(c, atom.H2, atom.H3, atom.H4) {
				return stepFound
			}
		case atom.H2, atom.H3:
			if insideLink(c) {
				return stepFound
			}
		}
		return stepInto
	}) != nil
}

// insideLink reports an ancestor of n that is a link with an href.
func insideLink(n *html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && a.DataAtom == atom.A && hasAttr(a, "href") {
			return true
		}
	}
	return false
}

// holdsMore reports whether n holds more than max elements of tag a; it
// stops counting there, so that asking it of every paragraph's parent on
// a page of a hundred thousand paragraphs stays linear.
func holdsMore(n *html.Node, a atom.Atom, max int) bool {
	count := 0
	return findElement(n, func(c *html.Node) step {
		if c != n && c.DataAtom == a {
			if count++; count > max {
				return stepFound
			}
		}
		return stepInto
	}) != nil
}

// readPageSignals measures the page; it does not modify the document.
func readPageSignals(ix *pageIndex) pageSignals {
	ps := pageSignals{Articles: ix.articles, PasswordInputs: ix.passwords, elements: ix.elements, links: ix.links, articleBodies: ix.articleBodies}
	links, paras := ix.links, ix.paras
	ps.DocTitle = cleanText(textOf(ix.title))
	if len(ix.h1) > 0 {
		ps.H1 = cleanText(textOf(ix.h1[0]))
		ps.h1 = ix.h1[0]
		ps.h1s = ix.h1
	}
	headlines, teasers := map[string]bool{}, map[string]bool{}
	for _, n := range links {
		href := attr(n, "href")
		if href == "" || strings.HasPrefix(href, "#") {
			continue
		}
		at := linkPlace(n)
		if !headlines[href] && (at.heading || at.article || hasHeadingInside(n)) && hasWords(n, 4) {
			headlines[href] = true
			ps.HeadlineLinks++
		}
		if teasers[href] || at.prose {
			continue
		}
		if n, short := shortWords(n, 600); !short || n < 5 || n > 40 {
			continue
		}
		teasers[href] = true
		ps.TeaserLinks++
	}
	boxes := map[*html.Node]boxVerdict{}
	for _, n := range paras {
		if !hasWords(n, 25) || insideAny(n, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.A) {
			continue
		}
		if isTeaserSummary(n, boxes) {
			ps.TeaserParagraphs++
			ps.teaserParas = append(ps.teaserParas, n)
			continue
		}
		ps.Paragraphs++
	}
	return ps
}

// insideAny reports whether an ancestor of n is one of the tags.
func insideAny(n *html.Node, tags ...atom.Atom) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && slices.Contains(tags, a.DataAtom) {
			return true
		}
	}
	return false
}

// place is where a link stands, from one walk up its ancestors.
type place struct {
	heading bool // inside an h2, h3 or h4
	article bool // inside an <article>
	prose   bool // inside a p, nav, header or footer, or a nested list item
}

func linkPlace(n *html.Node) place {
	var p place
	inLI := false
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		switch a.DataAtom {
		case atom.H2, atom.H3, atom.H4:
			p.heading = true
		case atom.Article:
			p.article = true
		case atom.P, atom.Nav, atom.Header, atom.Footer:
			p.prose = true
		case atom.Li:
			if inLI {
				p.prose = true
			}
			inLI = true
		}
	}
	return p
}

// hasHeadingInside reports an h2, h3 or h4 inside n.
func hasHeadingInside(n *html.Node) bool {
	return findElement(n, func(c *html.Node) step {
		if c != n && (c.DataAtom == atom.H2 || c.DataAtom == atom.H3 || c.DataAtom == atom.H4) {
			return stepFound
		}
		return stepInto
	}) != nil
}

var (
	// errorTitle matches a whole title segment that names an HTTP error;
	// a headline that merely contains "not found" does not match.
	errorTitle = guarded(`(?i)^(?:(?:http )?(?:error|fehler|erreur|errore)\s*:?\s*)?(?:40[0134]|410|50[0234])(?:\s*[-:–]?\s*(?:error|not found|page not found|file not found|forbidden|gone|internal server error|server error|service unavailable|bad request|unauthorized|seite nicht gefunden|page introuvable|pagina non trovata))?[!.]*$|`+
		`^(?:error|oops|whoops|uh oh)[!.]*$|^(?:oops|whoops|sorry)[!,.]*\s.{0,60}\b(?:page|find|found|exist|wrong|error)\b.{0,30}$|`+
		`^(?:the )?(?:page|file|article|content|document|resource|story)s? (?:was |could |can )?(?:not|cannot be|can't be|couldn't be|could not be) found[!.]*$|^not found[!.]*$|`+
		`^(?:sorry,? )?(?:this |that |the )?(?:page|article|story) (?:does not|doesn't|doesn’t|no longer) exists?[!.]*$|`+
		`^(?:seite nicht gefunden|page introuvable|page non trouvée|p[aá]gina no encontrada|pagina non trovata|pagina niet gevonden|página não encontrada|strona nie znaleziona)[!.]*$`,
		"40", "41", "50", "error", "oops", "uh oh", "sorry", "found", "exist",
		"gefunden", "introuvable", "trouv", "encontrada", "trovata", "gevonden", "znaleziona")
	titleSegments = regexp.MustCompile(` [|\-–—:·»] `)
	errorText     = guarded(`(?i)(page|article|content|url|link)s? (you (are|were|’re|'re) (looking for|trying to reach|requested)|(you )?requested)[^.]{0,60}(not|n't|n’t|no longer|moved|removed|deleted|exist)|`+
		`(could not|couldn't|couldn’t|cannot|can't|can’t|unable to) (find|locate) (the|that|this|your) (page|article|content)|`+
		`(page|article) (does not|doesn't|doesn’t) exist|error 404|404 error`,
		"page", "article", "content", "url", "link", "404")
	// loginTitle matches a whole title segment that asks the reader to
	// sign in; "How to sign in to your bank safely" does not match.
	loginTitle = guarded(`(?i)^(?:please )?(?:log ?in|sign ?in|login|log on|anmelden|einloggen|connexion|se connecter|iniciar sesi[oó]n|entrar|accedi|inloggen|zaloguj się)(?: to (?:your account|continue|read|comment|[\pL.]+(?: [\pL.]+){0,3}))?(?: page| required| or (?:register|sign up|subscribe))?[!.]*$|^(?:my )?account(?: login)?$`,
		"log", "sign", "anmelden", "einloggen", "connexion", "connecter", "sesi", "entrar", "accedi", "inloggen", "zaloguj", "account")
	// searchTitle matches a whole title segment that announces search
	// results; "Search for missing hiker" does not match.
	searchTitle = guarded(`(?i)^search$|^search results?(?: for .*| page.*)?$|^(?:search )?results for .{1,80}$|^you searched for .*$|^search: .*$|^suchergebnisse.*$|^r[eé]sultats de (?:la )?recherche.*$|^resultados de (?:la )?b[uú]squeda.*$|^risultati della ricerca.*$|^zoekresultaten.*$`,
		"search", "result", "sultat", "risultati", "suchergebnisse")
	searchPath = regexp.MustCompile(`(?i)(^|/)(search|suche|recherche|buscar|busqueda|cerca|zoeken)(/|$|\.)`)
)

// ldListingTypes are JSON-LD types of pages that list other pages.
var ldListingTypes = []string{"collectionpage", "itemlist", "searchresultspage", "profilepage", "blog", "periodical"}

// verdict is classify's answer: why the page is not an article ("" when
// it is one) and how sure that is.
type verdict struct {
	Reason string
	// Confidence is how strongly the page's evidence says article, from
	// 0 to 1 (see articleOdds); an accepted page has at least
	// minConfidence.
	Confidence float64
}

// classify decides whether a page is an article. Error pages, login walls
// and search results are recognised by what they say of themselves; the
// line between an article and a listing is drawn by weighing evidence
// (articleOdds), and a page is rejected as a listing only when the
// evidence against it is strong: a story of a few paragraphs under its
// own headline is an article however many links surround it. likely is
// what the crawl knows (the URL came from a feed item, a news sitemap or
// the source's article pattern). A paywalled article is an article.
func classify(base *url.URL, meta *metadata, c *content, likely bool) verdict {
	ps := meta.Page
	words := newsflow.WordCount(c.Text)
	declared := declaredArticle(meta)
	story := storyShape(c)
	if isErrorPage(ps, c.Text, words) || errorTitled(ps.DocTitle) && !hasAnyType(meta.Type, ldArticleTypes) {
		return verdict{Reason: "error page"}
	}
	if ps.PasswordInputs > 0 && !meta.Paywalled {
		// A page whose title asks to sign in is a sign-in form, whatever
		// else it shows; a form before a few words of text is one too.
		// (An <h1> asking to sign in may head a pop-up form on an
		// article.)
		if isLoginTitle(ps.DocTitle) && !hasAnyType(meta.Type, ldArticleTypes) ||
			ps.Paragraphs < 2 && (words < 50 && !declared && story == storyNone || words < 300 && isLoginTitle(ps.H1)) {
			return verdict{Reason: "login wall"}
		}
	}
	// A source's body selector that matched says the page is its article.
	odds, listing := articleOdds(base, meta, c, story, likely || c.FromRule)
	conf := math.Round(100/(1+math.Exp(-odds))) / 100
	// og:type is set site-wide by many templates, search pages included;
	// only the page's own JSON-LD outweighs a search URL or title.
	// A story's worth of prose far below a list of results (comments, a
	// footer) does not make a search page an article either.
	if isSearchPage(ps, base) && (story < storyFull || c.HeadlinesUnderH1 >= minHeadlinesUnderH1) && !hasAnyType(meta.Type, ldArticleTypes) {
		return verdict{Reason: "search results", Confidence: conf}
	}
	if words == 0 {
		switch {
		case meta.Paywalled && meta.Title != "" && meta.Description != "":
			// A paywalled article may show nothing but its headline and
			// summary: it is still the article.
			return verdict{Confidence: max(conf, minConfidence)}
		case listing:
			return verdict{Reason: "listing page", Confidence: conf}
		}
		return verdict{Reason: "no article text", Confidence: conf}
	}
	if conf >= minConfidence {
		return verdict{Confidence: conf}
	}
	if listing {
		return verdict{Reason: "listing page", Confidence: conf}
	}
	return verdict{Reason: "no article text", Confidence: conf}
}

// Bounds of the text between a story's headline and its first
// paragraph (a standfirst, a byline, a picture's caption, share buttons),
// and of the link text among it.
const (
	maxHeadlineGap     = 2000
	maxHeadlineLinkGap = 400
)

// minHeadlinesUnderH1 is the number of headline links under the page's
// heading, before its text, that make the page a list of them.
const minHeadlinesUnderH1 = 5

// minConfidence is the least confidence at which a page is an article.
const minConfidence = 0.2

// Story shapes of the chosen text, from none to a full story.
const (
	storyNone = iota
	storyShort
	storyFull
)

// Bounds of a story, in characters of prose: a full story has
// storyFullChars or more and storyPerTeaser for each headline link that
// stands in its block beside it; a short one storyShortChars.
const (
	storyFullChars  = 400
	storyShortChars = 150
	storyPerTeaser  = 300
)

// storyShape says whether the chosen text is a continuous story rather
// than the summaries of a list of headlines.
func storyShape(c *content) int {
	if c.TeaserLinks >= 5 && c.CardProse*5 >= c.ProseChars*3 {
		// Most of the prose is the summaries of the cards.
		return storyNone
	}
	// The story's own prose, beside the summaries of the cards.
	own := c.ProseChars - c.CardProse
	// A block mostly of links holds no story unless a full story's prose
	// makes most of its text (the link columns of a table-laid page
	// share the story's row, and the text leaves them out).
	linkHeavy := c.LinkDensity >= 0.5 && (c.ProseChars < storyFullChars || c.ProseChars*2 < len(c.Text))
	switch {
	case linkHeavy:
	case own >= storyFullChars && own >= c.CardProse:
		return storyFull
	case own >= storyShortChars && own*2 >= c.CardProse:
		return storyShort
	}
	return storyNone
}

// articleOdds weighs the evidence that the page is one article rather than
// a list of other pages, as log-odds, and reports whether the evidence
// against it is that of a listing. Each signal is general: what the page
// declares, the shape of its text, its headline, its URL, the crawl's
// knowledge; none decides alone except a declared type against no text.
func articleOdds(base *url.URL, meta *metadata, c *content, story int, likely bool) (odds float64, listing bool) {
	ps := meta.Page
	// What the page says it is. og:type comes from templates, often
	// site-wide, so it counts less than a JSON-LD article.
	switch {
	case meta.Type != "" && hasAnyType(meta.Type, ldArticleTypes):
		odds += 2.5
	case strings.HasPrefix(meta.OGType, "article") && !ldListing(meta):
		odds++
	}
	if ldListing(meta) {
		odds -= 3
		listing = true
	}
	// The shape of the text (storyShape).
	switch story {
	case storyFull:
		odds += 3
	case storyShort:
		odds += 1
	default:
		odds -= 2
	}
	if c.TeaserLinks >= 5 && c.ProseChars-c.CardProse < c.CardProse {
		// The chosen block is a list of headlines with their summaries.
		odds -= 3
		listing = true
	}
	if teasers := ps.TeaserParagraphs - c.DroppedSummaries; teasers >= 3 && teasers > ps.Paragraphs {
		// The page's long paragraphs summarise other stories (not
		// counting those of the cards under the story).
		odds -= 1.5
		listing = true
	}
	if ps.HeadlineLinks >= 10 || ps.TeaserLinks >= 12 || ps.Articles >= 8 {
		// Many headlines around the text: weak beside a full story, since
		// a story page has its columns of other stories too.
		odds--
		listing = true
	}
	// A headline naming the page, and the story right under it; a
	// listing's headline is followed by its headlines, and what prose
	// the page has stands far below.
	if c.HeadlinesUnderH1 >= minHeadlinesUnderH1 {
		// The page's heading heads a list of headlines.
		odds -= 2
		listing = true
	}
	if ps.H1 != "" && meta.Title != "" && textSimilarity(meta.Title, ps.H1) >= 0.75 {
		switch {
		case c.HeadlineGap < 0 || c.HeadlineLinkGap > maxHeadlineLinkGap || c.HeadlineGap > maxHeadlineGap:
			// The text stands far below the headline, or above it.
			odds--
		case isHeadline(ps.H1):
			odds += 1.5
		}
		if !isHeadline(ps.H1) && c.HeadlinesUnderH1 >= minHeadlinesUnderH1 {
			// Title and heading name a section ("World | Site", "World")
			// and headlines follow: a section front, whatever prose
			// stands below them.
			odds -= 2.5
			listing = true
		}
		// (A section's label right over its text says nothing either way.)
	}
	if ps.H1 == "" && c.HeadlineLine {
		// No heading, but the text opens with its headline (a line in
		// bold repeating the title), the story right under it.
		odds += 1.5
	}
	if !meta.Published.IsZero() {
		odds += 0.5
	}
	// The URL.
	switch urlShape(base) {
	case urlHome:
		odds -= 2.5
		listing = true
	case urlListing:
		odds -= 1.5
		listing = true
	case urlArticle:
		odds++
	}
	if likely {
		odds += 2
	}
	return odds, listing
}

// isHeadline reports whether a heading reads as a story's headline, a
// phrase of three words or more (or eight characters of a script
// written without spaces), rather than a section's label ("World",
// "Sports").
func isHeadline(h string) bool {
	if wordCount(h) >= 3 {
		return true
	}
	n := 0
	for _, r := range h {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan) {
			n++
		}
	}
	return n >= 8
}

// declaredArticle reports a page that declares itself an article: a
// JSON-LD article type, or og:type article unless JSON-LD calls the page
// a collection.
func declaredArticle(meta *metadata) bool {
	return meta.Type != "" && hasAnyType(meta.Type, ldArticleTypes) ||
		strings.HasPrefix(meta.OGType, "article") && !ldListing(meta)
}

// URL shapes.
const (
	urlOther = iota
	urlHome
	urlListing
	urlArticle
)

var (
	// listingSegment is a path segment of listing pages: tags, topics,
	// categories, authors, archives, pagination, search.
	listingSegment = regexp.MustCompile(`(?i)^(?:tags?|category|categories|topics?|authors?|archives?|page|label|labels|search|feed|index\.\w+|default\.\w+)$`)
	// articleSegment is a path segment that names one story: a slug of
	// three words or more, or a long number.
	articleSlug = regexp.MustCompile(`\pL[\pL\pN]*(?:[-_+]+[\pL\pN]+){2,}`)
	articleID   = regexp.MustCompile(`\d{5,}`)
)

// urlShape tells from the URL alone whether it looks like a home page, a
// listing, or one article.
func urlShape(u *url.URL) int {
	if u == nil {
		return urlOther
	}
	path := strings.Trim(u.Path, "/")
	segs := strings.Split(path, "/")
	if path == "" || len(segs) == 1 && listingSegment.MatchString(segs[0]) && strings.Contains(segs[0], ".") {
		if u.RawQuery == "" {
			return urlHome
		}
		return urlOther
	}
	last := segs[len(segs)-1]
	for i, seg := range segs {
		if listingSegment.MatchString(seg) && (i < len(segs)-1 || !articleSlug.MatchString(seg)) {
			return urlListing
		}
	}
	if q := u.Query(); q.Get("page") != "" || q.Get("paged") != "" {
		return urlListing
	}
	if !dateFromURL(u.Path).IsZero() || articleSlug.MatchString(last) || articleID.MatchString(last) {
		return urlArticle
	}
	return urlOther
}

// isErrorPage reports an HTTP error page: an error-like title or heading,
// or a short text saying the page asked for is not there.
func isErrorPage(ps pageSignals, text string, words int) bool {
	if words >= 300 || ps.Paragraphs >= 5 {
		return false
	}
	for _, t := range []string{ps.DocTitle, ps.H1} {
		if t == "" || len(t) > 150 {
			continue
		}
		if errorText.MatchString(t) || errorTitled(t) {
			return true
		}
	}
	// A short text in words can still be long in bytes (one 10 MB word):
	// an error message is in its first few kilobytes.
	return words < 120 && errorText.MatchString(head(text, 4096))
}

// errorTitled reports a title that names an error, such as "Page not
// found | Site": the page is an error page whatever else it shows (its
// comments, a column of stories). An <h1> is not enough, since a pop-up
// on an article may carry one.
func errorTitled(t string) bool {
	return segmentMatches(t, errorTitle)
}

// isLoginTitle reports whether a segment of the title asks to sign in.
func isLoginTitle(t string) bool {
	return segmentMatches(t, loginTitle)
}

// segmentMatches reports whether a whole segment of title t matches re;
// a title holding none of re's words is not split.
func segmentMatches(t string, re guardedRegexp) bool {
	if !re.guards(t) {
		return false
	}
	for _, seg := range titleSegments.Split(t, -1) {
		if re.Regexp.MatchString(strings.TrimSpace(seg)) {
			return true
		}
	}
	return false
}

// isSearchPage reports a page whose title or URL says it shows search
// results.
func isSearchPage(ps pageSignals, base *url.URL) bool {
	if segmentMatches(ps.DocTitle, searchTitle) || segmentMatches(ps.H1, searchTitle) {
		return true
	}
	if base == nil {
		return false
	}
	if searchPath.MatchString(base.Path) {
		return true
	}
	q := base.Query()
	return q.Get("q") != "" || q.Get("query") != "" || q.Get("s") != "" && strings.Trim(base.Path, "/") == ""
}

// ldListing reports whether the page's JSON-LD describes it as a list of
// other pages and describes no article.
func ldListing(meta *metadata) bool {
	for _, t := range meta.LDTypes {
		if hasAnyType(t, ldArticleTypes) {
			return false
		}
	}
	for _, t := range meta.LDTypes {
		if hasAnyType(t, ldListingTypes) {
			return true
		}
	}
	return false
}

// hasAnyType reports whether t is one of types.
func hasAnyType(t string, types []string) bool {
	for _, w := range types {
		if t == w {
			return true
		}
	}
	return false
}
