package app

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsflow/newsflow"
)

// Canaries watch what each source's pages look like once extracted, and
// report a source whose recent pages fall away from its baseline: a layout
// change the extractor no longer reads, a consent wall, a block page
// answered with 200. Each observation is one page the extractor read: an
// article, or a page it judged not to be one.
//
// The baseline of a source is its last canaryBaseline observations taken
// while it was healthy; the recent window is its last canaryWindow
// observations. Both are saved in the state bucket (canary/<source>), so
// that once runs from cron build them up together. A source whose pages
// stay different for canaryAdopt observations in a row has changed for
// good: its baseline is started again from the recent window.
const (
	canaryBaseline    = 200
	canaryWindow      = 10
	canaryMinBaseline = 5
	canaryMinWindow   = 5
	canaryAdopt       = 200
)

// Reasons a source is reported for.
const (
	healthNotArticle = "not_article" // more pages judged not articles
	healthShortText  = "short_text"  // the median article is much shorter
	healthNoTitle    = "no_title"    // fewer articles have a title
	healthNoDate     = "no_date"     // fewer articles have a publication date
	healthNoAuthor   = "no_author"   // fewer articles have an author
)

var healthReasons = []string{healthNotArticle, healthShortText, healthNoTitle, healthNoDate, healthNoAuthor}

// pageSign is what a canary keeps of one page.
type pageSign struct {
	NotArticle bool `json:"n,omitempty"`
	Words      int  `json:"w,omitempty"`
	Title      bool `json:"t,omitempty"`
	Date       bool `json:"d,omitempty"`
	Author     bool `json:"a,omitempty"`
}

func signOf(a *newsflow.Article) pageSign {
	if a == nil {
		return pageSign{NotArticle: true}
	}
	return pageSign{Words: a.WordCount, Title: a.Title != "", Date: !a.PublishedAt.IsZero(), Author: len(a.Authors) > 0}
}

// PageStats sums up a list of pages.
type PageStats struct {
	Pages int `json:"pages"`
	// NotArticle is the share of pages judged not articles.
	NotArticle float64 `json:"not_article"`
	// MedianWords, Title, Date and Author are over the articles: their
	// median word count and the shares with a title, a date, an author.
	MedianWords int     `json:"median_words"`
	Title       float64 `json:"title"`
	Date        float64 `json:"date"`
	Author      float64 `json:"author"`
	articles    int
}

func statsOf(signs []pageSign) PageStats {
	s := PageStats{Pages: len(signs)}
	var words []int
	var notArt, title, date, author int
	for _, p := range signs {
		if p.NotArticle {
			notArt++
			continue
		}
		words = append(words, p.Words)
		title += b2i(p.Title)
		date += b2i(p.Date)
		author += b2i(p.Author)
	}
	s.articles = len(words)
	if s.Pages > 0 {
		s.NotArticle = round2(float64(notArt) / float64(s.Pages))
	}
	if n := len(words); n > 0 {
		slices.Sort(words)
		s.MedianWords = words[n/2]
		s.Title = round2(float64(title) / float64(n))
		s.Date = round2(float64(date) / float64(n))
		s.Author = round2(float64(author) / float64(n))
	}
	return s
}

// SourceHealth is a source's canary: its state ("learning" until it has a
// baseline, then "ok" or "warning"), the reasons of a warning, and the
// numbers compared.
type SourceHealth struct {
	State    string    `json:"state"`
	Reasons  []string  `json:"reasons,omitempty"`
	Baseline PageStats `json:"baseline"`
	Recent   PageStats `json:"recent"`
}

// judge compares the recent window with the baseline.
func judge(baseline, recent []pageSign) SourceHealth {
	h := SourceHealth{State: "learning", Baseline: statsOf(baseline), Recent: statsOf(recent)}
	if len(baseline) < canaryMinBaseline || len(recent) < canaryMinWindow {
		return h
	}
	h.State = "ok"
	b, r := h.Baseline, h.Recent
	if r.NotArticle >= b.NotArticle+0.3 {
		h.Reasons = append(h.Reasons, healthNotArticle)
	}
	if b.articles >= canaryMinBaseline && r.articles >= 3 {
		if b.MedianWords >= 50 && float64(r.MedianWords) < 0.5*float64(b.MedianWords) {
			h.Reasons = append(h.Reasons, healthShortText)
		}
		for _, c := range []struct {
			reason string
			b, r   float64
		}{{healthNoTitle, b.Title, r.Title}, {healthNoDate, b.Date, r.Date}, {healthNoAuthor, b.Author, r.Author}} {
			if c.b >= 0.6 && c.r <= c.b-0.4 {
				h.Reasons = append(h.Reasons, c.reason)
			}
		}
	}
	if len(h.Reasons) > 0 {
		h.State = "warning"
	}
	return h
}

// canaryState is what is saved of one source's canary.
type canaryState struct {
	Baseline []pageSign `json:"baseline"`
	Recent   []pageSign `json:"recent"`
	// Streak counts the observations in a row taken while warning.
	Streak int `json:"streak,omitempty"`
}

// observe adds one page and returns the source's health after it.
func (c *canaryState) observe(p pageSign) SourceHealth {
	c.Recent = append(c.Recent, p)
	if len(c.Recent) > canaryWindow {
		c.Recent = slices.Delete(c.Recent, 0, len(c.Recent)-canaryWindow)
	}
	h := judge(c.Baseline, c.Recent)
	switch h.State {
	case "warning":
		c.Streak++
		if c.Streak >= canaryAdopt {
			// The source changed for good: what it looks like now is its
			// new normal.
			c.Baseline = slices.Clone(c.Recent)
			c.Streak = 0
		}
	default:
		c.Streak = 0
		c.Baseline = append(c.Baseline, p)
		if len(c.Baseline) > canaryBaseline {
			c.Baseline = slices.Delete(c.Baseline, 0, len(c.Baseline)-canaryBaseline)
		}
	}
	return h
}

// canaries hold the canary of every source of a process.
type canaries struct {
	mu      sync.Mutex
	sources map[string]*canaryState
	dirty   map[string]bool
}

func newCanaries() *canaries {
	return &canaries{sources: map[string]*canaryState{}, dirty: map[string]bool{}}
}

func (cs *canaries) state(source string) *canaryState {
	c := cs.sources[source]
	if c == nil {
		c = &canaryState{}
		cs.sources[source] = c
	}
	return c
}

// observe records a page of source: an article, or nil for a page judged
// not to be one.
func (a *App) observePage(source string, art *newsflow.Article) {
	cs := a.canary
	if cs == nil {
		return
	}
	cs.mu.Lock()
	h := cs.state(source).observe(signOf(art))
	cs.dirty[source] = true
	cs.mu.Unlock()
	if h.State == "warning" {
		a.Log.Debug("source looks different from its baseline", "source", source, "reasons", h.Reasons)
	}
}

// Health returns the canary of each source this process watches.
func (a *App) Health() map[string]SourceHealth {
	cs := a.canary
	if cs == nil {
		return nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := make(map[string]SourceHealth, len(cs.sources))
	for name, c := range cs.sources {
		out[name] = judge(c.Baseline, c.Recent)
	}
	return out
}

// canaryStateName is the object name of a source's canary.
func canaryStateName(source string) string { return "canary/" + source }

// loadCanaries reads the saved canary of each configured source.
func (a *App) loadCanaries(ctx context.Context) {
	cs := a.canary
	for _, src := range a.Config.Sources {
		data, ok, err := a.Bus.GetState(ctx, canaryStateName(src.Name))
		if err != nil || !ok {
			if err != nil {
				a.Log.Warn("canary not loaded; it learns again", "source", src.Name, "err", err)
			}
			continue
		}
		var c canaryState
		if err := json.Unmarshal(data, &c); err != nil {
			a.Log.Warn("canary not loaded; it learns again", "source", src.Name, "err", err)
			continue
		}
		cs.mu.Lock()
		cs.sources[src.Name] = &c
		cs.mu.Unlock()
	}
}

// saveCanaries saves the canaries that saw pages since their last save.
// Crawlers sharing a source each save theirs; the last save wins.
func (a *App) saveCanaries(ctx context.Context) {
	cs := a.canary
	if cs == nil || a.Bus == nil {
		return
	}
	cs.mu.Lock()
	todo := map[string][]byte{}
	for name := range cs.dirty {
		if data, err := json.Marshal(cs.sources[name]); err == nil {
			todo[name] = data
		}
	}
	clear(cs.dirty)
	cs.mu.Unlock()
	for name, data := range todo {
		if err := a.Bus.PutState(ctx, canaryStateName(name), data); err != nil {
			a.Log.Warn("canary not saved", "source", name, "err", err)
			cs.mu.Lock()
			cs.dirty[name] = true
			cs.mu.Unlock()
		}
	}
}

// storedHealth reads the saved canaries of the configured sources, for a
// process that does not crawl (newsflow status).
func (a *App) storedHealth(ctx context.Context) map[string]SourceHealth {
	out := map[string]SourceHealth{}
	for _, src := range a.Config.Sources {
		data, ok, err := a.Bus.GetState(ctx, canaryStateName(src.Name))
		if err != nil || !ok {
			continue
		}
		var c canaryState
		if json.Unmarshal(data, &c) == nil {
			out[src.Name] = judge(c.Baseline, c.Recent)
		}
	}
	return out
}

// healthCollector reports newsflow_source_health at scrape time: 1 for
// each reason a source is reported for, 0 for the others, for every source
// past learning.
type healthCollector struct{ app *App }

var sourceHealth = prometheus.NewDesc("newsflow_source_health",
	"1 when a source's recent pages fall away from its baseline for the reason (not_article, short_text, no_title, no_date, no_author), else 0.",
	[]string{"source", "reason"}, nil)

func (h *healthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- sourceHealth }

func (h *healthCollector) Collect(ch chan<- prometheus.Metric) {
	for name, s := range h.app.Health() {
		if s.State == "learning" {
			continue
		}
		for _, r := range healthReasons {
			ch <- prometheus.MustNewConstMetric(sourceHealth, prometheus.GaugeValue, float64(b2i(slices.Contains(s.Reasons, r))), name, r)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
