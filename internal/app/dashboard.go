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
// (streams, consumers, store counts, dead letters, this process's tally),
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
	// FetchSeconds is the mean fetch time of each source, from the
	// newsflow_fetch_seconds histogram of /metrics.
	FetchSeconds map[string]float64 `json:"fetch_seconds"`
	// Skipped counts, by source and reason, the URLs not turned into
	// articles (not_article, not_modified, robots, ...), from
	// newsflow_urls_skipped_total.
	Skipped map[string]map[string]int `json:"skipped"`
	// Latest are the last articles published on NEWS, newest first.
	Latest []bus.ArticleBrief `json:"latest"`
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
	if mfs, err := a.Metrics.Registry.Gather(); err == nil {
		for _, mf := range mfs {
			switch mf.GetName() {
			case "newsflow_fetch_seconds":
				for _, m := range mf.GetMetric() {
					if h := m.GetHistogram(); h.GetSampleCount() > 0 {
						d.FetchSeconds[label(m, "source")] = h.GetSampleSum() / float64(h.GetSampleCount())
					}
				}
			case "newsflow_urls_skipped_total":
				for _, m := range mf.GetMetric() {
					src := label(m, "source")
					if d.Skipped[src] == nil {
						d.Skipped[src] = map[string]int{}
					}
					d.Skipped[src][label(m, "reason")] = int(m.GetCounter().GetValue())
				}
			}
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
func (a *App) serveOperator(mux *http.ServeMux) {
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
	var (
		mu   sync.Mutex
		at   time.Time
		body []byte
	)
	mux.HandleFunc("GET /api/dashboard", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if time.Since(at) >= dashboardMaxEvery || body == nil {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
			body, _ = json.Marshal(a.Dashboard(ctx))
			cancel()
			at = time.Now()
		}
		b := body
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b)
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
