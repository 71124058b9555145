package app

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/crawler"
	"github.com/newsflow/newsflow/internal/metrics"
)

// round is what bounds the work of one crawl round of a source: its fetch
// budget, shared by discovery and the fetch workers, and the content seen
// so far, to tell one page served under many URLs. It also follows how
// the round goes, for its result (see endRound).
type round struct {
	budget *crawler.Budget

	// answered and failed count the round's fetches answered with 2xx or
	// 304, and those that failed; inFlight the tasks being worked on.
	answered, failed, inFlight atomic.Int64
	// discovered is set once discovery of the round ended well, ended
	// once the round's result is recorded.
	discovered, ended atomic.Bool

	mu       sync.Mutex
	contents map[string]string // content hash -> first URL
}

// maxRoundContents bounds the content hashes a round remembers.
const maxRoundContents = 100_000

func newRound(src *newsflow.Source) *round {
	return &round{budget: crawler.NewBudget(src.FetchBudget()), contents: map[string]string{}}
}

// duplicate records that u holds content of the given hash, and reports
// whether another URL held it before in this round.
func (r *round) duplicate(hash, u string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if first, ok := r.contents[hash]; ok {
		return first != u
	}
	if len(r.contents) >= maxRoundContents {
		clear(r.contents)
	}
	r.contents[hash] = u
	return false
}

// round returns the current round of a source, starting one if there is
// none yet.
func (a *App) round(src *newsflow.Source) *round {
	if r, ok := a.rounds.Load(src.Name); ok {
		return r.(*round)
	}
	r, _ := a.rounds.LoadOrStore(src.Name, newRound(src))
	return r.(*round)
}

// newRound starts a new round of a source, with a fresh budget.
func (a *App) newRound(src *newsflow.Source) *round {
	r := newRound(src)
	a.rounds.Store(src.Name, r)
	return r
}

// trapsOf counts the traps that discovery recognised; a spent budget is
// counted once per round, whoever met it first.
func (a *App) trapsOf(src *newsflow.Source, r *round, traps map[string]int) {
	for kind, n := range traps {
		if kind == crawler.TrapBudget {
			if r.budget.FirstRefusal() {
				a.Metrics.Trap(src.Name, kind)
			}
			continue
		}
		for range n {
			a.Metrics.Trap(src.Name, kind)
		}
	}
}

// fetched counts a fetch of the round answered with an HTTP status.
func (r *round) fetched(status int) {
	if c := metrics.StatusClass(status); c == "2xx" || c == "304" {
		r.answered.Add(1)
	}
}

// endRound records the result of a source's round once: failed when its
// discovery failed (err), else from its fetches (metrics.RoundResult), or,
// when it fetched nothing, the result of the source's last round. A
// round ends when its fetch workers find the frontier empty after its
// discovery, when the next round starts, and when a once run ends.
func (a *App) endRound(src *newsflow.Source, r *round, err error) {
	if r == nil || !r.ended.CompareAndSwap(false, true) {
		return
	}
	answered, failed := int(r.answered.Load()), int(r.failed.Load())
	result, why := metrics.RoundResult(answered, failed), ""
	switch {
	case err != nil:
		result, why = metrics.CrawlFailed, err.Error()
	case answered+failed == 0:
		// Nothing was fetched (every URL fresh, or queued within the
		// frontier's duplicate window): the round learned nothing of the
		// source's health, and the last round's result stands, so that a
		// source that refused every page keeps failing.
		if last, ok := a.lastResults.Load(src.Name); ok {
			result = last.(string)
		}
	case result == metrics.CrawlFailed:
		why = fmt.Sprintf("every fetch of the round failed (%d)", failed)
	}
	a.lastResults.Store(src.Name, result)
	a.Metrics.CrawlDone(src.Name, result, why)
	a.Log.Debug("crawl round done", "source", src.Name, "result", result, "answered", answered, "failed", failed)
}

// endRoundIfIdle ends the current round of a source when its discovery is
// over and none of its tasks is in flight here: a fetch worker found the
// frontier empty.
func (a *App) endRoundIfIdle(src *newsflow.Source) {
	v, ok := a.rounds.Load(src.Name)
	if !ok {
		return
	}
	if r := v.(*round); r.discovered.Load() && r.inFlight.Load() == 0 {
		a.endRound(src, r, nil)
	}
}

// endCurrentRound ends the current round of a source, if its discovery
// ended well (a round whose discovery failed ended with it).
func (a *App) endCurrentRound(src *newsflow.Source) {
	if v, ok := a.rounds.Load(src.Name); ok && v.(*round).discovered.Load() {
		a.endRound(src, v.(*round), nil)
	}
}
