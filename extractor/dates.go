package extractor

import (
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
)

// pageDates are the dates a page gives its article, each in the zone the
// page states (UTC when it states none), and where the publication date
// was found.
type pageDates struct {
	Published, Modified time.Time
	// From names the evidence the publication date was taken from
	// ("jsonld", "meta", "time", "url", ...), for diagnosis.
	From string
}

// findDates reads the publication and modification dates of the article
// from the page and its URL, in order of trust.
func findDates(doc *goquery.Document, ix *pageIndex, ld *jsonLD, mt metaTags, base *url.URL, rules newsflow.ExtractRules) pageDates {
	var d pageDates
	art := ld.article
	set := func(from string, t time.Time) {
		if d.Published.IsZero() && !t.IsZero() {
			d.Published, d.From = t, from
		}
	}
	if rules.Date != "" {
		if sel := doc.Find(rules.Date); sel.Length() > 0 {
			set("rule", dateFromNode(sel.Get(0)))
		}
	}
	if art != nil {
		set("jsonld", firstDate(ldString(art["datePublished"]), ldString(art["dateCreated"])))
	}
	set("meta", firstDate(mt.all(publishedKeys...)...))
	set("itemprop", visibleDate(ix, "datePublished"))
	set("class", dateInElements(doc))
	set("byline", dateInByline(doc))
	if base != nil {
		set("url", dateFromURL(base.Path))
	}
	if art != nil {
		d.Modified = firstDate(ldString(art["dateModified"]))
	}
	if d.Modified.IsZero() {
		d.Modified = firstDate(mt.all(modifiedKeys...)...)
	}
	if d.Modified.IsZero() {
		d.Modified = visibleDate(ix, "dateModified")
	}
	return d
}
