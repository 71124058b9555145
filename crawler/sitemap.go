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

// xmlSitemapEntry is the shape of <url> and <sitemap> elements; the tags
// match any namespace, so news:news and news:title are found too.
type xmlSitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    *struct {
		PublicationDate string `xml:"publication_date"`
		Title           string `xml:"title"`
	} `xml:"news"`
}

// parseSitemap reads a sitemap: an XML urlset or sitemapindex, or a text
// sitemap of one URL per line. It returns at most maxSitemapEntries entries.
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
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(entries) > 0 {
				break // keep what a truncated sitemap did give
			}
			return kind, nil, fmt.Errorf("sitemap: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		name := strings.ToLower(se.Name.Local)
		if !rooted {
			switch name {
			case "urlset":
				kind = sitemapURLSet
			case "sitemapindex":
				kind = sitemapIndex
			default:
				return kind, nil, fmt.Errorf("sitemap: root element <%s> is neither urlset nor sitemapindex", se.Name.Local)
			}
			rooted = true
			continue
		}
		if (kind == sitemapURLSet && name != "url") || (kind == sitemapIndex && name != "sitemap") {
			if err := dec.Skip(); err != nil {
				break
			}
			continue
		}
		var x xmlSitemapEntry
		if err := dec.DecodeElement(&x, &se); err != nil {
			break
		}
		e := sitemapEntry{Loc: strings.TrimSpace(x.Loc), LastMod: parseW3CTime(x.LastMod)}
		if x.News != nil && kind == sitemapURLSet {
			e.News = true
			e.Title = strings.TrimSpace(x.News.Title)
			e.Published = parseW3CTime(x.News.PublicationDate)
		}
		if e.Loc == "" {
			continue
		}
		entries = append(entries, e)
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
