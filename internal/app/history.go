package app

import (
	"context"
	"sync"
	"time"

	"github.com/newsflow/newsflow/internal/metrics"
)

// The dashboard's history: a process serving the dashboard samples the
// pipeline's counts every historyEvery and keeps the last hour of them,
// so that a page opened (or reloaded) now draws the last hour at once
// instead of starting its charts empty.

// historyEvery is the interval of the dashboard's history, historyKeep how
// many points it keeps (an hour), and historySparks how many of the latest
// points carry the count of every source, for the sources' trends.
const (
	historyEvery  = 10 * time.Second
	historyKeep   = 360
	historySparks = 30
)

// HistoryPoint is the pipeline's counts at one time; the page draws the
// differences between points.
type HistoryPoint struct {
	Time      time.Time `json:"t"`
	Fetched   int       `json:"fetched"`
	Published int       `json:"published"`
	Stored    int       `json:"stored"`
	Failed    int       `json:"failed"`
	// Sources holds the pages fetched of each source, in the latest
	// historySparks points only.
	Sources map[string]int `json:"sources,omitzero"`
}

// history is a ring of the latest points.
type history struct {
	mu     sync.Mutex
	points []HistoryPoint // oldest first, at most historyKeep
}

// add appends a point, dropping the oldest beyond historyKeep.
func (h *history) add(p HistoryPoint) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.points) == historyKeep {
		copy(h.points, h.points[1:])
		h.points = h.points[:historyKeep-1]
	}
	h.points = append(h.points, p)
}

// since returns the points after t (all of them for the zero time), oldest
// first; only the latest historySparks points of all carry sources.
func (h *history) since(t time.Time) []HistoryPoint {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []HistoryPoint
	for i, p := range h.points {
		if !p.Time.After(t) {
			continue
		}
		if i < len(h.points)-historySparks {
			p.Sources = nil
		}
		out = append(out, p)
	}
	return out
}

// pointOf is the history point of a tally.
func pointOf(t time.Time, s *metrics.Summary) HistoryPoint {
	p := HistoryPoint{Time: t.UTC(), Fetched: s.Fetched, Published: s.Published, Sources: map[string]int{}}
	for _, n := range s.Stored {
		p.Stored += n
	}
	for _, n := range s.Failed {
		p.Failed += n
	}
	for name, src := range s.Sources {
		p.Sources[name] = src.Fetched
	}
	return p
}

// sampleHistory adds the pipeline's counts as they are now to the
// dashboard's history (this process's tally when there is no bus).
func (a *App) sampleHistory(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, statsTimeout)
	defer cancel()
	counts, err := a.PipelineCounts(ctx)
	if err != nil {
		return // a gap in the chart, not an error to report
	}
	if counts == nil {
		s := a.Metrics.Snapshot()
		counts = &s
	}
	a.hist.add(pointOf(time.Now(), counts))
}

// keepHistory samples the dashboard's history every historyEvery until ctx
// ends.
func (a *App) keepHistory(ctx context.Context) {
	tick := time.NewTicker(historyEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			a.sampleHistory(ctx)
		}
	}
}
