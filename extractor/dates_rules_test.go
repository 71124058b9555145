package extractor

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// filler is a paragraph of story text, so that fixtures read as articles.
const filler = `<p>The council met in the town hall and agreed, after a long debate that ran late into the evening, to repair the bridge before the winter.</p>`

// datesOfFixture dates a page at a URL, failing the test on an error.
func datesOfFixture(t *testing.T, page, pageURL string) pageDates {
	t.Helper()
	d, err := datesOf([]byte(page), pageURL)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDateHeadlineTypographicQuotes checks that a headline whose quotes
// and apostrophes are typographic where the title's are plain is still
// the story's, and its date line read: the site's logo in the first <h1>
// is not.
func TestDateHeadlineTypographicQuotes(t *testing.T) {
	page := `<html lang="fr"><head><title>« Les privatisations sont au profit d'intérêts privés »</title></head><body>
<header><h1 id="logo">Attac France<small>L’action citoyenne</small></h1></header>
<div><p>Accueil</p><p>` + strings.Repeat("Menu ", 60) + `</p></div>` + strings.Repeat(`<div><span>lien</span></div>`, 50) + `
<article><header><h1><span>«&nbsp;Les privatisations sont au profit d’intérêts privés&nbsp;»</span></h1>
<div class="publication"> jeudi 13 juin 2019<span>, par <a href="/auteur">Attac France</a></span></div></header>` + filler + `</article></body></html>`
	d := datesOfFixture(t, page, "https://france.attac.example/article/les-privatisations")
	if got := rfc(d.Published); got != "2019-06-13T00:00:00Z" || d.From != "line" {
		t.Errorf("published %q from %q, want 2019-06-13 from the line under the headline", got, d.From)
	}
}

// TestDateSignedLine checks that a line further down the story that
// signs it with its author and a date gives the date, and that the
// lines that do not sign it (a date in a sentence, a comment's) do not.
func TestDateSignedLine(t *testing.T) {
	spacer := strings.Repeat(`<div class="rating"><span></span></div>`, 45)
	for _, tc := range []struct {
		name, line, want string
	}{
		{"von ... am", `<div class="userbox"><span>von <b><a href="/user/m">Marianne1</a></b><br> am 20.09.2020</span></div>`, "2020-09-20T00:00:00Z"},
		{"by ... on", `<p>By Jane Roe on March 3, 2021</p>`, "2021-03-03T00:00:00Z"},
		{"a sentence", `<p>By the end of the year the council expects the bridge, closed since March 3, 2021, to open.</p>`, ""},
		{"a comment", `<div class="comments"><p>von Gast am 20.09.2020</p></div>`, ""},
	} {
		page := `<html lang="de"><head><title>Tomaten richtig schneiden</title></head><body>
<main><h1>Tomaten richtig schneiden</h1>` + spacer + filler + tc.line + `</main></body></html>`
		d := datesOfFixture(t, page, "https://www.kochbar.example/tipp/1918/Tomaten-richtig-schneiden.html")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestDateFollowedByByline checks that a line by the headline whose date
// the author's name follows is a date line, whatever stands before it.
func TestDateFollowedByByline(t *testing.T) {
	for _, tc := range []struct {
		name, line, want string
	}{
		{"von", `<h2>Stars (1 / 1) <span>06.11.2023 13:30 von Olga </span></h2>`, "2023-11-06T13:30:00Z"},
		{"by", `<p>Gallery of the week, part 2: Jan. 5, 2020 by Ann Lee</p>`, "2020-01-05T00:00:00Z"},
		{"no byline", `<h2>Stars of the night (1 / 1) <span>06.11.2023</span></h2>`, ""},
	} {
		page := `<html lang="de"><head><title>Ehezoff der Pochers eskaliert</title></head><body>
<main><h1>Ehezoff der Pochers eskaliert</h1><img src="/a.jpg" alt="">` + tc.line + filler + `</main></body></html>`
		d := datesOfFixture(t, page, "https://vipflash.example/contents/176739-ehezoff")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestDateLineAboveInBox checks that a date line above the headline is
// found inside the box before it, not only as its last line.
func TestDateLineAboveInBox(t *testing.T) {
	page := `<html lang="de"><head><title>Verfassungsgericht: Prozess geht weiter</title></head><body>
<div class="textBox"><div class="boxHeader"><span>14. Februar 2012</span><ul><li class="print"><a href="/print">Drucken</a></li></ul></div>
<div id="images"><a href="/bild"><img src="/b.jpg" alt=""></a><span>Foto: APA</span></div>
<span class="category">Politik</span><h1>Verfassungsgericht: Prozess geht weiter</h1>` + filler + `</div></body></html>`
	d := datesOfFixture(t, page, "https://www.stol.example/Artikel/Politik/Verfassungsgericht")
	if got := rfc(d.Published); got != "2012-02-14T00:00:00Z" || d.From != "line" {
		t.Errorf("published %q from %q, want 2012-02-14 from the line above the headline", got, d.From)
	}
}

// TestDateURLFirstEdition checks that the day a URL names wins over a
// date for machines a month or more after it (a later edition of the
// page), and not over one a few days after it.
func TestDateURLFirstEdition(t *testing.T) {
	for _, tc := range []struct {
		name, ld, want string
	}{
		{"two years later", "2019-06-17T10:00:00+02:00", "2017-07-12"},
		{"six days later", "2017-07-18T10:00:00+02:00", "2017-07-18"},
	} {
		page := `<html lang="de"><head><title>Unter uns: Montauk</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting","headline":"Unter uns: Montauk","datePublished":"` + tc.ld + `"}</script></head><body>
<article><h1>Unter uns: Montauk</h1>` + filler + `</article></body></html>`
		d := datesOfFixture(t, page, "https://www.befifty.example/home/2017/7/12/unter-uns-montauk")
		if got := d.Day.Format("2006-01-02"); got != tc.want {
			t.Errorf("%s: day %s from %q, want %s", tc.name, got, d.From, tc.want)
		}
	}
}

// TestDateBeforeUpdate checks that a page whose first date shown is the
// day it labels as its update takes the earlier date it shows, and that
// the update's day, however often repeated, does not outvote it.
func TestDateBeforeUpdate(t *testing.T) {
	page := `<html lang="de"><head><title>Neue Präsidentin gewählt</title><meta name="date" content="2021-10-15"></head><body>
<main><h1>Neue Präsidentin gewählt</h1><p class="place">Berlin, 13.10.2021</p>` + filler + `
<div class="footer-info"><h4>Zuletzt geändert am:</h4><ul class="timestamp-list"><li class="timestamp-list__item">15.10.2021</li></ul></div></main></body></html>`
	d := datesOfFixture(t, page, "https://www.caritas.example/presse/neue-praesidentin")
	if got := rfc(d.Published); got != "2021-10-13T00:00:00Z" {
		t.Errorf("published %q from %q, want 2021-10-13, the day before the update", got, d.From)
	}
	if got := rfc(d.Modified); got != "2021-10-15T00:00:00Z" {
		t.Errorf("modified %q, want 2021-10-15", got)
	}
}

// TestDateInSentenceNotLine checks that a paragraph by the headline that
// opens with a date and runs on as a sentence, or that mentions a date
// after a "vom" deep in a sentence, gives no date, while a date line with
// a label, or a short one, still does.
func TestDateInSentenceNotLine(t *testing.T) {
	for _, tc := range []struct {
		lang, line, want string
	}{
		{"fr", `<p>Le 6 août 2019, le député a été condamné à six mois de prison avec sursis et à trois ans d’inéligibilité pour abus de confiance.</p>`, ""},
		{"de", `<p>Deshalb lädt der Weltdienst zusammen mit dem Landesjugendring vom 6. - 7. März 2020 zum Workshop in die Jugendherberge ein.</p>`, ""},
		{"de", `<p>Abbildung: Ausschnitt eines Satellitenbildes bei St. Moritz vom 31.05.2021 (links)</p>`, ""},
		{"de", `<p>Pressemitteilung vom 3. März 2020 | Berlin – Die Ministerin stellte heute den Bericht vor, der seit Monaten erwartet wurde.</p>`, "2020-03-03T00:00:00Z"},
		{"pl", `<p>27 stycznia 2020 r.</p>`, "2020-01-27T00:00:00Z"},
		{"fr", `<p>Le 6 août 2019, par la rédaction</p>`, "2019-08-06T00:00:00Z"},
	} {
		d := datesOfPage(t, tc.lang, "", tc.line, "")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s %s: published %q from %q, want %q", tc.lang, tc.line, got, d.From, tc.want)
		}
	}
}

// TestDateNotOtherItems checks the dates of other pages near a story
// without a date of its own: a teaser's date found by its class, a line
// that is all one link (a sub-navigation), and a span of days in the
// headline.
func TestDateNotOtherItems(t *testing.T) {
	for _, tc := range []struct {
		name, page, want string
	}{
		{"teaser", `<main><h1>Italien: Reisehinweise</h1>` + filler + `</main>
<div class="more"><a href="/afghanistan"><span class="teaser__subline"><em class="teaser__subline-pubdate">04.11.2021</em></span> Eine Stimme für Afghanistan</a></div>`, ""},
		{"own byline in a teaser's classes", `<main><h1>Es kommt darauf an</h1><div class="teaser-small__metadata"><p class="byline__author">VON <a href="/autoren/m">MORITZ G.</a> am 21. April 2020</p></div>` + filler + `</main>`, "2020-04-21T00:00:00Z"},
		{"link line", `<main><ul id="currentNav"><li><a href="/wob-0107">WoB 07.-13. Januar</a></li><li><a href="/wob-3112">WoB 31. Dezember 2021-06. Januar 2022</a></li></ul><h1>Wochenbericht der Lawinen</h1>` + filler + `</main>`, ""},
		{"span of days", `<main><h1>Wochenbericht 14. - 20. Januar 2022</h1>` + filler + `</main>`, ""},
	} {
		page := `<html lang="de"><head><title>` + tc.name + `</title></head><body>` + tc.page + `</body></html>`
		d := datesOfFixture(t, page, "https://www.amt.example/de/seite")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestPageURLDayFirst checks the day-first dates of URL paths: with
// dashes anywhere, without them only where the date opens a slug.
func TestPageURLDayFirst(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://www.example.de/presse/29-10-2021/bericht", "2021-10-29"},
		{"https://www.regenbogen.example/aktuelles/08112021-online-fachtag", "2021-11-08"},
		{"https://www.example.co.uk/news/10111998/hunter-story/", ""},
		{"https://www.example.com/p/10111998-", ""},
	} {
		base, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if d := pageURLDate(base, &pageIndex{}, metaTags{}); !d.IsZero() {
			got = d.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.url, got, tc.want)
		}
	}
}

// TestDateNotSiteHeader checks that the day's date a site shows in its
// page header (beside its logo and search box, outside the story) is not
// taken for the story's, whether it is marked by its class or as a
// <time>; the story's own date further down is.
func TestDateNotSiteHeader(t *testing.T) {
	for _, tc := range []struct {
		name, today, story, want string
	}{
		{"class", `<span class="site-date">Mittwoch, 26.02.2020</span>`, `<p class="text_datum">01.05.2017</p>`, "2017-05-01T00:00:00Z"},
		{"time", `<time datetime="2023-11-01T13:56:20+01:00">Mittwoch, 01. November 2023</time>`, `<p class="text_datum">31. Oktober 2023.</p>`, "2023-10-31T00:00:00Z"},
		{"widget", `<div id="date-widget"><div id="month">Feb.</div><div id="day">19</div><div id="year">2020</div></div>`, ``, ""},
	} {
		page := `<html lang="de"><head><title>Die Zukunft der Arbeit</title></head><body>
<header><a href="/" class="logo">Radio</a>` + tc.today + `<form action="/suche"><input name="q"></form></header>
<div class="page"><h2>Die Zukunft der Arbeit</h2>` + tc.story + filler + `</div></body></html>`
		d := datesOfFixture(t, page, "https://radio.example/die-zukunft-der-arbeit.html")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestDateHeadlineTypographicDash checks that a headline set with a
// plain hyphen where the title has a dash is still found as the story's,
// rather than a shorter heading elsewhere that repeats the title's first
// part, so that the date line under it is read.
func TestDateHeadlineTypographicDash(t *testing.T) {
	page := `<html lang="de"><head><title>Kolumne: Queer Royal – Über Dragqueens und Dragkings</title></head><body>
<div class="page"><h2>Kolumne: Queer Royal - Über Dragqueens und Dragkings</h2>
<p><span class="text_datum">31. Oktober 2023.</span> Dragqueens sind Kunstfiguren aus Make-Up und Glitter.</p>` + filler + `
<div class="series"><h4>Kolumne: Queer Royal</h4>` + strings.Repeat(`<div class="slide"><h3>Kolumne</h3><div class="date">24. Oktober 2023</div></div>`, 3) + `</div></div></body></html>`
	d := datesOfFixture(t, page, "https://theater.example/kolumne-queer-royal")
	if got := rfc(d.Published); got != "2023-10-31T00:00:00Z" {
		t.Errorf("published %q from %q, want 2023-10-31", got, d.From)
	}
}

// TestDateWrittenThenUpdated checks that a date line that gives the
// publication first and the update after it ("Written: ... / Updated:
// ...") gives the publication, on the day it is written, and that a line
// labelled as an update alone does not.
func TestDateWrittenThenUpdated(t *testing.T) {
	for _, tc := range []struct {
		name, line, want string
	}{
		{"written, then updated", `<p class="date">Written: 2023-11-07 15:03:30<span> / </span>Updated: 2023-11-07 15:30:46</p>`, "2023-11-07"},
		{"updated alone", `<p class="date">Updated: 2023-11-07 15:30:46</p>`, ""},
		{"updated, after other figures", `<p class="date">page revision: 23, last edited: 17 Jun 2018 15:15</p>`, ""},
	} {
		page := `<html lang="en"><head><title>Colder Temperatures Forecast for Wednesday</title></head><body>
<div class="view"><h1>Colder Temperatures Forecast for Wednesday</h1>` + tc.line + filler + `</div>
<div class="list">` + strings.Repeat(`<h2><a href="/other">Another story of the week</a></h2><p class="date">2023-11-03</p>`, 3) + `</div></body></html>`
		d := datesOfFixture(t, page, "https://world.broadcaster.kr/news_view.htm?seq=181595")
		got := ""
		if !d.Day.IsZero() {
			got = d.Day.Format(time.DateOnly)
		}
		if got != tc.want {
			t.Errorf("%s: day %q (published %s from %q), want %q", tc.name, got, rfc(d.Published), d.From, tc.want)
		}
	}
}

// TestDateUnderLinkedHeadline checks that a headline that links to its
// own page, on a page whose title also holds the site's name set in the
// logo's <h1>, is found as the story's, so that the date line under it is
// read and not refused as that of a teaser.
func TestDateUnderLinkedHeadline(t *testing.T) {
	page := `<html lang="de"><head><title>Disfunctions.example » Blog Archiv » Podcasts in Plex einbinden</title></head><body>
<div id="header"><h1><a href="https://disfunctions.example">Disfunctions.example</a></h1></div>` + strings.Repeat(`<div class="widget"><span>Archiv</span></div>`, 50) + `
<div class="post"><h2><a href="https://disfunctions.example/tutorials/podcasts-in-plex-einbinden/">Podcasts in Plex einbinden</a></h2>
<p class="date">Erstellt von <a href="/author/fabian/">Fabian</a> am Dienstag 6. Mai 2014</p>` + filler + `</div></body></html>`
	d := datesOfFixture(t, page, "https://disfunctions.example/tutorials/podcasts-in-plex-einbinden/")
	if got := rfc(d.Published); got != "2014-05-06T00:00:00Z" || d.From != "class" {
		t.Errorf("published %q from %q, want 2014-05-06 from the line under the headline", got, d.From)
	}
}

// TestDateForumRenderTimeAndJoinDate checks that a forum's line giving
// the time the page was shown, and the day its member signed up beside
// the post, are not taken for the post's date: the post's own is.
func TestDateForumRenderTimeAndJoinDate(t *testing.T) {
	for _, tc := range []struct {
		name, foot, profile string
	}{
		{"current time", `<p class="time">Aktuelle Zeit: 14.10.2020, 12:18</p>`, ``},
		{"it is currently", `<p class="time">It is currently 14.10.2020, 12:18</p>`, ``},
		{"joined", ``, `<dd class="profile-joined"><strong>Joined:</strong> 18.09.2008, 05:56</dd>`},
	} {
		page := `<html lang="de"><head><title>Was ist Freie Software? - Forum</title></head><body>
<h2 class="topic-title"><a href="./viewtopic.php?t=167">Was ist Freie Software?</a></h2>
<div class="post"><dl class="postprofile"><dt><a href="./memberlist.php?u=5">r23</a></dt>` + tc.profile + `</dl>
<div class="postbody"><h3>Was ist Freie Software?</h3><p class="author">von <strong>r23</strong> &raquo; 21.01.2009, 05:42</p>
<div class="content">` + filler + `</div></div></div>
<div class="page-footer">` + tc.foot + `</div></body></html>`
		d := datesOfFixture(t, page, "https://foren.example.de/viewtopic.php?f=4&t=167")
		if got := rfc(d.Published); got != "2009-01-21T05:42:00Z" {
			t.Errorf("%s: published %q from %q, want the post's 2009-01-21 05:42", tc.name, got, d.From)
		}
	}
}

// TestDateShownModified checks that a page whose byline shows its
// readers only the day of the dateModified it gives machines, unlabelled,
// is dated by that day, and that a byline showing the datePublished's day,
// or the later day labelled as an update, leaves the datePublished.
func TestDateShownModified(t *testing.T) {
	for _, tc := range []struct {
		name, byline, want string
	}{
		{"shows the modified day", `<div class="author-meta"><span class="icon-calendar"></span>&nbsp; 12.01.2022</div>`, "2022-01-12T14:27:30Z"},
		{"shows the published day", `<div class="author-meta"><span class="icon-calendar"></span>&nbsp; 29.11.2021</div>`, "2021-11-29T14:13:37Z"},
		{"labels the update", `<div class="author-meta">Aktualisiert am 12.01.2022</div>`, "2021-11-29T14:13:37Z"},
		{"shows no date", `<div class="author-meta">Christoph Hein</div>`, "2021-11-29T14:13:37Z"},
	} {
		page := `<html lang="de"><head><title>Können Fische Schmerzen spüren?</title>
<script type="application/ld+json">{"@type":"Article","headline":"Können Fische Schmerzen spüren?","datePublished":"2021-11-29T14:13:37+00:00","dateModified":"2022-01-12T14:27:30+00:00"}</script>
<meta property="article:published_time" content="2021-11-29T14:13:37+00:00"></head><body>
<main><h1>Können Fische Schmerzen spüren?</h1>` + tc.byline + filler + `</main></body></html>`
		d := datesOfFixture(t, page, "https://angeln.example/fische-schmerzen/")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestDateInListOfDatedLinks checks that the date of an entry in a list
// of dated links to other pages (the coming events, the latest stories)
// is not the page's, and that the story's own date in a list of its
// details still is.
func TestDateInListOfDatedLinks(t *testing.T) {
	events := `<ul class="list-group"><li class="list-group-item active"><a href="/veranstaltungen/">Veranstaltungen</a></li>
<li class="list-group-item"><span class="datum">29.02.2020 18:00 Uhr</span> <span class="titel"><a href="/veranstaltungen/140">Portugal vs Spanien: eine Blindprobe</a></span></li>
<li class="list-group-item"><span class="datum">04.04.2020 18:00 Uhr</span> <span class="titel"><a href="/veranstaltungen/132">Tempranillo, die Rebsorte Spaniens</a></span></li></ul>`
	details := `<ul class="meta"><li><span class="datum">11.02.2020</span></li><li><a href="/autor/ana">Ana Ruiz</a></li></ul>`
	for _, tc := range []struct {
		name, body, want string
	}{
		{"events", `<h1>D.O.Ca. Rioja</h1>` + filler + strings.Repeat(`<div class="panel"><span></span></div>`, 45) + events, "2020-02-11T00:00:00Z"},
		{"details", `<h1>D.O.Ca. Rioja</h1>` + details + filler, "2020-02-11T00:00:00Z"},
	} {
		page := `<html lang="de"><head><title>D.O.Ca. Rioja</title><meta name="date" content="2020-02-11"></head><body>
<div class="content">` + tc.body + `</div></body></html>`
		d := datesOfFixture(t, page, "https://www.weine.example/wein/herkunft/spanien/rioja/")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestDateLoneMetaAgainstHeaderTime checks that a lone meta date gives
// way to the other day that the story's header, below its breadcrumbs,
// shows in a <time> element, and not to a <time> in the story's text,
// nor when the URL backs the meta date.
func TestDateLoneMetaAgainstHeaderTime(t *testing.T) {
	crumbs := `<div class="breadcrumbs"><ul>` + strings.Repeat(`<li><a href="/de/umwelt/">Umwelt</a></li>`, 25) + `</ul></div>`
	header := `<ul class="metadata"><li><span class="label"><time datetime="2022-01-25">25.01.2022</time></span></li><li>Umwelt</li></ul>`
	inText := `<p>Die Kampagne beginnt am <time datetime="2022-01-25">25.01.2022</time> in allen Skigebieten.</p>`
	for _, tc := range []struct {
		name, header, text, url, want string
	}{
		{"header", header, "", "https://alpen.example/de/umwelt/schneesport-35334/", "2022-01-25T00:00:00Z"},
		{"in the text", "", inText, "https://alpen.example/de/umwelt/schneesport-35334/", "2022-01-15T00:00:00Z"},
		{"URL backs the meta", header, "", "https://alpen.example/2022/01/15/schneesport/", "2022-01-15T00:00:00Z"},
	} {
		page := `<html lang="de"><head><title>Schneesport mit Rücksicht auf Wildtiere</title>
<meta name="og:article:published_time" content="2022-01-15"></head><body>
<main><h1>Schneesport mit Rücksicht auf Wildtiere</h1>` + crumbs + tc.header + filler + tc.text + filler + `</main></body></html>`
		d := datesOfFixture(t, page, tc.url)
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestLeadHasDigit checks the cheap test that spares a line without digits
// the reading of dates: it agrees with reading the line's lead text,
// whatever digits it writes and however much white space comes first.
func TestLeadHasDigit(t *testing.T) {
	for _, tc := range []struct {
		html string
		want bool
	}{
		{`<p>By Jane Roe, staff writer</p>`, false},
		{`<p>By Jane Roe <span>| Jan. 27, 2020</span></p>`, true},
		{`<p>نشر في ٢٧ يناير ٢٠٢٠</p>`, true},
		{`<p>２０２０年１月２７日</p>`, true},
		{`<p>` + strings.Repeat(" \n\u00a0", 200) + `Posted <b>March 3, 2009</b></p>`, true},
		{`<p>Posted today<script>var t = 2009;</script></p>`, false},
		{`<p>` + strings.Repeat("word ", 40) + `2009</p>`, true},
		{`<p><span>` + strings.Repeat("word ", 60) + `</span><span>2009</span></p>`, false},
	} {
		doc, err := parse([]byte(`<body>`+tc.html+`</body>`), "")
		if err != nil {
			t.Fatal(err)
		}
		p := doc.Find("p").Get(0)
		if got := leadHasDigit(p, maxDateLine); got != tc.want {
			t.Errorf("leadHasDigit(%.60q) = %v, want %v", tc.html, got, tc.want)
		}
		_, _, dated := writtenDateOrdered(leadText(p, maxDateLine), orderUnknown)
		if dated && !tc.want {
			t.Errorf("%.60q: a date in the lead text, and no digit seen", tc.html)
		}
	}
}

// TestDateLineOfOldTemplate checks a date in the byline line of an old
// template, on a page without an <h1>: the headline set as a line in bold
// or a large font (or a <div> of its own) is the story's, and the byline
// under it, an inline element between line breaks or blocks, is a line.
func TestDateLineOfOldTemplate(t *testing.T) {
	head := `<html><head><title>Council votes on the bridge - Gazette</title></head><body>`
	for _, page := range []string{
		head + `<table><tr><td><a href="/">Home</a> <a href="/local">Local</a></td><td><font face="Arial"><b><font size="4">Council votes on the bridge</font></b><br><i>By John Smith - March 3, 2009</i><br><br>` + filler + `</font></td></tr></table></body></html>`,
		head + `<div class="headline">Council votes on the bridge</div><b>By John Smith March 3, 2009</b><div class="storytext">` + filler + `</div></body></html>`,
	} {
		d := datesOfFixture(t, page, "http://example.com/story")
		if got := d.Published.Format("2006-01-02"); got != "2009-03-03" || d.From != "line" {
			t.Errorf("published %s from %q, want 2009-03-03 from a line:\n%s", got, d.From, page)
		}
	}
	for _, tc := range []struct {
		html string
		want bool
	}{
		{`<p>Text<br><i>By John Smith</i><br>more</p>`, true},
		{`<p><i>By John Smith</i></p>`, true},
		{`<div></div><b>By John Smith</b><div></div>`, true},
		{`<p>Posted by <i>John Smith</i> on Monday</p>`, false},
		{`<p><i>By John Smith</i> and friends</p>`, false},
	} {
		doc, err := parse([]byte(`<body>`+tc.html+`</body>`), "")
		if err != nil {
			t.Fatal(err)
		}
		n := doc.Find("i, b").Get(0)
		if got := standsAsLine(n); got != tc.want {
			t.Errorf("standsAsLine in %q = %v, want %v", tc.html, got, tc.want)
		}
	}
}

// TestBylineOfOldTemplate checks that the byline line under an old
// template's headline, on a page without an <h1>, names the authors.
func TestBylineOfOldTemplate(t *testing.T) {
	head := `<html><head><title>Council votes on the bridge - Gazette</title></head><body>`
	for _, page := range []string{
		head + `<table><tr><td><font face="Arial"><b><font size="4">Council votes on the bridge</font></b><br><i>By John Smith - March 3, 2009</i><br><br>` +
			strings.Repeat(filler, 4) + `</font></td></tr></table></body></html>`,
		head + `<div class="headline">Council votes on the bridge</div><b>John Smith, Staff Writer<br>Posted: March 3, 2009</b><div class="storytext">` +
			strings.Repeat(filler, 4) + `</div></body></html>`,
	} {
		a, err := Extract([]byte(page), "http://example.com/story", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Authors) != 1 || a.Authors[0] != "John Smith" {
			t.Errorf("authors %q, want John Smith:\n%s", a.Authors, page)
		}
		if strings.Contains(a.Text, "John Smith") {
			t.Errorf("the byline stays in the text:\n%s", a.Text)
		}
	}
}
