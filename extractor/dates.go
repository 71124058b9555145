package extractor

import (
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageDates are the dates a page gives its article, each in the zone the
// page states (UTC when it states none: a date alone is midnight UTC of
// that day), and where the publication date was found.
type pageDates struct {
	Published, Modified time.Time
	// From names the evidence the publication date was taken from
	// ("jsonld", "meta", "time", "url", ...), for diagnosis.
	From string
	// Day is the calendar day of publication as the page shows it
	// (midnight UTC of that day): the day of Published in its own zone,
	// unless the page shows a neighbouring day that the same instant
	// falls on in some time zone (a feed time in UTC, a page in
	// America/Bogota).
	Day time.Time
	// shown are the other days the page's values and URL show.
	shown []time.Time
	// zone is that of the site's country, if its domain names one.
	zone *time.Location
}

// weakPublishedKeys are meta names that many CMSs fill with the day the
// page was last generated or edited: taken only when the page shows no
// date of its own.
var weakPublishedKeys = []string{"date", "dc.date", "dc:date", "dcterms.date"}

// Bounds on publication dates: the web's news began after minDateYear,
// and a date ahead of the extraction by more than a day (the widest gap
// between time zones) is a scheduled event or a parsing accident.
const (
	minDateYear  = 1995
	maxDateAhead = 26 * time.Hour
)

// Meta keys of publication dates read besides publishedKeys: those of
// more CMSs and of news aggregators' schemas.
var morePublishedKeys = []string{"og:article:published_time", "published_time", "published-date", "published_date",
	"publication-date", "pub_date", "pub-date", "date.published", "dc.date.created", "dc:date:created", "prism.publicationdate",
	"citation_online_date", "originalpublicationdate", "rnews:datepublished", "bt:pubdate", "displaydate", "datecreated",
	"creation_date", "shareaholic:article_published_time", "article_date", "ptime", "analyticsattributes.articledate",
	"sailthru.date.published", "parsely-pubdate", "og:published", "dcterms.available"}

// findDates reads the publication and modification dates of the article
// from the page and its URL, in order of trust: the source's selector,
// JSON-LD, meta tags and itemprop; then, on a page without these, its
// microformat markup, <time> elements, elements whose class names a date,
// labelled dates, date lines by the headline, the generic meta date, a
// script's state, and last the URL. A date for machines that the page's
// other dates contradict gives way to theirs (see contradicted). A date
// labelled as an update goes to Modified, never to Published; dates
// before 1995 or in the future are not taken.
func findDates(doc *goquery.Document, ix *pageIndex, ld *jsonLD, mt metaTags, base *url.URL, rules newsflow.ExtractRules) pageDates {
	now := time.Now()
	valid := func(t time.Time) bool {
		return !t.IsZero() && t.Year() >= minDateYear && !t.After(now.Add(maxDateAhead))
	}
	var d pageDates
	var seen []time.Time // every publication date read, for the day shown
	set := func(from string, t time.Time) bool {
		if valid(t) {
			seen = append(seen, t)
			if d.Published.IsZero() {
				d.Published, d.From = t, from
			}
		}
		return !d.Published.IsZero()
	}
	setModified := func(t time.Time) {
		if d.Modified.IsZero() && valid(t) {
			d.Modified = t
		}
	}
	urlDay := pageURLDate(base, ix, mt)
	art := ld.article

	if rules.Date != "" {
		if sel := doc.Find(rules.Date); sel.Length() > 0 {
			set("rule", nodeDate(sel.Get(0)))
		}
	}
	if art != nil {
		set("jsonld", firstDateIn(ldString(art["datePublished"]), ldString(art["dateCreated"])))
	}
	for _, v := range strongMeta(mt) {
		set("meta", firstDateIn(v))
	}
	set("meta", firstDateIn(mt.all(morePublishedKeys...)...))
	if art == nil {
		for _, n := range ld.nodes {
			set("jsonld", firstDateIn(ldString(n["datePublished"])))
		}
	}
	set("itemprop", nodeDate(ix.itemDates["datePublished"]))
	// The other machine-readable dates besides the one taken may show
	// the same instant in the page's zone.
	if len(seen) > 1 {
		d.shown = append(d.shown, seen[1:]...)
	}
	// The walk of the page is only paid for on pages without dates in
	// their markup for machines.
	var s scanned
	walked := false
	// The headline and the order of numeric dates are found once, when
	// a walk needs them.
	var head *html.Node
	var order dayOrder
	headFound := false
	story := func() (*html.Node, dayOrder) {
		if !headFound {
			head, order, headFound = headlineNode(ix, mt), pageDayOrder(ix, mt), true
		}
		return head, order
	}
	machine := len(seen) // seen[:machine] are the dates for machines
	weak := firstDateIn(mt.all(weakPublishedKeys...)...)
	if d.Published.IsZero() {
		h, o := story()
		s, walked = scanDates(doc.Nodes[0], h, o, valid), true
		set("markup", s.markup)
		set("time", s.time)
		set("class", s.class)
		set("label", s.label)
		set("line", s.line)
		set("signed", s.signed)
		set("class", s.classAbove)
		set("meta", weak)
		set("script", s.script)
		set("url", urlDay)
		if d.Published.IsZero() {
			set("teaser", selfTeaserDate(ix, base, o, valid))
		}
		// The date taken is the day the page says it was updated, shown
		// once more without the label: an earlier date the page shows
		// its readers is the publication's.
		if !s.modified.IsZero() && civil(d.Published).Equal(civil(s.modified)) {
			for _, c := range []struct {
				from string
				t    time.Time
			}{{"markup", s.markup}, {"time", s.time}, {"class", s.class}, {"label", s.label}, {"line", s.line}, {"signed", s.signed}} {
				if !c.t.IsZero() && civil(c.t).Before(civil(s.modified)) {
					d.Published, d.From = c.t, c.from+"+before-update"
					break
				}
			}
		}
		seen = append(seen[:machine], weak, s.script)
	}
	// The URL's day counts twice for the day shown: the site files the
	// story under the day of its own zone.
	d.shown = append(d.shown, urlDay, urlDay)
	if base != nil {
		d.zone = countryZone(base.Hostname())
	}
	d.Day = showDay(d.Published, d.zone, s, d.shown...)
	// A date for machines that the page contradicts: when two or more
	// of its other dates, one of them shown to readers, agree on
	// another day that the URL does not contradict, and nothing else
	// agrees with the one taken, theirs is taken. Pages whose dates for
	// machines agree among themselves are not walked for this.
	if d.From != "" {
		if !walked && agreeing(seen, d.Published, d.zone)+agreeing([]time.Time{urlDay}, d.Published, d.zone) < 2 {
			if h, o := story(); h != nil {
				s, walked = scanDatesWithin(doc.Nodes[0], h, o, valid, storyReach), true
			}
		}
		if walked {
			others := seen
			if machine == len(seen) {
				others = append(seen[:machine:machine], weak)
			}
			// The elements of itemprop=datePublished and dateModified,
			// read as dates for machines, are not also dates shown to
			// readers.
			shown := s
			for _, item := range []*html.Node{ix.itemDates["datePublished"], ix.itemDates["dateModified"]} {
				if item == nil {
					continue
				}
				if shown.markupNode == item {
					shown.markup = time.Time{}
				}
				if shown.timeNode == item {
					shown.time = time.Time{}
				}
			}
			if t, day, ok := contradicted(d, others, shown, urlDay, base); ok {
				d.Published, d.From, d.Day = t, d.From+"+consensus", day
			}
		}
	}

	// The page gives machines a dateModified on a later day than its
	// datePublished, and shows its readers by the headline only the
	// dateModified's day, unlabelled: the site presents the story as
	// published that day, and that is the day it shows.
	if machine > 0 && d.From != "" && !strings.HasSuffix(d.From, "+consensus") {
		mod := machineModified(art, mt, ix)
		if modDay := civilIn(mod, d.zone); valid(mod) && modDay.After(d.Day) && (urlDay.IsZero() || !urlDay.Equal(d.Day)) {
			if !walked {
				if h, o := story(); h != nil {
					s, walked = scanDatesWithin(doc.Nodes[0], h, o, valid, storyReach), true
				}
			}
			if walked && showsOnly(s, modDay, d.zone, ix.itemDates["datePublished"], ix.itemDates["dateModified"]) {
				d.Published, d.From, d.Day = mod, d.From+"+shown-modified", modDay
			}
		}
	}

	// A date in the URL is set when the story is first filed and does
	// not change: a date for machines a month or more after it is that
	// of a later edition of the page.
	if !urlDay.IsZero() && d.Day.Sub(urlDay) > urlEditionGap {
		d.Published, d.From, d.Day = urlDay, "url", urlDay
	}
	if art != nil {
		setModified(firstDateIn(ldString(art["dateModified"])))
	}
	setModified(firstDateIn(mt.all(modifiedKeys...)...))
	setModified(nodeDate(ix.itemDates["dateModified"]))
	setModified(s.modified)
	return d
}

// selfTeaserDate returns the date of the page's own teaser, for a page
// that shows no date of its own: a list of the section's stories on the
// page often holds this one, dated. The teaser is the link to the page's
// own URL, or the smallest element around it (up to four levels, 300
// bytes of text) that holds a date; links in the page's navigation and
// header do not count.
func selfTeaserDate(ix *pageIndex, base *url.URL, order dayOrder, valid func(time.Time) bool) time.Time {
	if base == nil || base.Host == "" || strings.Trim(base.Path, "/") == "" {
		return time.Time{}
	}
	host, self := strings.TrimPrefix(base.Hostname(), "www."), path.Clean(base.Path)
	name := path.Base(self)
	for _, a := range ix.links {
		href := strings.TrimSpace(attr(a, "href"))
		if !mayResolveTo(href, name) {
			continue
		}
		u, err := base.Parse(href)
		if err != nil || strings.TrimPrefix(u.Hostname(), "www.") != host || path.Clean(u.Path) != self || u.RawQuery != base.RawQuery || insideAny(a, atom.Nav, atom.Header) {
			continue
		}
		for n, up := a, 0; n != nil && n.Type == html.ElementNode && up < 4; n, up = n.Parent, up+1 {
			text, short := compactText(n, 300)
			if !short {
				break
			}
			if !mayHoldDate(text) || copyrightLine.MatchString(text) {
				continue
			}
			if t, _, ok := writtenDateOrdered(text, order); ok && valid(t) && !updatedLabel.MatchString(text) {
				return t
			}
		}
	}
	return time.Time{}
}

// mayResolveTo reports whether href, resolved, may name a path whose
// last element is name: it holds name, or it keeps the base's path (it is
// empty or a query or fragment), or it holds dot segments or escapes that
// resolving could turn into name. It spares parsing links that cannot.
func mayResolveTo(href, name string) bool {
	return href == "" || href[0] == '?' || href[0] == '#' ||
		strings.Contains(href, name) || strings.ContainsRune(href, '%') ||
		strings.HasPrefix(href, ".") || strings.Contains(href, "/.")
}

// pageDayOrder returns the order a page writes numeric dates in, from its
// language: month first in American English, day first in the other
// variants of English and in the other languages, unknown when the page
// names none or only "en".
func pageDayOrder(ix *pageIndex, mt metaTags) dayOrder {
	lang := strings.ToLower(strings.ReplaceAll(firstNonEmpty(firstAttr(ix.root, "lang", "xml:lang"), mt.first("og:locale", "content-language")), "_", "-"))
	switch {
	case lang == "" || lang == "en":
		return orderUnknown
	case strings.HasPrefix(lang, "en-us"):
		return monthFirst
	default:
		return dayFirst
	}
}

// headlineNode returns the story's headline: the first <h1> or <h2>
// whose text is in the page's title or holds it (the first <h1> may be the
// site's logo), else the first <h1>, else nil.
func headlineNode(ix *pageIndex, mt metaTags) *html.Node {
	title := storyTitle(ix, mt)
	if title != "" {
		// The longest heading the title holds, or the first that holds
		// the title: a site's name in its logo's heading is often part of
		// the title too.
		var best *html.Node
		longest := 0
		for _, h := range ix.headings {
			text, _ := compactText(h, 300)
			if text = plainQuotes(strings.ToLower(text)); len(text) < 10 {
				continue
			}
			if strings.Contains(text, title) {
				return h
			}
			if len(text) > longest && strings.Contains(title, text) {
				best, longest = h, len(text)
			}
		}
		if best != nil {
			return best
		}
	}
	if title != "" && ix.root != nil {
		// A page that sets its story's headline in a lesser heading
		// (an <h3> under the site's <h1> and <h2>).
		found := findElement(ix.root, func(n *html.Node) step {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Nav, atom.Footer:
				return stepOver
			case atom.H3, atom.H4:
				text, _ := compactText(n, 300)
				if text = plainQuotes(strings.ToLower(text)); len(text) >= 10 && (strings.Contains(title, text) || strings.Contains(text, title)) {
					return stepFound
				}
				return stepOver
			}
			return stepInto
		})
		if found != nil {
			return found
		}
	}
	if len(ix.h1) > 0 {
		return ix.h1[0]
	}
	if title != "" {
		return ix.headlineLine(mt)
	}
	return nil
}

// standsAsLine reports an inline element that the page shows as a line of
// its own: between line breaks or blocks (or the ends of its parent), with
// no text beside it ("<br><i>By John Smith - March 3, 2009</i><br>").
func standsAsLine(n *html.Node) bool {
	return !isBlock(n) && lineEdge(n, -1) && lineEdge(n, 1)
}

// lineEdge reports whether a line ends beside n in the direction dir (< 0
// before it): a <br>, a block or the end of its parent comes first, with
// only white space between.
func lineEdge(n *html.Node, dir int) bool {
	for s := sibling(n, dir); s != nil; s = sibling(s, dir) {
		switch s.Type {
		case html.TextNode:
			if strings.TrimSpace(s.Data) != "" {
				return false
			}
		case html.ElementNode:
			return s.DataAtom == atom.Br || isBlock(s)
		}
	}
	return true
}

// sibling returns the node before (dir < 0) or after n.
func sibling(n *html.Node, dir int) *html.Node {
	if dir < 0 {
		return n.PrevSibling
	}
	return n.NextSibling
}

// storyTitle is the page's title as headlines are matched against it:
// og:title, else <title>, in lower case, with plain quotes.
func storyTitle(ix *pageIndex, mt metaTags) string {
	return plainQuotes(strings.ToLower(normalizeSpace(firstNonEmpty(mt.first("og:title"), textOf(ix.title)))))
}

// headlineLine finds, on a page without an <h1>, the line that sets the
// story's headline in bold or a large font (an old template's "<B><FONT
// SIZE=4>...</FONT></B><BR>", "<div class=headline>"): the first element
// holding no block whose text, three words or more, is the title or the
// part of it before the site's name. A link is no such line.
func headlineLine(root *html.Node, title string) *html.Node {
	if title == "" {
		return nil
	}
	return findElement(root, func(n *html.Node) step {
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Nav, atom.Footer, atom.A, atom.Select:
			return stepOver
		}
		if hasBlockChild(n) {
			return stepInto
		}
		text, whole := compactText(n, len(title))
		if !whole {
			return stepInto // the line may be a part of it
		}
		if text = plainQuotes(strings.ToLower(text)); len(text) >= 10 && wordCount(text) >= 3 && (text == title || strings.HasPrefix(title, text+" ")) && !hasDescendant(n, atom.A) {
			return stepFound
		}
		return stepInto
	})
}

// typographicQuotes maps the typographic apostrophes, quotes and dashes,
// and the no-break space, to their plain forms: a page's title and its
// headline often differ in these alone.
var typographicQuotes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u2013", "-", "\u2014", "-", "\u00a0", " ")

// plainQuotes returns s with its typographic quotes and dashes made
// plain, without allocating when it has none.
func plainQuotes(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0xe2 || s[i] == 0xc2 {
			return typographicQuotes.Replace(s)
		}
	}
	return s
}

// pageURLDate returns the date in the path of the page's URL, else in
// that of its canonical URL or og:url (a page read from a file, an
// archived copy), or the zero time.
func pageURLDate(base *url.URL, ix *pageIndex, mt metaTags) time.Time {
	// Every form of a date in a URL holds its year: a path without a run
	// of four digits is not searched.
	if base != nil && hasDigitRun(base.Path) {
		if t := dateFromURL(base.Path); !t.IsZero() {
			return t
		}
		if m := urlDayFirst.FindStringSubmatch(base.Path); m != nil {
			if m[1] == "" {
				m = m[3:] // the form without dashes
			}
			y, _ := strconv.Atoi(m[3])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[1])
			if t, ok := civilDay(y, mo, d); ok {
				return t
			}
		}
	}
	for _, raw := range []string{attr(ix.canonical, "href"), mt.first("og:url")} {
		if !hasDigitRun(raw) {
			continue
		}
		if u, err := url.Parse(raw); err == nil {
			if t := dateFromURL(u.Path); !t.IsZero() {
				return t
			}
		}
	}
	return time.Time{}
}

// withShownDay sets d.Day from all the days the page shows, walking the
// page if findDates did not: for diagnosis and scoring, since the
// extraction keeps only the instant.
func withShownDay(doc *goquery.Document, d pageDates) pageDates {
	ix := indexPage(doc.Nodes[0])
	mt := readMetaTags(ix)
	s := scanDates(doc.Nodes[0], headlineNode(ix, mt), pageDayOrder(ix, mt), func(t time.Time) bool { return !t.IsZero() })
	d.Day = showDay(d.Published, d.zone, s, d.shown...)
	return d
}

// contradicted returns the date the page's other dates agree on against
// the one taken (see findDates), and its day, if there is one: on the
// day most of them fall on (the earliest of equals), two or more of them,
// one shown to readers, more than agree with the one taken, in the month
// the URL names if it names one; or, against a lone date for machines,
// the one date the story's header shows in its markup. The day the page
// labels as that of an update has no vote.
func contradicted(d pageDates, seen []time.Time, s scanned, urlDay time.Time, base *url.URL) (time.Time, time.Time, bool) {
	type vote struct {
		n       int
		visible bool
		first   time.Time
	}
	votes := map[time.Time]*vote{}
	var days []time.Time
	updated := civilIn(s.modified, d.zone)
	add := func(t time.Time, visible bool) {
		if t.IsZero() {
			return
		}
		day := civilIn(t, d.zone)
		if !s.modified.IsZero() && day.Equal(updated) {
			return // the day the page labels as its update's
		}
		v := votes[day]
		if v == nil {
			v = &vote{first: t}
			votes[day] = v
			days = append(days, day)
		}
		v.n++
		v.visible = v.visible || visible
	}
	for _, t := range seen {
		add(t, false)
	}
	for _, t := range []time.Time{s.markup, s.time, s.class, s.label, s.line, s.classAbove, urlDay} {
		add(t, true)
	}
	own := 0
	if v := votes[d.Day]; v != nil {
		own = v.n
	}
	if own > 1 {
		return time.Time{}, time.Time{}, false
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	var best time.Time
	for _, day := range days {
		v := votes[day]
		if day.Equal(d.Day) || v.n < 2 || !v.visible || v.n <= own || !urlAllows(base, day) {
			continue
		}
		if best.IsZero() || v.n > votes[best].n {
			best = day
		}
	}
	// A lone date for machines, that no URL backs, gives way to the date
	// the story's header shows in a <time> element or a microformat,
	// markup for machines and readers alike, when the header shows no
	// other day.
	if best.IsZero() && own == 1 && urlDay.IsZero() {
		for _, c := range []struct {
			t        time.Time
			inHeader bool
		}{{s.markup, s.markupInHeader}, {s.time, s.timeInHeader}} {
			if c.t.IsZero() || !c.inHeader {
				continue
			}
			if day := civilIn(c.t, d.zone); !day.Equal(d.Day) && showsOnly(s, day, d.zone) {
				return c.t, day, true
			}
		}
	}
	if best.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	return votes[best].first, best, true
}

// machineModified returns the date of the article's last change that
// the page gives machines: its JSON-LD, meta tags or itemprop.
func machineModified(art map[string]any, mt metaTags, ix *pageIndex) time.Time {
	if art != nil {
		if t := firstDateIn(ldString(art["dateModified"])); !t.IsZero() {
			return t
		}
	}
	if t := firstDateIn(mt.all(modifiedKeys...)...); !t.IsZero() {
		return t
	}
	return nodeDate(ix.itemDates["dateModified"])
}

// showsOnly reports whether every date the walk found shown to readers
// by the headline falls on day, and there is one; the elements of
// itemprop=datePublished and dateModified (items) are read as dates for
// machines, not as ones shown.
func showsOnly(s scanned, day time.Time, loc *time.Location, items ...*html.Node) bool {
	n := 0
	for _, c := range []struct {
		t    time.Time
		node *html.Node
	}{{s.markup, s.markupNode}, {s.time, s.timeNode}, {s.class, nil}, {s.label, nil}, {s.line, nil}} {
		if c.t.IsZero() || c.node != nil && slices.Contains(items, c.node) {
			continue
		}
		if !civilIn(c.t, loc).Equal(day) {
			return false
		}
		n++
	}
	return n > 0
}

// agreeing counts the values that fall on the same day as t.
func agreeing(vals []time.Time, t time.Time, loc *time.Location) int {
	day, n := civilIn(t, loc), 0
	for _, v := range vals {
		if civilIn(v, loc).Equal(day) {
			n++
		}
	}
	return n
}

// urlEditionGap is how long after the day its URL names a page's date
// must fall to be taken for a later edition's.
const urlEditionGap = 30 * 24 * time.Hour

// urlDayFirst matches a day-first date in a URL path (/29-10-2021,
// /~02-01-2022-land-..., and /08112021-online-fachtag, where the
// date without dashes must open the slug: a number alone is an ID).
var urlDayFirst = regexp.MustCompile(`[/~_-](\d{2})-(\d{2})-((?:19|20)\d{2})(?:[/_.-]|$)|/(\d{2})(\d{2})((?:19|20)\d{2})-\pL`)

// urlMonth matches a year and month in a URL path (/2019/10/).
var urlMonth = regexp.MustCompile(`/((?:19|20)\d{2})/(\d{1,2})/`)

// urlAllows reports whether the page's URL, if it names a year and
// month, names those of day.
func urlAllows(base *url.URL, day time.Time) bool {
	if base == nil {
		return true
	}
	m := urlMonth.FindStringSubmatch(base.Path)
	if m == nil {
		return true
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	return mo < 1 || mo > 12 || day.Year() == y && int(day.Month()) == mo
}

// strongMeta returns the values of the publication meta names, without
// the weak ones.
func strongMeta(mt metaTags) []string {
	var keys []string
	for _, k := range publishedKeys {
		if !slices.Contains(weakPublishedKeys, k) {
			keys = append(keys, k)
		}
	}
	return mt.all(keys...)
}

// showDay returns the calendar day of publication as the page shows it:
// of the days the page shows (in its markup, text, URL, or other
// machine-readable values, each in its own zone) that the published
// instant falls on in some time zone (UTC-12 to UTC+14), the one shown
// most often, the instant's own day winning a tie. A time given in UTC
// is read in the zone of the site's country (loc, from its domain) when
// it has one; else 22:00 or 23:00 UTC exactly, that nothing else places,
// is midnight in central Europe: the next day.
func showDay(published time.Time, loc *time.Location, s scanned, others ...time.Time) time.Time {
	if published.IsZero() {
		return time.Time{}
	}
	if isDayAlone(published) {
		return civil(published)
	}
	own := civilIn(published, loc)
	votes := map[time.Time]int{}
	for _, t := range append([]time.Time{s.markup, s.time, s.class, s.label, s.line, s.classAbove}, others...) {
		if t.IsZero() {
			continue
		}
		day := civilIn(t, loc)
		if !published.Before(day.Add(-14*time.Hour)) && published.Before(day.Add(36*time.Hour)) {
			votes[day]++
		}
	}
	best := own
	for day, n := range votes {
		if n > votes[best] || n == votes[best] && best != own && day.Before(best) {
			best = day
		}
	}
	_, off := published.Zone()
	if h, m, sec := published.Clock(); loc == nil && len(votes) == 0 && off == 0 && published.Location() != wallClock && (h == 22 || h == 23) && m == 0 && sec == 0 {
		return own.AddDate(0, 0, 1)
	}
	return best
}

// isDayAlone reports a date without a time: midnight UTC.
func isDayAlone(t time.Time) bool {
	_, off := t.Zone()
	h, m, sec := t.Clock()
	return h == 0 && m == 0 && sec == 0 && t.Nanosecond() == 0 && off == 0
}

// civilIn returns midnight UTC of t's calendar day: in t's own zone, or
// in loc when t is a time given in UTC and loc is known.
func civilIn(t time.Time, loc *time.Location) time.Time {
	if _, off := t.Zone(); loc != nil && off == 0 && t.Location() != wallClock && !isDayAlone(t) {
		t = t.In(loc)
	}
	return civil(t)
}

// countryZones are the zones of the countries whose domain names a site's
// zone: those with one zone, or one that most of their press uses.
var countryZones = map[string]string{
	"de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "it": "Europe/Rome", "fr": "Europe/Paris",
	"es": "Europe/Madrid", "nl": "Europe/Amsterdam", "be": "Europe/Brussels", "lu": "Europe/Luxembourg",
	"pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
	"dk": "Europe/Copenhagen", "no": "Europe/Oslo", "se": "Europe/Stockholm", "si": "Europe/Ljubljana",
	"hr": "Europe/Zagreb", "uk": "Europe/London", "ie": "Europe/Dublin", "pt": "Europe/Lisbon",
	"fi": "Europe/Helsinki", "ee": "Europe/Tallinn", "lv": "Europe/Riga", "lt": "Europe/Vilnius",
	"gr": "Europe/Athens", "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "ua": "Europe/Kyiv",
	"tr": "Europe/Istanbul", "ru": "Europe/Moscow", "jp": "Asia/Tokyo", "kr": "Asia/Seoul",
	"cn": "Asia/Shanghai", "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong", "in": "Asia/Kolkata",
	"il": "Asia/Jerusalem", "ar": "America/Argentina/Buenos_Aires", "bo": "America/La_Paz",
	"uy": "America/Montevideo", "pe": "America/Lima", "co": "America/Bogota", "ve": "America/Caracas",
	"ec": "America/Guayaquil", "py": "America/Asuncion", "cl": "America/Santiago", "br": "America/Sao_Paulo",
	"mx": "America/Mexico_City", "tn": "Africa/Tunis", "eg": "Africa/Cairo", "ma": "Africa/Casablanca",
	"za": "Africa/Johannesburg", "nz": "Pacific/Auckland",
}

// countryZone returns the zone of the country a host's domain names, or
// nil for a generic domain (.com, .org) or an unknown one.
func countryZone(host string) *time.Location {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	name, ok := countryZones[host[strings.LastIndexByte(host, '.')+1:]]
	if !ok {
		return nil
	}
	if loc, ok := loadedZones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	loadedZones.Store(name, loc)
	return loc
}

// loadedZones holds the locations of countryZones once loaded: loading
// one reads the embedded zone database.
var loadedZones sync.Map

// civil returns midnight UTC of t's calendar day in t's own zone.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// firstDateIn returns the first of the values that parses as a date, in
// the zone it states.
func firstDateIn(vals ...string) time.Time {
	for _, v := range vals {
		if t := parseDateIn(v); !t.IsZero() {
			return markWall(v, t)
		}
		if t, ok := writtenDate(v); ok {
			return t
		}
	}
	return time.Time{}
}

// nodeDate reads the date of an element: its datetime, content or title
// attribute, else its text; nil has no date.
func nodeDate(n *html.Node) time.Time {
	return nodeDateOrdered(n, orderUnknown)
}

// nodeDateOrdered is nodeDate on a page that writes numeric dates in the
// given order.
func nodeDateOrdered(n *html.Node, order dayOrder) time.Time {
	if n == nil {
		return time.Time{}
	}
	for _, a := range []string{"datetime", "content", "title"} {
		if v, ok := attrOK(n, a); ok {
			if t := parseDateIn(v); !t.IsZero() {
				return markWall(v, t)
			}
		}
	}
	text, short := compactText(n, 300)
	if !short {
		return time.Time{}
	}
	return textDateOrdered(text, order)
}

// textDateOrdered reads a date written in a visible text in any language
// read, on a page that writes numeric dates in the given order.
func textDateOrdered(text string, order dayOrder) time.Time {
	if t, _, ok := writtenDateOrdered(text, order); ok {
		return markWall(text, t)
	}
	return markWall(text, parseDateIn(text))
}

// wallClock is the location of a time read without a zone: its wall
// clock taken as UTC, the same instant as in time.UTC, but known not to be
// a time stated in UTC (which the site's country zone may place).
var wallClock = time.FixedZone("", 0)

// statedZone matches the end of a value that states its zone.
var statedZone = regexp.MustCompile(`(?i)(?:\dZ|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT|Z)\b.*)$`)

// markWall returns t in wallClock when raw gives a time of day but no
// zone, and t unchanged otherwise.
func markWall(raw string, t time.Time) time.Time {
	if t.IsZero() || isDayAlone(t) || statedZone.MatchString(strings.TrimSpace(raw)) {
		return t
	}
	if _, off := t.Zone(); off != 0 {
		return t
	}
	return t.In(wallClock)
}

// scanned are the dates a walk of the page finds, by kind of evidence.
type scanned struct {
	// markup: hAtom/h-entry classes (published, dt-published,
	// entry-date), <abbr class=published>, <time pubdate>.
	markup time.Time
	// markupNode and timeNode are the elements markup and time were read
	// from, so that one element does not count twice.
	markupNode, timeNode *html.Node
	// markupInHeader and timeInHeader tell that markup and time stand
	// in the story's header: past the headline, before the first
	// paragraph of its text.
	markupInHeader, timeInHeader bool
	// time: the first <time> of the article, by its datetime or its text.
	time time.Time
	// class: the first short element whose class or id names a date.
	class time.Time
	// classAbove: the first such element above the headline (the day's
	// date in the page's header is one).
	classAbove time.Time
	// label: the first date labelled as one ("Datum: 03.11.2021").
	label time.Time
	// line: the first date line by the headline or in a byline.
	line time.Time
	// signed: the first line further down the story that signs it with
	// its author and date ("von Marianne1 am 20.09.2020").
	signed time.Time
	// script: a publication date in the state a script carries.
	script time.Time
	// modified: a date labelled as an update.
	modified time.Time
}

// Labels of dates that are not the publication's.
var (
	updatedLabel = guarded(`(?i)updated|modified|last edited|aktualisiert|geändert|mis à jour|modifié|actualizado|actualización|atualizado|aggiornat|bijgewerkt|gewijzigd|zaktualizowan|aktualizacja|обновлен|оновлен|изменен|güncellen|更新|수정|업데이트|تحديث|تعديل`,
		"updated", "modified", "last edited", "aktualisiert", "geändert", "mis à jour", "modifié", "actualizado", "actualización", "atualizado", "aggiornat",
		"bijgewerkt", "gewijzigd", "zaktualizowan", "aktualizacja", "обновлен", "оновлен", "изменен", "güncellen", "更新", "수정", "업데이트", "تحديث", "تعديل")
	// otherLabel opens a date that is neither the publication's nor an
	// update's: the time the page was shown ("It is currently", "Aktuelle
	// Zeit:", on forums and portals) or the day a forum member signed up
	// ("Joined:", "Registriert:", beside each post).
	otherLabel = guarded(`(?i)\b(?:it is currently|current time|current date|today is|aktuelle zeit|aktuelles datum|heute ist|nous sommes le|date actuelle|heure actuelle|fecha actual|hora actual|data attuale|ora attuale|huidige tijd|aktualny czas|joined|member since|registered|registriert|mitglied seit|dabei seit|inscrit le|inscription|registrado|iscritto|lid sinds|geregistreerd)\b|текущее время|dołączył|зарегистрирован`,
		"currently", "current", "today", "aktuelle", "heute", "nous sommes", "actuelle", "actual", "attuale", "huidige", "aktualny", "текущее",
		"joined", "member since", "registered", "registriert", "mitglied seit", "dabei seit", "inscri", "registrado", "iscritto", "lid sinds", "geregistreerd", "dołączył", "зарегистрирован")
	copyrightLine = guarded(`(?i)©|&copy;|copyright|\(c\) \d{4}|all rights reserved|alle rechte`,
		"©", "&copy;", "copyright", "(c) ", "all rights reserved", "alle rechte")
)

// markupClasses are the class names of microformats and common themes
// that mark the publication date.
var markupClasses = []string{"published", "dt-published", "entry-date", "post-date", "posted-on", "date-published", "publish-date", "published-date", "pubdate", "article-date", "article__date", "post-published"}

// maxDateLine bounds the text of an element read as a date line.
const maxDateLine = 160

// scanDates walks the page once and collects the first date of each kind
// of visible evidence, skipping parts outside the article (navigation,
// asides, footers, comments, related stories) and copyright lines.
func scanDates(root, headline *html.Node, order dayOrder, valid func(time.Time) bool) scanned {
	return scanDatesWithin(root, headline, order, valid, 0)
}

// scanDatesWithin is scanDates that stops reach elements past the
// headline when reach is above zero: the story's header and byline, where
// the dates shown to its readers stand.
func scanDatesWithin(root, headline *html.Node, order dayOrder, valid func(time.Time) bool, reach int) scanned {
	var s scanned
	pos, h1 := 0, -1
	var story []*html.Node // the elements that hold the headline
	for a := headline; a != nil; a = a.Parent {
		story = append(story, a)
	}
	note := func(slot *time.Time, n *html.Node, t time.Time, text string) {
		if !valid(t) || dateOutside(n, story) || (slot == &s.class || slot == &s.classAbove) && inTeaser(n, story) || labelsOther(text) {
			return
		}
		if labelsUpdate(text) || hasClassToken(n, "modified", "date-modified", "dt-updated", "last-modified") && !hasClassToken(n, "published", "entry-date") {
			if s.modified.IsZero() {
				s.modified = t
			}
			return
		}
		if slot.IsZero() {
			*slot = t
		}
	}
	// visit reads one element and tells whether to look inside it; done
	// stops the walk.
	done := false
	textBegun := false // a paragraph of the story's text stands past the headline
	visit := func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if reach > 0 && h1 >= 0 && pos-h1 > reach {
			done = true
			return false
		}
		switch n.DataAtom {
		case atom.Script:
			// (A date in a script is only read on the full walk: the walk
			// of the story's header has no use for it.)
			if reach == 0 && s.script.IsZero() && n.FirstChild != nil && attr(n, "type") != "application/ld+json" {
				if t := scriptDateIn(n.FirstChild.Data); valid(t) {
					s.script = t
				}
			}
			return false
		case atom.Style, atom.Noscript, atom.Template, atom.Svg:
			return false
		}
		if outsideStory(n) {
			// Every date inside would be refused (dateOutside): the
			// part is skipped, its elements counted.
			if count, ok := elementsOutside(n, story); ok {
				pos += count
				return false
			}
		}
		pos++
		if n == headline && h1 < 0 {
			h1 = pos
		}
		if h1 >= 0 && !textBegun && n.DataAtom == atom.P {
			// The story's header ends at the first paragraph of its text.
			text, _ := compactText(n, storyParagraph)
			textBegun = len(text) >= storyParagraph
		}
		cls, id := classAndID(n)
		classDate := classMayDate(cls)
		isTime := n.DataAtom == atom.Time
		byline := s.line.IsZero() && isBylineMarked(n, cls)
		marked := hasAttr(n, "pubdate") || classDate && hasClassToken(n, markupClasses...)
		named := !marked && !isTime && (s.class.IsZero() || h1 < 0 && headline != nil && s.classAbove.IsZero()) && (classDate || classMayDate(id)) && (mayNameDate(cls) || mayNameDate(id) || mayNameDatum(cls)) && (dateClass.MatchString(cls+" "+id) || mayNameDatum(cls))
		nearHead := s.line.IsZero() && (h1 >= 0 && pos-h1 <= plainBylineReach || byline)
		if marked && !s.markup.IsZero() || isTime && !s.time.IsZero() {
			return true // the first of each kind is the one taken
		}
		if !marked && !isTime && !named {
			if s.label.IsZero() && n.FirstChild != nil && n.FirstChild == n.LastChild && n.FirstChild.Type == html.TextNode &&
				len(n.FirstChild.Data) <= 60 && mayHoldDate(n.FirstChild.Data) {
				// <span>Datum:</span> <span>25.01.2022</span>
				if label := labelBefore(n); label != "" && (dateLabel.MatchString(label) || datePreposition.MatchString(label)) {
					if t, before, ok := writtenDateOrdered(n.FirstChild.Data, order); ok && wordCount(before) == 0 {
						note(&s.label, n, t, label)
					}
				}
			}
			if s.label.IsZero() {
				// "Letzte Änderung: ...<br>Erschienen am: 01.11.2023<br>"
				for c := n.FirstChild; c != nil && s.label.IsZero(); c = c.NextSibling {
					if c.Type != html.TextNode {
						continue
					}
					if startsWithDateLabel(c.Data) {
						if t, before, ok := writtenDateOrdered(c.Data, order); ok && strings.TrimSpace(dateLabelStart.FindString(before)) == strings.TrimSpace(before) {
							note(&s.label, n, t, c.Data)
						}
						continue
					}
					// "<h5>Datum: </h5>03.11.2021": the label is the element
					// just before the text.
					if c.PrevSibling != nil && c.PrevSibling.Type == html.ElementNode && len(strings.TrimSpace(c.Data)) <= 80 && mayHoldDate(c.Data) {
						if label, short := compactText(c.PrevSibling, 40); short && label != "" && dateLabel.MatchString(label) {
							if t, before, ok := writtenDateOrdered(strings.TrimSpace(c.Data), order); ok && before == "" {
								note(&s.label, n, t, label)
							}
						}
					}
				}
			}
			if s.label.IsZero() && isBlock(n) && opensWithDateLabel(n) && (!hasBlockChild(n) || len(leadText(n, 80)) <= 40) {
				// <li><span>Datum:</span> 26. Januar 2022</li>, <p>Veröffentlicht am 16.08.2019</p>
				if lead := leadText(n, 80); dateLabelStart.MatchString(lead) {
					if t, before, ok := writtenDateOrdered(lead, order); ok && strings.TrimSpace(dateLabelStart.FindString(before)) == strings.TrimSpace(before) {
						note(&s.label, n, t, lead)
					}
				}
			}
			if !nearHead && s.line.IsZero() && s.signed.IsZero() && h1 >= 0 && pos-h1 <= storyReach && isBlock(n) && !hasBlockChild(n) && opensWithByline(n) {
				lead := leadText(n, maxDateLine)
				if t, before, ok := writtenDateOrdered(lead, order); ok && !copyrightLine.MatchString(lead) && signedLine(before) {
					note(&s.signed, n, t, labelBefore(n)+" "+lead)
				}
			}
			if nearHead && (isBlock(n) || byline || n.Parent == headline || standsAsLine(n)) && (byline || !hasBlockChild(n)) && leadHasDigit(n, maxDateLine) {
				lead := leadText(n, maxDateLine)
				if t, before, ok := writtenDateOrdered(lead, order); ok && !copyrightLine.MatchString(lead) && datedLine(lead, before, n) && !linkLine(n) {
					note(&s.line, n, t, labelBefore(n)+" "+lead)
				}
			}
			return true
		}
		text, short := compactText(n, 2*maxDateLine)
		if !short || len(text) > maxDateLine && !isTime && !marked || !isTime && !marked && !mayHoldDate(text) {
			return true
		}
		if copyrightLine.MatchString(text) {
			return true
		}
		label := labelBefore(n) + " " + text
		switch {
		case marked:
			if note(&s.markup, n, nodeDateOrdered(n, order), label); !s.markup.IsZero() && s.markupNode == nil {
				s.markupNode, s.markupInHeader = n, h1 >= 0 && !textBegun
			}
		case isTime:
			if note(&s.time, n, nodeDateOrdered(n, order), label); !s.time.IsZero() && s.timeNode == nil {
				s.timeNode, s.timeInHeader = n, h1 >= 0 && !textBegun
			}
		case named:
			if h1 < 0 && headline != nil {
				note(&s.classAbove, n, textDateOrdered(text, order), label)
			} else {
				note(&s.class, n, textDateOrdered(text, order), label)
			}
		}
		return true
	}
	findElement(root, func(n *html.Node) step {
		switch {
		case visit(n):
			return stepInto
		case done:
			return stepFound
		}
		return stepOver
	})
	if s.line.IsZero() && headline != nil {
		// A date line just above the headline (a kicker: "02.01.2022").
		for _, n := range linesAbove(headline, preHeadReach) {
			lead := leadText(n, maxDateLine)
			if t, before, ok := writtenDateOrdered(lead, order); ok && !copyrightLine.MatchString(lead) && datedLine(lead, before, n) && !linkLine(n) {
				if note(&s.line, n, t, labelBefore(n)+" "+lead); !s.line.IsZero() {
					break
				}
			}
		}
	}
	return s
}

// labelsUpdate reports whether a date's text says it is the day the page
// was updated: an update label stands before the first date written in
// it. In "Written: 2023-11-07 / Updated: 2023-11-08" the first date, the
// one read, is the publication's.
func labelsUpdate(text string) bool { return labelledAs(text, updatedLabel) }

// labelsOther reports whether a date's text labels it as neither the
// publication's nor an update's (otherLabel).
func labelsOther(text string) bool { return labelledAs(text, otherLabel) }

// labelledAs reports whether label stands in a date's text before the
// first date written in it (anywhere, when no date is written in it).
func labelledAs(text string, label guardedRegexp) bool {
	if !label.MatchString(text) {
		return false
	}
	if _, before, ok := writtenDateAt(text); ok {
		return label.MatchString(before)
	}
	return true
}

// outsideStory reports an element whose dates dateOutside refuses
// whatever they are: navigation, an aside or footer of the page (not of
// an <article>), a part named for other stories or comments (but for a
// sidebar inside an <article>). The element must also hold no <article>
// and not the headline (elementsOutside tells).
func outsideStory(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav:
		return true
	case atom.Aside, atom.Footer, atom.Header:
		if !insideAny(n, atom.Article) {
			return true
		}
	case atom.Body, atom.Html:
		return false
	}
	for _, a := range n.Attr {
		if (a.Key == "class" || a.Key == "id") && mayNameElsewhere(a.Val) {
			return namedElsewhere(n) && !(namesSidebar(n) && insideAny(n, atom.Article))
		}
	}
	return false
}

// mayNameElsewhere is a cheap test, without allocation, that a class or
// id may match elsewhereClass: it holds, in any case, one of
// elsewhereWords.
func mayNameElsewhere(v string) bool {
	return elsewhereWords.in(v)
}

var elsewhereWords = newFoldWords("relat", "recommend", "sidebar", "comment", "popular", "promo", "trending", "more-stories")

// elementsOutside counts the elements under n (n included) that
// scanDates counts, and reports false when n holds an <article> or one of
// the story's elements, whose dates dateOutside may take.
func elementsOutside(n *html.Node, story []*html.Node) (int, bool) {
	count := 0
	inside := findElement(n, func(c *html.Node) step {
		if c.Type != html.ElementNode {
			return stepOver
		}
		switch c.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
			return stepOver
		case atom.Article:
			return stepFound
		}
		if slices.Contains(story, c) {
			return stepFound
		}
		count++
		return stepInto
	})
	return count, inside == nil
}

// linesAbove returns up to max elements that end just before n in
// document order, nearest first: the lines (elements that hold no block)
// inside the previous siblings of n and of its ancestors.
func linesAbove(n *html.Node, max int) []*html.Node {
	var out []*html.Node
	for a := n; a != nil && a.Type == html.ElementNode && len(out) < max; a = a.Parent {
		for p := a.PrevSibling; p != nil && len(out) < max; p = p.PrevSibling {
			if p.Type != html.ElementNode {
				continue
			}
			out = appendLinesBackwards(out, p, max)
		}
	}
	return out
}

// appendLinesBackwards appends the lines of n, last first, while out
// holds fewer than max: n itself when it holds no block, else the lines
// of its element children.
func appendLinesBackwards(out []*html.Node, n *html.Node, max int) []*html.Node {
	if !hasBlockChild(n) {
		return append(out, n)
	}
	for c := n.LastChild; c != nil && len(out) < max; c = c.PrevSibling {
		if c.Type == html.ElementNode && c.DataAtom != atom.Script && c.DataAtom != atom.Style {
			out = appendLinesBackwards(out, c, max)
		}
	}
	return out
}

// dateLabelWords are the first words of lines that open with a date label
// (dateLabelStart), for a cheap test before the text is gathered.
var dateLabelWords = map[string]bool{"datum": true, "date": true, "published": true, "posted": true, "veröffentlicht": true,
	"erschienen": true, "publiziert": true, "veröffentlichung": true, "erscheinungsdatum": true, "publié": true,
	"publicado": true, "pubblicato": true, "gepubliceerd": true, "opublikowano": true, "опубликовано": true,
	"опубліковано": true, "yayınlanma": true, "fecha": true, "data": true, "tarih": true, "发布时间": true,
	"發佈時間": true, "게시일": true, "입력": true, "تاريخ": true}

// dateLabelFirsts marks the ASCII letters that open one of
// dateLabelWords: a text opening with another ASCII character opens with
// no label.
var dateLabelFirsts = func() (t [utf8.RuneSelf]bool) {
	for w := range dateLabelWords {
		if w[0] < utf8.RuneSelf {
			t[w[0]] = true
		}
	}
	return t
}()

// opensWithByline reports whether n's text opens with the lead word of a
// byline ("von", "by").
func opensWithByline(n *html.Node) bool {
	t := strings.TrimLeft(firstText(n), " \t\r\n")
	if len(t) < 2 || len(t) > maxDateLine {
		return false
	}
	end := strings.IndexAny(t, " :\n\t")
	if end < 0 {
		end = len(t)
	}
	return slices.ContainsFunc(bylineLeads, func(lead string) bool { return !strings.Contains(lead, " ") && strings.EqualFold(t[:end], lead) })
}

// signedLine reports whether the text before a date is a byline and
// nothing else: the lead word, a name of one to four words, and a
// preposition ("von Marianne1 am").
func signedLine(before string) bool {
	before = strings.TrimSpace(datePreposition.ReplaceAllString(strings.TrimSpace(before), ""))
	words := strings.Fields(before)
	return len(words) >= 2 && len(words) <= 5 && opensByline(before)
}

// firstText returns the first text node under n that is not white space,
// or "".
func firstText(n *html.Node) string {
	c := n.FirstChild
	for c != nil {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return c.Data
		case c.Type == html.ElementNode && c.FirstChild != nil && c.DataAtom != atom.Script && c.DataAtom != atom.Style:
			c = c.FirstChild
			continue
		}
		for c.NextSibling == nil && c.Parent != n {
			c = c.Parent
		}
		c = c.NextSibling
	}
	return ""
}

// opensWithDateLabel reports whether the first word of n's text is one
// that opens a date label.
func opensWithDateLabel(n *html.Node) bool {
	c := n.FirstChild
	for c != nil && c.Type != html.TextNode {
		if c.Type == html.ElementNode {
			c = c.FirstChild
			continue
		}
		c = c.NextSibling
	}
	for ; c != nil && c.Type == html.TextNode; c = c.NextSibling {
		if strings.TrimSpace(c.Data) != "" {
			return startsWithDateLabel(c.Data)
		}
	}
	return false
}

// startsWithDateLabel reports whether the first word of s opens a date
// label.
func startsWithDateLabel(s string) bool {
	// Most text nodes are white space or start with a word that is no
	// label: both are told without allocation.
	start := 0
	for start < len(s) && (s[start] == ' ' || s[start] == '\n' || s[start] == '\t' || s[start] == '\r') {
		start++
	}
	if start == len(s) || len(s)-start > 200 {
		return false
	}
	t := s[start:]
	if c := t[0]; c < utf8.RuneSelf && !dateLabelFirsts[lowerASCIIByte(c)] {
		return false
	}
	end := strings.IndexFunc(t, func(r rune) bool { return r == ' ' || r == ':' || r == '\u00a0' || r == '\n' || r == '\t' })
	if end < 0 {
		end = len(strings.TrimRightFunc(t, unicode.IsSpace))
	}
	if end < 2 || end > maxDateLabelWord {
		return false
	}
	w := t[:end]
	var buf [maxDateLabelWord]byte
	if lw, ok := lowerASCII(buf[:], w); ok {
		return dateLabelWords[string(lw)] // the lookup does not allocate
	}
	return dateLabelWords[strings.ToLower(w)]
}

// maxDateLabelWord is the length in bytes of the longest of
// dateLabelWords, and a little more.
const maxDateLabelWord = 28

// storyParagraph is the length in bytes from which a paragraph past the
// headline is taken for the story's text, which ends its header.
const storyParagraph = 100

// storyReach is how many elements past the headline the dates shown to
// readers are looked for on a page that gives machines a date: its
// header and byline, or a short story's end.
const storyReach = 100

// preHeadReach is how many elements before the headline a date line may
// stand and still be the story's.
const preHeadReach = 8

// dateOutside reports whether n sits where dates of other stories or of
// the page's furniture are: navigation, comments, related stories, a
// footer or aside of the page (one inside an <article> holds the
// article's own details). The elements that hold the headline (story)
// are the story's, whatever their classes say. A <form> does not count: some frameworks wrap
// the whole page in one.
func dateOutside(n *html.Node, story []*html.Node) bool {
	article := insideAny(n, atom.Article)
	for ; n != nil && n.Type == html.ElementNode && n.Data != "body"; n = n.Parent {
		if slices.Contains(story, n) {
			return false // it holds the headline: a layout's "right-sidebar" wrapper
		}
		switch n.DataAtom {
		case atom.Article:
			return false // the classes of the story's wrappers say nothing of it
		case atom.Header:
			// The story's own header holds its date; the site's holds
			// today's.
			return !article
		case atom.Nav:
			return true
		case atom.Aside, atom.Footer:
			if !article {
				return true
			}
		}
		if namedElsewhere(n) && !(article && namesSidebar(n)) {
			return true // a sidebar inside the <article> holds its details
		}
	}
	return false
}

// inTeaser reports whether n sits in a teaser of another story: n or an
// element around it that does not hold the headline (story) has a class
// that opens with "teaser", or n comes just after a heading that links to
// the other story, or n is the date of an entry in a list of dated links
// (inDatedList). Only a date found by its class is refused so: some
// sites reuse a teaser's classes for the story's own byline.
func inTeaser(n *html.Node, story []*html.Node) bool {
	if h := previousElement(n); h != nil && headingLevel(h) > 1 && !slices.Contains(story, h) && linksOut(h) {
		return true
	}
	if inDatedList(n, story) {
		return true
	}
	for ; n != nil && n.Type == html.ElementNode && n.DataAtom != atom.Body; n = n.Parent {
		if slices.Contains(story, n) {
			return false
		}
		if cls := attr(n, "class"); strings.Contains(cls, "teaser") || strings.Contains(cls, "Teaser") {
			for c := range strings.FieldsSeq(cls) {
				if hasPrefixFold(c, "teaser") {
					return true
				}
			}
		}
	}
	return false
}

// inDatedList reports whether n is the date of one entry in a list of
// dated links to other pages (the section's latest stories, the coming
// events): the list item around n links to another page, and another
// item of the list does too beside an element of n's class.
func inDatedList(n *html.Node, story []*html.Node) bool {
	cls := attr(n, "class")
	if cls == "" {
		return false
	}
	item := n
	for up := 0; item != nil && item.DataAtom != atom.Li; up++ {
		if up == 3 || item.Type != html.ElementNode || slices.Contains(story, item) {
			return false
		}
		item = item.Parent
	}
	if item == nil || slices.Contains(story, item) || !linksOut(item) {
		return false
	}
	for _, sib := range []*html.Node{elementSibling(item, -1), elementSibling(item, +1)} {
		if sib == nil || sib.DataAtom != atom.Li || !linksOut(sib) {
			continue
		}
		if findElement(sib, func(c *html.Node) step {
			if c.Type == html.ElementNode && c != sib && attr(c, "class") == cls {
				return stepFound
			}
			return stepInto
		}) != nil {
			return true
		}
	}
	return false
}

// previousElement returns the element just before n among its siblings,
// or nil when text or nothing stands there.
func previousElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		switch {
		case p.Type == html.ElementNode:
			return p
		case p.Type == html.TextNode && strings.TrimSpace(p.Data) != "":
			return nil
		}
	}
	return nil
}

// linksOut reports whether n holds a link to another page.
func linksOut(n *html.Node) bool {
	return findElement(n, func(c *html.Node) step {
		if c.DataAtom == atom.A {
			if href := attr(c, "href"); href != "" && !strings.HasPrefix(href, "#") {
				return stepFound
			}
		}
		return stepInto
	}) != nil
}

// namesSidebar reports an element whose class or id names a sidebar.
func namesSidebar(n *html.Node) bool {
	return strings.Contains(strings.ToLower(attr(n, "class")+" "+attr(n, "id")), "sidebar")
}

// dateLabel ends the text that introduces a publication date in a line
// ("Veröffentlicht am", "Publié le", "Pressemitteilung vom").
var dateLabel = guarded(`(?i)(?:published|posted|released|publication|veröffentlicht|veröffentlichung|erschienen|erscheinungsdatum|publiziert|vom|pubblicazione|publicación|publicação|publié|mis en ligne|publicado|pubblicato|gepubliceerd|geplaatst|opublikowano|dodano|опубликовано|опубліковано|yayınlanma|yayınlandı|发布|發佈|发表|게시|등록|입력|نشر|datum|date|fecha|data|dnia|tarih)\b[^\pL]{0,12}$`,
	"published", "posted", "released", "publication", "veröffentlich", "erschien", "erscheinungsdatum", "publiziert", "vom", "pubblica", "publicación", "publicação",
	"publié", "mis en ligne", "publicado", "gepubliceerd", "geplaatst", "opublikowano", "dodano", "опубликовано", "опубліковано", "yayınlan",
	"发布", "發佈", "发表", "게시", "등록", "입력", "نشر", "datum", "date", "fecha", "data", "dnia", "tarih")

// dateLabelStart matches a label that opens a line and introduces its
// date, and nothing else before the date.
var dateLabelStart = regexp.MustCompile(`(?i)^\s*(?:datum|date|published(?: on)?|posted(?: on)?|veröffentlicht(?: am)?|erschienen(?: am)?|publiziert(?: am)?|veröffentlichung|erscheinungsdatum|publié le|publicado(?: el| em)?|pubblicato(?: il)?|gepubliceerd(?: op)?|opublikowano|опубликовано|опубліковано|yayınlanma(?: tarihi)?|fecha|data(?: publicação| di pubblicazione)?|tarih|发布时间|發佈時間|게시일|입력|تاريخ النشر)\s*:?\s*`)

// datePreposition ends the text before an element that holds only a date
// ("wurde am <nobr>19. Mai 2010</nobr>", "posted on <span>...").
var datePreposition = regexp.MustCompile(`(?i)(?:^|\s)(?:am|on|le|el|il|em|op|dnia|в)\s*$`)

// scriptDateKeys name a publication date in the state a page's script
// carries ("publishedDate":"2016-11-04T20:37:27Z"): not JSON-LD, but the
// same value the page renders.
var scriptDateKeys = [...]string{`"datePublished"`, `"publishedDate"`, `"published_at"`, `"publishDate"`,
	`"publicationDate"`, `"date_published"`, `"firstPublishedAt"`, `"publishedAt"`}

// scriptValue matches the string value after a key.
var scriptValue = regexp.MustCompile(`^\s*:\s*"([^"]{8,40})"`)

// scriptDateIn returns the publication date a script's state gives
// under the first of scriptDateKeys that holds one (in its first four
// occurrences), or the zero time. The script is read in one pass: every
// key holds "ubli", and each place that does is matched against the keys.
func scriptDateIn(js string) time.Time {
	if !strings.Contains(js, "ublish") {
		return time.Time{}
	}
	var tries [len(scriptDateKeys)]int
	best, bestKey := time.Time{}, len(scriptDateKeys)
	for from := 0; bestKey > 0; {
		i := strings.Index(js[from:], "ubli")
		if i < 0 {
			break
		}
		i += from
		from = i + 4
		for k := 0; k < bestKey; k++ {
			key, at := scriptDateKeys[k], scriptKeyUbli[k]
			start := i - at
			if start < 0 || start+len(key) > len(js) || tries[k] >= 4 || js[start:start+len(key)] != key {
				continue
			}
			tries[k]++
			end := start + len(key)
			if m := scriptValue.FindStringSubmatch(js[end:min(len(js), end+60)]); m != nil {
				if t := parseDateIn(m[1]); !t.IsZero() {
					best, bestKey = markWall(m[1], t), k
				}
			}
			break
		}
	}
	return best
}

// scriptKeyUbli is where "ubli" stands in each of scriptDateKeys.
var scriptKeyUbli = func() (at [len(scriptDateKeys)]int) {
	for k, key := range scriptDateKeys {
		at[k] = strings.Index(key, "ubli")
	}
	return at
}()

// signedAfter matches a date that the author's name follows, and
// perhaps a time before it ("06.11.2023 13:30 von Olga", "Jan. 5, 2020
// by Ann Lee"): a byline.
var signedAfter = regexp.MustCompile(`^\s*.{0,25}?\d{4}(?:,?\s*(?:um\s+|at\s+|à\s+)?\d{1,2}[:.h]\d{2}(?:\s*(?i:uhr|h|[ap]\.?m\.?))?)?\s*[,|–·-]?\s*(?i:von|by|par|por|door)\s+\p{Lu}`)

// linkLine reports a line that is all one link: the title of another
// page (a list of the section's stories, a sub-navigation), whose date
// is that page's.
func linkLine(n *html.Node) bool {
	for a, up := n, 0; a != nil && a.Type == html.ElementNode && up < 3; a, up = a.Parent, up+1 {
		if a.DataAtom == atom.A && hasAttr(a, "href") {
			return true
		}
	}
	var link *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return false
		case c.Type == html.ElementNode:
			if link != nil || c.DataAtom != atom.A || !hasAttr(c, "href") {
				return false
			}
			link = c
		}
	}
	return link != nil
}

// rangeStart matches the end of the text before a date that opens a span
// of days ("14. - ", "3–").
var rangeStart = regexp.MustCompile(`\b\d{1,2}\.?\s*(?:[-–—]|bis|to|au)\s*$`)

// sentenceOn matches what follows the year of a date that a sentence
// goes on from: a comma or space, then a word in lower case.
var sentenceOn = regexp.MustCompile(`^\d{4}\b,?\s+\p{Ll}`)

// runsOn reports whether the text from a date on is a sentence that the
// date opens ("6 août 2019, le député ... a été condamné"): the year is
// followed by a word in lower case and eight words or more.
func runsOn(from string) bool {
	i := strings.IndexFunc(from, func(r rune) bool { return r >= '0' && r <= '9' })
	for i >= 0 && i+4 <= len(from) {
		if j := strings.IndexFunc(from[i:], func(r rune) bool { return r < '0' || r > '9' }); j == 4 || j < 0 && len(from)-i == 4 {
			break
		} else if j < 0 {
			return false
		} else {
			k := strings.IndexFunc(from[i+j:], func(r rune) bool { return r >= '0' && r <= '9' })
			if k < 0 {
				return false
			}
			i += j + k
		}
	}
	if i < 0 || i+4 > len(from) {
		return false
	}
	return sentenceOn.MatchString(from[i:]) && wordCount(from[i+4:]) >= 8
}

// datedLine reports whether the text before a date in a line by the
// headline makes it the article's date line: a few words at most (a
// weekday, a place, a section), a label, or a byline. A sentence that
// mentions a date ("The vote is on May 9, 2024") is not one.
func datedLine(line, before string, n *html.Node) bool {
	if len(before) <= len(line) && signedAfter.MatchString(line[len(before):]) {
		return true
	}
	if len(before) <= len(line) && runsOn(line[len(before):]) {
		return false // "Le 6 août 2019, le député a été condamné ..."
	}
	if rangeStart.MatchString(before) {
		return false // "Wochenbericht 14. - 20. Januar 2022": a span of days
	}
	before = strings.TrimSpace(before)
	if wordCount(before) <= 3 || updatedLabel.MatchString(before) || opensByline(before) {
		return true
	}
	if loc := dateLabel.FindStringIndex(before); loc != nil && wordCount(before[:loc[0]]) <= 3 {
		return true // "Pressemitteilung vom", not "... bei St. Moritz vom"
	}
	for p := n; p != nil && p.Type == html.ElementNode; p = p.Parent {
		if isBylineMarked(p, attr(p, "class")) {
			return true
		}
	}
	return false
}

// leadText returns the first limit bytes or so of n's text, its white
// space collapsed (pages indent their markup deeply).
func leadText(n *html.Node, limit int) string {
	t, _ := compactText(n, limit)
	return t
}

// leadHasDigit reports whether leadText(n, limit) may hold a digit, which
// every written date does: it looks at the same text nodes (and maybe a
// few more) without building the text. compactText reads a text node
// while its text so far, spaces included, is within limit; the bytes
// other than spaces counted here are never more.
func leadHasDigit(n *html.Node, limit int) bool {
	read, found := 0, false
	traverse(n, func(c *html.Node) bool {
		if found || read > limit {
			return false
		}
		switch c.Type {
		case html.TextNode:
			for _, r := range c.Data {
				switch {
				case r >= '0' && r <= '9':
					found = true
					return false
				case r < utf8.RuneSelf:
					if !asciiSpace[r] {
						read++
					}
				case unicode.IsDigit(r):
					found = true
					return false
				case !unicode.IsSpace(r):
					read++
				}
			}
		case html.ElementNode:
			return c.DataAtom != atom.Script && c.DataAtom != atom.Style
		}
		return true
	})
	return found
}

// compactText returns n's text with its white space collapsed, and
// whether it all fits in limit bytes (when not, the text is cut there).
func compactText(n *html.Node, limit int) (string, bool) {
	if n == nil {
		return "", true
	}
	var b strings.Builder
	whole := true
	traverse(n, func(c *html.Node) bool {
		if b.Len() > limit {
			whole = false
			return false
		}
		switch c.Type {
		case html.TextNode:
			for f := range strings.FieldsSeq(c.Data) {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(f)
			}
		case html.ElementNode:
			return c.DataAtom != atom.Script && c.DataAtom != atom.Style
		}
		return true
	})
	return b.String(), whole && b.Len() <= limit
}

// classMayDate is a cheap test, without allocation, that a class or id
// may name a date in any of the ways markupClasses, dateClass and
// mayNameDatum look for: it holds, in any case, one of dateClassWords
// ("ate" and "atu" for date, datum, created, dateline).
func classMayDate(v string) bool {
	return dateClassWords.in(v)
}

var dateClassWords = newFoldWords("ate", "atu", "ime", "ublish", "ubmitted", "osted", "tamp", "echa")

// mayNameDatum reports a class that names a date in German, Spanish,
// Italian or Portuguese ("datum", "fecha", "data").
func mayNameDatum(cls string) bool {
	if cls == "" {
		return false
	}
	cls = strings.ToLower(cls)
	return strings.Contains(cls, "datum") || strings.Contains(cls, "fecha") || strings.Contains(cls, "submitted") || strings.Contains(cls, "created")
}

// hasClassToken reports whether n's class holds one of the names.
func hasClassToken(n *html.Node, names ...string) bool {
	for c := range strings.FieldsSeq(strings.ToLower(attr(n, "class"))) {
		if slices.Contains(names, c) {
			return true
		}
	}
	return false
}

// hasBlockChild reports whether n holds a block element, so that a date
// line is read from the innermost block that carries it.
func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (isBlock(c) || hasBlockChild(c)) {
			return true
		}
	}
	return false
}

// labelBefore returns the short text just before n in its parent ("Updated:"
// in <span>Updated:</span><time>), which labels the date n holds.
func labelBefore(n *html.Node) string {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		switch p.Type {
		case html.TextNode:
			if t := strings.TrimSpace(p.Data); t != "" {
				return lastRunes(t, 40)
			}
		case html.ElementNode:
			t, short := compactText(p, 60)
			if short && t != "" {
				return t
			}
			return ""
		}
	}
	return ""
}

// lastRunes returns at most the last n bytes of s, cut at a rune start.
func lastRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && s[i]&0xC0 == 0x80 {
		i++
	}
	return s[i:]
}
