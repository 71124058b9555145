package extractor

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"golang.org/x/text/unicode/norm"
)

// benchBodies returns the HTML of the first n scrapinghub pages.
func benchBodies(b *testing.B, n int) [][]byte {
	var bodies [][]byte
	for _, p := range readPages(b, scrapinghub)[:n] {
		bodies = append(bodies, p.HTML)
	}
	return bodies
}

// readabilityPageURL is the URL the readability test pages were saved
// under; their relative links resolve against it.
const readabilityPageURL = "http://fakehost/test/page.html"

// expectedMetadata is readability's expected-metadata.json; a null field
// is not expected and not counted.
type expectedMetadata struct {
	Title         *string `json:"title"`
	Byline        *string `json:"byline"`
	Lang          *string `json:"lang"`
	Excerpt       *string `json:"excerpt"`
	SiteName      *string `json:"siteName"`
	PublishedTime *string `json:"publishedTime"`
}

// fieldScore counts the matches of one field.
type fieldScore struct {
	hit, total int
	misses     []string
}

func (s *fieldScore) add(page string, ok bool, want, got string) {
	s.total++
	if ok {
		s.hit++
		return
	}
	s.misses = append(s.misses, fmt.Sprintf("%s: want %q, got %q", page, clip(want, 90), clip(got, 90)))
}

func (s *fieldScore) ratio() float64 {
	if s.total == 0 {
		return 1
	}
	return float64(s.hit) / float64(s.total)
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

var (
	bylineLeadIn = regexp.MustCompile(`(?i)^(written by|posted by|by|par|von|por)\b[\s:]*`)
	bylineSep    = regexp.MustCompile(`(?i)\s*(?:[(),;&]|\s(?:and|et|avec|with|und|y)\s)\s*`)
	bylineJoin   = regexp.MustCompile(`(?i)^(and|et|avec|with|und|y)\s+`)
)

// expectedBylineNames reads a byline for comparison: lower case, a leading "By"
// (or "Par", "Von", "Written by") dropped, only the first line kept (the
// expected bylines often run on into a date), then split into names at
// commas, parentheses, "&" and "and" in a few languages.
func expectedBylineNames(s string) []string {
	s = strings.TrimSpace(bylineLeadIn.ReplaceAllString(strings.TrimSpace(s), ""))
	if i := strings.Index(s, "\n"); i > 0 {
		s = s[:i]
	}
	var out []string
	for _, p := range bylineSep.Split(strings.ToLower(normalizeSpace(s)), -1) {
		if p = bylineJoin.ReplaceAllString(strings.Trim(p, " .:"), ""); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// bylineMatches compares the authors with an expected byline: the same
// names in the same order, where the expected byline may go on after the
// names with something that is not a name (a date, an address, a degree).
func bylineMatches(want string, authors []string) bool {
	w := expectedBylineNames(want)
	g := expectedBylineNames(strings.Join(authors, ", "))
	if len(g) == 0 || len(g) > len(w) {
		return false
	}
	for i := range g {
		if g[i] == w[i] {
			continue
		}
		if i != len(g)-1 || !strings.HasPrefix(w[i], g[i]) {
			return false
		}
		rest := strings.TrimSpace(w[i][len(g[i]):])
		return rest == "" || !hasLetter(rest[:1]) || strings.HasPrefix(rest, "http")
	}
	for _, rest := range w[len(g):] {
		if !strings.HasPrefix(rest, "http") && !strings.ContainsAny(rest, "0123456789") && !credentials[strings.ReplaceAll(rest, ".", "")] {
			return false
		}
	}
	return true
}

// bylineAudit corrects the expected bylines that are not the page's author,
// checked by hand against each page: the author the page gives for its
// story ("" when it names none), and where the expected value came from.
// The raw byline score keeps the corpus's values; the audited score uses
// these instead.
var bylineAudit = map[string]struct{ author, why string }{
	"herald-sun-1":   {"Laurie Oakes", `the headline is over "by: Laurie Oakes" (also article:author); JOE HILDEBRAND signs a teaser of another story dated a week later`},
	"ietf-1":         {"Michiel de Jong, F. Kooman", `the draft's header names Michiel B. de Jong, then F. Kooman; the expected value is the last of the two DC.Creator tags, surname first`},
	"liberation-1":   {"AFP", `the story's own author element (itemprop author) is AFP; Sébastien Farcis signs a related story in a box`},
	"royal-road":     {"Sleyca", `"Follow Author" is a button; the author is Sleyca (twitter:creator and the chapter's header)`},
	"salon-1":        {"Richard (R.J.) Eskow", `the byline under the h1 is Eskow's; Joanna Rothkopf signs a story in the sidebar`},
	"seattletimes-1": {"Benjamin Romano", `the expected value is the date line; the author is Benjamin Romano (itemprop author, the page's data layer)`},
	"spiceworks":     {"", `"Last Updated: …" is a date; the page names no author (its JSON-LD author has an empty name)`},
	"yahoo-4":        {"", `個人 ("individuals") is a menu link; the wire story names no author`},
}

// TestReadabilityMetadata measures title, byline, language, excerpt, site
// name and publication time against readability's expected metadata, and
// fails when a score falls below the level reached when it was written.
func TestReadabilityMetadata(t *testing.T) {
	var title, byline, bylineNamed, bylineAudited, lang, langPrimary, detected, excerpt, site, published fieldScore
	rejected, pages := 0, 0
	for _, p := range loadCorpus(t, readability) {
		page := p.ID
		raw, err := os.ReadFile(filepath.Join(corpusRoot(), readability, page, "expected-metadata.json"))
		if err != nil {
			continue
		}
		pages++
		var want expectedMetadata
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("decode %s: %v", page, err)
		}
		if p.Err != nil {
			t.Fatalf("extract %s: %v", page, p.Err)
		}
		a := p.Article
		if p.Reason != "" {
			rejected++
			t.Logf("rejected %s: %s", page, p.Reason)
		}
		if w := want.Title; w != nil {
			title.add(page, normalizeSpace(*w) == normalizeSpace(a.Title), *w, a.Title)
		}
		if w := want.Byline; w != nil && strings.TrimSpace(*w) != "" {
			hit := bylineMatches(*w, a.Authors)
			byline.add(page, hit, *w, strings.Join(a.Authors, ", "))
			// Some expected bylines hold no name at all ("Follow Author",
			// a date line); this second score leaves those out.
			if len(cleanAuthors([]string{*w})) > 0 {
				bylineNamed.add(page, hit, *w, strings.Join(a.Authors, ", "))
			}
			if fix, ok := bylineAudit[page]; ok {
				// A page that names no author must get none.
				hit = fix.author == "" && len(a.Authors) == 0 || fix.author != "" && bylineMatches(fix.author, a.Authors)
				bylineAudited.add(page, hit, fix.author, strings.Join(a.Authors, ", "))
			} else {
				bylineAudited.add(page, hit, *w, strings.Join(a.Authors, ", "))
			}
		}
		if w := want.Lang; w != nil && *w != "" {
			lang.add(page, strings.EqualFold(*w, a.Language), *w, a.Language)
			primary := func(s string) string { return strings.ToLower(strings.SplitN(s, "-", 2)[0]) }
			langPrimary.add(page, primary(*w) == primary(a.Language), *w, a.Language)
			// Detection alone, as if the page declared nothing: it may
			// abstain (counted as a miss) but should never be wrong.
			if d := detectLanguage(a.Text); d != "" || len(a.Text) > 1000 {
				detected.add(page, primary(*w) == d, *w, d)
				if d != "" && d != primary(*w) {
					t.Errorf("%s: detected language %q, page says %q", page, d, *w)
				}
			}
		}
		if w := want.Excerpt; w != nil && *w != "" {
			excerpt.add(page, normalizeSpace(*w) == normalizeSpace(a.Description), *w, a.Description)
		}
		if w := want.SiteName; w != nil && *w != "" {
			site.add(page, normalizeSpace(*w) == a.SiteName, *w, a.SiteName)
		}
		if w := want.PublishedTime; w != nil && *w != "" {
			wt := parseDate(*w)
			got := ""
			if !a.PublishedAt.IsZero() {
				got = a.PublishedAt.Format(time.RFC3339)
			}
			published.add(page, !wt.IsZero() && wt.Truncate(time.Second).Equal(a.PublishedAt.Truncate(time.Second)), *w, got)
		}
	}
	for _, f := range []struct {
		name string
		s    *fieldScore
		min  float64
	}{
		{"title", &title, 0.97},
		{"byline", &byline, 0.89},
		{"byline (expected names someone)", &bylineNamed, 0.92},
		{"byline (audited expectations)", &bylineAudited, 0.96},
		{"language", &lang, 0.95},
		{"language (primary subtag)", &langPrimary, 0.95},
		{"language detection alone", &detected, 0.90},
		{"excerpt", &excerpt, 0.88},
		{"site name", &site, 0.95},
		{"published", &published, 0.95},
	} {
		t.Logf("%-33s %3d/%3d = %.3f", f.name, f.s.hit, f.s.total, f.s.ratio())
		for _, m := range f.s.misses {
			t.Logf("    miss %s", m)
		}
		// (The floors are those of the whole corpus; under -race the
		// sweep takes a sample.)
		if f.s.ratio() < f.min && !raceEnabled {
			t.Errorf("%s: %.3f is below the regression floor %.3f", f.name, f.s.ratio(), f.min)
		}
	}
	t.Logf("rejected by classify: %d of %d", rejected, pages)
}

// TestCleanAuthors checks the cleaning of raw bylines into names.
func TestCleanAuthors(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
	}{
		{[]string{"By Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"by JANE DOE and John Smith"}, []string{"JANE DOE", "John Smith"}},
		{[]string{"Alice Martin, Bob Stone and Carol King"}, []string{"Alice Martin", "Bob Stone", "Carol King"}},
		{[]string{"Jane Doe, Staff Writer"}, []string{"Jane Doe"}},
		{[]string{"Jane Doe | Updated March 24, 2024 10:31 am"}, []string{"Jane Doe"}},
		{[]string{"By Jane Doe March 24, 2024"}, []string{"Jane Doe"}},
		{[]string{"Jane Doe (jane@example.com)"}, []string{"Jane Doe"}},
		{[]string{"Jane Doe https://example.com/jane"}, []string{"Jane Doe"}},
		{[]string{"Jane Doe", "jane doe", "By Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"Par Sébastien Farcis"}, []string{"Sébastien Farcis"}},
		{[]string{"Written by Rob Ewaschuk\n  Edited by Betsy Beyer"}, []string{"Rob Ewaschuk"}},
		{[]string{"Reporter"}, nil},
		{[]string{"By\n\t\tScott Cunningham"}, []string{"Scott Cunningham"}},
		{[]string{"Jane Doe & John Smith"}, []string{"Jane Doe", "John Smith"}},
		{[]string{"Michiel de Jong"}, []string{"Michiel de Jong"}},
		{[]string{"Von Max Mustermann"}, []string{"Max Mustermann"}},
		{[]string{"Von Miller"}, []string{"Von Miller"}},
		{[]string{"Di Maria, Jane Roe"}, []string{"Di Maria", "Jane Roe"}},
		{[]string{"TOM KRISHER, AP Auto Writer"}, []string{"TOM KRISHER"}},
		{[]string{"Rachael Link, MS, RD"}, []string{"Rachael Link"}},
		{[]string{"Analysis by Chris Smith, CNN Editor-at-large"}, []string{"Chris Smith"}},
		{[]string{"Ben Silverman Games Editor"}, []string{"Ben Silverman"}},
		{[]string{"Staff Reports"}, nil},
		{[]string{"Martin Untersinger (avec Damien Leloup et Morgane Tual)"}, []string{"Martin Untersinger", "Damien Leloup", "Morgane Tual"}},
		{[]string{"jdoe42"}, nil},
		{[]string{"John E. Smith"}, []string{"John E. Smith"}},
		{[]string{""}, nil},
	} {
		got := cleanAuthors(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("cleanAuthors(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestInvertSortedNames checks the surname-first names of Dublin Core and
// citation meta tags.
func TestInvertSortedNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Jong, Michiel de", "Michiel de Jong"},
		{"Kooman, F.", "F. Kooman"},
		{"van der Berg, Jan", "Jan van der Berg"},
		{"Doe, Jane; Roe, Richard A.", "Jane Doe|Richard A. Roe"},
		{"Jane Doe", "Jane Doe"},
		{"Doe, Reuters", "Doe, Reuters"},
		{"Jane Doe, Staff Writer", "Jane Doe, Staff Writer"},
		{"Doe, Jane and Roe, Richard", "Doe, Jane and Roe, Richard"},
	} {
		if got := strings.Join(invertSortedNames(tc.in), "|"); got != tc.want {
			t.Errorf("invertSortedNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMetaAuthorForms checks how meta credits become authors: several
// surname-first Dublin Core creators, and a publication credited by the
// site's own name, which is kept whole rather than split at "&".
func TestMetaAuthorForms(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       []string
	}{
		{"dublin core", `<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de">`,
			[]string{"F. Kooman", "Michiel de Jong"}},
		{"citation", `<meta name="citation_author" content="Curie, Marie">`, []string{"Marie Curie"}},
		{"site credit", `<meta property="og:site_name" content="Mac &amp; i"><meta name="DC.creator" content="Mac &amp; i">`,
			[]string{"Mac & i"}},
		{"site beside a person", `<meta property="og:site_name" content="Mac &amp; i"><meta name="author" content="Jane Doe">`,
			[]string{"Jane Doe"}},
	} {
		a := extractStory(t, tc.head, "", "")
		if strings.Join(a.Authors, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: authors %q, want %q", tc.name, a.Authors, tc.want)
		}
	}
}

// TestParseDate checks the date formats pages use.
func TestParseDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2024-03-24T10:31:00Z", utc(2024, 3, 24, 10, 31, 0)},
		{"2024-03-24T10:31:00+09:00", utc(2024, 3, 24, 1, 31, 0)},
		{"2024-03-24T10:31:00.123+0100", utc(2024, 3, 24, 9, 31, 0).Add(123 * time.Millisecond)},
		{"2024-03-24T10:31:00", utc(2024, 3, 24, 10, 31, 0)},
		{"2024-03-24T10:31", utc(2024, 3, 24, 10, 31, 0)},
		{"2024-03-24", utc(2024, 3, 24, 0, 0, 0)},
		{"2024-03-24 10:31:00 +0900", utc(2024, 3, 24, 1, 31, 0)},
		{"2017-11-03 03:01:00.000000", utc(2017, 11, 3, 3, 1, 0)},
		{"March 24, 2024", utc(2024, 3, 24, 0, 0, 0)},
		{"March 24th, 2024", utc(2024, 3, 24, 0, 0, 0)},
		{"Mar. 24, 2024 10:31 a.m.", utc(2024, 3, 24, 10, 31, 0)},
		{"24 March 2024 10:31", utc(2024, 3, 24, 10, 31, 0)},
		{"Published: 24 March 2024", utc(2024, 3, 24, 0, 0, 0)},
		{"Sun, 24 Mar 2024 10:31:00 GMT", utc(2024, 3, 24, 10, 31, 0)},
		{"Sun, 24 Mar 2024 10:31:00 +0200", utc(2024, 3, 24, 8, 31, 0)},
		{"1711276260", utc(2024, 3, 24, 10, 31, 0)},
		{"1711276260000", utc(2024, 3, 24, 10, 31, 0)},
		{"24.03.2024 10:31", utc(2024, 3, 24, 10, 31, 0)},
		{"20240324", utc(2024, 3, 24, 0, 0, 0)},
		{"2024-03-24T10:31:00 +0100", utc(2024, 3, 24, 9, 31, 0)},
		{"Sun Mar 24 2024 10:31:00 GMT-0500 (Eastern Standard Time)", utc(2024, 3, 24, 15, 31, 0)},
		{"24/03/2024", utc(2024, 3, 24, 0, 0, 0)},
		{"03/24/2024 10:31 PM", utc(2024, 3, 24, 22, 31, 0)},
		{"03/04/2024", time.Time{}},
		{"0001-01-01T00:00:00Z", time.Time{}},
		{"2999-01-01", time.Time{}},
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	} {
		if got := parseDate(tc.in); !got.Equal(tc.want) {
			t.Errorf("parseDate(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestDateFromURL checks the dates found in article URLs.
func TestDateFromURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"/2024/03/24/some-story/", "2024-03-24"},
		{"/news/2024/3/4/story.html", "2024-03-04"},
		{"/story-20240324.html", "2024-03-24"},
		{"/2024/02/31/x", ""},
		{"/about/team", ""},
		{"/item/12345678901", ""},
	} {
		got := dateFromURL(tc.in)
		s := ""
		if !got.IsZero() {
			s = got.Format("2006-01-02")
		}
		if s != tc.want {
			t.Errorf("dateFromURL(%q) = %q, want %q", tc.in, s, tc.want)
		}
	}
}

// TestMetadataJSONLD checks broken and nested JSON-LD blocks.
func TestMetadataJSONLD(t *testing.T) {
	page := `<html lang="en_gb"><head><title>Ignored | Site</title>
<script type="application/ld+json"><!--
{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","@id":"#site","name":"Example News"},
 {"@type":["NewsArticle"],"headline":"The &amp; headline","author":[{"@id":"#p1"},{"@type":"Organization","name":"Example News"}],
  "datePublished":"2024-03-24T10:31:00+01:00","dateModified":"2024-03-25",
  "image":[{"@type":"ImageObject","url":"/img/a.jpg"}],"keywords":["Politics","Europe",],
  "articleSection":"World","isAccessibleForFree":"False","publisher":{"@id":"#site"},
  "articleBody":"Body	text"},
 {"@type":"Person","@id":"#p1","name":"By Jane Doe"},
]}
--></script></head><body><h1>The & headline</h1><p>x</p></body></html>`
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://example.com/news/a.html")
	m := extractMetadata(doc, base, newsflow.ExtractRules{})
	check := func(name, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("title", m.Title, "The & headline")
	check("authors", strings.Join(m.Authors, "|"), "Jane Doe")
	check("published", m.Published.Format(time.RFC3339), "2024-03-24T09:31:00Z")
	check("modified", m.Modified.Format(time.RFC3339), "2024-03-25T00:00:00Z")
	check("image", m.Image, "https://example.com/img/a.jpg")
	check("site", m.SiteName, "Example News")
	check("section", m.Section, "World")
	check("tags", strings.Join(m.Tags, "|"), "Politics|Europe")
	check("language", m.Language, "en-GB")
	check("body", m.JSONLDBody, "Body text")
	if !m.Paywalled {
		t.Error("isAccessibleForFree False: not paywalled")
	}
}

// TestMetadataRules checks that the source's title and date selectors win.
func TestMetadataRules(t *testing.T) {
	page := `<html><head><meta property="og:title" content="OG title">
<meta property="article:published_time" content="2020-01-01T00:00:00Z"></head>
<body><h2 class="hl">Rule title</h2><span class="when">24 March 2024 10:31</span></body></html>`
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	m := extractMetadata(doc, nil, newsflow.ExtractRules{Title: ".hl", Date: ".when"})
	if m.Title != "Rule title" {
		t.Errorf("title = %q", m.Title)
	}
	if want := time.Date(2024, 3, 24, 10, 31, 0, 0, time.UTC); !m.Published.Equal(want) {
		t.Errorf("published = %v, want %v", m.Published, want)
	}
}

// TestMetadataMetaTags checks a page that has only meta tags.
func TestMetadataMetaTags(t *testing.T) {
	page := `<html><head><title>Ignored</title>
<meta name="parsely-title" content="Parsely Title">
<meta name="parsely-author" content="By Jane Roe">
<meta name="parsely-pub-date" content="2024-04-20T04:20:00Z">
<meta name="parsely-section" content="Science">
<meta name="parsely-tags" content="space, rockets,Space">
<meta name="sailthru.image.full" content="/img/x.jpg">
<meta http-equiv="content-language" content="fr-FR">
<meta name="description" content="Desc &amp;amp; more">
<meta property="article:modified_time" content="1713600000">
<link rel="canonical" href="/story/1"></head><body><p>x</p></body></html>`
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://news.example/a/b?c=d")
	m := extractMetadata(doc, base, newsflow.ExtractRules{})
	for _, c := range []struct{ name, got, want string }{
		{"title", m.Title, "Parsely Title"},
		{"authors", strings.Join(m.Authors, "|"), "Jane Roe"},
		{"published", m.Published.Format(time.RFC3339), "2024-04-20T04:20:00Z"},
		{"modified", m.Modified.Format(time.RFC3339), "2024-04-20T08:00:00Z"},
		{"section", m.Section, "Science"},
		{"tags", strings.Join(m.Tags, "|"), "space|rockets"},
		{"image", m.Image, "https://news.example/img/x.jpg"},
		{"language", m.Language, "fr-FR"},
		{"description", m.Description, "Desc & more"},
		{"canonical", m.CanonicalURL, "https://news.example/story/1"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

// TestMetadataVisible checks a page with no metadata at all: the <title>,
// the byline element, the <time> element and the URL.
func TestMetadataVisible(t *testing.T) {
	page := `<html><head><title>Bridge to close for repairs - Valley Courier</title></head><body>
<header><a href="/">Valley Courier</a></header><article><h1>Bridge to close for repairs</h1>
<div class="byline">By <a rel="author" href="/staff/sam">Sam Rivera</a> and Lee Park, Staff Writers | Updated March 3, 2024</div>
<div class="meta"><span class="posted-date">Posted: March 2, 2024 at 6:15 p.m.</span></div>
<p>The bridge will close.</p></article></body></html>`
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://courier.example/2024/03/01/bridge/")
	m := extractMetadata(doc, base, newsflow.ExtractRules{})
	if m.Title != "Bridge to close for repairs" {
		t.Errorf("title = %q", m.Title)
	}
	if got := strings.Join(m.Authors, "|"); got != "Sam Rivera" && got != "Sam Rivera|Lee Park" {
		t.Errorf("authors = %q", got)
	}
	if want := time.Date(2024, 3, 2, 18, 15, 0, 0, time.UTC); !m.Published.Equal(want) {
		t.Errorf("published = %v, want %v", m.Published, want)
	}
	doc, _ = parse([]byte(`<html><body><p>x</p></body></html>`), "")
	if m := extractMetadata(doc, base, newsflow.ExtractRules{}); !m.Published.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("published from URL = %v", m.Published)
	}
}

// TestMetadataBuildArticle checks the mapping and the fallbacks of buildArticle.
func TestMetadataBuildArticle(t *testing.T) {
	text := "Le conseil municipal a voté mardi l'extension du réseau de bus de la ville, avec trois nouvelles lignes qui relieront les quartiers du nord à l'hôpital et à l'université.\n\n" +
		"Les travaux commenceront au printemps et dureront deux ans, selon la mairie, qui estime le coût total à quarante millions d'euros, financés en partie par la région."
	meta := &metadata{Title: "T", Authors: []string{"A B"}, Paywalled: true, CanonicalURL: "https://x.example/c"}
	a := buildArticle("https://x.example/p", meta, &content{Text: text})
	if a.Language != "fr" {
		t.Errorf("language = %q, want detected fr", a.Language)
	}
	if !strings.HasPrefix(a.Description, "Le conseil municipal") {
		t.Errorf("description = %q, want the first paragraph", a.Description)
	}
	if !a.Paywalled || a.Title != "T" || a.URL != "https://x.example/p" || a.CanonicalURL != "https://x.example/c" || a.ExtractorVersion != Version || a.Text != text {
		t.Errorf("article = %+v", a)
	}
	if a.ID != "" || a.WordCount != 0 || a.ContentHash != "" || !a.FetchedAt.IsZero() {
		t.Errorf("sealed fields set: %+v", a)
	}
}

// FuzzParseDate checks that any input gives the zero time or a UTC time
// in the accepted years, without panicking.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-24T10:31:00+09:00", "March 24th, 2024 10:31 a.m.", "1711276260000", "Published: 24.03.2024", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := parseDate(s)
		if !d.IsZero() && (d.Location() != time.UTC || d.Year() < minYear) {
			t.Errorf("parseDate(%q) = %v", s, d)
		}
		_ = dateFromURL(s)
	})
}

// FuzzCleanAuthors checks that cleaning never gives empty or repeated
// names.
func FuzzCleanAuthors(f *testing.F) {
	for _, s := range []string{"By Jane Doe and John Smith, Staff Writers", "A (avec B et C)", "ERIC TUCKER Associated Press", "By\n\tX"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seen := map[string]bool{}
		for _, a := range cleanAuthors([]string{s}) {
			k := strings.ToLower(a)
			if strings.TrimSpace(a) == "" || seen[k] {
				t.Errorf("cleanAuthors(%q) gave %q", s, a)
			}
			seen[k] = true
		}
	})
}

// FuzzMetadataJSONLD checks that no JSON-LD block, however broken, panics.
func FuzzMetadataJSONLD(f *testing.F) {
	for _, s := range []string{`{"@type":"NewsArticle","author":[{"@id":"#a"}],}`, `<!--{"@graph":[[]]}-->`, `{"@type":["Article"],"image":{"url":1}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := parse([]byte(`<html><head><script type="application/ld+json">`+s+`</script></head></html>`), "")
		if err != nil {
			return
		}
		_ = extractMetadata(doc, nil, newsflow.ExtractRules{})
	})
}

// TestMetadataJSONLDRepair checks the repair of JSON-LD that JSON parsers
// reject but pages publish.
func TestMetadataJSONLDRepair(t *testing.T) {
	for _, block := range []string{
		`<![CDATA[{"@type":"NewsArticle","headline":"Fixed"}]]>`,
		`<!-- {"@type":"NewsArticle","headline":"Fixed",} -->`,
		`{"@type":"NewsArticle", // "BlogPosting",
		  "headline":"Fixed" /* main */}`,
		`{'@type':'NewsArticle','headline':'Fixed'}`,
		`{"@type":"NewsArticle",headline:"Fixed",author:}`,
		"{\"@type\":\"NewsArticle\",\"headline\":\"Fixed\",\"description\":\"two\nlines\"}",
		`{"@type":"NewsArticle","headline":"Fixed"};`,
		`{"@type":"NewsArticle","headline":"Fixed"}}`,
	} {
		doc, err := parse([]byte(`<html><head><script type="application/ld+json">`+block+`</script></head><body><h1>Other</h1></body></html>`), "")
		if err != nil {
			t.Fatal(err)
		}
		if m := extractMetadata(doc, nil, newsflow.ExtractRules{}); m.Title != "Fixed" {
			t.Errorf("block %q: title %q, want %q", block, m.Title, "Fixed")
		}
	}
}

// TestMetadataJSONLDPick checks that the article node of the page wins
// over other article nodes, and that a canonical link to the home page is
// not trusted.
func TestMetadataJSONLDPick(t *testing.T) {
	page := `<html><head><link rel="canonical" href="https://n.example/">
<script type="application/ld+json">[
 {"@type":"NewsArticle","headline":"Related story","url":"https://n.example/other"},
 {"@type":"NewsArticle","headline":"This story","mainEntityOfPage":{"@id":"https://n.example/this/"}}
]</script></head><body></body></html>`
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://n.example/this")
	m := extractMetadata(doc, base, newsflow.ExtractRules{})
	if m.Title != "This story" {
		t.Errorf("title = %q, want the page's own article", m.Title)
	}
	if m.CanonicalURL != "" {
		t.Errorf("canonical = %q, want none (home page)", m.CanonicalURL)
	}
}

// BenchmarkExtractMetadata measures the metadata pass over corpus pages.
func BenchmarkExtractMetadata(b *testing.B) {
	bodies := benchBodies(b, 20)
	base, _ := url.Parse("https://example.com/news/2024/03/24/story")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := bodies[i%len(bodies)]
		doc, err := parse(body, "")
		if err != nil {
			b.Fatal(err)
		}
		_ = extractMetadata(doc, base, newsflow.ExtractRules{})
	}
}

// BenchmarkMetadataParseOnly is the parse cost included in BenchmarkExtractMetadata.
func BenchmarkMetadataParseOnly(b *testing.B) {
	bodies := benchBodies(b, 20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := parse(bodies[i%len(bodies)], ""); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzWordCount checks wordCount against strings.Fields.
func FuzzWordCount(f *testing.F) {
	for _, s := range []string{"", "a", " a  b ", "\u00a0x\u2003y\n", "\xff\xfe a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := wordCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("wordCount(%q) = %d, strings.Fields gives %d", s, got, want)
		}
	})
}

// TestBylineLedByBy checks the last byline signal: a link that follows a
// bare "By", with no class or rel to mark it.
func TestBylineLedByBy(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		want         []string
	}{
		{"by and a link", `<p class="meta">By <a href="/staff/jane-roe/">Jane Roe</a> on Monday, May 6th</p>`, []string{"Jane Roe"}},
		{"by, then a heading link", `<span>by</span> <h3><a href="/profile/338123">Sleyca</a></h3>`, []string{"Sleyca"}},
		{"photo credit", `<figure><img src="/a.jpg"><figcaption>Photo by <a href="/p/getty">Getty Images</a></figcaption></figure>`, nil},
		{"no by", `<p><a href="/staff/jane-roe/">Jane Roe</a></p>`, nil},
	} {
		a := extractStory(t, "", tc.header, "")
		if strings.Join(a.Authors, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: authors %q, want %q", tc.name, a.Authors, tc.want)
		}
	}
}

// TestPlainTextByline checks the byline set in plain text after the
// headline, with no class, rel or link ("<p>By John Smith</p>"): its names
// become the authors and the line leaves the text, while lines that only
// open like a byline, and the bylines of a list of other stories, do not.
func TestPlainTextByline(t *testing.T) {
	ticker := `<ul><li>Other story <span>By REUTERS</span></li><li>Another story <span>By REUTERS</span></li></ul>`
	for _, tc := range []struct {
		name, header string
		want         []string
	}{
		{"paragraph", `<p>By John Smith</p>`, []string{"John Smith"}},
		{"two names in a span", `<div><span>By John Smith and Mary Jones</span> <time datetime="2024-05-06">May 6</time></div>`, []string{"John Smith", "Mary Jones"}},
		{"german", `<p>Von Hans Müller</p>`, []string{"Hans Müller"}},
		{"particle", `<p>Por María de la Cruz</p>`, []string{"María de la Cruz"}},
		{"by, then a bold name", `<p>By <strong>Jane Roe</strong></p>`, []string{"Jane Roe"}},
		{"a subheading", `<h2>By the numbers</h2>`, nil},
		{"a sentence", `<p>By Tuesday the talks had failed, and the council went home.</p>`, nil},
		{"a list of other stories", ticker, nil},
	} {
		a := extractStory(t, "", tc.header, "")
		if strings.Join(a.Authors, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: authors %q, want %q", tc.name, a.Authors, tc.want)
		}
		if tc.want != nil && strings.Contains(a.Text, tc.want[0]) {
			t.Errorf("%s: byline left in the text:\n%s", tc.name, a.Text)
		}
	}
	// A byline above the headline (a sidebar's, a header's) is not the
	// article's.
	page := `<html><head><title>A story</title></head><body><aside><p>By Sam Side</p></aside><article><h1>A story</h1>` + storyText + `</article></body></html>`
	if a, _ := Extract([]byte(page), "https://example.org/2024/05/a-story", Options{}); len(a.Authors) != 0 {
		t.Errorf("byline above the headline taken: %q", a.Authors)
	}
}

// TestDateInByline checks the visible byline as a source of the published
// time, after the marked ones, and that a line that is only the date, at
// the start of the text, leaves the text.
func TestDateInByline(t *testing.T) {
	for _, tc := range []struct {
		name, header, want string
	}{
		{"plain byline", `<p>By John Smith | May 6, 2024</p>`, "2024-05-06T00:00:00Z"},
		{"marked byline with a time", `<p class="byline">By John Smith, May 6, 2024 10:30 AM</p>`, "2024-05-06T10:30:00Z"},
		{"author and date in one line", `<div><span class="author">Jane Roe</span> <span>May 7, 2024</span></div>`, "2024-05-07T00:00:00Z"},
		{"no date in the byline", `<p>By John Smith</p><p>The vote is on May 9, 2024.</p>`, ""},
	} {
		a := extractStory(t, "", tc.header, "")
		got := ""
		if !a.PublishedAt.IsZero() {
			got = a.PublishedAt.Format(time.RFC3339)
		}
		if got != tc.want {
			t.Errorf("%s: published %q, want %q", tc.name, got, tc.want)
		}
		if strings.Contains(a.Text, "2024") && tc.want != "" {
			t.Errorf("%s: date left in the text:\n%s", tc.name, a.Text)
		}
	}
	for _, line := range []string{"<p>May 6, 2024</p>", "<p>Published: 06/05/2024</p>"} {
		a := extractStory(t, "", line, "<p>May 6, 2024</p>")
		if strings.HasPrefix(a.Text, "May") || strings.HasPrefix(a.Text, "Published") || !strings.HasSuffix(a.Text, "May 6, 2024") {
			t.Errorf("%s: a date line is only dropped at the start of the text:\n%s", line, a.Text)
		}
	}
}

// storyText is six paragraphs of article text.
var storyText = strings.Repeat(`<p>The council met on Tuesday evening to discuss the budget for the coming year, and agreed on most of it.</p>`, 6)

// extractStory extracts a page titled "A story" with head in its <head>,
// header between its <h1> and storyText, and footer after the text, at a
// URL that carries no date.
func extractStory(t *testing.T, head, header, footer string) *newsflow.Article {
	t.Helper()
	page := `<html><head><title>A story</title>` + head + `</head><body><article><h1>A story</h1>` + header + storyText + footer + `</article></body></html>`
	a, err := Extract([]byte(page), "https://example.org/news/a-story", Options{})
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	return a
}

// TestMayNamePaywall checks the cheap paywall test against its meaning:
// the value, lower-cased, holds one of the words.
func TestMayNamePaywall(t *testing.T) {
	words := []string{"wall", "subscriber", "piano", "tp-modal"}
	for _, v := range []string{"", "content", "paywall", "PayWall-box", "article subscriber-only", "SUBSCRIBER",
		"pianoContainer", "tp-modal", "TP-MODAL-open", "wal l", "w", "piano-", "é-paywall", "ÉCRAN wall", "walL", "swall", "tp-moda"} {
		want := containsAny(strings.ToLower(v), words)
		if got := mayNamePaywall(v); got != want {
			t.Errorf("mayNamePaywall(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestCleanJSONLD checks the repairs of broken JSON-LD blocks, and that
// the text of strings is left as it is.
func TestCleanJSONLD(t *testing.T) {
	for in, want := range map[string]string{
		`<!--{"a": 1,}-->`:                           `{"a": 1}`,
		`<![CDATA[{"a": [1, 2, ], "b": }]]>;`:        `{"a": [1, 2 ], "b":null }`,
		`{headline: 'It\'s "here"', // note` + "\n}": `{"headline": "It's \"here\"" ` + "\n}",
		`{"a": "x, }", "b": "y: ,"}`:                 `{"a": "x, }", "b": "y: ,"}`,
		`{"a": , "b": 2}`:                            `{"a":null , "b": 2}`,
		`{"a": "\"", }`:                              `{"a": "\"" }`,
	} {
		if got := cleanJSONLD(in); got != want {
			t.Errorf("cleanJSONLD(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestTextNormalised checks that the article's text, title and summary are
// in Unicode normal form C, whichever form the page wrote: the same words
// compare, search and hash alike however a CMS encoded them.
func TestTextNormalised(t *testing.T) {
	// "Café" with a combining accent, and Bengali ya with nukta written as
	// one code point, which NFC writes as two.
	const decomposed, bengali = "Cafe\u0301", "\u09df"
	para := `<p>The ` + decomposed + ` on the corner opened again this week after the repairs, and its owner, who ran it for thirty years, served the first coffee ` + bengali + `.</p>`
	page := `<html><head><title>` + decomposed + ` reopens</title></head><body><article><h1>` + decomposed + ` reopens</h1>` + strings.Repeat(para, 4) + `</article></body></html>`
	a, err := Extract([]byte(page), "https://news.example/cafe-reopens", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"title": a.Title, "text": a.Text, "description": a.Description} {
		if !norm.NFC.IsNormalString(v) || strings.Contains(v, decomposed) {
			t.Errorf("%s not in NFC: %q", name, v)
		}
	}
	if !strings.Contains(a.Text, "Café") || !strings.Contains(a.Text, "\u09af\u09bc") {
		t.Errorf("text lost its words: %q", a.Text)
	}
}
