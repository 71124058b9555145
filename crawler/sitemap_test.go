package crawler

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html/charset"
)

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

// parseSitemapReference is the parser of sitemaps before it read raw tokens a sitemap: an XML urlset or sitemapindex, or a text
// sitemap of one URL per line. It returns at most maxSitemapEntries entries.
func parseSitemapReference(body []byte) (sitemapKind, []sitemapEntry, error) {
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

// TestParseSitemapMatchesReference: the raw-token parser gives the entries
// the earlier tree-decoding parser gave, for plain, news, index, nested and
// truncated sitemaps.
func TestParseSitemapMatchesReference(t *testing.T) {
	for _, doc := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://a.example/1 </loc><lastmod>2026-03-02</lastmod><changefreq>daily</changefreq></url><url><loc>https://a.example/2</loc></url></urlset>`,
		`<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="i"><url><loc>https://a.example/n</loc><image:image><image:loc>https://a.example/i.jpg</image:loc></image:image><news:news><news:publication><news:name>A</news:name></news:publication><news:publication_date>2026-03-02T10:00:00Z</news:publication_date><news:title>Quay &amp; harbour</news:title></news:news></url></urlset>`,
		`<sitemapindex><sitemap><loc>https://a.example/s1.xml</loc><lastmod>2026-01-01</lastmod></sitemap><sitemap><loc><![CDATA[https://a.example/s2.xml]]></loc></sitemap></sitemapindex>`,
		`<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.example/2</loc><lastmod>2026`,
		`<urlset><foo><url><loc>https://a.example/nested</loc></url></foo><url><loc></loc></url><url><loc>https://a.example/3</loc></url></urlset>`,
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>http://example.com/caf\xe9</loc></url></urlset>",
		`<urlset><url><loc>https://a.example/x</loc><loc>https://a.example/y</loc></url></urlset>`,
	} {
		k1, e1, err1 := parseSitemap([]byte(doc))
		k2, e2, err2 := parseSitemapReference([]byte(doc))
		if k1 != k2 || !reflect.DeepEqual(e1, e2) || (err1 == nil) != (err2 == nil) {
			t.Errorf("%.60s...:\n got %v %+v %v\nwant %v %+v %v", doc, k1, e1, err1, k2, e2, err2)
		}
	}
}
