package extractor

import (
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
	"golang.org/x/net/html"
)

// pageTitle returns the headline of the page: the source's title rule,
// then the JSON-LD headline, then meta tags (taken as the page gives them:
// a publisher that writes "Headline | Site" in og:title means it), then
// the <title> without the site name, then the only <h1>.
func pageTitle(doc *goquery.Document, ix *pageIndex, art map[string]any, mt metaTags, rules newsflow.ExtractRules) string {
	if rules.Title != "" {
		if t := cleanText(doc.Find(rules.Title).First().Text()); t != "" {
			return t
		}
	}
	if art != nil && hasType(art, ldArticleTypes) {
		name, headline := cleanText(ldString(art["name"])), cleanText(ldString(art["headline"]))
		switch {
		case name != "" && headline != "" && name != headline:
			// The one the page title repeats more of wins; headline on a tie.
			shown := textOf(ix.title) + " " + mt.first("og:title")
			if textSimilarity(shown, name) > textSimilarity(shown, headline) {
				return name
			}
			return headline
		case headline != "":
			// Publishers cut long headlines for search engines; the meta
			// title then holds the whole one.
			if cut := strings.TrimRight(headline, ".… "); cut != headline && len(cut) > 20 {
				if full := mt.first(titleKeys...); strings.HasPrefix(full, cut) {
					return full
				}
			}
			return headline
		case name != "":
			return name
		}
	}
	if t := mt.first(titleKeys...); t != "" {
		return t
	}
	if t := cleanDocTitle(ix); t != "" {
		return t
	}
	if len(ix.h1) == 1 {
		return cleanText(textOf(ix.h1[0]))
	}
	return ""
}

var (
	titleSep        = regexp.MustCompile(` [|\-\\/>»–—] `)
	titleHierSep    = regexp.MustCompile(` [\\/>»] `)
	titleLastPart   = regexp.MustCompile(`(.*)[|\-\\/>»–—] .*`)
	titleFirstPart  = regexp.MustCompile(`^[^|\-\\/>»–—]*[|\-\\/>»–—](.*)`)
	titleSepChars   = regexp.MustCompile(`[|\-\\/>»–—]+`)
	titleColonLast  = regexp.MustCompile(`.*:(.*)`)
	titleColonFirst = regexp.MustCompile(`^[^:]*:(.*)`)
	titleColonHead  = regexp.MustCompile(`^([^:]*):`)
)

// cleanDocTitle returns the <title> of the page without the site name that
// pages put before or after the headline ("Headline | Site"): the part
// before the last separator is kept unless it is too short to be a
// headline, and a title that an <h1> repeats is kept whole.
func cleanDocTitle(ix *pageIndex) string {
	orig := cleanText(textOf(ix.title))
	if orig == "" {
		return ""
	}
	cur := orig
	hier := false
	switch {
	case titleSep.MatchString(orig):
		hier = titleHierSep.MatchString(orig)
		cur = titleLastPart.ReplaceAllString(orig, "$1")
		if wordCount(cur) < 3 {
			cur = titleFirstPart.ReplaceAllString(orig, "$1")
		}
	case strings.Contains(orig, ": "):
		if !headingEquals(ix, orig) {
			cur = titleColonLast.ReplaceAllString(orig, "$1")
			if wordCount(cur) < 3 {
				cur = titleColonFirst.ReplaceAllString(orig, "$1")
			} else if m := titleColonHead.FindStringSubmatch(orig); m != nil && wordCount(m[1]) > 5 {
				cur = orig
			}
		}
	case len(orig) > 150 || len(orig) < 15:
		if len(ix.h1) == 1 {
			cur = cleanText(textOf(ix.h1[0]))
		}
	}
	cur = normalizeSpace(cur)
	n := wordCount(cur)
	if n <= 4 && (!hier || n != wordCount(titleSepChars.ReplaceAllString(orig, ""))-1) {
		cur = orig
	}
	return cur
}

// headingEquals reports whether an <h1> or <h2> of the page has exactly
// the text s.
func headingEquals(ix *pageIndex, s string) bool {
	for _, h := range ix.headings {
		if strings.TrimSpace(textOf(h)) == s {
			return true
		}
	}
	return false
}

// wordCount counts the white-space separated words of s, as
// len(strings.Fields(s)) would, without allocating.
func wordCount(s string) int {
	n, _ := addWords(0, false, s, math.MaxInt)
	return n
}

// addWords counts the words of s onto n, stopping once n reaches limit; in
// tells whether the text before s ended inside a word, which s then goes
// on, and the result tells the same of s.
func addWords(n int, in bool, s string, limit int) (int, bool) {
	for i := 0; i < len(s) && n < limit; {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if unicode.IsSpace(r) {
				in = false
			} else if !in {
				n, in = n+1, true
			}
			continue
		}
		if asciiSpace[c] {
			in = false
			i++
			continue
		}
		if !in {
			n, in = n+1, true
		}
		// The rest of a run of ASCII letters and marks goes at once.
		for i++; i < len(s) && s[i] < utf8.RuneSelf && !asciiSpace[s[i]]; i++ {
		}
	}
	return n, in
}

// asciiSpace marks the ASCII white space characters.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

// hasWords reports whether the text of n (its text nodes joined as
// textOf joins them) holds at least min words as wordCount counts them;
// it reads no further than it needs and builds no string.
func hasWords(n *html.Node, min int) bool {
	count, in := 0, false
	traverse(n, func(c *html.Node) bool {
		if c.Type == html.TextNode && count < min {
			count, in = addWords(count, in, c.Data, min)
		}
		return count < min
	})
	return count >= min
}

// textSimilarity returns how much of b's words a holds, from 0 to 1.
func textSimilarity(a, b string) float64 {
	tokens := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
		})
	}
	ta, tb := tokens(a), tokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	inA := map[string]bool{}
	for _, t := range ta {
		inA[t] = true
	}
	var uniq []string
	for _, t := range tb {
		if !inA[t] {
			uniq = append(uniq, t)
		}
	}
	return 1 - float64(len(strings.Join(uniq, " ")))/float64(len(strings.Join(tb, " ")))
}
