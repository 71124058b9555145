//go:build unix

package compare

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	htmldate "github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/newsflow/newsflow/extractor"
)

// A dateFunc returns the publication day a date finder gives a page,
// YYYY-MM-DD, or "" for none.
type dateFunc func(p *page) string

// newsflowDay is the day of the instant Extract stores in published_at
// (UTC), also on pages it judges not articles (their Article is there for
// diagnosis): the date search is scored, not the classifier.
func newsflowDay(p *page) string {
	a, err := extractor.Extract(p.HTML, p.URL, extractor.Options{})
	var na *extractor.NotArticleError
	if errors.As(err, &na) {
		a = na.Article
	}
	if a == nil || a.PublishedAt.IsZero() {
		return ""
	}
	return a.PublishedAt.UTC().Format(time.DateOnly)
}

// htmldateDay runs go-htmldate for the original (publication) date with the
// page URL, in its fast mode or with its extensive search.
func htmldateDay(extensive bool) dateFunc {
	return func(p *page) string {
		r, err := htmldate.FromReader(bytes.NewReader(p.HTML), htmldate.Options{URL: p.URL, UseOriginalDate: true, SkipExtensiveSearch: !extensive})
		if err != nil || r.IsZero() {
			return ""
		}
		return r.DateTime.Format(time.DateOnly)
	}
}

// trafilaturaDay is the date of go-trafilatura's metadata with its
// fallback on (which switches its go-htmldate to the extensive search).
func trafilaturaDay(p *page) string {
	r, err := trafilatura.Extract(bytes.NewReader(p.HTML), trafilatura.Options{OriginalURL: p.u, EnableFallback: true})
	if err != nil || r == nil || r.Metadata.Date.IsZero() {
		return ""
	}
	return r.Metadata.Date.Format(time.DateOnly)
}

// TestDateScores scores the publication day each date finder gives the
// pages of trafilatura-eval that have an annotated date: right, missing,
// wrong, right of the pages and right of the dates given, and for
// go-htmldate its CPU time on a parsed page beside that of the parse.
// Set COMPARE_DATES=1 to run it (about three minutes: go-trafilatura's
// fallback is slow); COMPARE_DATE_FINDERS (comma-separated: newsflow,
// htmldate-fast, htmldate-extensive, trafilatura-fallback) narrows it.
func TestDateScores(t *testing.T) {
	if os.Getenv("COMPARE_DATES") == "" {
		t.Skip("set COMPARE_DATES=1 to score the date finders")
	}
	pages, _ := loadPages(t, "trafilatura-eval")
	var gold map[string]struct {
		Date string `json:"date"`
	}
	readJSON(t, filepath.Join(corpusRoot(), "trafilatura-eval", "eval.json"), &gold)
	var dated []page
	for _, p := range pages {
		if gold[p.ID].Date != "" {
			dated = append(dated, p)
		}
	}
	finders := []struct {
		name, label string
		fn          dateFunc
	}{
		{"newsflow", "newsflow (published_at, UTC day)", newsflowDay},
		{"htmldate-fast", "go-htmldate v1.9.1, fast (original date, URL given)", htmldateDay(false)},
		{"htmldate-extensive", "go-htmldate v1.9.1, extensive", htmldateDay(true)},
		{"trafilatura-fallback", "go-trafilatura v1.12.2 (fallback)", trafilaturaDay},
	}
	for _, f := range finders {
		if !selected("COMPARE_DATE_FINDERS", f.name) {
			continue
		}
		var right, missing, wrong int
		for i := range dated {
			switch got := f.fn(&dated[i]); got {
			case "":
				missing++
			case gold[dated[i].ID].Date:
				right++
			default:
				wrong++
			}
		}
		t.Logf("| %s | %d | %d | %d | %.3f | %.3f |", f.label, right, missing, wrong,
			float64(right)/float64(len(dated)), float64(right)/float64(max(1, right+wrong)))
	}

	// The cost of go-htmldate's search on pages parsed beforehand, as a
	// share of the parse.
	docs := make([]*html.Node, len(dated))
	t0 := cpuTime()
	for i, p := range dated {
		doc, err := html.Parse(bytes.NewReader(p.HTML))
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = doc
	}
	parse := cpuTime() - t0
	for _, extensive := range []bool{false, true} {
		t1 := cpuTime()
		for i, p := range dated {
			_, _ = htmldate.FromDocument(docs[i], htmldate.Options{URL: p.URL, UseOriginalDate: true, SkipExtensiveSearch: !extensive})
		}
		t.Logf("go-htmldate (extensive %v): %.2fx of an x/net/html parse", extensive, float64(cpuTime()-t1)/float64(parse))
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
