package app

import (
	"sync"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/crawler"
)

// round is what bounds the work of one crawl round of a source: its fetch
// budget, shared by discovery and the fetch workers, and the content seen
// so far, to tell one page served under many URLs.
type round struct {
	budget *crawler.Budget

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
