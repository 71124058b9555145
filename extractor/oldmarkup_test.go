package extractor

import (
	"bytes"
	"fmt"
	"html"
	"sort"
	"strings"
	"testing"
	"time"

	bodyscore "github.com/newsflow/newsflow/internal/score"
)

// Stories in the markup of older CMSs, as many small news sites still
// serve them: each corpus article (scrapinghub, readability) re-rendered,
// its headline, a byline and date line and the paragraphs of its expected
// text, into one of four old layouts, inside a page laid out with a table
// (a header with the site's name and a row of section links, a left
// column of section and headline links, a footer). The layouts:
//
//   - "text in a cell": the story as text in one <td>, inside <font
//     face=...>, its paragraphs parted by <br><br>;
//   - "cells split by an ad": the same in two cells, an ad's cell between
//     them (a row of its own, or beside the first half);
//   - "div and span with br": text and <br><br> in a <div> or a <span>
//     in one, the byline and date run together in one <b>;
//   - "broken P markup": upper-case <P> paragraphs, unclosed, under a
//     headline written <H1><H2>..</H2></H1> or <FONT><H1>..</H1></FONT>,
//     in a <FONT> or <B> that holds block elements.
//
// Every one is an article: it must be kept, and its text must be the
// story's.

// oldMarkupLayouts are the layouts, in the order they are logged.
var oldMarkupLayouts = []string{"text in a cell", "cells split by an ad", "div and span with br", "broken P markup"}

// Guards per layout: the share of pages rejected, the body F1 reached,
// the shares of pages given the day of their byline line and given
// another day, and of pages given their byline's author, with a small
// margin. (A byline crediting the staff names no one.)
var oldMarkupGuards = map[string]struct{ maxRejected, minF1, minRightDay, maxWrongDay, minAuthor float64 }{
	"text in a cell":       {0.015, 0.988, 0.85, 0.01, 0.65},
	"cells split by an ad": {0.01, 0.988, 0.85, 0.01, 0.65},
	"div and span with br": {0.01, 0.985, 0.80, 0.02, 0.65},
	"broken P markup":      {0.01, 0.988, 0.10, 0.07, 0.20},
}

// oldMarkupArticle is one such page, its expected text and what Extract
// made of it.
type oldMarkupArticle struct {
	From, Layout, URL string
	HTML              []byte
	Truth             string
	// Day is the day its byline line gives; Author the person it names
	// ("" for a staff credit).
	Day, Author string
	pageVerdict
}

var oldMarkup builtSet[*oldMarkupArticle]

// loadOldMarkupArticles builds and extracts the old-markup articles once
// per test binary.
func loadOldMarkupArticles(t *testing.T) []*oldMarkupArticle {
	t.Helper()
	return oldMarkup.load(t, func(sources []*corpusPage) []*oldMarkupArticle {
		stories := teaserStories(sources, false)
		var pages []*oldMarkupArticle
		for i, p := range sources {
			if isTinyTestPage(p) || p.Article == nil {
				continue
			}
			for l, layout := range oldMarkupLayouts {
				if raceEnabled && i%len(oldMarkupLayouts) != l {
					// Under -race, which checks the concurrency, one
					// layout of each page.
					continue
				}
				o := buildOldMarkup(p, stories, layout, i*len(oldMarkupLayouts)+l)
				if o == nil {
					continue
				}
				pages = append(pages, o)
			}
		}
		return pages
	}, func(o *oldMarkupArticle) ([]byte, string, *pageVerdict) { return o.HTML, o.URL, &o.pageVerdict })
}

// storyParts is a story as an old page writes it: headline, byline and
// date, paragraphs, all HTML-escaped.
type storyParts struct {
	title, byline, date string
	// day is the date's day, as published_at gives it.
	day   string
	paras []string
}

// oldStoryParts takes a corpus article's headline, author and date (or a
// staff credit and a date of the seed's) and its expected paragraphs.
func oldStoryParts(p *corpusPage, seed int) storyParts {
	var s storyParts
	s.title = html.EscapeString(strings.Join(strings.Fields(p.Article.Title), " "))
	s.byline = "Staff Writer"
	if len(p.Article.Authors) > 0 {
		s.byline = html.EscapeString(p.Article.Authors[0])
	}
	date := p.Article.PublishedAt
	if date.IsZero() {
		date = time.Date(2006+seed%5, time.Month(1+seed%12), 1+seed%28, 8+seed%12, seed%60, 0, 0, time.UTC)
	}
	s.day = date.Format("2006-01-02")
	s.date = date.Format([]string{"January 2, 2006", "Jan. 2, 2006 3:04 PM", "1/2/2006", "Monday, January 2, 2006"}[seed/len(oldMarkupLayouts)%4])
	for _, para := range strings.Split(p.Truth, "\n") {
		if para = strings.Join(strings.Fields(para), " "); para != "" {
			s.paras = append(s.paras, html.EscapeString(para))
		}
	}
	return s
}

// buildOldMarkup renders a corpus article in one old layout inside an
// old site's page; nil when it has no headline or no text. The seed
// numbers the page and its layout; the variants of a layout go by page.
func buildOldMarkup(p *corpusPage, stories []teaserStory, layout string, seed int) *oldMarkupArticle {
	s := oldStoryParts(p, seed)
	if s.title == "" || len(s.paras) == 0 {
		return nil
	}
	v := seed / len(oldMarkupLayouts)
	br := []string{"<br><br>", "<BR><BR>\n", "<br />\n<br />\n", "<BR>\n<BR>"}[v%4]
	var story string
	switch layout {
	case "text in a cell":
		head := []string{
			`<B><FONT SIZE="4">` + s.title + `</FONT></B><BR>`,
			`<FONT SIZE="+2" COLOR="#003366"><B>` + s.title + `</B></FONT><BR><BR>`,
			`<SPAN CLASS="headline">` + s.title + `</SPAN><BR>`,
		}[v%3]
		story = `<FONT FACE="Arial, Helvetica, sans-serif" SIZE="2">` + head +
			`<I>By ` + s.byline + ` - ` + s.date + `</I>` + br + strings.Join(s.paras, br) + `</FONT>`
	case "cells split by an ad":
		if len(s.paras) < 2 {
			return nil
		}
		half := len(s.paras) / 2
		first := `<FONT FACE="Verdana, Arial" SIZE="2"><B><FONT SIZE="4">` + s.title + `</FONT></B><BR><I>By ` + s.byline + `, ` + s.date + `</I>` + br +
			strings.Join(s.paras[:half], br) + `</FONT>`
		second := `<FONT FACE="Verdana, Arial" SIZE="2">` + strings.Join(s.paras[half:], br) + `</FONT>`
		ad := fmt.Sprintf(`<A HREF="http://ads.example/click?zone=story&amp;ord=%d"><IMG SRC="http://ads.example/banner/%d.gif" WIDTH="300" HEIGHT="250" BORDER="0"></A>`, seed, seed%7)
		if v%3 == 0 {
			ad = `<FONT SIZE="1" COLOR="#999999">ADVERTISEMENT</FONT><BR>` + ad
		}
		if v%2 == 0 {
			story = `<TABLE WIDTH="100%" CELLPADDING="4"><TR><TD CLASS="text">` + first + `</TD></TR><TR><TD ALIGN="center">` + ad +
				`</TD></TR><TR><TD CLASS="text">` + second + `</TD></TR></TABLE>`
		} else {
			story = `<TABLE WIDTH="100%" CELLPADDING="4"><TR><TD VALIGN="top">` + first + `</TD><TD WIDTH="310" VALIGN="top">` + ad +
				`</TD></TR><TR><TD COLSPAN="2">` + second + `</TD></TR></TABLE>`
		}
	case "div and span with br":
		credit := []string{
			`<b>By ` + s.byline + ` ` + s.date + `</b>`,
			`<b>` + s.byline + `, Staff Writer<br>Posted: ` + s.date + `</b>`,
			`<b>By ` + s.byline + ` | ` + s.date + `</b>`,
		}[v%3]
		text := strings.Join(s.paras, br)
		if v%2 == 0 {
			text = `<span class="text">` + text + `</span>`
		}
		story = `<div class="headline">` + s.title + `</div>` + credit + `<div class="storytext">` + text + `</div>`
	case "broken P markup":
		head := []string{
			`<H1><H2>` + s.title + `</H2></H1>`,
			`<FONT SIZE="5" FACE="Arial"><H1>` + s.title + `</H1></FONT>`,
		}[v%2]
		var body string
		switch v / 2 % 3 {
		case 0:
			// A <FONT> around the paragraphs, none closed.
			body = `<B>By ` + s.byline + ` ` + s.date + `</B><FONT FACE="Arial" SIZE="2"><P>` + strings.Join(s.paras, "\n<P>") + `</FONT>`
		case 1:
			// A <B> around the byline left open over the story.
			body = `<B>By ` + s.byline + `<BR>` + s.date + `<P>` + strings.Join(s.paras, "\n<P>") + `</B>`
		default:
			// A <FONT> around a block of closed paragraphs.
			body = `<B>` + s.byline + ` ` + s.date + `</B><FONT FACE="Verdana" SIZE="2"><DIV CLASS="story"><P>` + strings.Join(s.paras, "</P>\n<P>") + `</P></DIV></FONT>`
		}
		story = head + body
	}
	author := ""
	if len(p.Article.Authors) > 0 {
		author = p.Article.Authors[0]
	}
	return &oldMarkupArticle{From: p.Corpus + "/" + p.ID, Layout: layout, URL: p.URL, Truth: p.Truth, Day: s.day, Author: author,
		HTML: []byte(oldSiteFrame(s.title, siteOf(p.URL), story, stories, seed))}
}

// oldSiteFrame renders an old site's page around story: a table with a
// header (the site's name, a row of section links), a left column of
// section links and other stories' headlines, the story's cell, and a
// footer.
func oldSiteFrame(title, site, story string, stories []teaserStory, seed int) string {
	sections := []string{"Home", "Local News", "State", "Nation", "World", "Business", "Sports", "Weather", "Opinion", "Obituaries", "Classifieds", "Contact Us"}
	var b strings.Builder
	fmt.Fprintf(&b, `<HTML><HEAD><TITLE>%s - %s</TITLE></HEAD><BODY BGCOLOR="#FFFFFF" TOPMARGIN="0">`, title, html.EscapeString(site))
	fmt.Fprintf(&b, `<TABLE WIDTH="780" BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD COLSPAN="2" BGCOLOR="#003366"><A HREF="/"><IMG SRC="/images/logo.gif" ALT="%s" BORDER="0"></A> <FONT FACE="Times" SIZE="6" COLOR="#FFFFFF"><B>%s</B></FONT><BR><FONT SIZE="1">`, html.EscapeString(site), html.EscapeString(site))
	for i, sec := range sections {
		if i > 0 {
			b.WriteString(" | ")
		}
		fmt.Fprintf(&b, `<A HREF="/%s/">%s</A>`, strings.ToLower(strings.Fields(sec)[0]), sec)
	}
	b.WriteString(`</FONT></TD></TR><TR><TD WIDTH="160" VALIGN="top" BGCOLOR="#EEEEEE"><FONT FACE="Arial" SIZE="1">`)
	for _, sec := range sections {
		fmt.Fprintf(&b, `<A HREF="/%s/">%s</A><BR>`, strings.ToLower(strings.Fields(sec)[0]), sec)
	}
	b.WriteString(`<BR><B>Top Stories</B><BR>`)
	for i := range 10 + seed%21 {
		st := stories[(seed*11+i*17)%len(stories)]
		fmt.Fprintf(&b, `<A HREF="/news/%d/%d.html">%s</A><BR><BR>`, 2000+seed, i, html.EscapeString(st.title))
	}
	b.WriteString(`</FONT></TD><TD WIDTH="620" VALIGN="top">` + story + `</TD></TR>`)
	fmt.Fprintf(&b, `<TR><TD COLSPAN="2" ALIGN="center"><FONT SIZE="1">Copyright &copy; %d %s. All rights reserved.<BR><A HREF="/about/">About Us</A> | <A HREF="/advertise/">Advertise</A> | <A HREF="/privacy/">Privacy Policy</A> | <A HREF="/contact/">Contact Us</A></FONT></TD></TR></TABLE></BODY></HTML>`, 2005+seed%5, html.EscapeString(site))
	return b.String()
}

// TestOldMarkupArticles measures, by layout, how many stories in old
// markup are rejected and how well their text is found, and guards the
// levels reached.
func TestOldMarkupArticles(t *testing.T) {
	pages := loadOldMarkupArticles(t)
	if len(pages) == 0 {
		t.Skip("no corpus article to re-render")
	}
	type row struct {
		pages, rejected    int
		rightDay, wrongDay int
		author             int
		truth, text        map[string]string
	}
	rows := map[string]*row{}
	var tsv bytes.Buffer
	tsv.WriteString("layout\tfrom\treason\tprecision\trecall\n")
	for _, o := range pages {
		r := rows[o.Layout]
		if r == nil {
			r = &row{truth: map[string]string{}, text: map[string]string{}}
			rows[o.Layout] = r
		}
		r.pages++
		if o.Err != nil {
			t.Errorf("%s (%s): %v", o.From, o.Layout, o.Err)
			continue
		}
		if o.Reason != "" {
			r.rejected++
			t.Logf("rejected %s (%s): %s, confidence %.2f", o.From, o.Layout, o.Reason, o.Confidence)
		}
		switch day := o.Published.Format("2006-01-02"); {
		case o.Published.IsZero():
		case day == o.Day:
			r.rightDay++
		default:
			r.wrongDay++
			if r.wrongDay <= 3 {
				t.Logf("day (%s) %s: %s, the byline says %s", o.Layout, o.From, day, o.Day)
			}
		}
		if len(o.Authors) > 0 && o.Author != "" && o.Authors[0] == o.Author {
			r.author++
		}
		r.truth[o.From], r.text[o.From] = o.Truth, o.Text
		c := bodyscore.Page(o.Truth, o.Text)
		fmt.Fprintf(&tsv, "%s\t%s\t%s\t%.4f\t%.4f\n", o.Layout, o.From, o.Reason, c.Precision(), c.Recall())
	}
	writePerPage(t, &tsv)
	var b strings.Builder
	b.WriteString("\n| layout | pages | rejected | body F1 | precision | recall | day right | day wrong | author |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, layout := range oldMarkupLayouts {
		r := rows[layout]
		if r == nil {
			continue
		}
		res := bodyscore.Evaluate(r.truth, r.text)
		fmt.Fprintf(&b, "| %s | %d | %d | %.4f | %.4f | %.4f | %d | %d | %d |\n", layout, r.pages, r.rejected, res.F1, res.Precision, res.Recall, r.rightDay, r.wrongDay, r.author)
		worst := append([]bodyscore.PageResult(nil), res.PerPage...)
		sort.Slice(worst, func(i, j int) bool { return worst[i].F1() < worst[j].F1() })
		for _, w := range worst[:min(5, len(worst))] {
			t.Logf("worst (%s) %s  P %.3f  R %.3f", layout, w.ID, w.Precision, w.Recall)
		}
		if raceEnabled {
			continue // a sample: its figures are not the set's
		}
		g := oldMarkupGuards[layout]
		if share := float64(r.rejected) / float64(r.pages); share > g.maxRejected {
			t.Errorf("%s: %d of %d pages rejected (%.1f%%), more than %.1f%%", layout, r.rejected, r.pages, 100*share, 100*g.maxRejected)
		}
		if res.F1 < g.minF1 {
			t.Errorf("%s: body F1 %.4f below the guard %.3f", layout, res.F1, g.minF1)
		}
		if share := float64(r.rightDay) / float64(r.pages); share < g.minRightDay {
			t.Errorf("%s: the byline's day on %d of %d pages (%.1f%%), fewer than %.0f%%", layout, r.rightDay, r.pages, 100*share, 100*g.minRightDay)
		}
		if share := float64(r.author) / float64(r.pages); share < g.minAuthor {
			t.Errorf("%s: the byline's author on %d of %d pages (%.1f%%), fewer than %.0f%%", layout, r.author, r.pages, 100*share, 100*g.minAuthor)
		}
		if share := float64(r.wrongDay) / float64(r.pages); share > g.maxWrongDay {
			t.Errorf("%s: another day on %d of %d pages (%.1f%%), more than %.0f%%", layout, r.wrongDay, r.pages, 100*share, 100*g.maxWrongDay)
		}
	}
	t.Log(b.String())
}
