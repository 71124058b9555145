package extractor

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
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
	// summarise a story under its linked headline.
	TeaserParagraphs int
}

// isTeaserSummary reports whether paragraph p sits in a small block (up
// to three levels up, at most two paragraphs) under a linked headline.
func isTeaserSummary(p *goquery.Selection) bool {
	box := p.Parent()
	for i := 0; i < 3 && box.Length() > 0; i, box = i+1, box.Parent() {
		if n := goquery.NodeName(box); n == "body" || n == "main" {
			return false
		}
		if holdsMore(box.Get(0), atom.P, 2) {
			return false
		}
		if box.Find(teaserHeadline).Length() > 0 {
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
	walk(n, func(c *html.Node) bool {
		if c != n && c.DataAtom == a {
			count++
		}
		return count <= max
	})
	return count > max
}

// teaserHeadline finds the linked headline of a teaser block.
const teaserHeadline = `h2 a[href]:not([href^="#"]), h3 a[href]:not([href^="#"]), h4 a[href]:not([href^="#"]), a[href] h2, a[href] h3`

// readPageSignals measures the page; it does not modify the document.
func readPageSignals(doc *goquery.Document, ix *pageIndex) pageSignals {
	ps := pageSignals{Articles: ix.articles, PasswordInputs: ix.passwords}
	links, paras := ix.links, ix.paras
	ps.DocTitle = cleanText(textOf(ix.title))
	if len(ix.h1) > 0 {
		ps.H1 = cleanText(textOf(ix.h1[0]))
	}
	headlines, teasers := map[string]bool{}, map[string]bool{}
	for _, n := range links {
		href := attr(n, "href")
		if href == "" || strings.HasPrefix(href, "#") {
			continue
		}
		at := linkPlace(n)
		if !headlines[href] && (at.heading || at.article || hasHeadingInside(n)) && wordCount(textOf(n)) >= 4 {
			headlines[href] = true
			ps.HeadlineLinks++
		}
		if teasers[href] || at.prose {
			continue
		}
		text, short := shortText(n, 600)
		if n := wordCount(text); !short || n < 5 || n > 40 {
			continue
		}
		teasers[href] = true
		ps.TeaserLinks++
	}
	for _, n := range paras {
		if wordCount(textOf(n)) < 25 || insideAny(n, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.A) {
			continue
		}
		if isTeaserSummary(doc.FindNodes(n)) {
			ps.TeaserParagraphs++
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
	found := false
	walk(n, func(c *html.Node) bool {
		found = found || c != n && (c.DataAtom == atom.H2 || c.DataAtom == atom.H3 || c.DataAtom == atom.H4)
		return !found
	})
	return found
}

var (
	// errorTitle matches a whole title segment that names an HTTP error;
	// a headline that merely contains "not found" does not match.
	errorTitle = regexp.MustCompile(`(?i)^(?:(?:http )?(?:error|fehler|erreur|errore)\s*:?\s*)?(?:40[0134]|410|50[0234])(?:\s*[-:–]?\s*(?:error|not found|page not found|file not found|forbidden|gone|internal server error|server error|service unavailable|bad request|unauthorized|seite nicht gefunden|page introuvable|pagina non trovata))?[!.]*$|` +
		`^(?:error|oops|whoops|uh oh)[!.]*$|^(?:oops|whoops|sorry)[!,.]*\s.{0,60}\b(?:page|find|found|exist|wrong|error)\b.{0,30}$|` +
		`^(?:the )?(?:page|file|article|content|document|resource|story)s? (?:was |could |can )?(?:not|cannot be|can't be|couldn't be|could not be) found[!.]*$|^not found[!.]*$|` +
		`^(?:sorry,? )?(?:this |that |the )?(?:page|article|story) (?:does not|doesn't|doesn’t|no longer) exists?[!.]*$|` +
		`^(?:seite nicht gefunden|page introuvable|page non trouvée|p[aá]gina no encontrada|pagina non trovata|pagina niet gevonden|página não encontrada|strona nie znaleziona)[!.]*$`)
	titleSegments = regexp.MustCompile(` [|\-–—:·»] `)
	errorText     = regexp.MustCompile(`(?i)(page|article|content|url|link)s? (you (are|were|’re|'re) (looking for|trying to reach|requested)|(you )?requested)[^.]{0,60}(not|n't|n’t|no longer|moved|removed|deleted|exist)|` +
		`(could not|couldn't|couldn’t|cannot|can't|can’t|unable to) (find|locate) (the|that|this|your) (page|article|content)|` +
		`(page|article) (does not|doesn't|doesn’t) exist|error 404|404 error`)
	// loginTitle matches a whole title segment that asks the reader to
	// sign in; "How to sign in to your bank safely" does not match.
	loginTitle = regexp.MustCompile(`(?i)^(?:please )?(?:log ?in|sign ?in|login|log on|anmelden|einloggen|connexion|se connecter|iniciar sesi[oó]n|entrar|accedi|inloggen|zaloguj się)(?: to (?:your account|continue|read|comment|[\pL.]+(?: [\pL.]+){0,3}))?(?: page| required| or (?:register|sign up|subscribe))?[!.]*$|^(?:my )?account(?: login)?$`)
	// searchTitle matches a whole title segment that announces search
	// results; "Search for missing hiker" does not match.
	searchTitle = regexp.MustCompile(`(?i)^search$|^search results?(?: for .*| page.*)?$|^(?:search )?results for .{1,80}$|^you searched for .*$|^search: .*$|^suchergebnisse.*$|^r[eé]sultats de (?:la )?recherche.*$|^resultados de (?:la )?b[uú]squeda.*$|^risultati della ricerca.*$|^zoekresultaten.*$`)
	searchPath  = regexp.MustCompile(`(?i)(^|/)(search|suche|recherche|buscar|busqueda|cerca|zoeken)(/|$|\.)`)
)

// ldListingTypes are JSON-LD types of pages that list other pages.
var ldListingTypes = []string{"collectionpage", "itemlist", "searchresultspage", "profilepage", "blog", "periodical"}

// classify returns why a page is not an article, or "" when it is one. It
// uses only general signals: what the page says it is (og:type, JSON-LD
// @type), its title, its forms, and the shape of its text (teaser links
// against continuous prose). A paywalled article is an article.
func classify(doc *goquery.Document, base *url.URL, meta *metadata, c *content) string {
	ps := meta.Page
	words := newsflow.WordCount(c.Text)
	articleLD := meta.Type != "" && hasAnyType(meta.Type, ldArticleTypes)
	// og:type comes from templates, often site-wide; JSON-LD that calls
	// the page a collection outranks it.
	declared := articleLD || strings.HasPrefix(meta.OGType, "article") && !ldListing(meta)

	if isErrorPage(ps, c.Text, words) {
		return "error page"
	}
	if ps.PasswordInputs > 0 && !meta.Paywalled && ps.Paragraphs < 2 &&
		(words < 50 && !declared || words < 300 && (isLoginTitle(ps.DocTitle) || isLoginTitle(ps.H1))) {
		return "login wall"
	}
	if !declared {
		// An <h1> that repeats the title as a headline marks one story.
		long := longParagraphs(c.Text)
		headline := wordCount(ps.H1) >= 5 && meta.Title != "" && textSimilarity(meta.Title, ps.H1) >= 0.75
		// Long paragraphs of the extracted text count as prose unless the
		// page's long paragraphs are teaser summaries (an archive page).
		if ps.TeaserParagraphs >= 3 && ps.TeaserParagraphs > ps.Paragraphs {
			long = 0
		}
		prose := ps.Paragraphs >= 4 || long >= 3 || headline && (ps.Paragraphs >= 2 || long >= 1)
		teasers := ps.HeadlineLinks >= 10 || ps.TeaserLinks >= 12 || ps.Articles >= 8
		listing := teasers && (!prose || c.LinkDensity > 0.5)
		if isSearchPage(ps, base) && (listing || !prose) {
			return "search results"
		}
		if listing || ldListing(meta) && !prose {
			return "listing page"
		}
	}
	if words == 0 {
		// A paywalled article may show nothing but its headline and
		// summary: it is still the article.
		if meta.Paywalled && meta.Title != "" && meta.Description != "" {
			return ""
		}
		return "no article text"
	}
	if !declared && words < 15 && ps.Paragraphs == 0 && ps.H1 == "" && meta.Published.IsZero() {
		return "no article text"
	}
	return ""
}

// longParagraphs counts the paragraphs of text with at least 40 words:
// article prose has them, teaser summaries and link lists rarely do.
func longParagraphs(text string) int {
	n := 0
	for _, p := range strings.Split(text, "\n\n") {
		if newsflow.WordCount(p) >= 40 {
			n++
		}
	}
	return n
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
		if errorText.MatchString(t) {
			return true
		}
		for _, seg := range titleSegments.Split(t, -1) {
			if errorTitle.MatchString(strings.TrimSpace(seg)) {
				return true
			}
		}
	}
	// A short text in words can still be long in bytes (one 10 MB word):
	// an error message is in its first few kilobytes.
	return words < 120 && errorText.MatchString(head(text, 4096))
}

// isLoginTitle reports whether a segment of the title asks to sign in.
func isLoginTitle(t string) bool {
	for _, seg := range titleSegments.Split(t, -1) {
		if loginTitle.MatchString(strings.TrimSpace(seg)) {
			return true
		}
	}
	return false
}

// isSearchPage reports a page whose title or URL says it shows search
// results.
func isSearchPage(ps pageSignals, base *url.URL) bool {
	for _, t := range []string{ps.DocTitle, ps.H1} {
		for _, seg := range titleSegments.Split(t, -1) {
			if searchTitle.MatchString(strings.TrimSpace(seg)) {
				return true
			}
		}
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
