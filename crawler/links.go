package crawler

import (
	"bytes"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
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

// maxPageLinks bounds the links read of one page; a start page with more
// is a sitemap in disguise or a trap.
const maxPageLinks = 50000

// maxLinkText bounds the text of a link kept to recognise "Next" and page
// numbers.
const maxLinkText = 64

// extractLinks reads the links of an HTML page: a and area hrefs, resolved
// against <base href> and the page URL, canonicalised; and the pagination
// links among them (rel=next on link or a; same-host links reading "Next",
// "More", "Older", "»" or a page number; same-host links that differ from
// the page only by a page=N or /page/N component). The page is read as a
// stream of tokens, never as a tree, and at most maxPageLinks links are
// kept, so that memory stays bounded whatever the page.
func extractLinks(body []byte, pageURL string) (pageLinks, error) {
	var out pageLinks
	page, err := url.Parse(pageURL)
	if err != nil {
		return out, err
	}
	base := page
	if href, ok := baseHref(body); ok {
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
	// anchor is the a or area element being read.
	type anchor struct {
		href, rel string
		text      strings.Builder
	}
	var open *anchor
	finish := func(a *anchor) {
		if len(out.Links) >= maxPageLinks && !hasRelToken(a.rel, "next") {
			// Past the cap only what announces a next page is looked at.
			text := strings.ToLower(strings.Join(strings.Fields(a.text.String()), " "))
			if !nextTexts[text] && !nextTexts[strings.Trim(text, arrows)] && !isPageNumber(text) {
				return
			}
		}
		canon, abs, ok := resolve(a.href)
		if !ok {
			return
		}
		if !seenLink[canon] && len(out.Links) < maxPageLinks {
			seenLink[canon] = true
			out.Links = append(out.Links, canon)
		}
		if strings.ToLower(abs.Host) != pageHost || canon == pageCanon {
			return
		}
		text := strings.ToLower(strings.Join(strings.Fields(a.text.String()), " "))
		switch {
		case hasRelToken(a.rel, "next"):
			addNext(canon)
		case nextTexts[text] || nextTexts[strings.Trim(text, arrows)]:
			addNext(canon)
		case isPageNumber(text) && hasNumber(abs, text):
			addNext(canon)
		case samePageModuloPaging(canon, pageCanon):
			addNext(canon)
		}
	}
	z := xhtml.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			if open != nil {
				finish(open)
			}
			if err := z.Err(); err != io.EOF {
				return out, err
			}
			return out, nil
		case xhtml.TextToken:
			if open != nil && open.text.Len() < maxLinkText {
				open.text.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if tt == xhtml.EndTagToken {
				if tag == "a" && open != nil {
					finish(open)
					open = nil
				}
				continue
			}
			if tag != "a" && tag != "area" && tag != "link" {
				continue
			}
			var href, rel string
			hasHref := false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href":
					if !hasHref {
						href, hasHref = string(v), true
					}
				case "rel":
					rel = string(v)
				}
			}
			switch {
			case !hasHref:
				if tag == "a" && open != nil {
					finish(open) // an <a> closes the one before it
					open = nil
				}
			case tag == "link":
				if hasRelToken(rel, "next") {
					if canon, abs, ok := resolve(href); ok && strings.ToLower(abs.Host) == pageHost {
						addNext(canon)
					}
				}
			case tag == "area" || tt == xhtml.SelfClosingTagToken:
				finish(&anchor{href: href, rel: rel})
			default:
				if open != nil {
					finish(open)
				}
				open = &anchor{href: href, rel: rel}
			}
		}
	}
}

// baseHref returns the href of the page's first <base href>.
func baseHref(body []byte) (string, bool) {
	z := xhtml.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return "", false
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "base" {
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" {
					return string(v), true
				}
			}
		}
	}
}

// hasRelToken reports whether a rel attribute value holds the token.
func hasRelToken(rel, token string) bool {
	for _, r := range strings.Fields(strings.ToLower(rel)) {
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
