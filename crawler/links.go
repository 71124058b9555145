package crawler

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// pageLinks are the links found on an HTML page, resolved and canonicalised.
type pageLinks struct {
	Links []string // every http(s) link, in document order, once each
	Next  []string // links that look like the next page of a listing
}

// nextTexts are link texts (lowercased, arrows trimmed) that announce the
// next page of a listing.
var nextTexts = map[string]bool{
	"next": true, "more": true, "older": true, "next page": true,
	"older posts": true, "older entries": true, "older articles": true,
	"more articles": true, "more stories": true, "load more": true,
	"»": true, "›": true, ">": true, ">>": true, "→": true,
}

// arrows are trimmed from link texts before they are compared to nextTexts.
const arrows = " \t\r\n\u00a0»›>→"

// extractLinks reads the links of an HTML page: a and area hrefs, resolved
// against <base href> and the page URL, canonicalised; and the pagination
// links among them (rel=next on link or a; same-host links reading "Next",
// "More", "Older", "»" or a page number; same-host links that differ from
// the page only by a page=N or /page/N component).
func extractLinks(body []byte, pageURL string) (pageLinks, error) {
	var out pageLinks
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return out, err
	}
	page, err := url.Parse(pageURL)
	if err != nil {
		return out, err
	}
	base := page
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := url.Parse(strings.TrimSpace(href)); err == nil {
			base = page.ResolveReference(b)
		}
	}
	pageCanon, _ := Canonicalize(pageURL)
	pageHost := strings.ToLower(page.Host)
	seenLink := map[string]bool{}
	seenNext := map[string]bool{}
	addNext := func(u string) {
		if !seenNext[u] && u != pageCanon {
			seenNext[u] = true
			out.Next = append(out.Next, u)
		}
	}
	resolve := func(href string) (string, *url.URL, bool) {
		href = strings.TrimSpace(href)
		if href == "" || strings.HasPrefix(href, "#") {
			return "", nil, false
		}
		ref, err := url.Parse(href)
		if err != nil {
			return "", nil, false
		}
		abs := base.ResolveReference(ref)
		canon, err := Canonicalize(abs.String())
		if err != nil {
			return "", nil, false
		}
		return canon, abs, true
	}

	doc.Find("link[rel][href]").Each(func(_ int, s *goquery.Selection) {
		if !hasRel(s, "next") {
			return
		}
		if canon, abs, ok := resolve(s.AttrOr("href", "")); ok && strings.ToLower(abs.Host) == pageHost {
			addNext(canon)
		}
	})
	doc.Find("a[href], area[href]").Each(func(_ int, s *goquery.Selection) {
		canon, abs, ok := resolve(s.AttrOr("href", ""))
		if !ok {
			return
		}
		if !seenLink[canon] {
			seenLink[canon] = true
			out.Links = append(out.Links, canon)
		}
		if strings.ToLower(abs.Host) != pageHost || canon == pageCanon {
			return
		}
		text := strings.ToLower(strings.Join(strings.Fields(s.Text()), " "))
		switch {
		case hasRel(s, "next"):
			addNext(canon)
		case nextTexts[text] || nextTexts[strings.Trim(text, arrows)]:
			addNext(canon)
		case isPageNumber(text) && hasNumber(abs, text):
			addNext(canon)
		case samePageModuloPaging(canon, pageCanon):
			addNext(canon)
		}
	})
	return out, nil
}

// hasRel reports whether s's rel attribute holds the token.
func hasRel(s *goquery.Selection, token string) bool {
	for _, r := range strings.Fields(strings.ToLower(s.AttrOr("rel", ""))) {
		if r == token {
			return true
		}
	}
	return false
}

// isPageNumber reports link texts like "2" or "17".
func isPageNumber(text string) bool {
	if text == "" || len(text) > 4 {
		return false
	}
	n, err := strconv.Atoi(text)
	return err == nil && n > 0
}

// hasNumber reports whether the path or query of u holds the number n as a
// whole token (so "2" matches /list/2 and ?p=2, not /2026/).
func hasNumber(u *url.URL, n string) bool {
	s := u.EscapedPath() + "?" + u.RawQuery
	for i := strings.Index(s, n); i >= 0; {
		end := i + len(n)
		if (i == 0 || !isDigit(s[i-1])) && (end == len(s) || !isDigit(s[end])) {
			return true
		}
		j := strings.Index(s[i+1:], n)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// pagingPath matches a /page/N path component.
var pagingPath = regexp.MustCompile(`/page/([0-9]{1,5})(/|$)`)

// pagingParams are query names that number the pages of a listing.
var pagingParams = map[string]bool{"page": true, "p": true, "pg": true, "paged": true}

// stripPaging removes a /page/N component and page=N style parameters from
// a canonical URL; it also returns the page number found ("" if none).
func stripPaging(canon string) (string, string) {
	u, err := url.Parse(canon)
	if err != nil {
		return canon, ""
	}
	num := ""
	if loc := pagingPath.FindStringSubmatchIndex(u.Path); loc != nil {
		num = u.Path[loc[2]:loc[3]]
		u.Path = u.Path[:loc[0]] + "/" + u.Path[loc[1]:]
		u.RawPath = ""
	}
	if u.RawQuery != "" {
		var kept []string
		for _, part := range strings.Split(u.RawQuery, "&") {
			k, v, _ := strings.Cut(part, "=")
			if pagingParams[strings.ToLower(k)] && isDigits(v) {
				num = v
				continue
			}
			kept = append(kept, part)
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	return u.String(), num
}

// samePageModuloPaging reports whether link is another page of the listing
// page is on: the two differ only by the page number, which link has.
func samePageModuloPaging(link, page string) bool {
	l, ln := stripPaging(link)
	if ln == "" {
		return false
	}
	p, pn := stripPaging(page)
	if strings.TrimLeft(ln, "0") == strings.TrimLeft(pn, "0") {
		return false
	}
	return strings.TrimSuffix(l, "/") == strings.TrimSuffix(p, "/")
}

func isDigits(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
