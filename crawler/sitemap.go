package crawler

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// maxSitemapEntries is the protocol's limit of URLs per sitemap file; more
// are ignored.
const maxSitemapEntries = 50000

// sitemapKind says what a sitemap document lists.
type sitemapKind int

const (
	sitemapURLSet sitemapKind = iota // <urlset>: pages
	sitemapIndex                     // <sitemapindex>: other sitemaps
	sitemapText                      // one URL per line
)

// sitemapEntry is one <url> or <sitemap> of a sitemap document.
type sitemapEntry struct {
	Loc       string
	LastMod   time.Time
	News      bool // a Google News <news:news> entry
	Title     string
	Published time.Time
}

// parseSitemap reads a sitemap: an XML urlset or sitemapindex, or a text
// sitemap of one URL per line. It returns at most maxSitemapEntries entries.
// The XML is read as a stream of raw tokens, with no tree and no
// reflection, so that a sitemap of any size takes little memory beyond
// its entries.
func parseSitemap(body []byte) (sitemapKind, []sitemapEntry, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return sitemapURLSet, nil, errors.New("empty sitemap")
	}
	if trimmed[0] != '<' {
		return sitemapText, parseTextSitemap(trimmed), nil
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	var (
		kind    sitemapKind
		rooted  bool
		entries []sitemapEntry
		depth   int
		// The entry being read: its <url> or <sitemap> is at depth 2,
		// its loc and lastmod at 3, news:news at 3 and its fields at 4.
		inEntry, inNews bool
		field           string // the field whose text is being read
		text            []byte
		x               struct{ loc, lastMod, pubDate, title string }
		news            bool
	)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(entries) > 0 {
				break // keep what a truncated sitemap did give
			}
			return kind, nil, fmt.Errorf("sitemap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			name := strings.ToLower(t.Name.Local)
			switch {
			case !rooted:
				switch name {
				case "urlset":
					kind = sitemapURLSet
				case "sitemapindex":
					kind = sitemapIndex
				default:
					return kind, nil, fmt.Errorf("sitemap: root element <%s> is neither urlset nor sitemapindex", t.Name.Local)
				}
				rooted = true
			case depth == 2:
				inEntry = (kind == sitemapURLSet && name == "url") || (kind == sitemapIndex && name == "sitemap")
				inNews, news, field = false, false, ""
				x.loc, x.lastMod, x.pubDate, x.title = "", "", "", ""
			case !inEntry:
			case depth == 3 && (name == "loc" || name == "lastmod"):
				field, text = name, text[:0]
			case depth == 3 && name == "news":
				inNews, news = true, true
			case depth == 4 && inNews && (name == "publication_date" || name == "title"):
				field, text = name, text[:0]
			}
		case xml.CharData:
			if field != "" {
				text = append(text, t...)
			}
		case xml.EndElement:
			switch {
			case field != "" && (depth == 3 || depth == 4):
				v := string(text)
				switch field {
				case "loc":
					x.loc = v
				case "lastmod":
					x.lastMod = v
				case "publication_date":
					x.pubDate = v
				case "title":
					x.title = v
				}
				field = ""
			case depth == 3 && inNews:
				inNews = false
			case depth == 2 && inEntry:
				inEntry = false
				e := sitemapEntry{Loc: strings.TrimSpace(x.loc), LastMod: parseW3CTime(x.lastMod)}
				if news && kind == sitemapURLSet {
					e.News = true
					e.Title = strings.TrimSpace(x.title)
					e.Published = parseW3CTime(x.pubDate)
				}
				if e.Loc != "" {
					entries = append(entries, e)
				}
			}
			depth--
		}
		if len(entries) >= maxSitemapEntries {
			break
		}
	}
	if !rooted {
		return kind, nil, errors.New("sitemap: no root element")
	}
	return kind, entries, nil
}

// parseTextSitemap reads a text sitemap: one absolute URL per line.
func parseTextSitemap(body []byte) []sitemapEntry {
	var entries []sitemapEntry
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() && len(entries) < maxSitemapEntries {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "http://") || strings.HasPrefix(line, "https://") {
			entries = append(entries, sitemapEntry{Loc: line})
		}
	}
	return entries
}

// w3cLayouts are the W3C Datetime profiles of ISO 8601 that sitemaps use,
// plus a few common deviations.
var w3cLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
	time.RFC1123Z,
	time.RFC1123,
}

// parseW3CTime parses a sitemap date; zero when absent or unreadable.
func parseW3CTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
