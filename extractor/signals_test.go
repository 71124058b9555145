package extractor

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The pages of these tests are laid out as the news sites of the late
// 2000s that older CMSs still serve: a table for the page, a left column
// of a hundred section and headline links, a ticker of other stories, a
// "More Stories" box, and a story of a few paragraphs in the middle cell.

// oldSitePage renders such a page around story, the HTML of its middle
// cell.
func oldSitePage(title, story string) string {
	var b strings.Builder
	b.WriteString(`<HTML><HEAD><TITLE>` + title + ` - WKRX Channel 7 News</TITLE></HEAD><BODY BGCOLOR="#FFFFFF">
<TABLE WIDTH="980" CELLPADDING="0"><TR><TD COLSPAN="3"><A HREF="/"><IMG SRC="/img/logo.gif" ALT="WKRX 7"></A>
<DIV CLASS="ticker"><B>Latest:</B> `)
	for i := range 12 {
		fmt.Fprintf(&b, `<A HREF="/news/local/story-%d.html">County board weighs new budget plan for schools, roads and parks %d</A> | `, 900+i, i)
	}
	b.WriteString(`</DIV></TD></TR><TR><TD WIDTH="180" VALIGN="top" CLASS="leftnav">`)
	for _, section := range []string{"Local News", "Weather", "Sports", "Politics", "Health", "Business", "Entertainment", "Video", "Traffic", "Contests"} {
		fmt.Fprintf(&b, `<B>%s</B><BR>`, section)
		for i := range 10 {
			fmt.Fprintf(&b, `<A HREF="/%s/%d.html">%s story headline about the day's events number %d</A><BR>`, strings.ToLower(strings.Fields(section)[0]), i, section, i)
		}
	}
	b.WriteString(`</TD><TD WIDTH="560" VALIGN="top">` + story + `</TD><TD WIDTH="240" VALIGN="top"><DIV CLASS="more"><H3>More Stories</H3><UL>`)
	for i := range 15 {
		fmt.Fprintf(&b, `<LI><A HREF="/news/more-%d.html">Police search for driver after crash on Route 9 near the river bridge %d</A></LI>`, i, i)
	}
	b.WriteString(`</UL></DIV></TD></TR><TR><TD COLSPAN="3"><FONT SIZE="1">Copyright 2009 WKRX. All rights reserved. <A HREF="/about">About us</A> | <A HREF="/jobs">Jobs</A> | <A HREF="/privacy">Privacy</A></FONT></TD></TR></TABLE></BODY></HTML>`)
	return b.String()
}

// storyParagraphs are four paragraphs of a local story, 170 words.
var storyParagraphs = []string{
	"Firefighters spent most of Tuesday night battling a blaze that destroyed a warehouse on the east side of Millbrook, officials said.",
	"The fire started shortly after nine o'clock in a storage room at the back of the building, according to fire chief Dan Moreno. Crews from four towns were called in to help, and the flames could be seen for miles across the valley.",
	"No one was hurt. Two workers who were inside when the alarm sounded got out on their own, and neighbours on Elm Street were asked to keep their windows shut because of the smoke.",
	"The cause of the fire is under investigation. The owner of the warehouse, a furniture company that has been in town for thirty years, said it would rebuild. Route 12 stayed closed near the site until early Wednesday morning while crews put out hot spots.",
}

// A story of a few paragraphs under its own headline is an article, however
// many links surround it: this page was rejected as a listing before.
func TestShortStoryInLinkHeavyPageKept(t *testing.T) {
	story := `<H1>Fire destroys warehouse in Millbrook</H1><P><I>Posted: 10:42 PM EST March 3, 2009</I></P>`
	for _, p := range storyParagraphs {
		story += "<P>" + p + "</P>"
	}
	page := oldSitePage("Fire destroys warehouse in Millbrook", story)
	a, err := Extract([]byte(page), "http://www.wkrx.example/news/local/story/Fire-destroys-warehouse/-/123456/", Options{})
	if err != nil {
		t.Fatalf("story page rejected: %v", err)
	}
	for _, p := range storyParagraphs {
		if !strings.Contains(a.Text, p) {
			t.Errorf("text misses %q:\n%s", p, a.Text)
		}
	}
	if strings.Contains(a.Text, "Route 9") || strings.Contains(a.Text, "budget plan") {
		t.Errorf("text holds the page's other headlines:\n%s", a.Text)
	}
	if a.ArticleConfidence < minConfidence || a.ArticleConfidence > 1 {
		t.Errorf("article_confidence %v, want in [%v, 1]", a.ArticleConfidence, minConfidence)
	}
}

// Old CMSs write a story as text and <br> in a table cell, with <font>
// and blocks inside inline elements: it is found, split into paragraphs at
// <br><br>, and a story split in two cells by an ad is joined.
func TestOldMarkupStories(t *testing.T) {
	brStory := `<FONT FACE="Arial" SIZE="2"><B><FONT SIZE="4">Fire destroys warehouse in Millbrook</FONT></B><BR>By Staff Writer - March 3, 2009<BR><BR>` +
		strings.Join(storyParagraphs, "<BR><BR>") + `</FONT>`
	nested := `<B><DIV CLASS="hl"><H1><H2>Fire destroys warehouse in Millbrook</H2></H1></DIV></B><SPAN CLASS="body"><DIV>` +
		strings.Join(storyParagraphs[:2], "<BR><BR>") + `</DIV><DIV>` + strings.Join(storyParagraphs[2:], "<BR><BR>") + `</DIV></SPAN>`
	split := `<H1>Fire destroys warehouse in Millbrook</H1><TABLE><TR><TD CLASS="text">` + strings.Join(storyParagraphs[:2], "<BR><BR>") +
		`</TD></TR><TR><TD CLASS="ad"><A HREF="http://ads.example/click"><IMG SRC="/ad.gif"></A></TD></TR><TR><TD CLASS="text">` +
		strings.Join(storyParagraphs[2:], "<BR><BR>") + `</TD></TR></TABLE>`
	for name, story := range map[string]string{"text and br in a cell": brStory, "blocks in inline elements, heading in heading": nested, "story split by an ad": split} {
		t.Run(name, func(t *testing.T) {
			page := oldSitePage("Fire destroys warehouse in Millbrook", story)
			a, err := Extract([]byte(page), "http://www.wkrx.example/news/local/story/Fire-destroys-warehouse/-/123456/", Options{})
			if err != nil {
				t.Fatalf("story page rejected: %v", err)
			}
			paras := strings.Split(a.Text, "\n\n")
			for _, p := range storyParagraphs {
				if !strings.Contains(a.Text, p) {
					t.Errorf("text misses %q", p)
				}
			}
			if len(paras) < len(storyParagraphs) {
				t.Errorf("%d paragraphs, want at least %d:\n%s", len(paras), len(storyParagraphs), a.Text)
			}
			if strings.Contains(a.Text, "Route 9") || strings.Contains(a.Text, "Copyright") {
				t.Errorf("text holds the page's furniture:\n%s", a.Text)
			}
		})
	}
}

// A template that writes no heading sets the headline as a line in bold
// or a large font over the story: it is the headline, not text. Under an
// <h1>, a story that repeats its headline in its first line keeps it.
func TestInlineHeadlineLeavesText(t *testing.T) {
	const headline = "Fire destroys warehouse in Millbrook"
	story := `<FONT FACE="Arial" SIZE="2"><B><FONT SIZE="4">` + headline + `</FONT></B><BR><BR>` + strings.Join(storyParagraphs, "<BR><BR>") + `</FONT>`
	const pageURL = "http://www.wkrx.example/news/local/story/Fire-destroys-warehouse/-/123456/"
	a, err := Extract([]byte(oldSitePage(headline, story)), pageURL, Options{})
	if err != nil {
		t.Fatalf("story page rejected: %v", err)
	}
	if !strings.HasPrefix(a.Text, storyParagraphs[0]) {
		t.Errorf("text does not open with the story:\n%s", a.Text)
	}
	repeated := `<H1>` + headline + `</H1><P><B>` + headline + `</B><BR><I>A night of smoke on the east side</I></P><P>` + strings.Join(storyParagraphs, "</P><P>") + `</P>`
	a, err = Extract([]byte(oldSitePage(headline, repeated)), pageURL, Options{})
	if err != nil {
		t.Fatalf("story page under an <h1> rejected: %v", err)
	}
	if !strings.HasPrefix(a.Text, headline) {
		t.Errorf("the story's own first line left out:\n%s", a.Text)
	}
}

// A byline and date line over a story that no metadata names ("By Dana
// Whitfield - March 3, 2009") is the byline, not text; a story that opens
// with "By" and a capital is not one.
func TestPlainBylineWithoutMetadataLeavesText(t *testing.T) {
	const headline = "Fire destroys warehouse in Millbrook"
	const pageURL = "http://www.wkrx.example/news/local/story/Fire-destroys-warehouse/-/123456/"
	story := `<FONT FACE="Arial" SIZE="2"><B><FONT SIZE="4">` + headline + `</FONT></B><BR><I>By Dana Whitfield - March 3, 2009</I><BR><BR>` +
		strings.Join(storyParagraphs, "<BR><BR>") + `</FONT>`
	a, err := Extract([]byte(oldSitePage(headline, story)), pageURL, Options{})
	if err != nil {
		t.Fatalf("story page rejected: %v", err)
	}
	if !strings.HasPrefix(a.Text, storyParagraphs[0]) {
		t.Errorf("text does not open with the story:\n%s", a.Text)
	}
	const opening = "By Tuesday night the fire had spread to the building next door."
	story = `<FONT FACE="Arial" SIZE="2"><B><FONT SIZE="4">` + headline + `</FONT></B><BR><BR>` + opening + `<BR><BR>` +
		strings.Join(storyParagraphs, "<BR><BR>") + `</FONT>`
	if a, err = Extract([]byte(oldSitePage(headline, story)), pageURL, Options{}); err != nil {
		t.Fatalf("story page rejected: %v", err)
	}
	if !strings.HasPrefix(a.Text, opening) {
		t.Errorf("the story's opening sentence left out:\n%s", a.Text)
	}
}

// The same template around a list of headlines under the section's
// heading is still a listing.
func TestSectionListInLinkHeavyPageRejected(t *testing.T) {
	list := `<H1>Local News</H1><TABLE>`
	for i := range 20 {
		list += fmt.Sprintf(`<TR><TD><A HREF="/news/local/story-%d.html">Town meeting on the new water plant draws a crowd of residents %d</A><BR><FONT SIZE="1">March %d, 2009</FONT></TD></TR>`, i, i, i%28+1)
	}
	list += `</TABLE>`
	_, err := Extract([]byte(oldSitePage("Local News", list)), "http://www.wkrx.example/news/local/", Options{})
	var na *NotArticleError
	if !errors.As(err, &na) || na.Reason != "listing page" {
		t.Fatalf("section page: err %v, want a listing page", err)
	}
}

// What the crawl knows tips a page with mixed evidence: a brief of one
// sentence amid a hundred headline links is stored when a feed listed it,
// with a low confidence; met while following links, it is not.
func TestLikelyArticleTipsMixedEvidence(t *testing.T) {
	page := []byte(oldSitePage("Road closed", `<P>`+storyParagraphs[0]+`</P>`))
	const pageURL = "http://www.wkrx.example/news/local/"
	if _, err := Extract(page, pageURL, Options{}); !errors.Is(err, ErrNotArticle) {
		t.Fatalf("without the crawl's knowledge: err %v, want not an article", err)
	}
	a, err := Extract(page, pageURL, Options{LikelyArticle: true})
	if err != nil {
		t.Fatalf("feed item rejected: %v", err)
	}
	if a.ArticleConfidence >= 0.5 {
		t.Errorf("article_confidence %v for mixed evidence, want below 0.5", a.ArticleConfidence)
	}
}

// A section's label is not a story's headline: the <h1> "Business"
// right over a line of text and a list of headlines (og:type "article"
// set site-wide) does not count as a headline over its story.
func TestSectionLabelIsNoHeadline(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><head><title>Business | The Valley Courier</title><meta property="og:type" content="article"></head><body>
<header><a href="/">The Valley Courier</a><nav><a href="/world/">World</a> <a href="/business/">Business</a> <a href="/sports/">Sports</a></nav></header>
<main><div class="section"><h1>Business</h1><p>The latest business news of the valley: its companies, its markets and its jobs.</p><ul class="river">`)
	for i := range 25 {
		fmt.Fprintf(&b, `<li><a href="/business/2024/03/%02d/company-%d-reports-quarterly-results">Company %d reports its quarterly results to investors</a> <span class="time">March %d, 2024</span></li>`, i+1, i, i, i+1)
	}
	b.WriteString(`</ul></div></main><footer>&copy; 2024 The Valley Courier</footer></body></html>`)
	_, err := Extract([]byte(b.String()), "https://courier.example/business/", Options{})
	var na *NotArticleError
	if !errors.As(err, &na) || na.Reason != "listing page" {
		t.Fatalf("section front: err %v, want a listing page", err)
	}
}

// A search page is one even when a story's worth of prose stands far below
// its results (a site blurb, comments): its heading heads the results.
func TestSearchPageWithProseBelow(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><head><title>Search results for "budget" | The Valley Courier</title><meta property="og:type" content="article"></head><body>
<main><h1>Search results</h1><p>10 results</p><ol>`)
	for i := range 10 {
		fmt.Fprintf(&b, `<li><h3><a href="/news/2024/03/%02d/council-budget-vote-%d">Council delays the vote on the town budget once again, part %d</a></h3></li>`, i+1, i, i)
	}
	b.WriteString(`</ol></main><div class="site-blurb"><p>The Valley Courier has covered the towns of the valley since 1887. It is owned by a
non-profit foundation, and its reporters live in the communities they write about, from the county seat to the smallest
village in the hills. Our newsroom follows the school boards, the town councils, the courts and the businesses of the
region, and we publish every weekday morning and on Sunday. Readers can reach the newsroom by phone or by mail, and
letters to the editor are welcome on any subject of local interest.</p></div></body></html>`)
	_, err := Extract([]byte(b.String()), "https://courier.example/search?q=budget", Options{})
	var na *NotArticleError
	if !errors.As(err, &na) || na.Reason != "search results" {
		t.Fatalf("search page: err %v, want search results", err)
	}
}

func TestIsHeadline(t *testing.T) {
	for h, want := range map[string]bool{
		"World":                   false,
		"World News":              false,
		"Fire destroys warehouse": true,
		"国际新闻":                    false,
		"習近平氏が米大統領と会談":            true,
		"ไฟไหม้โกดังในเมืองมิลล์บรูค": true,
		"Новости": false,
		"Пожар уничтожил склад в Миллбруке": true,
	} {
		if got := isHeadline(h); got != want {
			t.Errorf("isHeadline(%q) = %v, want %v", h, got, want)
		}
	}
}

// A page whose title and heading name a section, with headlines under the
// heading, is a section front even when a story's worth of prose (a site
// blurb, comments) stands below them; an old site's story page, whose
// heading is the section's and whose title is the story's, is not one.
func TestSectionFrontWithProseBelow(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><head><title>Business | The Valley Courier</title><meta property="og:type" content="article"></head><body>
<main><h1>Business</h1><div class="river">`)
	for i := range 25 {
		fmt.Fprintf(&b, `<div class="item"><h3><a href="/business/2024/03/%02d/company-%d-reports-quarterly-results">Company %d reports its quarterly results to investors</a></h3><span class="time">March %d, 2024</span></div>`, i+1, i, i, i+1)
	}
	b.WriteString(`</div></main><div class="site-blurb"><p>The Valley Courier has covered the towns of the valley since 1887. It is owned by a
non-profit foundation, and its reporters live in the communities they write about, from the county seat to the smallest
village in the hills. Our newsroom follows the school boards, the town councils, the courts and the businesses of the
region, and we publish every weekday morning and on Sunday. Readers can reach the newsroom by phone or by mail, and
letters to the editor are welcome on any subject of local interest.</p></div><footer>&copy; 2024 The Valley Courier</footer></body></html>`)
	_, err := Extract([]byte(b.String()), "https://courier.example/business/", Options{})
	var na *NotArticleError
	if !errors.As(err, &na) || na.Reason != "listing page" {
		t.Fatalf("section front: err %v, want a listing page", err)
	}

	story := `<H1>Local News</H1><DIV CLASS="ticker">`
	for i := range 8 {
		story += fmt.Sprintf(`<A HREF="/news/local/story-%d.html">County board weighs new budget plan for schools and roads %d</A><BR>`, i, i)
	}
	story += `</DIV><H2>Fire destroys warehouse in Millbrook</H2>`
	for _, p := range storyParagraphs {
		story += "<P>" + p + "</P>"
	}
	if _, err := Extract([]byte(oldSitePage("Fire destroys warehouse in Millbrook", story)), "http://www.wkrx.example/news/local/story/Fire-destroys-warehouse/-/123456/", Options{}); err != nil {
		t.Fatalf("story under the section's heading rejected: %v", err)
	}
}

// cardsPage renders a modern template: a headline, then what is under
// it in the main column (inner), and a column of headline links.
func cardsPage(title, inner string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>` + title + ` | Millbrook Courier</title></head><body><header><a href="/">Millbrook Courier</a></header><main>` + inner + `</main><div class="column"><h3>Latest</h3><ul>`)
	for i := range 40 {
		fmt.Fprintf(&b, `<li><a href="/news/latest-%d">Council approves the new bus routes for the north side %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></div><footer>© 2024 Millbrook Courier</footer></body></html>`)
	return b.String()
}

// moreStories renders n teaser cards, each a headline link over its
// summary, in a block named for nothing a cleaner knows.
func moreStories(n int) string {
	var b strings.Builder
	b.WriteString(`<div class="stream"><h2>More stories</h2>`)
	for i := range n {
		fmt.Fprintf(&b, `<div class="card"><h3><a href="/news/story-%d">School board names a new superintendent after a long search %d</a></h3>`+
			`<p>The board voted five to two on Monday night to hire the district's deputy, who has worked in Millbrook schools for twenty years and promised to focus on reading.</p></div>`, i, i)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// storyOverCards renders an <article> (its opening tag given) holding
// the headline, then head, then the first three story paragraphs, then
// ten cards of other stories.
func storyOverCards(open, head string) string {
	story := open + `<h1>Fire destroys warehouse in Millbrook</h1>` + head + `<div class="body">`
	for _, p := range storyParagraphs[:3] {
		story += "<p>" + p + "</p>"
	}
	return story + `</div>` + moreStories(10) + `</article>`
}

// wantStoryWithoutCards extracts a page made by storyOverCards and
// checks that it is kept, with its paragraphs and none of the cards.
func wantStoryWithoutCards(t *testing.T, title, story, pageURL string) {
	t.Helper()
	a, err := Extract([]byte(cardsPage(title, story)), pageURL, Options{})
	if err != nil {
		t.Fatalf("story page rejected: %v", err)
	}
	for _, p := range storyParagraphs[:3] {
		if !strings.Contains(a.Text, p) {
			t.Errorf("text misses %q", p)
		}
	}
	if strings.Contains(a.Text, "superintendent") || strings.Contains(a.Text, "The board voted") {
		t.Errorf("text holds the cards of other stories:\n%s", a.Text)
	}
}

// wantListing checks that a page made by cardsPage is a listing.
func wantListing(t *testing.T, title, inner string) {
	t.Helper()
	_, err := Extract([]byte(cardsPage(title, inner)), "https://courier.example/news/local", Options{})
	var na *NotArticleError
	if !errors.As(err, &na) || na.Reason != "listing page" {
		t.Fatalf("section front: err %v, want a listing page", err)
	}
}

// The cards of other stories that a template sets under a short story
// are neither its text nor evidence that the page is a listing; the same
// cards right under a section's heading are a listing.
func TestMoreStoriesUnderShortStory(t *testing.T) {
	story := storyOverCards(`<article class="post category-top-stories">`, "")
	wantStoryWithoutCards(t, "Fire destroys warehouse in Millbrook", story, "https://courier.example/news/2024/03/fire-destroys-warehouse")
	// A dated story whose headline is not its page's title.
	retitled := storyOverCards(`<article class="post category-top-stories">`, `<time datetime="2024-03-04T08:00:00Z">March 4, 2024</time>`)
	wantStoryWithoutCards(t, "Millbrook warehouse lost to a night fire", retitled, "https://courier.example/news/fire-destroys-warehouse")
	wantListing(t, "Local news from Millbrook and the valley", `<h1>Local news from Millbrook and the valley</h1>`+moreStories(10))
}

// A story of a few paragraphs stands under its heading even when the
// heading neither repeats the page's title nor reads as a headline (a
// label of two words): the cards under it are still no part of it. One
// paragraph under a section's name is the section's introduction, and
// the cards under it are the section's list.
func TestMoreStoriesUnderStoryWithLabelHeading(t *testing.T) {
	story := `<article><h1>Warehouse fire</h1><div class="body"><p>` + strings.Join(storyParagraphs[:3], `</p><p>`) + `</p></div>` + moreStories(10) + `</article>`
	wantStoryWithoutCards(t, "Fire destroys warehouse in Millbrook", story, "https://courier.example/news/fire-destroys-warehouse")
	wantListing(t, "Business", `<h1>Business</h1><p>`+storyParagraphs[1]+` `+storyParagraphs[3]+`</p>`+moreStories(10))
}

// WordPress names a post's categories in its classes; a category named
// like furniture ("top-stories", "related-news") says nothing of the
// element.
func TestWordPressCategoryClasses(t *testing.T) {
	withClass := func(c string) *html.Node {
		return &html.Node{Type: html.ElementNode, Data: "article", Attr: []html.Attribute{{Key: "class", Val: c}}}
	}
	for _, class := range []string{"post type-post category-top-stories", "hentry category-related-news"} {
		if got := classifyAttrs(withClass(class)); got >= attrNegative {
			t.Errorf("class %q: %v, want no furniture", class, got)
		}
	}
	if got := classifyAttrs(withClass("related-posts")); got != attrNegative {
		t.Errorf(`class "related-posts": %v, want furniture`, got)
	}
}

// linkedCards renders sections of n teaser cards each wrapped whole in
// its link, as many templates write them: the headline and summary are
// the link's text.
func linkedCards(sections, n int) string {
	var b strings.Builder
	b.WriteString(`<div class="row"><div class="col">`)
	for s := range sections {
		fmt.Fprintf(&b, `<section class="component"><h3>Section %d</h3><div class="items">`, s)
		for i := range n {
			fmt.Fprintf(&b, `<article class="item"><a href="/news/2024/03/story-%d-%d"><div class="info"><h4>School board names a new superintendent after a long search %d</h4>`+
				`<p>The board voted five to two on Monday night to hire the district's deputy, who has worked in Millbrook schools for twenty years and promised to focus on reading.</p><span>3h ago</span></div></a></article>`, s, i, i)
		}
		b.WriteString(`</div></section>`)
	}
	b.WriteString(`</div></div>`)
	return b.String()
}

// Cards wrapped whole in their links are no prose: a grid of them that
// shares a block with a short story does not widen the story's block to
// it. Tabs, whose links lead to the page's own anchors, keep their text.
func TestLinkedCardsAreNoProse(t *testing.T) {
	story := `<h1>Fire destroys warehouse in Millbrook</h1><div class="wrap"><div class="body">`
	for _, p := range storyParagraphs[:2] {
		story += "<p>" + p + "</p>"
	}
	story += `</div>` + linkedCards(10, 5) + `<a href="#steps"><div class="tab"><h4>How the crews fought the fire, hour by hour</h4></div></a></div>`
	page := cardsPage("Fire destroys warehouse in Millbrook", story)
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	body := findBody(doc)
	st := measure(body, 0)
	for sel, prose := range map[string]bool{"div.body": true, "div.tab": true, "div.row": false} {
		n := doc.Find(sel).Get(0)
		if got, want := st[n].proseLen, map[bool]int{true: st[n].textLen}[prose]; got != want {
			t.Errorf("%s: prose %d of %d characters, want %d", sel, got, st[n].textLen, want)
		}
	}
	a, err := Extract([]byte(page), "https://courier.example/news/2024/03/fire-destroys-warehouse", Options{})
	if err != nil {
		t.Fatalf("story page rejected: %v", err)
	}
	for _, p := range storyParagraphs[:2] {
		if !strings.Contains(a.Text, p) {
			t.Errorf("text misses %q", p)
		}
	}
	if strings.Contains(a.Text, "The board voted") {
		t.Errorf("text holds the cards of other stories:\n%s", a.Text)
	}
}

// mostReadBox renders a box of n headline links, each to href with its
// number.
func mostReadBox(n int, href string) string {
	box := `<div class="box"><h3>Most read</h3><ul>`
	for i := range n {
		box += fmt.Sprintf(`<li><a href="`+href+`">Council approves the new bus routes for the north side %d</a></li>`, i, i)
	}
	return box + `</ul></div>`
}

// A box of other headlines between a story's headline and its text (the
// most read, related stories) does not keep the cards under the story:
// the story's paragraphs stand between the headline and the cards. The
// same headlines and cards with no prose between are a listing.
func TestMoreStoriesUnderStoryWithHeadlineBox(t *testing.T) {
	box := mostReadBox(6, "/news/2024/03/most-read-%d")
	wantStoryWithoutCards(t, "Fire destroys warehouse in Millbrook", storyOverCards(`<article>`, box), "https://courier.example/news/2024/03/fire-destroys-warehouse")
	wantListing(t, "Local news from Millbrook and the valley", `<h1>Local news from Millbrook and the valley</h1>`+box+`<p>Updated every hour.</p>`+moreStories(10))
}

// The summaries of the cards under a story are no evidence that the
// page lists stories, once the cards are known for the story's "more
// stories": a page whose story sits below a long box of the most read
// stories, and which says nothing of itself (no date, no slug in its
// URL), is still the story's.
func TestMoreStoriesSummariesNoEvidence(t *testing.T) {
	box := mostReadBox(8, "/news/most-read-%d.html")
	wantStoryWithoutCards(t, "Fire destroys warehouse in Millbrook", storyOverCards(`<article>`, box), "https://courier.example/news/story.html")
}

// A box of two cards in a story's column, one card's block holding the
// other's, counts its text once: the part of the story beside it is not
// a list of cards.
func TestNestedCardBoxesCountOnce(t *testing.T) {
	story := `<article><h1>Fire destroys warehouse in Millbrook</h1><div class="part"><p>` + storyParagraphs[1] + `</p><p>` + storyParagraphs[3] + `</p></div>` +
		`<div class="part"><div class="copy"><p>` + storyParagraphs[2] + `</p></div><ul class="popular">` +
		`<li><a href="/news/2024/03/bus-routes">Council approves the new bus routes for the north side</a><p>The routes start in May and add a late bus on weekdays and on Saturday nights.</p></li>` +
		`<li><a href="/news/2024/03/library-hours">The town library opens on Sundays again from next month</a></li></ul></div>` +
		`<div class="part"><p>` + storyParagraphs[0] + `</p></div></article>`
	a, err := Extract([]byte(cardsPage("Fire destroys warehouse in Millbrook", story)), "https://courier.example/news/2024/03/fire-destroys-warehouse", Options{})
	if err != nil {
		t.Fatalf("story page rejected: %v", err)
	}
	for _, p := range storyParagraphs {
		if !strings.Contains(a.Text, p) {
			t.Errorf("text misses %q", p)
		}
	}
}

// A subheading's id made from its own words (an anchor for a table of
// contents) does not name it as furniture, even when the template's prefix
// reads like one ("nav_"): the subheading and the section under it stay.
// A heading named by the template's words keeps its name.
func TestSubheadingAnchorIsNoFurniture(t *testing.T) {
	story := `<article><h1>Fire destroys warehouse in Millbrook</h1>`
	for i, p := range storyParagraphs {
		if i == 2 {
			story += `<h3 class="subheading" id="nav_nobody_was_hurt__1">Nobody was hurt in the blaze</h3>`
		}
		story += "<p>" + p + "</p>"
	}
	story += `<h3 id="related-stories">Related stories</h3><ul><li><a href="/news/a">Mill fire last year</a></li><li><a href="/news/b">New fire station opens</a></li></ul></article>`
	a, err := Extract([]byte(cardsPage("Fire destroys warehouse in Millbrook", story)), "https://courier.example/news/2024/03/fire-destroys-warehouse", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Nobody was hurt in the blaze", storyParagraphs[2], storyParagraphs[3]} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, a.Text)
		}
	}
	if strings.Contains(a.Text, "Related stories") {
		t.Errorf("text holds the related-stories heading:\n%s", a.Text)
	}
	h := &html.Node{Type: html.ElementNode, Data: "h3", DataAtom: atom.H3}
	h.AppendChild(&html.Node{Type: html.TextNode, Data: "Related articles"})
	if isAnchorOf(h, "related-articles") {
		t.Error(`"related-articles" on "Related articles" taken for an anchor`)
	}
}

// A paragraph of the story whose sentence goes on into a link, which ends
// it, is prose however much of it the link holds; a pitch made of a
// sentence and a linked plea, a "Read more:" line and a line of several
// links are not.
func TestSentenceRunningIntoLinkKept(t *testing.T) {
	story := `<article><h1>Fire destroys warehouse in Millbrook</h1><p>` + storyParagraphs[0] + `</p><p>` + storyParagraphs[1] + `</p>` +
		`<p>Moreno took over from Ann Price, <a href="/news/2023/price-retires">who led the department for eleven years before she retired last spring.</a></p>` +
		`<p>Read more: <a href="/news/2024/03/mill-fire">Mill fire closes Route 12 for a second night.</a></p>` +
		`<p>` + storyParagraphs[2] + `</p><p>` + storyParagraphs[3] + `</p>` +
		`<p>Did you like this story? <a href="/donate">Please support local reporting with a gift today!</a></p>` +
		`<p>Follow the Courier on <a href="/fb">Facebook</a>, <a href="/tw">Twitter</a> and <a href="/yt">YouTube</a>.</p></article>`
	a, err := Extract([]byte(cardsPage("Fire destroys warehouse in Millbrook", story)), "https://courier.example/news/2024/03/fire-destroys-warehouse", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Moreno took over from Ann Price, who led the department for eleven years") {
		t.Errorf("text lacks the sentence running into its link:\n%s", a.Text)
	}
	for _, unwanted := range []string{"Read more", "Please support", "Follow the Courier"} {
		if strings.Contains(a.Text, unwanted) {
			t.Errorf("text holds %q:\n%s", unwanted, a.Text)
		}
	}
}

// On a page without a heading, a line in bold over the story that repeats
// the title is its headline, and counts as a headline over the story
// does: the page is surer an article than with no headline at all.
func TestInlineHeadlineCountsAsHeadline(t *testing.T) {
	confidence := func(head string) float64 {
		t.Helper()
		story := `<FONT FACE="Arial" SIZE="2">` + head + strings.Join(storyParagraphs[:3], "<BR><BR>") + `</FONT>`
		a, err := Extract([]byte(oldSitePage("Fire destroys warehouse in Millbrook", story)), "http://www.wkrx.example/news/local/index.cfm?id=77", Options{})
		if err != nil {
			t.Fatalf("story rejected: %v", err)
		}
		return a.ArticleConfidence
	}
	with := confidence(`<B><FONT SIZE="4">Fire destroys warehouse in Millbrook</FONT></B><BR><BR>`)
	without := confidence("")
	if with <= without {
		t.Errorf("confidence with the headline line %.2f, without %.2f: want higher with it", with, without)
	}
}
