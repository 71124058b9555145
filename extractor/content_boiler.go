package extractor

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// negativeWords are class/id words naming page furniture rather than
// article text. Words are compared whole (after splitting on
// punctuation and case changes), so "shared-content" does not match
// "share". Among them are the widgets that close a post: star ratings
// ("post-ratings"), copyright and picture-credit notes, and calls to
// action ("letters-cta"). German "kommentare" names the readers'
// comments; the singular "Kommentar" names an opinion piece and is left
// out, as "commentary" is.
var negativeWords = wordSet(`
	ad ads adv advert adverts advertisement advertising adsense adslot dfp
	banner billboard breadcrumb breadcrumbs byline bylines author authors
	bio caption captions credit credits cookie cookies consent gdpr
	comment comments commenting disqus discussion replies reply kommentare
	community combx contributor contributors timestamp
	footer masthead menu menus nav navbar navigation
	newsletter newsletters subscribe subscription signup
	outbrain taboola promo promoted promotion promotions sponsor sponsored
	partner partners pagination pager popular popup modal overlay
	recommended recommendation recommendations recirc recirculation
	related rss share shares sharing sharebar social socials
	sidebar skyscraper toolbar trending
	follow skip jump promos hidden image images img photo photos gallery
	figure widget widgets meta metadata
	rating ratings copyright cta
`)

// weakWords name furniture too, but also wrappers of article text now
// and then ("more" holding the rest of a story, "tools" around the body):
// an element named so is removed only when short or mostly links.
var weakWords = wordSet(`
	more next prev previous recent tag tags tagged topics tools print
`)

// negativeStems are matched inside words too ("relatedposts",
// "commentlist", the "postmetadata" line of classic blog themes): they
// are long and unambiguous enough.
var negativeStems = []string{
	"related", "comment", "social", "sidebar", "newsletter", "cookie",
	"advert", "breadcrumb", "recommend", "taboola", "outbrain", "disqus",
	"sharing", "sponsor", "subscribe", "metadata",
}

// listWords name boxes listing other stories.
var listWords = wordSet(`related recommended recommendation recommendations popular trending`)

// negativePairs are two-word class/id phrases naming furniture.
var negativePairs = wordSet(`
	most-read most-popular most-viewed more-stories more-news read-more
	also-like you-might see-also top-stories latest-news latest-stories
	in-case sr-only visually-hidden screen-reader
`)

// stateWords open a class-name modifier that says what an element holds
// or lacks rather than what it is, or how the site files it: WordPress's
// post_class() names a post's categories ("category-top-stories"),
// which say nothing of the element itself. (Its "tag-<slug>" classes
// cannot be told from a tag cloud's "tag-list".)
var stateWords = wordSet(`has with without no category`)

// hiddenQualifiers beside "hidden" say that a part of the element is
// hidden ("field-label-hidden"), or that it is hidden on some screens or
// media only ("hidden-xs", "print-hidden"): the element itself shows.
var hiddenQualifiers = wordSet(`
	label labels title heading xs sm md lg xl xxl mobile phone tablet
	desktop print screen small medium large
`)

// positiveWords mark likely article containers; an element with a
// negative word and a positive one is only removed when it is small or
// mostly links.
var positiveWords = wordSet(`
	article articles body content contents entry main post story stories
	text prose richtext blog column hentry
`)

// boilerRoles are ARIA roles of page furniture.
var boilerRoles = wordSet(`
	navigation banner contentinfo complementary search dialog alertdialog
	menu menubar toolbar tablist
`)

// boilerHeadings are headings of related-content boxes, compared after
// lower-casing and dropping digits and punctuation.
var boilerHeadings = phraseSet(
	"related", "related articles", "related stories", "related content",
	"related news", "related posts", "related coverage", "related topics",
	"popular", "popular now", "most popular", "most read", "most viewed",
	"must reads", "must read", "you may also like", "you might also like",
	"you may like", "recommended", "recommended for you", "recommended stories",
	"latest", "latest stories", "latest news", "latest articles", "more stories",
	"more news", "more from", "read more", "read next", "up next", "trending",
	"trending now", "weekly best articles", "best articles", "top stories",
	"comments", "comment", "leave a comment", "leave a reply", "share",
	"share this", "share this article", "share this story", "advertisement",
	"sponsored", "sponsored content", "newsletter", "sign up", "follow us",
	"tags", "topics", "see also", "editors picks", "editor s picks",
	"world latest stories", "more on this story", "in case you missed it",
	"don t miss", "what to read next", "most shared", "top news",
	// The same boxes in a few other languages.
	"você pode gostar", "veja também", "leia também", "leia mais",
	"relacionados", "notícias relacionadas", "artigos relacionados",
	"te puede interesar", "también te puede interesar", "noticias relacionadas",
	"lee también", "lea también", "à lire aussi", "lire aussi",
	"sur le même sujet", "lesen sie auch", "mehr zum thema",
	"das könnte sie auch interessieren", "articoli correlati",
	"potrebbe interessarti", "leggi anche", "читайте также", "смотрите также",
	"похожие статьи", "похожие записи", "самые популярные", "популярное",
	"комментарии", "also read", "read also", "more like this",
	"recommended reading", "lees ook", "gerelateerde artikelen", "czytaj też",
	"zobacz także", "läs också", "relaterat", "související články",
	"čtěte také", "ilgili haberler", "baca juga", "berita terkait",
	"artikel terkait", "tin liên quan", "関連記事", "相关新闻", "相关阅读",
	"관련기사", "اقرأ أيضا", "مقالات ذات صلة", "यह भी पढ़ें",
)

// boilerLines are whole lines dropped wherever they occur.
var boilerLines = phraseSet(
	"advertisement", "advertising", "ad", "sponsored", "comments", "comment",
	"share", "share this", "share this article", "tweet", "email", "print",
	"facebook", "twitter", "linkedin", "whatsapp", "reddit", "pinterest",
	"read more", "continue reading", "story continues below advertisement",
	"story continues below", "skip advertisement", "scroll to continue with content",
	"subscribe", "sign up", "log in", "login", "loading", "close", "menu",
	"view comments", "show comments", "getty images", "image", "photo",
	"related", "more", "click here", "back to top", "top",
	"join the conversation", "leave a comment", "add a comment", "advert",
	"this slideshow requires javascript", "tell us what you think",
	"text size", "sign up for our newsletter", "min read", "minute read",
	"don t miss", "sponsored links", "you may also like", "learn more",
	// A "By" left alone once its linked name went with the author box.
	"by",
	// Gallery counters ("Image 1 of 5"), digits dropped.
	"image of", "photo of", "picture of", "slide of",
	// "Read also" lead-ins in German and Polish, which sites set as a
	// bold line before a link rather than as a heading.
	"auch interessant", "schon gelesen", "mehr themen", "weitere themen",
	"zum weiterlesen", "das könnte dich auch interessieren", "zobacz również",
	// The labels of boxes of links and addresses.
	"more information", "further information", "weitere informationen",
	"contact", "contact us", "kontakt",
	// Comment labels and buttons in German.
	"kommentare", "kommentieren", "kommentar schreiben", "kommentare schreiben",
	"kommentar verfassen", "kommentar verfassen antwort abbrechen",
	"kommentar hinzufügen", "keine kommentare", "leave a reply", "leave a reply cancel reply",
	// The share and like buttons that WordPress sites show under each
	// post ("Share this:", "Like this:", "Like Loading..."), in English
	// and German.
	"like this", "like loading", "teilen mit", "teilen sie dies mit",
	"teilen", "artikel teilen", "beitrag teilen", "möchten sie den artikel teilen",
	"share this post", "share this page",
	"gefällt mir", "gefällt mir wird geladen", "wird geladen",
	// The placeholder of an embed that waits for the reader's consent.
	"externer inhalt", "external content",
	// The title of a table of contents that plugins set before a post, and
	// a recipe card's print button.
	"table of contents", "inhaltsverzeichnis", "print recipe", "rezept drucken",
	// Links back to the list a story was opened from.
	"zurück", "zurück zur übersicht", "zurück zur listenansicht", "zurück zur startseite",
	"back to overview", "back to list", "back to the list", "back to news",
	// "Advertisement" in other languages.
	"anzeige", "werbung", "publicité", "publicidad", "publicidade", "pubblicità",
	"reklama", "reklam", "реклама", "iklan", "advertentie", "annons", "annonce",
	"mainos", "広告", "广告", "광고",
)

// promoLeads open the sentences of a call to subscribe, follow or share.
var promoLeads = []string{
	"sign up", "subscribe", "follow us", "follow him", "follow her", "follow me",
	"get the latest", "share this", "share it", "if you enjoyed this", "click here",
}

// socialMarks name where a "Follow ..." sentence sends the reader.
var socialMarks = []string{"@", "http", "twitter", "facebook", "instagram", "linkedin", "youtube"}

// creditLeads open a wire story's credit line ("Reporting by ...;
// Editing by ...").
var creditLeads = []string{
	"reporting by", "additional reporting by", "editing by", "writing by",
	"compiled by", "reporting and writing by",
}

// creditEnds close a credit line ("... contributed to this report.").
var creditEnds = []string{"contributed to this report", "contributed reporting", "contributed to this story"}

// maxClosingWords bounds a closing line: a call to action or a credit
// is a line or two, not a paragraph of the story.
const maxClosingWords = 60

// isClosingFurniture reports a short paragraph that sites and wires append
// to articles: a call to subscribe, follow or share (a sentence opens with
// "Sign up", "Follow us on Twitter", ...), a call to get the site's app,
// a credit line ("Reporting by ...", "... contributed to this report.")
// or a comment policy.
func isClosingFurniture(p string) bool {
	if wordCount(p) > maxClosingWords {
		return false
	}
	lower := strings.ToLower(p)
	if isCommentPolicy(lower) {
		return true
	}
	head := strings.TrimLeft(lower, "( ")
	for _, lead := range creditLeads {
		if strings.HasPrefix(head, lead) {
			return true
		}
	}
	tail := strings.TrimRight(lower, ".) ")
	for _, end := range creditEnds {
		if strings.HasSuffix(tail, end) {
			return true
		}
	}
	return hasSentenceOpening(lower, promoLeads) ||
		hasSentenceOpening(lower, []string{"follow"}) && containsAny(lower, socialMarks) ||
		isAppPitch(lower)
}

// isAppPitch reports a call to get the site's app, which speaks of the
// app and names both app stores ("Download our apps for iOS and
// Android"); lower is the paragraph in lower case.
func isAppPitch(lower string) bool {
	return (containsWord(lower, "app") || containsWord(lower, "apps")) &&
		(containsWord(lower, "ios") || containsAny(lower, []string{"app store", "itunes"})) &&
		containsAny(lower, []string{"android", "google play"})
}

// containsWord reports whether w stands in s as a whole word.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isLetterByte(s[j-1])) && (end == len(s) || !isLetterByte(s[end])) {
			return true
		}
		i = j + 1
	}
}

// hasSentenceOpening reports whether a sentence of lower (lower case) opens
// with one of leads as a whole word or words.
func hasSentenceOpening(lower string, leads []string) bool {
	for start := 0; start < len(lower); {
		sentence := lower[start:]
		for _, lead := range leads {
			if rest, ok := strings.CutPrefix(sentence, lead); ok && (rest == "" || !isLetterByte(rest[0])) {
				return true
			}
		}
		i := strings.IndexAny(sentence, ".!?")
		if i < 0 {
			break
		}
		start += i + 1
		for start < len(lower) && (lower[start] == ' ' || lower[start] == '\n') {
			start++
		}
	}
	return false
}

// signUpLeads open the sentence of a newsletter pitch.
var signUpLeads = []string{"sign up", "subscribe"}

// isNewsletterPitch reports a line that asks the reader to sign up for a
// newsletter ("Start your day with the Morning Brief. Sign up for the free
// daily newsletter.").
func isNewsletterPitch(line string) bool {
	if wordCount(line) > maxClosingWords {
		return false
	}
	lower := strings.ToLower(line)
	return strings.Contains(lower, "newsletter") && hasSentenceOpening(lower, signUpLeads)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// labelPrefixes start lines that list tags or topics ("Tags: a, b").
var labelPrefixes = []string{
	"tags", "tagged", "topics", "filed under", "keywords", "reading time",
	"tempo de leitura", "tiempo de lectura",
}

// maxLabelLen bounds the length of a label line such as "Tags", in bytes.
const maxLabelLen = 24

// labelWords head a list of tags or topics set on the lines below them.
var labelWords = phraseSet("tags", "tagged", "topics", "keywords", "filed under",
	"etiquetas", "schlagworte", "schlagwörter", "mots clés", "теги", "метки")

// endsWithStop reports a line that ends a sentence, which a list of tags
// does not.
func endsWithStop(line string) bool {
	return strings.HasSuffix(line, ".") || strings.HasSuffix(line, "!") || strings.HasSuffix(line, "?")
}

// counterWords make up counter and share bars ("Comments 0 300
// Comments 0", "Share Tweet Email"): a line of nothing else is dropped.
var counterWords = wordSet(`
	comments comment views view likes like shares share tweet email print
	facebook twitter linkedin whatsapp reddit pinterest flipboard copy link
	replies reply votes save saved
`)

// isFurnitureLine reports a line that is a known furniture phrase or a
// counter/share bar; digits are ignored.
func isFurnitureLine(line string) bool {
	p := normPhrase(line)
	if boilerLines[p] || isLabelLine(line) || isDateLines(line, p) || isShortcode(line) || isMetaLine(line) || isLoginPrompt(p) {
		return true
	}
	if p == "" {
		// Only digits and punctuation: a counter.
		return len(line) < 16
	}
	for w := range strings.FieldsSeq(p) {
		if !counterWords[w] {
			return false
		}
	}
	return true
}

// loginPrompts open the line a comment section shows to a reader who is
// not logged in ("You must be logged in to post a comment.").
var loginPrompts = []string{
	"you must be logged in", "you need to be logged in", "please log in to", "log in to comment",
	"sie müssen sich einloggen", "sie müssen angemeldet sein", "du musst angemeldet sein",
	"du musst dich einloggen", "sie sind aktuell nicht eingeloggt", "sie sind nicht eingeloggt",
}

// maxLoginPromptWords bounds a login prompt: a line, not a sentence of a
// story about logging in.
const maxLoginPromptWords = 14

// isLoginPrompt reports such a line; p is the line as normPhrase gives it.
func isLoginPrompt(p string) bool {
	if wordCount(p) > maxLoginPromptWords {
		return false
	}
	for _, lead := range loginPrompts {
		if strings.HasPrefix(p, lead) {
			return true
		}
	}
	return false
}

// trimShareButton cuts the "Click To Tweet" button off a pull quote set
// in a sharing box, keeping the quote.
func trimShareButton(line string) string {
	const mark = "click to tweet"
	if len(line) >= len(mark) && strings.EqualFold(line[len(line)-len(mark):], mark) {
		return trimSpace(line[:len(line)-len(mark)])
	}
	return line
}

// isCommentPolicy reports a short notice, closing an article, about how
// reader comments are moderated ("Note: we are temporarily moderating all
// comments", "Os comentários ... não serão aprovados pelo moderador"); lower
// is the line in lower case.
func isCommentPolicy(lower string) bool {
	return len(lower) <= maxPolicyLen && strings.Contains(lower, "modera") && containsAny(lower, commentWords)
}

// maxPolicyLen bounds the length of a comment policy line, in bytes.
const maxPolicyLen = 240

// commentWords name reader comments in a few languages.
var commentWords = []string{"comment", "coment", "kommentar", "комментар"}

// isShortcode reports a line that is a blogging platform's shortcode left
// unrendered ("[button link=... type=big] Send us your review[/button]"):
// it opens with a bracketed name and attributes and closes that name.
func isShortcode(line string) bool {
	line = strings.TrimSpace(line)
	if len(line) < 4 || line[0] != '[' || line[len(line)-1] != ']' {
		return false
	}
	end := strings.IndexByte(line, ']')
	open := line[1:end]
	name, attrs, _ := strings.Cut(open, " ")
	if name == "" || !strings.Contains(attrs, "=") || strings.IndexFunc(name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || r == '_' || r == '-')
	}) >= 0 {
		return false
	}
	return strings.HasSuffix(line, "[/"+name+"]")
}

// maxMetaLine bounds the length of a line of article metadata, in bytes.
const maxMetaLine = 240

// isMetaLine reports a line of article metadata set between separators
// ("05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags:
// sad"): two parts or more, each a date or a short value under a known
// label.
func isMetaLine(line string) bool {
	if len(line) > maxMetaLine || !(strings.Contains(line, " - ") || strings.IndexByte(line, '|') >= 0 ||
		strings.Contains(line, "•") || strings.Contains(line, "·") || strings.Contains(line, "–")) {
		return false
	}
	parts := strings.FieldsFunc(line, func(r rune) bool { return r == '|' || r == '•' || r == '·' || r == '–' })
	var split []string
	for _, p := range parts {
		split = append(split, strings.Split(p, " - ")...)
	}
	if len(split) < 2 {
		return false
	}
	for _, p := range split {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !isNumericDate(p) && !isDateLine(p, normPhrase(p)) && !isMetaField(p) {
			return false
		}
	}
	return true
}

// metaLabels name the fields of a line of article metadata.
var metaLabels = phraseSet("published", "updated", "posted", "posted by", "published by",
	"publicado", "publicado por", "publicado em", "por", "by", "author", "autor", "autora",
	"category", "categoria", "categoría", "section", "tags", "tag", "filed under", "source",
	"fonte", "fuente", "quelle", "von", "par", "atualizado", "actualizado", "aktualisiert",
	"last updated", "date", "data", "fecha", "datum")

// isMetaField reports "Label: value" with a known label and a short value.
func isMetaField(p string) bool {
	label, value, ok := strings.Cut(p, ":")
	return ok && metaLabels[normPhrase(label)] && wordCount(value) <= 8
}

// isNumericDate reports a date written in digits ("05/10/2018",
// "2018-10-05", "5.10.2018"), with a clock time or not.
func isNumericDate(p string) bool {
	date, clock, _ := strings.Cut(p, " ")
	fields := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(fields) != 3 || len(date) > 10 {
		return false
	}
	for _, f := range fields {
		if f == "" || strings.IndexFunc(f, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			return false
		}
	}
	return clock == "" || (len(clock) <= 8 && strings.Count(clock, ":") >= 1 && strings.IndexFunc(clock, func(r rune) bool { return (r < '0' || r > '9') && r != ':' }) < 0)
}

// isDateLines reports a line of timestamps alone, one or more separated
// by "|" ("PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, ...");
// norm is the line's normPhrase.
func isDateLines(line, norm string) bool {
	if !strings.Contains(line, "|") {
		return isDateLine(line, norm)
	}
	for part := range strings.SplitSeq(line, "|") {
		if !isDateLine(part, normPhrase(part)) {
			return false
		}
	}
	return true
}

// isDateLine reports a short line that is only a timestamp
// ("20 Nov, 2019 05:47", "sexta-feira, 22 de outubro de 2010 às 20:13"):
// it holds a clock time and a year and few words.
func isDateLine(line, norm string) bool {
	if len(line) > 64 || wordCount(norm) > 8 {
		return false
	}
	clock, year := false, false
	run := 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) && '0' <= line[i] && line[i] <= '9' {
			run++
			continue
		}
		if run == 4 {
			year = true
		}
		if i < len(line) && line[i] == ':' && run >= 1 && run <= 2 &&
			i+2 < len(line) && isDigit(line[i+1]) && isDigit(line[i+2]) {
			clock = true
		}
		run = 0
	}
	return clock && year
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isLabelLine reports a "Tags: ..." or "Topics | ..." line.
func isLabelLine(line string) bool {
	head := line[:min(len(line), maxLabelLen)]
	for _, l := range labelPrefixes {
		// (The labels are ASCII: a fold of the same length in bytes is
		// a match in lower case.)
		if len(head) >= len(l) && strings.EqualFold(head[:len(l)], l) {
			rest := strings.TrimSpace(head[len(l):])
			return strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "|")
		}
	}
	return false
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func phraseSet(phrases ...string) map[string]bool {
	m := make(map[string]bool, len(phrases))
	for _, p := range phrases {
		m[p] = true
	}
	return m
}

// isBoilerPhrase reports a heading text that is, or starts with, a
// furniture phrase of two words or more ("Most popular diets").
func isBoilerPhrase(p string) bool {
	if boilerHeadings[p] {
		return true
	}
	words := strings.Fields(p)
	if len(words) > 6 {
		return false
	}
	for n := len(words) - 1; n >= 2; n-- {
		if boilerHeadings[strings.Join(words[:n], " ")] {
			return true
		}
	}
	// "More great WIRED stories", "More top news": more of something.
	return len(words) >= 2 && words[0] == "more" && moreOf[words[len(words)-1]]
}

// isBoxOfSite reports a heading, given as its normPhrase, that names a box
// of the site's stories: a one-word box heading, "on", "from", "in" or
// "at", and a name of up to three words ("Popular on IndieWire", "Latest
// from Reuters", "More in Milan").
func isBoxOfSite(phrase string) bool {
	words := strings.Fields(phrase)
	return len(words) >= 3 && len(words) <= 5 && boxWords[words[0]] && boxLinks[words[1]]
}

// boxWords open the headings of boxes of a site's stories.
var boxWords = wordSet("popular trending latest more related recommended top")

// boxLinks join a box word to the name of a site, section or place.
var boxLinks = wordSet("on from in at")

// moreOf are what a "More ..." box heading offers.
var moreOf = wordSet("stories articles news posts videos reads headlines")

// normPhrase lower-cases s and keeps its letters as space-separated
// words, so "Comments0", "[WORLD] Latest Stories" and "Must-Reads" compare
// with plain phrases ("comments", "world latest stories", "must reads").
func normPhrase(s string) string {
	var buf [maxPhrase + utf8.UTFMax]byte
	b := buf[:0]
	space := true
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
			// ASCII letters, the common case, without the Unicode
			// tables.
			b = append(b, byte(r))
			space = false
		case 'A' <= r && r <= 'Z':
			b = append(b, byte(r)+'a'-'A')
			space = false
		case r >= utf8.RuneSelf && unicode.IsLetter(r):
			b = utf8.AppendRune(b, unicode.ToLower(r))
			space = false
		case !space:
			b = append(b, ' ')
			space = true
		}
		if len(b) > maxPhrase {
			return ""
		}
	}
	return strings.TrimSpace(string(b))
}

// maxPhrase bounds the normalised phrases, in bytes: longer text is no
// furniture label.
const maxPhrase = 64

// attrClass says what an element's class, id and role suggest.
type attrClass int

const (
	attrNeutral attrClass = iota
	attrPositive
	attrNegative
	// attrMixed has both negative and positive words.
	attrMixed
	// attrWeak has only weak negative words.
	attrWeak
)

// classifyAttrs reads the class, id and role of n.
func classifyAttrs(n *html.Node) attrClass {
	neg, weak, pos := false, false, false
	for _, a := range n.Attr {
		switch a.Key {
		case "itemprop":
			// schema.org microdata naming the article's text outweighs
			// what its class or id say ("share-btns_containerParent").
			if hasWord(a.Val, "articleBody") {
				return attrPositive
			}
			// A block marked as the article's author is the author's box
			// or byline; a name marked so inside a sentence ("Edited by
			// <span itemprop=author>...") is words of it.
			neg = neg || hasWord(a.Val, "author") && isBlock(n)
		case "class", "id":
			if a.Key == "id" && isAnchorOf(n, a.Val) {
				continue
			}
			wn, ww, wp := scanWords(a.Val)
			neg = neg || wn
			weak = weak || ww
			pos = pos || wp
		case "role":
			if boilerRoles[strings.ToLower(strings.TrimSpace(a.Val))] {
				neg = true
			}
		}
	}
	switch {
	case (neg || weak) && pos:
		return attrMixed
	case neg:
		return attrNegative
	case weak:
		return attrWeak
	case pos:
		return attrPositive
	}
	return attrNeutral
}

// isAnchorOf reports whether id is a heading's anchor: a slug made of the
// words of the heading's own text ("nav_nur_die_folie__1" on "Nur die
// Folie bleibt zurück"), which tables of contents link to. Such an id says
// what the heading reads, not what part of the template it is. Two of the
// text's words must stand in it as words of their own, neither a word of
// the template's vocabulary: "related-articles" on "Related articles"
// stays a template's name.
func isAnchorOf(n *html.Node, id string) bool {
	switch n.DataAtom {
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
	default:
		return false
	}
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	slug := strings.FieldsFunc(strings.ToLower(id), notWord)
	if len(slug) < 2 {
		return false
	}
	text := strings.FieldsFunc(strings.ToLower(leadingText(n, 200)), notWord)
	shared := 0
	for _, w := range slug {
		if wordFlags[w] == 0 && !hasNegativeStem([]byte(w)) && slices.Contains(text, w) {
			shared++
		}
	}
	return shared >= 2
}

// Word flags: one map lookup tells which of the word sets hold a word.
const (
	flagNegative = 1 << iota
	flagWeak
	flagPositive
	flagState
	flagHiddenQualifier
	flagPairHead // the first word of one of negativePairs
)

var wordFlags = func() map[string]uint8 {
	m := map[string]uint8{}
	for _, set := range []struct {
		words map[string]bool
		flag  uint8
	}{{negativeWords, flagNegative}, {weakWords, flagWeak}, {positiveWords, flagPositive},
		{stateWords, flagState}, {hiddenQualifiers, flagHiddenQualifier}} {
		for w := range set.words {
			m[w] |= set.flag
		}
	}
	for p := range negativePairs {
		head, _, _ := strings.Cut(p, "-")
		m[head] |= flagPairHead
	}
	return m
}()

// scanWords splits an attribute value into lower-case words (at
// punctuation, digits and lower-to-upper case changes) and reports
// whether any word or adjacent pair is negative, any weakly negative,
// and any positive.
func scanWords(v string) (neg, weak, pos bool) {
	// The words are built in buf, the previous one kept in prevBuf and
	// "prev-word" pairs in pairBuf: the map lookups of a string(bytes)
	// conversion allocate nothing.
	var buf, prevBuf [64]byte
	var pairBuf [129]byte
	word, prev := buf[:0], prevBuf[:0]
	var prevFlags uint8
	lastLower := false
	// stated is set by a state word and holds to the end of the class
	// name; hiddenPending is a "hidden" whose next word may qualify it.
	stated, hiddenPending := false, false
	endName := func() {
		neg = neg || hiddenPending
		stated, hiddenPending, prev, prevFlags = false, false, prev[:0], 0
	}
	flush := func() {
		if len(word) == 0 {
			prev, prevFlags = prev[:0], 0
			return
		}
		f := wordFlags[string(word)]
		if hiddenPending {
			neg = neg || f&flagHiddenQualifier == 0
			hiddenPending = false
		}
		pairNegative := prevFlags&flagPairHead != 0 && negativePairs[string(append(append(append(pairBuf[:0], prev...), '-'), word...))]
		// The words after "has", "with" or "no" state what the element
		// holds or lacks ("card-has-image", "hasHeaderImage",
		// "no-comments"), not what it is.
		stated = stated || f&flagState != 0
		switch {
		case stated:
		case string(word) == "hidden" && !pairNegative:
			hiddenPending = prevFlags&flagHiddenQualifier == 0
		default:
			if f&flagNegative != 0 || pairNegative || hasNegativeStem(word) {
				neg = true
			}
			weak = weak || f&flagWeak != 0
		}
		// A positive word right after one naming a box of other stories
		// says what the box holds ("related-posts", "recommended-content"),
		// not that it is the article.
		pos = pos || f&flagPositive != 0 && (stated || !listWords[string(prev)])
		prev, prevFlags = append(prev[:0], word...), f
		word = word[:0]
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z':
			word = append(word, c)
			lastLower = true
		case 'A' <= c && c <= 'Z':
			if lastLower {
				flush()
			}
			word = append(word, c+'a'-'A')
			lastLower = false
		case c == ' ' || c == '\t' || c == '\n':
			flush()
			endName()
			lastLower = false
		case c == '_' && i+1 < len(v) && v[i+1] == '_':
			// A BEM element ("player-with-placeholder__caption") is a
			// name of its own.
			flush()
			endName()
			lastLower = false
		default:
			// A separator keeps prev, so "most-read" is seen as a pair.
			flush()
			lastLower = false
		}
	}
	flush()
	endName()
	return neg, weak, pos
}

func hasNegativeStem(w []byte) bool {
	if len(w) < 6 || bytes.HasPrefix(w, []byte("commentar")) {
		// "commentary" names opinion articles, not reader comments.
		return false
	}
	return negativeStemWords.in(string(w))
}

// negativeStemWords files negativeStems for hasNegativeStem.
var negativeStemWords = newFoldWords(negativeStems...)

// hasWord reports whether the space-separated list v holds w.
func hasWord(v, w string) bool {
	for f := range strings.FieldsSeq(v) {
		if f == w {
			return true
		}
	}
	return false
}

// isHidden reports elements a browser would not show.
func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			if hiddenStyle(a.Val) {
				return true
			}
		case "class":
			if hiddenClass(a.Val) {
				return true
			}
		}
	}
	return false
}

// hiddenClass reports a class list that hides its element on every
// screen: Bootstrap's "d-none" without a display class for a screen size
// ("d-md-block") that shows it again; "d-none d-print-block" is shown in
// print only.
func hiddenClass(v string) bool {
	if !strings.Contains(v, "d-none") {
		return false
	}
	none := false
	for f := range strings.FieldsSeq(v) {
		if f == "d-none" {
			none = true
			continue
		}
		for _, size := range []string{"d-sm-", "d-md-", "d-lg-", "d-xl-", "d-xxl-"} {
			if strings.HasPrefix(f, size) && !strings.HasSuffix(f, "-none") {
				return false
			}
		}
	}
	return none
}

func hiddenStyle(s string) bool {
	if !strings.Contains(s, "none") && !strings.Contains(s, "hidden") {
		return false
	}
	s = strings.ToLower(strings.ReplaceAll(s, " ", ""))
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}

// headingLevel is 1..6 for h1..h6 and 0 otherwise.
func headingLevel(n *html.Node) int {
	switch n.DataAtom {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// maxConsentNotice bounds the text of a cookie notice: a few sentences;
// consentLead is how much of its start is read.
const (
	maxConsentNotice = 600
	consentLead      = 200
)

// isConsentNotice reports a block of text (one that holds no other block)
// that is a site's cookie notice ("This website uses cookies to improve
// your experience. We'll assume you're ok with this..."): short prose
// whose first sentence names cookies in the site's own voice
// (consentVoices). It goes however the template names it, and also where
// the rest of the furniture comes back (a page whose story stands in a
// block named like a sidebar). A story's sentence on
// cookies ("The rules require every website to ask before it sets
// cookies") speaks of sites, not as one.
func isConsentNotice(n *html.Node, st statsTable) bool {
	s := st[n]
	if s == nil || s.hasBlock || s.textLen < minParagraphLen || s.textLen > maxConsentNotice || s.linkDensity() > 0.5 || !isBlock(n) {
		return false
	}
	if !leadHolds(n, consentLead, "ookie", "OOKIE") {
		return false
	}
	lead := strings.ToLower(strings.Join(strings.Fields(leadingText(n, consentLead)), " "))
	if i := strings.IndexAny(lead, ".!?"); i > 0 {
		lead = lead[:i]
	}
	if !strings.Contains(lead, "cookie") {
		return false
	}
	for _, v := range consentVoices {
		if strings.Contains(lead, v) {
			return true
		}
	}
	return false
}

// leadHolds reports whether one of words stands in the text nodes of n
// that start within its first limit bytes of text: a look for a word of
// a leadingText without building it.
func leadHolds(n *html.Node, limit int, words ...string) bool {
	read, found := 0, false
	traverse(n, func(c *html.Node) bool {
		if found || read >= limit {
			return false
		}
		if c.Type == html.TextNode {
			for _, w := range words {
				found = found || strings.Contains(c.Data, w)
			}
			read += len(c.Data) + 1
		}
		return true
	})
	return found
}

// consentVoices are the words in which a site speaks of itself or to its
// reader in a cookie notice, in the languages of the corpora and their
// neighbours.
var consentVoices = []string{
	"this website", "this site", "our website", "our site", "we use", "we and our", "by continuing", "by using",
	"diese website", "diese webseite", "unsere website", "unserer website", "unsere webseite", "unserer webseite",
	"wir verwenden", "wir nutzen", "wir benutzen", "wir setzen", "wir würden", "durch die nutzung", "wenn du die website", "wenn sie die website",
	"ce site", "notre site", "nous utilisons", "en poursuivant",
	"este sitio", "esta web", "nuestro sitio", "nuestra web", "utilizamos", "usamos",
	"questo sito", "nostro sito", "utilizziamo", "usiamo", "se continui",
	"deze website", "deze site", "onze website", "wij gebruiken", "we gebruiken",
	"ta strona", "strona korzysta", "naszych stronach", "używamy", "korzystając ze strony",
}
