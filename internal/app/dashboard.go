package app

import (
	"context"
	_ "embed"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/newsflow/newsflow/bus"
)

// dashboardPage is the built-in dashboard: one self-contained HTML page
// (styles and script inline, no external assets) that polls
// /api/dashboard.
//
//go:embed dashboard.html
var dashboardPage []byte

// Dashboard is what GET /api/dashboard returns: the numbers of /status
// (streams, consumers, store counts, dead letters, the pipeline's counts;
// this process's tally only where there is no bus to hold the pipeline's),
// with what the page shows beside them.
type Dashboard struct {
	Status
	// StreamNames names the pipeline's streams in this deployment's namespace.
	StreamNames struct {
		News     string `json:"news"`
		Frontier string `json:"frontier"`
		Dead     string `json:"dead"`
	} `json:"stream_names"`
	// Sources are the configured sources, in configuration order, so that
	// each has its row before its first crawl.
	Sources []string `json:"sources"`
	// FetchSeconds is the mean fetch time of each source, over the whole
	// pipeline (over this process when the bus is not there).
	FetchSeconds map[string]float64 `json:"fetch_seconds"`
	// Skipped counts, by source and reason, the URLs not turned into
	// articles (not_article, not_modified, robots, ...), as FetchSeconds.
	Skipped map[string]map[string]int `json:"skipped"`
	// Latest are the last articles published on NEWS, newest first.
	Latest []bus.ArticleBrief `json:"latest"`
	// History is what the pipeline did over the last hour, at a steady
	// interval, oldest first, so that the page's charts start with it.
	History []HistoryPoint `json:"history,omitempty"`
	// HistoryEvery is the interval of History in seconds.
	HistoryEvery float64 `json:"history_every,omitempty"`
}

// How many articles the dashboard lists (it lists the dead letters of
// Status), and how often its numbers are gathered
// at most, however many browsers poll.
const (
	dashboardLatest   = 15
	dashboardMaxEvery = time.Second
)

// Dashboard gathers the dashboard's numbers.
func (a *App) Dashboard(ctx context.Context) Dashboard {
	d := Dashboard{Status: a.Status(ctx), FetchSeconds: map[string]float64{}, Skipped: map[string]map[string]int{}}
	sum := a.Metrics.Snapshot()
	d.Process = &sum
	for _, s := range a.Config.Sources {
		d.Sources = append(d.Sources, s.Name)
	}
	if a.Bus != nil {
		n := a.Bus.Names()
		d.StreamNames.News, d.StreamNames.Frontier, d.StreamNames.Dead = n.News, n.Frontier, n.Dead
		latest, err := a.Bus.LatestArticles(ctx, dashboardLatest)
		if err != nil {
			d.Errors = append(d.Errors, "latest articles: "+err.Error())
		}
		d.Latest = latest
	}
	counts := d.Pipeline
	if counts == nil {
		counts = d.Process
	} else {
		// The page draws the pipeline's counts; this process's tally,
		// part of them, would only double the size of every poll.
		d.Process = nil
	}
	for name, s := range counts.Sources {
		if s.Fetched > 0 && s.FetchSeconds > 0 {
			d.FetchSeconds[name] = s.FetchSeconds / float64(s.Fetched)
		}
		if len(s.SkipReasons) > 0 {
			d.Skipped[name] = s.SkipReasons
		}
	}
	return d
}

// label is the value of a metric's label.
func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// serveOperator adds the dashboard to the operator endpoint: the page at
// /, its numbers at /api/dashboard, and the dead-letter gauge to /metrics.
// It keeps the dashboard's history until ctx ends.
func (a *App) serveOperator(ctx context.Context, mux *http.ServeMux) {
	// A second listener of the same App shares the collectors of the first.
	_ = a.Metrics.Registry.Register(&deadCollector{app: a})
	_ = a.Metrics.Registry.Register(&healthCollector{app: a})
	if a.Bus != nil {
		a.serveDead(mux)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:")
		w.Write(dashboardPage)
	})
	a.histOnce.Do(func() {
		a.sampleHistory(ctx) // the history starts when the endpoint does
		go a.keepHistory(ctx)
	})
	var (
		mu   sync.Mutex
		at   time.Time
		last Dashboard
	)
	mux.HandleFunc("GET /api/dashboard", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if time.Since(at) >= dashboardMaxEvery || at.IsZero() {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
			last = a.Dashboard(ctx)
			cancel()
			at = time.Now()
		}
		d := last
		mu.Unlock()
		// The history the page has not got yet: all of it on its first
		// poll, then the points after the last one it has.
		since, _ := time.Parse(time.RFC3339Nano, r.URL.Query().Get("since"))
		d.History = a.hist.since(since)
		d.HistoryEvery = historyEvery.Seconds()
		body, err := json.Marshal(d)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	})
}

// deadCollector reports the dead letters held in DEAD at scrape time.
type deadCollector struct{ app *App }

var deadHeld = prometheus.NewDesc("newsflow_dead_letters", "Dead letters held in the DEAD stream, by source, stage and reason.", []string{"source", "stage", "reason"}, nil)

func (d *deadCollector) Describe(ch chan<- *prometheus.Desc) { ch <- deadHeld }

func (d *deadCollector) Collect(ch chan<- prometheus.Metric) {
	if d.app.Bus == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	type key struct{ source, stage, reason string }
	counts := map[key]int{}
	err := d.app.Bus.DeadLetters(ctx, bus.DeadFilter{}, false, func(dl bus.DeadLetter) error {
		counts[key{dl.Source, dl.Stage, dl.Kind}]++
		return nil
	})
	if err != nil {
		return
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(deadHeld, prometheus.GaugeValue, float64(n), k.source, k.stage, k.reason)
	}
}
