package extractor

import (
	"testing"
	"time"
)

// datesOfPage dates a page built around a header: a headline, then the
// header's markup, then a paragraph of text.
func datesOfPage(t *testing.T, lang, head, header, pageURL string) pageDates {
	t.Helper()
	page := `<html lang="` + lang + `"><head><title>A story</title>` + head + `</head><body><nav><a href="/">Home</a></nav>
<article><h1>A story of the day</h1>` + header + `
<p>The council met in the town hall and agreed, after a long debate that ran late into the evening, to repair the bridge before the winter.</p>
</article><footer><p>© 2019 Example Media. 01.01.2019</p></footer></body></html>`
	if pageURL == "" {
		pageURL = "https://news.example/story"
	}
	d, err := datesOf([]byte(page), pageURL)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// TestDateLines checks the date lines under a headline in each language
// read, with their month names and orders: a date alone is midnight UTC,
// a time with a zone is that instant in UTC.
func TestDateLines(t *testing.T) {
	for _, tc := range []struct {
		lang, line, want string
	}{
		{"en", `<p>Jan. 27, 2020, 3:04 p.m. ET</p>`, "2020-01-27T20:04:00Z"},
		{"en", `<p>Published 27 January 2020</p>`, "2020-01-27T00:00:00Z"},
		{"en", `<p>July 4, 2020 3:04 PM PT</p>`, "2020-07-04T22:04:00Z"},
		{"en", `<div class="byline">By Jane Roe | Monday 27th January 2020</div>`, "2020-01-27T00:00:00Z"},
		{"de", `<p>Veröffentlicht am 27. Januar 2020</p>`, "2020-01-27T00:00:00Z"},
		{"de", `<p>Montag, 27.01.2020, 14:37 Uhr MEZ</p>`, "2020-01-27T13:37:00Z"},
		{"de", `<p>Pressemitteilung vom 3. März 2020 | Berlin – Die Ministerin stellte heute den Bericht vor, der seit Monaten erwartet wurde und nun vorliegt.</p>`, "2020-03-03T00:00:00Z"},
		{"fr", `<p>Publié le 3 mars 2020 à 14h30</p>`, "2020-03-03T14:30:00Z"},
		{"fr", `<p>1er février 2020</p>`, "2020-02-01T00:00:00Z"},
		{"es", `<p>3 de marzo de 2020</p>`, "2020-03-03T00:00:00Z"},
		{"it", `<p>Pubblicato il 27 gennaio 2020</p>`, "2020-01-27T00:00:00Z"},
		{"pt", `<p>27 de janeiro de 2020</p>`, "2020-01-27T00:00:00Z"},
		{"nl", `<p>27 januari 2020</p>`, "2020-01-27T00:00:00Z"},
		{"pl", `<p>27 stycznia 2020 r.</p>`, "2020-01-27T00:00:00Z"},
		{"ru", `<p>27 января 2020 г.</p>`, "2020-01-27T00:00:00Z"},
		{"uk", `<p>27 січня 2020</p>`, "2020-01-27T00:00:00Z"},
		{"tr", `<p>27 Ocak 2020 Pazartesi</p>`, "2020-01-27T00:00:00Z"},
		{"zh", `<p>2020年1月27日 14:05</p>`, "2020-01-27T00:00:00Z"},
		{"ja", `<p>2020年1月27日</p>`, "2020-01-27T00:00:00Z"},
		{"ko", `<p>2020년 1월 27일</p>`, "2020-01-27T00:00:00Z"},
		{"ko", `<p>입력 2020.01.27</p>`, "2020-01-27T00:00:00Z"},
		{"ar", `<p>٢٧ يناير ٢٠٢٠</p>`, "2020-01-27T00:00:00Z"},
		{"ar", `<p>27 كانون الثاني 2020</p>`, "2020-01-27T00:00:00Z"},
		{"de", `<p>23.09.22</p>`, "2022-09-23T00:00:00Z"},
	} {
		d := datesOfPage(t, tc.lang, "", tc.line, "")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("%s %s: published %q, want %q", tc.lang, tc.line, got, tc.want)
		}
	}
}

// TestDatesNotPublication checks the dates that are not the publication's:
// an update, a copyright line, a date in a sentence, a comment's, the
// future, the years before 1995, and dates written either way round.
func TestDatesNotPublication(t *testing.T) {
	for _, tc := range []struct {
		name, header, modified string
	}{
		{"updated", `<p>Updated: 27 January 2020</p>`, "2020-01-27T00:00:00Z"},
		{"aktualisiert", `<p>Aktualisiert am 27.01.2020</p>`, "2020-01-27T00:00:00Z"},
		{"mis à jour", `<p>Mis à jour le 27 janvier 2020</p>`, "2020-01-27T00:00:00Z"},
		{"copyright", `<p>© 27.01.2020 Example Media</p>`, ""},
		{"sentence", `<p>The vote is on May 9, 2024, the council said on its web site last week.</p>`, ""},
		{"comment", `<div class="comments"><p class="comment-date">27 January 2020</p></div>`, ""},
		{"future", `<p>27 January 2099</p>`, ""},
		{"before the web", `<p>27 January 1994</p>`, ""},
		{"either way round", `<p>03/04/2020</p>`, ""},
	} {
		d := datesOfPage(t, "en", "", tc.header, "")
		if !d.Published.IsZero() {
			t.Errorf("%s: published %s (from %s), want none", tc.name, rfc(d.Published), d.From)
		}
		if got := rfc(d.Modified); got != tc.modified {
			t.Errorf("%s: modified %q, want %q", tc.name, got, tc.modified)
		}
	}
}

// TestDateSources checks the sources of dates besides date lines, and
// their order of trust.
func TestDateSources(t *testing.T) {
	for _, tc := range []struct {
		name, head, header, url, want, from string
	}{
		{"json-ld before meta", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"A story of the day","datePublished":"2020-01-27T10:00:00+01:00"}</script><meta property="article:published_time" content="2020-01-20">`, ``, "", "2020-01-27T09:00:00Z", "jsonld"},
		{"parsely", `<meta name="parsely-pub-date" content="2020-01-27T10:00:00Z">`, ``, "", "2020-01-27T10:00:00Z", "meta"},
		{"sailthru", `<meta name="sailthru.date" content="2020-01-27 10:00:00">`, ``, "", "2020-01-27T10:00:00Z", "meta"},
		{"dc.date.issued", `<meta name="DC.date.issued" content="2020-01-27">`, ``, "", "2020-01-27T00:00:00Z", "meta"},
		{"article.published", `<meta name="article.published" content="2020-01-27T10:00:00.000Z">`, ``, "", "2020-01-27T10:00:00Z", "meta"},
		{"pubdate", `<meta name="pubdate" content="20200127">`, ``, "", "2020-01-27T00:00:00Z", "meta"},
		{"weak date meta after the page's own", `<meta name="date" content="2020-02-03">`, `<p class="date">27.01.2020</p>`, "", "2020-01-27T00:00:00Z", "class"},
		{"weak date meta alone", `<meta name="date" content="2020-02-03">`, ``, "", "2020-02-03T00:00:00Z", "meta"},
		{"itemprop", ``, `<span itemprop="datePublished" content="2020-01-27">Monday</span>`, "", "2020-01-27T00:00:00Z", "itemprop"},
		{"abbr published", ``, `<abbr class="published" title="2020-01-27T10:00:00+02:00">27 January</abbr>`, "", "2020-01-27T08:00:00Z", "markup"},
		{"h-entry", ``, `<time class="dt-published" datetime="2020-01-27">Jan 27</time>`, "", "2020-01-27T00:00:00Z", "markup"},
		{"time with datetime", ``, `<time datetime="2020-01-27T10:00:00-05:00">Monday</time>`, "", "2020-01-27T15:00:00Z", "time"},
		{"time text only", ``, `<time>27. Januar 2020</time>`, "", "2020-01-27T00:00:00Z", "time"},
		{"published before updated", ``, `<time class="entry-date published" datetime="2020-01-27">27 Jan</time><time class="updated" datetime="2020-02-01">1 Feb</time>`, "", "2020-01-27T00:00:00Z", "markup"},
		{"url path", ``, ``, "https://news.example/2020/01/27/a-story", "2020-01-27T00:00:00Z", "url"},
		{"url compact", ``, ``, "https://news.example/news/20200127-a-story", "2020-01-27T00:00:00Z", "url"},
		{"url dashed", ``, ``, "https://news.example/2020-01-27/a-story", "2020-01-27T00:00:00Z", "url"},
		{"url day first", ``, ``, "https://news.example/meldungen/29-10-2021", "2021-10-29T00:00:00Z", "url"},
		{"label in a text line", ``, `<p class="footer">Letzte Änderung: 31.10.2023 - 14:49<br>Erschienen am: 01.11.2023<br>Lesungen: 61</p>`, "", "2023-11-01T00:00:00Z", "label"},
		{"label in a heading beside it", ``, `<div><h5>Datum: </h5>03.11.2021</div>`, "", "2021-11-03T00:00:00Z", "label"},
		{"label in a heading, the date in a long text node", ``, `<div class="col"><span>3 Bewertungen</span>
  <h5 class="title-inline">Datum:  </h5>03.11.2021
                                                                                            </div>`, "", "2021-11-03T00:00:00Z", "label"},
		{"sidebar of the article", ``, `<div class="sidebar"><p class="meta"><time datetime="2022-01-28">28. Januar 2022</time></p></div>`, "", "2022-01-28T00:00:00Z", "time"},
		{"script state", `<script>window.__STATE__={"id":7,"publishedDate":null,"x":{"publishedDate":"2016-11-04T20:37:27Z"}}</script>`, ``, "", "2016-11-04T20:37:27Z", "script"},
		{"page contradicts its json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"A story of the day","datePublished":"2022-01-04T07:29:00Z"}</script><meta name="date" content="2022-01-06">`, `<p>6. Januar 2022</p>`, "", "2022-01-06T00:00:00Z", "jsonld+consensus"},
		{"itemprop time counted once", `<meta name="date" content="2021-10-28T13:21:30+01:00">`, `<p>28.10.2021</p><p>Von <time itemprop="datePublished" datetime="2021-10-27T20:35:00+01:00">27.10.2021</time></p>`, "", "2021-10-28T12:21:30Z", "itemprop+consensus"},
		{"canonical url", `<link rel="canonical" href="https://news.example/2020/01/27/a-story">`, ``, "file:///tmp/page.html", "2020-01-27T00:00:00Z", "url"},
		{"page before url", ``, `<p>28 January 2020</p>`, "https://news.example/2020/01/27/a-story", "2020-01-28T00:00:00Z", "line"},
	} {
		d := datesOfPage(t, "en", tc.head, tc.header, tc.url)
		if got := rfc(d.Published); got != tc.want || d.From != tc.from {
			t.Errorf("%s: published %q from %q, want %q from %q", tc.name, got, d.From, tc.want, tc.from)
		}
	}
}

// TestDateOrder checks that a numeric date either order could read is
// read in the order of the page's language, and not at all without one.
func TestDateOrder(t *testing.T) {
	for _, tc := range []struct {
		lang, want string
	}{
		{"en-US", "2020-03-04T00:00:00Z"},
		{"en-GB", "2020-04-03T00:00:00Z"},
		{"de", "2020-04-03T00:00:00Z"},
		{"en", ""},
		{"", ""},
	} {
		d := datesOfPage(t, tc.lang, "", `<p class="date">03/04/2020</p>`, "")
		if got := rfc(d.Published); got != tc.want {
			t.Errorf("lang %q: published %q, want %q", tc.lang, got, tc.want)
		}
	}
}

// TestDateZones checks that an instant stays that instant in UTC and that
// the day shown on the page is kept beside it.
func TestDateZones(t *testing.T) {
	for _, tc := range []struct {
		name, head, header, url, published, day string
	}{
		{"offset", `<meta property="article:published_time" content="2024-03-24T00:31:00+01:00">`, ``, "", "2024-03-23T23:31:00Z", "2024-03-24"},
		{"a day alone is midnight UTC", `<meta property="article:published_time" content="2024-03-24">`, ``, "", "2024-03-24T00:00:00Z", "2024-03-24"},
		{"UTC feed time, local day on the page", `<meta property="article:published_time" content="2022-05-04T00:44:52.000Z">`, `<p>3 de mayo de 2022</p>`, "", "2022-05-04T00:44:52Z", "2022-05-03"},
		{"UTC feed time, local day in the URL", `<meta property="article:published_time" content="2020-02-25T02:25:54Z">`, ``, "https://news.example/2020/02/24/a-story/", "2020-02-25T02:25:54Z", "2020-02-24"},
		{"the URL's day against another day shown", `<meta property="article:published_time" content="2023-11-09T05:30:59+00:00"><meta name="parsely-pub-date" content="2023-11-09T05:30:59Z">`, `<p>November 8, 2023 at 5:30 p.m.</p><p class="date-box">Nov 9, 2023</p>`, "https://news.example/2023/11/08/a-story/", "2023-11-09T05:30:59Z", "2023-11-08"},
		{"midnight in central Europe", `<meta property="article:published_time" content="2022-11-06T23:00:00.000Z">`, ``, "", "2022-11-06T23:00:00Z", "2022-11-07"},
		{"a day too far is not the same instant", `<meta property="article:published_time" content="2022-05-04T12:00:00Z">`, `<p>1 May 2022</p>`, "", "2022-05-04T12:00:00Z", "2022-05-04"},
		{"summer time by name", ``, `<p>July 4, 2020, 9:30 a.m. EDT</p>`, "", "2020-07-04T13:30:00Z", "2020-07-04"},
		{"winter time by place", ``, `<p>Jan. 27, 2020, 3:04 p.m. ET</p>`, "", "2020-01-27T20:04:00Z", "2020-01-27"},
		{"offset in text", ``, `<p>27.01.2020 14:37 UTC+3</p>`, "", "2020-01-27T11:37:00Z", "2020-01-27"},
	} {
		d := datesOfPage(t, "en", tc.head, tc.header, tc.url)
		if got := rfc(d.Published); got != tc.published {
			t.Errorf("%s: published %q, want %q", tc.name, got, tc.published)
		}
		if got := d.Day.Format(time.DateOnly); got != tc.day {
			t.Errorf("%s: day %q, want %q", tc.name, got, tc.day)
		}
	}
}

// FuzzWrittenDate checks that any text reads without a panic, and that a
// date read from it lies in the years a news page can have.
func FuzzWrittenDate(f *testing.F) {
	for _, s := range []string{"Jan. 27, 2020, 3:04 p.m. ET", "27. Januar 2020 um 14:37 Uhr MEZ", "2020年1月27日", "٢٧ يناير ٢٠٢٠",
		"27.01.20", "03/04/2020", "2024-03-24T10:31:00+01:00", "Erschienen am: 01.11.2023", "27 كانون الثاني 2020 14:05 UTC+3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := writtenDate(s)
		if ok && (d.Year() < minYear || d.Year() > time.Now().Year()+maxYearAhead) {
			t.Errorf("writtenDate(%q) = %v", s, d)
		}
		_ = startsWithDateLabel(s)
		_ = scriptDateIn(s)
	})
}

// TestDateOfOwnTeaser checks that a page that shows no date of its own
// takes the one of its own teaser in a list of stories on the page, and
// never that of another story's teaser or of a link in the navigation.
func TestDateOfOwnTeaser(t *testing.T) {
	page := func(list string) string {
		return `<html lang="de"><head><title>Menschenrechte achten</title></head><body>
<header><nav><a href="/menschenrechte-achten">DE</a> <span>Freitag, 21. Januar 2022</span></nav></header>
<main><h1>Menschenrechte achten</h1><p>Ein Appell an die Regierung, die Rechte der Geflüchteten an den Grenzen zu achten und ihnen zu helfen.</p></main>
<aside><div class="artikel-liste">` + list + `</div></aside></body></html>`
	}
	for _, tc := range []struct {
		name, list, want string
	}{
		{"own teaser", `<div class="row"><a href="/gefluechtete"><div class="authored">09.11.2021</div><h2>Geflüchtete in Belarus</h2></a></div>
<div class="row"><a href="/menschenrechte-achten"><div class="authored">10.11.2021</div><h2>Menschenrechte achten</h2></a></div>`, "2021-11-10T00:00:00Z"},
		{"date beside the link", `<div class="item"><span><a href="https://www.awo.example/menschenrechte-achten/">Menschenrechte achten</a></span> <span>10.11.2021</span></div>`, "2021-11-10T00:00:00Z"},
		{"other stories only", `<div class="row"><a href="/gefluechtete"><div class="authored">09.11.2021</div><h2>Geflüchtete in Belarus</h2></a></div>`, ""},
	} {
		d, err := datesOf([]byte(page(tc.list)), "https://www.awo.example/menschenrechte-achten")
		if err != nil {
			t.Fatal(err)
		}
		if got := rfc(d.Published); got != tc.want || got != "" && d.From != "teaser" {
			t.Errorf("%s: published %q from %q, want %q", tc.name, got, d.From, tc.want)
		}
	}
}

// TestDateByLesserHeadline checks that a story whose headline is an <h3>
// under the site's own <h1> has its date line read by that headline.
func TestDateByLesserHeadline(t *testing.T) {
	page := `<html lang="de"><head><meta property="og:title" content="Pädophilie als politisches Machtinstrument"></head><body>
<header><h1>Siegessäule</h1><nav><a href="/">Start</a></nav></header>
<main><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>Teaser</div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div></div>
<div class="content"><div class="kicker">Interview mit Autorin Katrin Kämpf</div><h3>Pädophilie als politisches Machtinstrument</h3>
<div class="info"><span>28. Jan. 2022</span> <span>Interview: Paula Balov</span></div>
<p>Die Autorin spricht über die Geschichte eines Vorwurfs, der seit Jahrzehnten gegen Minderheiten erhoben wird.</p></div></main></body></html>`
	d, err := datesOf([]byte(page), "https://www.siegessaeule.example/magazin/machtinstrument/")
	if err != nil {
		t.Fatal(err)
	}
	if got := rfc(d.Published); got != "2022-01-28T00:00:00Z" || d.From != "line" {
		t.Errorf("published %q from %q, want 2022-01-28 from the line under the <h3>", got, d.From)
	}
}

// TestDatePatternPrefilter checks that the cheap test of each written
// date pattern lets through every text the pattern matches.
func TestDatePatternPrefilter(t *testing.T) {
	samples := []string{
		"2024-03-24", "am 2024-03-24T10:31:00+01:00", "2024年3月24日", "2024년 3월 24일",
		"24. März 2024", "24 de marzo de 2024", "1er mars 2024", "March 24, 2024", "Mar. 24th 2024",
		"24.03.2024", "24. 03. 2024", "24.\t03.2024", "Stand: 24.03.24", "24.03.24.", "2024/03/24", "2024.3.24",
		"24/03/2024", "03/24/2024", "24-03-2024", "x 5.5.2020 y", "Berlin (dpa) 12.1.2019",
	}
	matched := 0
	for _, s := range samples {
		for i, p := range textDates {
			if p.re.MatchString(s) {
				matched++
				if !p.mayMatch(s, hasDigitRun(s)) {
					t.Errorf("pattern %d matches %q but its cheap test refuses it", i, s)
				}
			}
		}
	}
	if matched < len(samples) {
		t.Errorf("only %d matches for %d samples", matched, len(samples))
	}
}
