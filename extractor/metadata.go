package extractor

import (
	stdhtml "html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// metadata is what a page says about its article, before the body is known.
type metadata struct {
	Title        string
	Authors      []string
	Published    time.Time
	Modified     time.Time
	Language     string
	Description  string
	Image        string
	SiteName     string
	CanonicalURL string
	Section      string
	Tags         []string
	// JSONLDBody is the articleBody of a JSON-LD NewsArticle, if the page
	// has one: evidence for the body extraction, not trusted alone.
	JSONLDBody string
	// Paywalled is set when the page declares its article not free
	// (JSON-LD isAccessibleForFree false) or shows a subscription wall.
	Paywalled bool
	// Type is the lower-cased JSON-LD @type of the node describing the
	// article ("newsarticle", "webpage"), an article type when the node
	// has several, or "".
	Type string
	// LDTypes are the lower-cased @type values of every JSON-LD node near
	// the top of the page's blocks.
	LDTypes []string
	// OGType is the lower-cased og:type ("article", "website"), or "".
	OGType string
	// Page holds measures of the untouched page for classify.
	Page pageSignals
}

// metaTags holds the page's <meta> values by lower-cased key, in
// document order: those named by a property attribute (OpenGraph, Dublin
// Core in RDFa) apart from those named by name, itemprop or http-equiv,
// since the former are the more deliberate.
type metaTags struct {
	prop, name map[string][]string
}

// readMetaTags collects every <meta> of the page; a property attribute may
// list several space-separated names.
func readMetaTags(ix *pageIndex) metaTags {
	mt := metaTags{prop: map[string][]string{}, name: map[string][]string{}}
	for _, n := range ix.metas {
		val, ok := attrOK(n, "content")
		if !ok {
			val, ok = attrOK(n, "value")
		}
		val = strings.TrimSpace(val)
		if !ok || val == "" {
			continue
		}
		for _, a := range n.Attr {
			m := mt.name
			switch a.Key {
			case "property":
				m = mt.prop
			case "name", "itemprop", "http-equiv":
			default:
				continue
			}
			for _, k := range strings.Fields(strings.ToLower(a.Val)) {
				m[k] = append(m[k], val)
			}
		}
	}
	return mt
}

// first returns the first value of the first key that has one, looking at
// property attributes before the others.
func (mt metaTags) first(keys ...string) string {
	for _, m := range []map[string][]string{mt.prop, mt.name} {
		for _, k := range keys {
			for _, v := range m[k] {
				if v = cleanText(v); v != "" {
					return v
				}
			}
		}
	}
	return ""
}

// all returns every value of the keys, property attributes first.
func (mt metaTags) all(keys ...string) []string {
	var out []string
	for _, m := range []map[string][]string{mt.prop, mt.name} {
		for _, k := range keys {
			for _, v := range m[k] {
				if v = cleanText(v); v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// cleanText unescapes HTML entities left in a value (pages often escape
// twice) and normalises its white space.
func cleanText(s string) string {
	for i := 0; i < 2 && strings.Contains(s, "&") && entity.MatchString(s); i++ {
		s = stdhtml.UnescapeString(s)
	}
	return normalizeSpace(s)
}

// entity matches an HTML character reference.
var entity = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});`)

// Bounds on lists taken from pages, whose keyword lists can run to
// hundreds of search terms.
const (
	maxTags    = 25
	maxAuthors = 12
)

// Meta keys read for each field, best first.
var (
	titleKeys = []string{"dc.title", "dc:title", "dcterm:title", "dcterms.title", "og:title",
		"weibo:article:title", "weibo:webpage:title", "title", "twitter:title", "parsely-title",
		"sailthru.title", "citation_title", "headline"}
	authorKeys = []string{"dc.creator", "dc:creator", "dcterm:creator", "dcterms.creator", "author",
		"parsely-author", "sailthru.author", "article:author", "citation_author", "byl", "og:article:author"}
	publishedKeys = []string{"article:published_time", "og:published_time", "article:published",
		"parsely-pub-date", "sailthru.date", "citation_publication_date", "citation_date",
		"datepublished", "dc.date.issued", "dcterms.issued", "dc.date", "dc:date", "dcterms.date",
		"dcterms.created", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
		"article.published", "article_date_original", "og:pubdate", "date", "release_date", "cxenseparse:recs:publishtime"}
	modifiedKeys = []string{"article:modified_time", "og:updated_time", "article:modified",
		"datemodified", "dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "revised"}
	descriptionKeys = []string{"dc.description", "dc:description", "dcterm:description", "dcterms.description",
		"og:description", "weibo:article:description", "weibo:webpage:description", "description",
		"twitter:description", "sailthru.description", "parsely-description"}
	imageKeys = []string{"og:image", "og:image:url", "og:image:secure_url", "twitter:image",
		"twitter:image:src", "parsely-image-url", "sailthru.image.full", "thumbnailurl", "image"}
	siteNameKeys = []string{"og:site_name", "application-name", "apple-mobile-web-app-title", "publisher"}
	sectionKeys  = []string{"article:section", "parsely-section", "section", "category", "sailthru.section", "articlesection"}
	tagKeys      = []string{"article:tag", "parsely-tags", "sailthru.tags", "news_keywords", "keywords"}
	languageKeys = []string{"content-language", "language", "dc.language", "dc:language", "dcterms.language", "og:locale"}
)

// extractMetadata reads JSON-LD, OpenGraph, meta tags and the page itself,
// in that order of trust. It does not modify the document.
func extractMetadata(doc *goquery.Document, base *url.URL, rules newsflow.ExtractRules) *metadata {
	ix := indexPage(doc.Nodes[0])
	var pageURLs []string
	if base != nil {
		pageURLs = append(pageURLs, base.String())
	}
	canonical, hasCanonical := attrOK(ix.canonical, "href")
	if hasCanonical {
		pageURLs = append(pageURLs, absURL(base, canonical))
	}
	ld := readJSONLD(ix, pageURLs...)
	mt := readMetaTags(ix)
	m := &metadata{LDTypes: ld.types, OGType: strings.ToLower(mt.first("og:type")), Page: readPageSignals(ix)}
	art := ld.article
	if art != nil {
		for _, t := range ldTypes(art) {
			if m.Type == "" || hasAnyType(t, ldArticleTypes) && !hasAnyType(m.Type, ldArticleTypes) {
				m.Type = t
			}
		}
	}

	m.SiteName = firstNonEmpty(cleanText(ld.siteName()), mt.first(siteNameKeys...))
	if strings.HasPrefix(m.SiteName, "@") {
		m.SiteName = "" // a social media handle, not a name
	}
	m.Title = pageTitle(doc, ix, art, mt, rules)

	m.Authors = pageAuthors(doc, ix, ld, art, mt, m.SiteName)
	m.Authors = dropSiteName(m.Authors, m.SiteName)

	dates := findDates(doc, ix, ld, mt, base, rules)
	m.Published, m.Modified = dates.Published.UTC(), dates.Modified.UTC()

	m.Language = normalizeLanguage(firstAttr(ix.root, "lang", "xml:lang"))
	if m.Language == "" {
		m.Language = normalizeLanguage(mt.first(languageKeys...))
	}
	if m.Language == "" && art != nil {
		m.Language = normalizeLanguage(ldString(art["inLanguage"]))
	}

	var ldDesc string
	if art != nil {
		ldDesc = cleanText(ldString(art["description"]))
	}
	m.Description = firstNonEmpty(ldDesc, mt.first(descriptionKeys...))

	var ldImage string
	if art != nil {
		ldImage = ld.imageURL(art["image"])
	}
	linkImage, _ := attrOK(ix.imageSrc, "href")
	m.Image = absURL(base, firstNonEmpty(mt.first(imageKeys...), ldImage, linkImage))

	var ldURL string
	if art != nil {
		ldURL = ldString(art["url"])
	}
	m.CanonicalURL = firstNonEmpty(absURL(base, canonical), absURL(base, mt.first("og:url")), absURL(base, ldURL))
	if base != nil && m.CanonicalURL != "" {
		// A canonical link to the home page from a deeper page is a
		// template mistake; trusting it would merge every article into one.
		if cu, err := url.Parse(m.CanonicalURL); err == nil && strings.Trim(cu.Path, "/") == "" && cu.RawQuery == "" && strings.Trim(base.Path, "/") != "" {
			m.CanonicalURL = ""
		}
	}

	if art != nil {
		m.Section = cleanText(ldString(art["articleSection"]))
		m.Tags = dedupe(ldStrings(art["keywords"]))
	}
	if m.Section == "" {
		m.Section = mt.first(sectionKeys...)
	}
	m.Section = cleanSection(m.Section)
	if len(m.Tags) == 0 {
		for _, k := range tagKeys {
			var tags []string
			for _, v := range mt.all(k) {
				tags = append(tags, ldStrings(v)...)
			}
			if m.Tags = dedupe(tags); len(m.Tags) > 0 {
				break
			}
		}
	}
	if len(m.Tags) > maxTags {
		m.Tags = m.Tags[:maxTags]
	}
	if len(m.Authors) > maxAuthors {
		m.Authors = m.Authors[:maxAuthors]
	}

	if art != nil {
		m.JSONLDBody = strings.TrimSpace(stdhtml.UnescapeString(ldString(art["articleBody"])))
	}
	m.Paywalled = ld.paywalled() || hasPaywall(doc, ix)
	return m
}

// buildArticle assembles the Article from metadata and content. The caller
// seals it (id, source, fetch time, word count, hash).
func buildArticle(pageURL string, meta *metadata, c *content) *newsflow.Article {
	a := &newsflow.Article{
		URL:              pageURL,
		CanonicalURL:     meta.CanonicalURL,
		Title:            norm.NFC.String(meta.Title),
		Authors:          meta.Authors,
		PublishedAt:      meta.Published,
		ModifiedAt:       meta.Modified,
		Language:         meta.Language,
		Description:      norm.NFC.String(meta.Description),
		Text:             norm.NFC.String(c.Text),
		Image:            meta.Image,
		SiteName:         meta.SiteName,
		Section:          meta.Section,
		Tags:             meta.Tags,
		Paywalled:        meta.Paywalled,
		ExtractorVersion: Version,
	}
	a.Language = resolveLanguage(meta.Language, a.Text)
	if a.Description == "" {
		a.Description = firstParagraph(a.Text)
	}
	return a
}

// firstParagraph returns the first paragraph of the article text that can
// stand as a summary (five words or more, not a byline): what a reader sees
// first, as reader views show it when a page has no description. It is
// taken from the page, not invented; "" when there is none.
func firstParagraph(text string) string {
	for _, p := range strings.Split(text, "\n\n") {
		p = normalizeSpace(p)
		if wordCount(p) >= 5 && !authorPrefix.MatchString(p) && startsLikeSentence(p) {
			return p
		}
	}
	return ""
}

// pageAuthors returns the authors from JSON-LD, then meta tags, then the
// visible byline. A source that credits no full personal name (only a
// wire agency, the site, a single word) gives way to a later one that
// does, and is used only when none does.
func pageAuthors(doc *goquery.Document, ix *pageIndex, ld *jsonLD, art map[string]any, mt metaTags, site string) []string {
	var fallback []string
	consider := func(authors []string) bool {
		authors = dropSiteName(authors, site)
		if len(authors) == 0 {
			return false
		}
		for _, a := range authors {
			if wordCount(a) > 1 && !isOrganisation(a) && !wireAgencies[strings.ToLower(a)] && !strings.EqualFold(a, site) {
				fallback = authors
				return true
			}
		}
		if fallback == nil {
			fallback = authors
		}
		return false
	}
	if art != nil {
		names, orgs := ld.names(art["author"])
		if len(names) == 0 {
			names, orgs = ld.names(art["creator"])
		}
		var raw []string
		for i, n := range names {
			if orgs[i] && (strings.EqualFold(n, site) || strings.EqualFold(n, ld.siteName())) {
				continue // the publisher credited as author
			}
			raw = append(raw, n)
		}
		if consider(cleanAuthors(raw)) {
			return fallback
		}
	}
	for _, tags := range []map[string][]string{mt.prop, mt.name} {
		for _, k := range authorKeys {
			var vals, whole []string
			for _, v := range tags[k] {
				switch {
				case looksLikeURL(v):
				case site != "" && strings.EqualFold(normalizeSpace(v), site):
					// The publication credited by its own name ("Mac & i")
					// is one credit, not a list to split.
					whole = append(whole, normalizeSpace(v))
				case sortedNameKeys[k]:
					vals = append(vals, invertSortedNames(v)...)
				default:
					vals = append(vals, v)
				}
			}
			if consider(append(cleanAuthors(vals), whole...)) {
				return fallback
			}
		}
	}
	var head *html.Node
	if len(ix.h1) == 0 {
		head = ix.headlineLine(mt)
	}
	consider(visibleAuthors(doc, head))
	return fallback
}

// cleanSection returns the first of a comma-separated list of sections,
// or "" for a value that is a host name rather than a section.
func cleanSection(s string) string {
	if i := strings.IndexAny(s, ",;"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if authorDomain.MatchString(s) || looksLikeURL(s) {
		return ""
	}
	return s
}

// dropSiteName removes the site itself from a list of authors ("Jane
// Doe, Example News" on Example News): there the publisher is credited
// beside the writer. A site name that is the only credit is kept, since
// personal sites carry their author's name.
func dropSiteName(authors []string, site string) []string {
	site = strings.ToLower(strings.TrimSpace(site))
	if site == "" || len(authors) < 2 {
		return authors
	}
	var out []string
	for _, a := range authors {
		l := strings.ToLower(a)
		if l == site || strings.HasPrefix(l, site+" ") || strings.HasPrefix(site, l+" ") || strings.HasSuffix(site, " "+l) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// startsLikeSentence reports whether s starts with a letter, a digit or
// an opening quote, not with punctuation left from removed markup.
func startsLikeSentence(s string) bool {
	for _, r := range s {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'“‘«„¿¡([", r)
	}
	return false
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// firstAttr returns the first non-empty value of one of the attributes
// of n, which may be nil.
func firstAttr(n *html.Node, attrs ...string) string {
	for _, a := range attrs {
		if v, ok := attrOK(n, a); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// dedupe removes empty and repeated (case-insensitively) strings.
func dedupe(vals []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vals {
		v = cleanText(v)
		k := strings.ToLower(v)
		if v == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// looksLikeURL reports whether s is a URL rather than a name.
func looksLikeURL(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "www.")
}

// absURL resolves ref against base and returns it when it is an http or
// https URL, else "".
func absURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "data:") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return u.String()
}

var bylineClass = regexp.MustCompile(`(?i)byline|author|writtenby|p-author`)

// visibleAuthors returns the names of the first visible byline element
// that holds any: an element marked as author or byline with a short text.
// Bylines follow the headline, so elements after the first <h1> are tried
// before those above it (a header's or a sidebar's).
//
// head is the story's headline on a page without an <h1> (a line in bold
// that repeats the title, headlineLine), or nil: it stands where the
// <h1> does.
func visibleAuthors(doc *goquery.Document, head *html.Node) []string {
	// One walk collects what three selectors would: the elements marked
	// as byline or author (isBylineMarked), those whose class or id
	// merely contains such a word, and, last, links that follow a bare
	// "By" ("by <a href=/profile/7>Jane</a>" with no class to tell); each
	// list in document order, with the position of each element so that
	// those after the <h1> come first.
	type cand struct {
		n   *html.Node
		pos int
	}
	var marked, named, led, plain []cand
	pos, h1 := 0, -1
	lastText := ""
	visit := func(n *html.Node) bool {
		if n.Type == html.TextNode {
			if t := strings.TrimSpace(n.Data); t != "" {
				lastText = t
				if h1 >= 0 && pos-h1 <= plainBylineReach && n.Parent != nil && (opensByline(t) || namesStaffRole(t)) {
					plain = append(plain, cand{n.Parent, pos})
				}
			}
			return true
		}
		if n.Type != html.ElementNode {
			return true
		}
		pos++
		if h1 < 0 && (n.DataAtom == atom.H1 || n == head) {
			h1 = pos
		}
		cls, id := classAndID(n)
		if isBylineMarked(n, cls) {
			marked = append(marked, cand{n, pos})
		}
		// "yline" and "uthor" stand in each of the words looked for: one
		// look for each turns most classes away.
		mayName := strings.Contains(cls, "yline") || strings.Contains(cls, "uthor") || strings.Contains(id, "byline")
		if mayName && (strings.Contains(cls, "byline") || strings.Contains(cls, "Byline") || strings.Contains(id, "byline") ||
			strings.Contains(cls, "author") || strings.Contains(cls, "Author")) && bylineClass.MatchString(cls+" "+id) {
			named = append(named, cand{n, pos})
		}
		if n.DataAtom == atom.A && strings.EqualFold(strings.TrimRight(lastText, ":"), "by") {
			led = append(led, cand{n, pos})
		}
		return true
	}
	for _, n := range doc.Nodes {
		traverse(n, visit)
	}
	var ordered []*html.Node
	for _, list := range [][]cand{append(marked, named...), led} {
		var after, before []*html.Node
		for _, c := range list {
			if h1 < 0 || c.pos > h1 {
				after = append(after, c.n)
			} else {
				before = append(before, c.n)
			}
		}
		ordered = append(append(ordered, after...), before...)
	}
	for _, c := range ordered {
		if names := bylineNames(c); len(names) > 0 {
			return names
		}
	}
	// Last, a line of plain text after the headline that opens with "By"
	// and names people ("<p>By John Smith</p>"), with no mark to tell. A
	// byline in a list item, or one seen twice, belongs to a list of other
	// stories.
	seen := map[string]int{}
	texts := make([]string, len(plain))
	for i, c := range plain {
		texts[i] = spacedText(c.n)
		seen[texts[i]]++
	}
	for i, c := range plain {
		if seen[texts[i]] > 1 || c.n.DataAtom == atom.Li || insideAny(c.n, atom.Li) {
			continue
		}
		if names := bylineNames(c.n); len(names) > 0 && allPersonNames(names) {
			return names
		}
	}
	return nil
}

// plainBylineReach is how many elements after the <h1> a plain-text
// byline is looked for.
const plainBylineReach = 40

// bylineLeads open a plain-text byline, in a few languages.
var bylineLeads = []string{"by", "written by", "posted by", "von", "par", "por", "door"}

// opensByline reports text that opens a byline: a lead word alone (the
// name follows in an element of its own) or followed by a capital.
func opensByline(t string) bool {
	for _, lead := range bylineLeads {
		if len(t) < len(lead) || !strings.EqualFold(t[:len(lead)], lead) {
			continue
		}
		rest := t[len(lead):]
		if rest == "" || rest == ":" {
			return true
		}
		if rest[0] != ' ' && rest[0] != ':' {
			continue
		}
		rest = strings.TrimLeft(rest, " :")
		r, _ := utf8.DecodeRuneInString(rest)
		return unicode.IsUpper(r)
	}
	return false
}

// allPersonNames reports names that each read as a person's name: one to
// four words, each capitalised but for particles ("de", "van der").
func allPersonNames(names []string) bool {
	for _, name := range names {
		words := strings.Fields(name)
		if len(words) == 0 || len(words) > 4 {
			return false
		}
		for i, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(r) && (i == 0 || !nameParticles[w]) {
				return false
			}
		}
	}
	return true
}

// nameParticles are the lower-case words inside names.
var nameParticles = wordSet("de da di do dos das del della van von der den le la bin al ibn")

// bylineClasses are the class names that mark a byline element.
var bylineClasses = []string{"byline", "by-line", "author", "author-name", "byline-name", "article-author",
	"post-author", "entry-author", "c-byline", "writtenby", "p-author"}

// isBylineMarked reports the elements marked as bylines: rel="author",
// itemprop author, a byline class, or .fn inside a .vcard.
func isBylineMarked(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "rel":
			if a.Val == "author" {
				return true
			}
		case "itemprop":
			if strings.Contains(a.Val, "author") && slices.Contains(strings.Fields(a.Val), "author") {
				return true
			}
		}
	}
	if !strings.Contains(class, "by") && !strings.Contains(class, "author") && !strings.Contains(class, "fn") {
		// Every one of bylineClasses holds "by" or "author": most
		// classes are told apart without splitting them.
		return false
	}
	for c := range strings.FieldsSeq(class) {
		if slices.Contains(bylineClasses, c) || c == "fn" && insideClass(n, "vcard") {
			return true
		}
	}
	return false
}

// classAndID returns n's class and id attributes (the first of each, as
// attr reads them), in one pass over its attributes.
func classAndID(n *html.Node) (class, id string) {
	haveClass, haveID := false, false
	for _, a := range n.Attr {
		switch {
		case a.Key == "class" && !haveClass:
			class, haveClass = a.Val, true
		case a.Key == "id" && !haveID:
			id, haveID = a.Val, true
		}
	}
	return class, id
}

// insideClass reports an ancestor of n with the class.
func insideClass(n *html.Node, class string) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && slices.Contains(strings.Fields(attr(a, "class")), class) {
			return true
		}
	}
	return false
}

// bylineNames returns the names one byline element gives: its schema.org
// name, its content attribute, or its short text.
func bylineNames(n *html.Node) []string {
	if inBylineFree(n) {
		return nil
	}
	if ip, ok := attrOK(n, "itemprop"); ok && strings.Contains(ip, "author") {
		name := findElement(n, func(c *html.Node) step {
			if c != n && attr(c, "itemprop") == "name" {
				return stepFound
			}
			return stepInto
		})
		if name != nil {
			v, ok := attrOK(name, "content")
			if !ok || v == "" {
				v = textOf(name)
			}
			return cleanAuthors([]string{v})
		}
		if v, ok := attrOK(n, "content"); ok && v != "" && !looksLikeURL(v) {
			return cleanAuthors([]string{v})
		}
	}
	text, short := shortText(n, 400)
	if !short || text == "" || len(text) > 100 {
		return nil
	}
	return cleanAuthors([]string{text})
}

// inBylineFree reports an element that is, or sits inside, a part of the
// page where no byline of the story stands: code, navigation, a footer, a
// form or its label, the comments.
func inBylineFree(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Nav, atom.Footer, atom.Form, atom.Label:
			return true
		}
		for _, a := range n.Attr {
			switch {
			case a.Key == "id" && a.Val == "comments":
				return true
			case a.Key == "class" && strings.Contains(a.Val, "comment"):
				for c := range strings.FieldsSeq(a.Val) {
					if c == "comment" || c == "comments" {
						return true
					}
				}
			}
		}
	}
	return false
}

// spacedText returns the text of n with its text nodes joined by spaces,
// so that "by<a>Jane Doe</a><span>22 Dec</span>" keeps its words apart.
func spacedText(n *html.Node) string {
	t, _ := shortText(n, -1)
	return t
}

// shortText is spacedText that gives up, returning false, once the raw
// text passes limit bytes (no limit when negative): callers looking for a
// short byline or date need not read a whole page's text. A nil n has
// the empty text.
func shortText(n *html.Node, limit int) (string, bool) {
	if n == nil {
		return "", true
	}
	var b strings.Builder
	ok := true
	traverse(n, func(c *html.Node) bool {
		if !ok {
			return false
		}
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
			b.WriteByte(' ')
			if limit >= 0 && b.Len() > limit {
				ok = false
			}
		case html.ElementNode:
			return c.DataAtom != atom.Script && c.DataAtom != atom.Style
		}
		return true
	})
	if !ok {
		return "", false
	}
	return normalizeSpace(b.String()), true
}

// shortWords is wordCount(shortText(n, limit)) without building the
// text: the words of n's spaced text, and false once the raw text passes
// limit bytes.
func shortWords(n *html.Node, limit int) (int, bool) {
	words, size := 0, 0
	traverse(n, func(c *html.Node) bool {
		if size > limit {
			return false
		}
		switch c.Type {
		case html.TextNode:
			size += len(c.Data) + 1
			if size <= limit {
				words += wordCount(c.Data)
			}
		case html.ElementNode:
			return c.DataAtom != atom.Script && c.DataAtom != atom.Style
		}
		return true
	})
	if size > limit {
		return 0, false
	}
	return words, true
}

// dateClass finds elements whose class or id says they hold a date.
var (
	dateClass      = regexp.MustCompile(`(?i)publish|pubdate|posted|dateline|date|time|stamp`)
	elsewhereClass = regexp.MustCompile(`(?i)^(?:.*[-_])?(?:related|recommend\w*|sidebar|comments?|most-?popular|trending|more-stories|promo)(?:[-_].*)?$`)
)

// mayNameDate is a cheap test that a class or id could match dateClass:
// every alternative of it holds one of dateWords.
func mayNameDate(s string) bool {
	return dateWords.in(s)
}

var dateWords = newFoldWords("publish", "posted", "date", "time", "stamp")

var paywallClass = regexp.MustCompile(`(?i)(^|[\s_-])(paywall|pay-wall|regwall|reg-wall|meter-?wall|subscriber-?only|subscription-?wall|premium-?wall|piano-?(offer|paywall)|tp-modal)`)

var paywallText = regexp.MustCompile(`(?i)subscribe|subscription|subscriber|sign in to (continue|read)|log in to (continue|read)|abonn|abonie|suscr|assin`)

// mayNamePaywall is a cheap test that a class or id could match
// paywallClass: every alternative of it holds one of paywallWords.
func mayNamePaywall(s string) bool {
	return paywallWords.in(s)
}

var paywallWords = newFoldWords("wall", "subscriber", "piano", "tp-modal")

// hasPaywall reports whether the page shows a subscription wall: an
// element whose class or id names a paywall and whose text asks the reader
// to subscribe or sign in.
func hasPaywall(doc *goquery.Document, ix *pageIndex) bool {
	for _, n := range ix.paywallBoxes {
		if isPaywall(doc.FindNodes(n)) {
			return true
		}
	}
	return false
}

// isPaywall reports one visible element that names a paywall and asks
// the reader to subscribe or sign in.
func isPaywall(s *goquery.Selection) bool {
	cls, _ := s.Attr("class")
	id, _ := s.Attr("id")
	if !paywallClass.MatchString(cls + " " + id) {
		return false
	}
	if style, _ := s.Attr("style"); strings.Contains(strings.ReplaceAll(style, " ", ""), "display:none") {
		return false
	}
	if hidden, _ := s.Attr("aria-hidden"); hidden == "true" || s.AttrOr("hidden", "-") != "-" {
		return false
	}
	text := s.Text()
	return len(text) < 2000 && paywallText.MatchString(text)
}

// namedElsewhere reports an element whose class or id names a place
// outside the story (elsewhereClass); layout classes of the page wrappers
// ("has-sidebar", "with-comments", "no-aside") do not count.
func namedElsewhere(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		for _, tok := range strings.Fields(a.Val) {
			l := strings.ToLower(tok)
			if strings.HasPrefix(l, "has-") || strings.HasPrefix(l, "with-") || strings.HasPrefix(l, "no-") {
				continue
			}
			if elsewhereClass.MatchString(l) {
				return true
			}
		}
	}
	return false
}
