package extractor

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
)

// Guards for the dates of trafilatura-eval: the levels reached, minus a
// small margin.
const (
	minDateAccuracy  = 0.900 // right / pages with a date
	minDatePrecision = 0.948 // right / dates given
)

// datePage is one page of trafilatura-eval that has an annotated date, and
// the dates findDates reads on it.
type datePage struct {
	ID, URL string
	// Want is the annotated publication day, YYYY-MM-DD.
	Want string
	HTML []byte
	Got  pageDates
	Err  error
}

// Day is the publication day found, as the page states it, or "".
func (p *datePage) Day() string {
	if p.Got.Day.IsZero() {
		return ""
	}
	return p.Got.Day.Format(time.DateOnly)
}

var dateSweep struct {
	once  sync.Once
	pages []*datePage
	skip  string
}

// dateSample is how many pages the sweep reads under the race detector.
const dateSample = 40

// loadDatePages reads and dates the dated pages of trafilatura-eval once
// per test binary, on every core.
func loadDatePages(tb testing.TB) []*datePage {
	tb.Helper()
	dateSweep.once.Do(func() {
		root := corpusRoot()
		if root == "" {
			dateSweep.skip = "evaluation corpora not found beside the repository (set NEWSFLOW_CORPUS)"
			return
		}
		dir := filepath.Join(root, trafilaturaEval)
		var gold map[string]struct {
			URL  string `json:"url"`
			Date string `json:"date"`
		}
		if err := readJSON(filepath.Join(dir, "eval.json"), &gold); err != nil {
			dateSweep.skip = err.Error()
			return
		}
		var pages []*datePage
		for id, v := range gold {
			if v.Date != "" {
				pages = append(pages, &datePage{ID: id, URL: v.URL, Want: v.Date})
			}
		}
		sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
		if raceEnabled {
			// Every nth page, so the sample spreads over the set.
			var sample []*datePage
			for i := 0; i < len(pages); i += max(1, len(pages)/dateSample) {
				sample = append(sample, pages[i])
			}
			pages = sample
		}
		work := make(chan *datePage)
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for p := range work {
					p.HTML, p.Err = gunzipFile(filepath.Join(dir, "html", p.ID+".html.gz"))
					if p.Err == nil {
						p.Got, p.Err = datesOf(p.HTML, p.URL)
					}
				}
			})
		}
		for _, p := range pages {
			work <- p
		}
		close(work)
		wg.Wait()
		dateSweep.pages = pages
	})
	if dateSweep.skip != "" {
		tb.Skip(dateSweep.skip)
	}
	return dateSweep.pages
}

// datesOf parses a page and reads its dates as extractMetadata does.
func datesOf(page []byte, pageURL string) (pageDates, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return pageDates{}, err
	}
	doc, err := parse(page, "")
	if err != nil {
		return pageDates{}, err
	}
	ix := indexPage(doc.Nodes[0])
	var pageURLs []string
	if pageURL != "" {
		pageURLs = append(pageURLs, base.String())
	}
	if canonical, ok := attrOK(ix.canonical, "href"); ok {
		pageURLs = append(pageURLs, absURL(base, canonical))
	}
	d := findDates(doc, ix, readJSONLD(ix, pageURLs...), readMetaTags(ix), base, newsflow.ExtractRules{})
	return withShownDay(doc, d), nil
}

// dateScore counts the publication days found on annotated pages.
type dateScore struct {
	Right, Missing, Wrong int
}

func (s dateScore) total() int { return s.Right + s.Missing + s.Wrong }

// Accuracy is the share of pages given their right day.
func (s dateScore) Accuracy() float64 { return ratio(s.Right, s.total()) }

// Precision is the share of the days given that are right.
func (s dateScore) Precision() float64 { return ratio(s.Right, s.Right+s.Wrong) }

func (s dateScore) String() string {
	return fmt.Sprintf("pages %d  right %d  missing %d  wrong %d  accuracy %.3f  precision %.3f",
		s.total(), s.Right, s.Missing, s.Wrong, s.Accuracy(), s.Precision())
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestDatesTrafilaturaEval scores the publication day found on every page
// of trafilatura-eval that has an annotated date, logs the misses by the
// evidence they came from, and guards the level reached.
func TestDatesTrafilaturaEval(t *testing.T) {
	pages := loadDatePages(t)
	var s, utcDay dateScore
	from := map[string]*dateScore{}
	var misses []string
	for _, p := range pages {
		if p.Err != nil {
			t.Errorf("%s: %v", p.ID, p.Err)
			continue
		}
		src := p.Got.From
		if src == "" {
			src = "none"
		}
		if from[src] == nil {
			from[src] = &dateScore{}
		}
		got := p.Day()
		switch {
		case got == "":
			s.Missing++
			from[src].Missing++
			misses = append(misses, fmt.Sprintf("missing %s want %s  %s", p.ID, p.Want, p.URL))
		case got == p.Want:
			s.Right++
			from[src].Right++
		default:
			s.Wrong++
			from[src].Wrong++
			misses = append(misses, fmt.Sprintf("wrong   %s want %s got %s from %s  %s", p.ID, p.Want, got, src, p.URL))
		}
		switch {
		case got == "":
			utcDay.Missing++
		case p.Got.Published.UTC().Format(time.DateOnly) == p.Want:
			utcDay.Right++
		default:
			utcDay.Wrong++
		}
	}
	t.Logf("publication day as the page states it: %s", s)
	t.Logf("publication day in UTC:                %s", utcDay)
	var srcs []string
	for k := range from {
		srcs = append(srcs, k)
	}
	sort.Strings(srcs)
	for _, k := range srcs {
		t.Logf("  from %-10s right %3d  wrong %3d  missing %3d", k, from[k].Right, from[k].Wrong, from[k].Missing)
	}
	if testing.Verbose() {
		t.Log("misses:\n" + strings.Join(misses, "\n"))
	}
	if raceEnabled {
		return // a sample: its figures are not the set's
	}
	if s.Accuracy() < minDateAccuracy {
		t.Errorf("date accuracy %.3f below the guard %.3f", s.Accuracy(), minDateAccuracy)
	}
	if s.Precision() < minDatePrecision {
		t.Errorf("date precision %.3f below the guard %.3f", s.Precision(), minDatePrecision)
	}
}

// BenchmarkDates is findDates alone on parsed pages, to set beside
// BenchmarkParse: the cost of the dates within the extraction budget.
func BenchmarkDates(b *testing.B) {
	docs := parseForDates(b, readPages(b, scrapinghub))
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		findAllDates(docs)
	}
	b.StopTimer()
	reportPerPage(b, len(docs), before)
}

// datesInput is a page parsed and read up to where findDates starts.
type datesInput struct {
	doc  *goquery.Document
	ix   *pageIndex
	ld   *jsonLD
	mt   metaTags
	base *url.URL
}

// parseForDates parses the pages and reads what findDates takes, so that
// benchmarks time the date search alone.
func parseForDates(b *testing.B, pages []*corpusPage) []datesInput {
	docs := make([]datesInput, 0, len(pages))
	for _, p := range pages {
		doc, err := parse(p.HTML, "")
		if err != nil {
			b.Fatal(err)
		}
		base, _ := url.Parse(p.URL)
		ix := indexPage(doc.Nodes[0])
		docs = append(docs, datesInput{doc, ix, readJSONLD(ix, p.URL), readMetaTags(ix), base})
	}
	return docs
}

// findAllDates runs the date search on every page.
func findAllDates(docs []datesInput) {
	for _, d := range docs {
		findDates(d.doc, d.ix, d.ld, d.mt, d.base, newsflow.ExtractRules{})
	}
}
