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
	// delta is what was counted since the last TakeDelta, for the
	// pipeline's counts on the bus (see TakeDelta).
	delta Summary
	dirty bool
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
	// Result is how the last crawl round of the source ended: CrawlOK,
	// CrawlPartial or CrawlFailed; a --once run with a failed source exits
	// with status 3.
	Result string         `json:"result,omitempty"`
	Errors map[string]int `json:"errors,omitempty"`
	Traps  map[string]int `json:"traps,omitempty"`
	// SkipReasons counts the skipped URLs by reason (not_article,
	// not_modified, robots, ...).
	SkipReasons map[string]int `json:"skip_reasons,omitempty"`
	// FetchSeconds is the time spent on the fetched pages, retries
	// included: FetchSeconds/Fetched is the mean fetch time.
	FetchSeconds float64 `json:"fetch_seconds,omitempty"`

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
			Name: "newsflow_crawls_total", Help: "Crawl rounds per source, by result: ok; partial (some fetches failed); failed (discovery failed, or every fetch of the round failed).",
		}, []string{"source", "result"}),
		lastCrawl: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsflow_crawl_last_success_timestamp_seconds", Help: "When a crawl round of a source last ended ok or partial.",
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
		tally: NewSummary(),
		delta: NewSummary(),
	}
	r.MustRegister(p.discovered, p.queued, p.fetched, p.fetchTime, p.skipped, p.extracted, p.extractDur,
		p.published, p.stored, p.batchTime, p.failed, p.dead, p.crawls, p.lastCrawl, p.traps, p.nearDups, p.imported)
	return p
}

// NewSummary returns an empty tally.
func NewSummary() Summary {
	return Summary{
		Skipped: map[string]int{}, Stored: map[string]int{}, Failed: map[string]int{}, Traps: map[string]int{},
		Sources: map[string]*SourceSummary{},
	}
}

// source returns the tally of a source, starting it.
func (s *Summary) source(name string) *SourceSummary {
	if s.Sources == nil {
		s.Sources = map[string]*SourceSummary{}
	}
	src := s.Sources[name]
	if src == nil {
		src = &SourceSummary{Errors: map[string]int{}, Traps: map[string]int{}, SkipReasons: map[string]int{}}
		s.Sources[name] = src
	}
	return src
}

// count applies fn to the process's tally and to the delta not yet
// flushed to the bus.
func (p *Pipeline) count(fn func(s *Summary)) {
	p.mu.Lock()
	fn(&p.tally)
	fn(&p.delta)
	p.dirty = true
	p.mu.Unlock()
}

// Discovered counts an article URL found by discovery.
func (p *Pipeline) Discovered(source, via string) {
	p.discovered.WithLabelValues(source, via).Inc()
	p.count(func(s *Summary) {
		s.Discovered++
		s.source(source).Discovered++
	})
}

// Queued counts a task put on the frontier.
func (p *Pipeline) Queued(source string) {
	p.queued.WithLabelValues(source).Inc()
	p.count(func(s *Summary) { s.Queued++ })
}

// Fetched counts a page fetched with an HTTP status (0 when there was none).
func (p *Pipeline) Fetched(source string, status int, took time.Duration) {
	p.fetched.WithLabelValues(source, StatusClass(status)).Inc()
	p.fetchTime.WithLabelValues(source).Observe(took.Seconds())
	p.count(func(s *Summary) {
		s.Fetched++
		src := s.source(source)
		src.Fetched++
		src.FetchSeconds += took.Seconds()
		if c := StatusClass(status); c == "2xx" || c == "304" {
			src.Answered++
		}
	})
}

// Skipped counts a URL that was deliberately not turned into an article.
func (p *Pipeline) Skipped(source, reason string) {
	p.skipped.WithLabelValues(source, reason).Inc()
	p.count(func(s *Summary) {
		s.Skipped[reason]++
		src := s.source(source)
		src.Skipped++
		src.SkipReasons[reason]++
	})
}

// Extracted counts an article extracted from a page.
func (p *Pipeline) Extracted(source string, took time.Duration) {
	p.extracted.WithLabelValues(source).Inc()
	p.extractDur.Observe(took.Seconds())
	p.count(func(s *Summary) { s.Extracted++ })
}

// Published counts an article published on the stream.
func (p *Pipeline) Published(source string) {
	p.published.WithLabelValues(source).Inc()
	p.count(func(s *Summary) {
		s.Published++
		s.source(source).Published++
	})
}

// NearDuplicate counts an article published as a near copy of another.
func (p *Pipeline) NearDuplicate(source string) {
	p.nearDups.WithLabelValues(source).Inc()
	p.count(func(s *Summary) { s.NearDuplicates++ })
}

// ImportRecord counts a WARC record read by import, by its outcome.
func (p *Pipeline) ImportRecord(outcome string) { p.imported.WithLabelValues(outcome).Inc() }

// Stored counts articles committed by the store worker.
func (p *Pipeline) Stored(outcome string, n int) {
	if n == 0 {
		return
	}
	p.stored.WithLabelValues(outcome).Add(float64(n))
	p.count(func(s *Summary) { s.Stored[outcome] += n })
}

// Batch records the time of one store batch.
func (p *Pipeline) Batch(took time.Duration) { p.batchTime.Observe(took.Seconds()) }

// Failed counts a failure of a stage; source may be empty.
func (p *Pipeline) Failed(stage, source, reason, detail string) {
	p.failed.WithLabelValues(stage, source, reason).Inc()
	p.count(func(s *Summary) {
		s.Failed[stage+":"+reason]++
		if source != "" {
			src := s.source(source)
			src.Failed++
			src.Errors[reason]++
			src.LastError = detail
			if stage == "fetch" {
				src.FetchFailed++
			}
		}
	})
}

// DeadLettered counts messages sent to the dead-letter subject of a stage.
func (p *Pipeline) DeadLettered(stage string, n int) {
	p.dead.WithLabelValues(stage).Add(float64(n))
	p.count(func(s *Summary) { s.Dead += n })
}

// Results of a crawl round of a source.
const (
	// CrawlOK: discovery read its documents and no fetch failed.
	CrawlOK = "ok"
	// CrawlPartial: some fetches of the round failed, others did not.
	CrawlPartial = "partial"
	// CrawlFailed: discovery failed as a whole (every feed, sitemap and
	// start page failed, or the run ended in an error), or every fetch of
	// the round failed (see RoundResult).
	CrawlFailed = "failed"
)

// MinFailedFetches is how many fetches of a round must fail, with none
// answered, for the round to have failed: one or two broken pages of a
// source whose other articles are fresh are not that.
const MinFailedFetches = 3

// RoundResult is the result of a crawl round whose discovery succeeded,
// from the fetches of the round: answered with 2xx or 304, and failed.
func RoundResult(answered, failed int) string {
	switch {
	case answered == 0 && failed >= MinFailedFetches:
		return CrawlFailed
	case failed > 0:
		return CrawlPartial
	}
	return CrawlOK
}

// CrawlDone records the end of one crawl round of a source with its result
// (CrawlOK, CrawlPartial, CrawlFailed) and, when it did not end ok, why. A
// failed round does not renew the last-success time.
func (p *Pipeline) CrawlDone(source, result, why string) {
	if result != CrawlFailed {
		p.lastCrawl.WithLabelValues(source).SetToCurrentTime()
	}
	p.crawls.WithLabelValues(source, result).Inc()
	now := time.Now().UTC()
	p.count(func(s *Summary) {
		src := s.source(source)
		src.LastCrawl = now
		src.Result = result
		if why != "" {
			src.LastError = why
		}
	})
}

// Trap counts a spider trap of a source recognised and cut short: a
// redirect chain or loop, endless pagination, a calendar, session ids or
// ever-growing URLs, one page under many URLs, or the round's fetch budget
// spent.
func (p *Pipeline) Trap(source, kind string) {
	p.traps.WithLabelValues(source, kind).Inc()
	p.count(func(s *Summary) {
		s.Traps[kind]++
		s.source(source).Traps[kind]++
	})
}

// FailedSources returns, in order, the sources that failed as a whole:
// their last crawl round failed (see CrawlFailed), or, before any round
// ended, every fetch failed (at least MinFailedFetches failed and none was
// answered with 2xx or 304).
func (s Summary) FailedSources() []string {
	var out []string
	for name, src := range s.Sources {
		if src.Result == CrawlFailed || (src.Result == "" && RoundResult(src.Answered, src.FetchFailed) == CrawlFailed) {
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
	return p.tally.Clone()
}

// TakeDelta returns what was counted since the last TakeDelta, and starts
// counting anew; ok is false when nothing was. The caller adds it to the
// pipeline's counts on the bus, or hands it back with GiveBack when it
// could not.
func (p *Pipeline) TakeDelta() (d Summary, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.dirty {
		return Summary{}, false
	}
	d, p.delta, p.dirty = p.delta, NewSummary(), false
	return d, true
}

// GiveBack returns a delta taken with TakeDelta that could not be flushed,
// so that the next flush carries it.
func (p *Pipeline) GiveBack(d Summary) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d.Add(p.delta) // what was counted since is the newer
	p.delta, p.dirty = d, true
}

// PendingDelta returns a copy of what was counted since the last
// TakeDelta.
func (p *Pipeline) PendingDelta() Summary {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.delta.Clone()
}

// Clone returns a deep copy of s.
func (s Summary) Clone() Summary {
	c := s
	c.Skipped = copyMap(s.Skipped)
	c.Stored = copyMap(s.Stored)
	c.Failed = copyMap(s.Failed)
	c.Traps = copyMap(s.Traps)
	c.Sources = make(map[string]*SourceSummary, len(s.Sources))
	for k, v := range s.Sources {
		c.Sources[k] = v.Clone()
	}
	return c
}

// Clone returns a deep copy of s.
func (s *SourceSummary) Clone() *SourceSummary {
	c := *s
	c.Errors = copyMap(s.Errors)
	c.Traps = copyMap(s.Traps)
	c.SkipReasons = copyMap(s.SkipReasons)
	return &c
}

// Add adds the counts of o to s: counts are summed; the last crawl, its
// result and the last error are o's where o is newer. It sums the tallies
// of several processes, and a process's deltas.
func (s *Summary) Add(o Summary) {
	s.Totals(o)
	for name, src := range o.Sources {
		s.source(name).Add(src)
	}
}

// Totals adds the pipeline-wide counts of o to s, not its sources.
func (s *Summary) Totals(o Summary) {
	s.Discovered += o.Discovered
	s.Queued += o.Queued
	s.Fetched += o.Fetched
	s.Extracted += o.Extracted
	s.Published += o.Published
	s.NearDuplicates += o.NearDuplicates
	s.Dead += o.Dead
	s.Skipped = addMap(s.Skipped, o.Skipped)
	s.Stored = addMap(s.Stored, o.Stored)
	s.Failed = addMap(s.Failed, o.Failed)
	s.Traps = addMap(s.Traps, o.Traps)
}

// Add adds the counts of o to s, as Summary.Add does.
func (s *SourceSummary) Add(o *SourceSummary) {
	s.Discovered += o.Discovered
	s.Fetched += o.Fetched
	s.Skipped += o.Skipped
	s.Published += o.Published
	s.Failed += o.Failed
	s.Answered += o.Answered
	s.FetchFailed += o.FetchFailed
	s.FetchSeconds += o.FetchSeconds
	s.Errors = addMap(s.Errors, o.Errors)
	s.Traps = addMap(s.Traps, o.Traps)
	s.SkipReasons = addMap(s.SkipReasons, o.SkipReasons)
	if o.LastCrawl.After(s.LastCrawl) {
		s.LastCrawl, s.Result = o.LastCrawl, o.Result
	}
	if o.LastError != "" {
		s.LastError = o.LastError
	}
}

func addMap(to, from map[string]int) map[string]int {
	if to == nil {
		to = map[string]int{}
	}
	for k, v := range from {
		to[k] += v
	}
	return to
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

func copyMap(m map[string]int) map[string]int {
	c := make(map[string]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
