// Package metrics holds newsflow's Prometheus metrics and the in-process
// tally that `run --once` prints as its summary. Every stage reports through
// one Pipeline, so the summary and /metrics never disagree.
package metrics

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Pipeline counts what every stage did. Labels are bounded: source names
// come from the configuration, reasons and outcomes from fixed lists.
type Pipeline struct {
	Registry *prometheus.Registry

	discovered *prometheus.CounterVec
	queued     *prometheus.CounterVec
	fetched    *prometheus.CounterVec
	fetchTime  *prometheus.HistogramVec
	skipped    *prometheus.CounterVec
	extracted  *prometheus.CounterVec
	extractDur prometheus.Histogram
	published  *prometheus.CounterVec
	stored     *prometheus.CounterVec
	batchTime  prometheus.Histogram
	failed     *prometheus.CounterVec
	dead       *prometheus.CounterVec
	crawls     *prometheus.CounterVec
	lastCrawl  *prometheus.GaugeVec
	nearDups   *prometheus.CounterVec
	imported   *prometheus.CounterVec
	traps      *prometheus.CounterVec

	mu    sync.Mutex
	tally Summary
}

// Summary is the tally of one process since it started.
type Summary struct {
	Discovered int            `json:"discovered"`
	Queued     int            `json:"queued"`
	Fetched    int            `json:"fetched"`
	Skipped    map[string]int `json:"skipped"`
	Extracted  int            `json:"extracted"`
	Published  int            `json:"published"`
	// NearDuplicates counts the published articles that nearly copy an
	// earlier one.
	NearDuplicates int            `json:"near_duplicates,omitempty"`
	Stored         map[string]int `json:"stored"`
	Failed         map[string]int `json:"failed"`
	Dead           int            `json:"dead_lettered"`
	// Traps counts the spider traps recognised and cut short, by kind
	// (see crawler.Trap*).
	Traps map[string]int `json:"traps,omitempty"`
	// Sources holds the same counts per source where they are known.
	Sources map[string]*SourceSummary `json:"sources"`
}

// SourceSummary is the tally of one source.
type SourceSummary struct {
	Discovered int       `json:"discovered"`
	Fetched    int       `json:"fetched"`
	Skipped    int       `json:"skipped"`
	Published  int       `json:"published"`
	Failed     int       `json:"failed"`
	LastCrawl  time.Time `json:"last_crawl,omitzero"`
	LastError  string    `json:"last_error,omitempty"`
	// CrawlFailed says that the last discovery run of the source failed
	// as a whole; a --once run with such a source exits with status 3.
	CrawlFailed bool           `json:"crawl_failed,omitempty"`
	Errors      map[string]int `json:"errors,omitempty"`
	Traps       map[string]int `json:"traps,omitempty"`

	// Answered counts fetches with a 2xx or 304 answer, FetchFailed the
	// fetches that failed for good: a source with failures and no answer
	// failed as a whole.
	Answered    int `json:"answered"`
	FetchFailed int `json:"fetch_failed"`
}

// New registers the pipeline metrics, with Go runtime and process metrics,
// on a fresh registry.
func New() *Pipeline {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	p := &Pipeline{
		Registry: r,
		discovered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_urls_discovered_total", Help: "Article URLs found by discovery, by source and way (feed, sitemap, page).",
		}, []string{"source", "via"}),
		queued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_urls_queued_total", Help: "Fetch tasks put on the frontier.",
		}, []string{"source"}),
		fetched: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_pages_fetched_total", Help: "Pages fetched, by source and HTTP status class.",
		}, []string{"source", "status"}),
		fetchTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsflow_fetch_seconds", Help: "Time to fetch one page, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}, []string{"source"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_urls_skipped_total", Help: "URLs not turned into articles, by source and reason.",
		}, []string{"source", "reason"}),
		extracted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_articles_extracted_total", Help: "Articles extracted from fetched pages.",
		}, []string{"source"}),
		extractDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "newsflow_extract_seconds", Help: "Time to extract one page.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 10),
		}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_articles_published_total", Help: "Articles published on the NEWS stream.",
		}, []string{"source"}),
		stored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_articles_stored_total", Help: "Articles committed by the store worker, by outcome (inserted, updated, unchanged).",
		}, []string{"outcome"}),
		batchTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "newsflow_store_batch_seconds", Help: "Time to upsert and commit one batch.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10),
		}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_failures_total", Help: "Failures by stage, source (empty for the store stage) and reason.",
		}, []string{"stage", "source", "reason"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_dead_letters_total", Help: "Messages sent to news.dead.<stage>.",
		}, []string{"stage"}),
		crawls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_crawls_total", Help: "Discovery runs per source, by result: ok, or failed (the run ended in an error, or every discovery document failed).",
		}, []string{"source", "result"}),
		lastCrawl: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsflow_crawl_last_success_timestamp_seconds", Help: "When discovery of a source last finished without error.",
		}, []string{"source"}),
		nearDups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_near_duplicates_total", Help: "Articles published as near copies of an earlier article, by source.",
		}, []string{"source"}),
		imported: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_import_records_total", Help: "WARC records read by import, by outcome (published, or why not).",
		}, []string{"outcome"}),
		traps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsflow_traps_total", Help: "Spider traps recognised and cut short, by source and kind (redirect_chain, redirect_loop, pagination, calendar, session_id, long_url, duplicate_content, budget).",
		}, []string{"source", "kind"}),
		tally: Summary{
			Skipped: map[string]int{}, Stored: map[string]int{}, Failed: map[string]int{}, Traps: map[string]int{},
			Sources: map[string]*SourceSummary{},
		},
	}
	r.MustRegister(p.discovered, p.queued, p.fetched, p.fetchTime, p.skipped, p.extracted, p.extractDur,
		p.published, p.stored, p.batchTime, p.failed, p.dead, p.crawls, p.lastCrawl, p.traps, p.nearDups, p.imported)
	return p
}

func (p *Pipeline) source(name string) *SourceSummary {
	s := p.tally.Sources[name]
	if s == nil {
		s = &SourceSummary{Errors: map[string]int{}, Traps: map[string]int{}}
		p.tally.Sources[name] = s
	}
	return s
}

// Discovered counts an article URL found by discovery.
func (p *Pipeline) Discovered(source, via string) {
	p.discovered.WithLabelValues(source, via).Inc()
	p.mu.Lock()
	p.tally.Discovered++
	p.source(source).Discovered++
	p.mu.Unlock()
}

// Queued counts a task put on the frontier.
func (p *Pipeline) Queued(source string) {
	p.queued.WithLabelValues(source).Inc()
	p.mu.Lock()
	p.tally.Queued++
	p.mu.Unlock()
}

// Fetched counts a page fetched with an HTTP status (0 when there was none).
func (p *Pipeline) Fetched(source string, status int, took time.Duration) {
	p.fetched.WithLabelValues(source, StatusClass(status)).Inc()
	p.fetchTime.WithLabelValues(source).Observe(took.Seconds())
	p.mu.Lock()
	p.tally.Fetched++
	src := p.source(source)
	src.Fetched++
	if c := StatusClass(status); c == "2xx" || c == "304" {
		src.Answered++
	}
	p.mu.Unlock()
}

// Skipped counts a URL that was deliberately not turned into an article.
func (p *Pipeline) Skipped(source, reason string) {
	p.skipped.WithLabelValues(source, reason).Inc()
	p.mu.Lock()
	p.tally.Skipped[reason]++
	p.source(source).Skipped++
	p.mu.Unlock()
}

// Extracted counts an article extracted from a page.
func (p *Pipeline) Extracted(source string, took time.Duration) {
	p.extracted.WithLabelValues(source).Inc()
	p.extractDur.Observe(took.Seconds())
	p.mu.Lock()
	p.tally.Extracted++
	p.mu.Unlock()
}

// Published counts an article published on the stream.
func (p *Pipeline) Published(source string) {
	p.published.WithLabelValues(source).Inc()
	p.mu.Lock()
	p.tally.Published++
	p.source(source).Published++
	p.mu.Unlock()
}

// NearDuplicate counts an article published as a near copy of another.
func (p *Pipeline) NearDuplicate(source string) {
	p.nearDups.WithLabelValues(source).Inc()
	p.mu.Lock()
	p.tally.NearDuplicates++
	p.mu.Unlock()
}

// ImportRecord counts a WARC record read by import, by its outcome.
func (p *Pipeline) ImportRecord(outcome string) { p.imported.WithLabelValues(outcome).Inc() }

// Stored counts articles committed by the store worker.
func (p *Pipeline) Stored(outcome string, n int) {
	if n == 0 {
		return
	}
	p.stored.WithLabelValues(outcome).Add(float64(n))
	p.mu.Lock()
	p.tally.Stored[outcome] += n
	p.mu.Unlock()
}

// Batch records the time of one store batch.
func (p *Pipeline) Batch(took time.Duration) { p.batchTime.Observe(took.Seconds()) }

// Failed counts a failure of a stage; source may be empty.
func (p *Pipeline) Failed(stage, source, reason, detail string) {
	p.failed.WithLabelValues(stage, source, reason).Inc()
	p.mu.Lock()
	p.tally.Failed[stage+":"+reason]++
	if source != "" {
		s := p.source(source)
		s.Failed++
		s.Errors[reason]++
		s.LastError = detail
		if stage == "fetch" {
			s.FetchFailed++
		}
	}
	p.mu.Unlock()
}

// DeadLettered counts messages sent to the dead-letter subject of a stage.
func (p *Pipeline) DeadLettered(stage string, n int) {
	p.dead.WithLabelValues(stage).Add(float64(n))
	p.mu.Lock()
	p.tally.Dead += n
	p.mu.Unlock()
}

// CrawlDone records the end of one discovery run of a source: err says it
// failed (every discovery document failed, or the run itself). A failed
// run counts as result="failed" and does not renew the last-success time.
func (p *Pipeline) CrawlDone(source string, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	} else {
		p.lastCrawl.WithLabelValues(source).SetToCurrentTime()
	}
	p.crawls.WithLabelValues(source, result).Inc()
	p.mu.Lock()
	s := p.source(source)
	s.LastCrawl = time.Now().UTC()
	s.CrawlFailed = err != nil
	if err != nil {
		s.LastError = err.Error()
	}
	p.mu.Unlock()
}

// Trap counts a spider trap of a source recognised and cut short: a
// redirect chain or loop, endless pagination, a calendar, session ids or
// ever-growing URLs, one page under many URLs, or the round's fetch budget
// spent.
func (p *Pipeline) Trap(source, kind string) {
	p.traps.WithLabelValues(source, kind).Inc()
	p.mu.Lock()
	p.tally.Traps[kind]++
	p.source(source).Traps[kind]++
	p.mu.Unlock()
}

// FailedSources returns, in order, the sources that failed as a whole:
// their last discovery run failed, or every fetch failed (at least
// minFailedFetches failed and none was answered with 2xx or 304; one or two
// broken pages of a source whose other articles are fresh are not that).
func (s Summary) FailedSources() []string {
	const minFailedFetches = 3
	var out []string
	for name, src := range s.Sources {
		if src.CrawlFailed || (src.FetchFailed >= minFailedFetches && src.Answered == 0) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Snapshot returns a copy of the tally.
func (p *Pipeline) Snapshot() Summary {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.tally
	s.Skipped = copyMap(p.tally.Skipped)
	s.Stored = copyMap(p.tally.Stored)
	s.Failed = copyMap(p.tally.Failed)
	s.Traps = copyMap(p.tally.Traps)
	s.Sources = make(map[string]*SourceSummary, len(p.tally.Sources))
	for k, v := range p.tally.Sources {
		c := *v
		c.Errors = copyMap(v.Errors)
		c.Traps = copyMap(v.Traps)
		s.Sources[k] = &c
	}
	return s
}

func copyMap(m map[string]int) map[string]int {
	c := make(map[string]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// StatusClass maps an HTTP status to a bounded label: 2xx, 304, 3xx, 4xx,
// 5xx, or error when no response came.
func StatusClass(status int) string {
	switch {
	case status == 0:
		return "error"
	case status == 304:
		return "304"
	case status < 300:
		return "2xx"
	case status < 400:
		return "3xx"
	case status < 500:
		return "4xx"
	default:
		return "5xx"
	}
}

// SortedKeys returns the keys of a count map in order, for printing.
func SortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }
