package metrics

import (
	"slices"
	"testing"
	"time"
)

// A source fails as a whole when its last round failed, or, before a
// round ended, when every fetch failed; one answered fetch, or a failure
// elsewhere, is not that.
func TestFailedSources(t *testing.T) {
	p := New()
	p.CrawlDone("gone", CrawlFailed, "every discovery document failed")
	p.Fetched("blocked", 403, 0)
	p.Failed("fetch", "blocked", "http_403", "HTTP 403")
	p.Fetched("blocked", 0, 0)
	p.Failed("fetch", "blocked", "network", "refused")
	p.Fetched("blocked", 403, 0)
	p.Failed("fetch", "blocked", "http_403", "HTTP 403")
	// One broken page of a source whose other articles are fresh.
	p.Skipped("onebroken", "fresh")
	p.Fetched("onebroken", 500, 0)
	p.Failed("fetch", "onebroken", "http_500", "HTTP 500")
	p.Fetched("flaky", 200, 0)
	p.Fetched("flaky", 500, 0)
	p.Failed("fetch", "flaky", "http_500", "HTTP 500")
	p.CrawlDone("fine", CrawlOK, "")
	p.Failed("state", "fine", "save", "state not saved")
	if got := p.Snapshot().FailedSources(); !slices.Equal(got, []string{"blocked", "gone"}) {
		t.Errorf("failed sources %v, want [blocked gone]", got)
	}
	p.CrawlDone("gone", CrawlOK, "")
	p.CrawlDone("blocked", CrawlPartial, "")
	if got := p.Snapshot().FailedSources(); len(got) != 0 {
		t.Errorf("after good rounds: %v, want none", got)
	}
}

func TestRoundResult(t *testing.T) {
	for _, c := range []struct {
		answered, failed int
		want             string
	}{
		{0, 0, CrawlOK}, {5, 0, CrawlOK}, {5, 1, CrawlPartial}, {0, 1, CrawlPartial},
		{0, MinFailedFetches, CrawlFailed}, {1, 10, CrawlPartial},
	} {
		if got := RoundResult(c.answered, c.failed); got != c.want {
			t.Errorf("RoundResult(%d, %d) = %s, want %s", c.answered, c.failed, got, c.want)
		}
	}
}

// The deltas a process takes add up to its tally, also when one is handed
// back; two processes' tallies add up to the pipeline's.
func TestDeltasAddUp(t *testing.T) {
	a, b := New(), New()
	var sum Summary
	for i := range 3 {
		a.Fetched("x", 200, time.Second)
		a.Skipped("x", "not_article")
		b.Fetched("x", 500, time.Second)
		b.Failed("fetch", "x", "http_500", "HTTP 500")
		b.Published("y")
		d, ok := a.TakeDelta()
		if !ok {
			t.Fatal("a counted and has no delta")
		}
		if i == 1 {
			a.GiveBack(d) // not flushed: the next delta carries it
		} else {
			sum.Add(d)
		}
	}
	if _, ok := a.TakeDelta(); ok {
		t.Error("a delta after everything was taken")
	}
	d, _ := b.TakeDelta()
	sum.Add(d)
	a.CrawlDone("x", CrawlOK, "")
	d, _ = a.TakeDelta()
	sum.Add(d)
	x, y := sum.Sources["x"], sum.Sources["y"]
	if sum.Fetched != 6 || x.Fetched != 6 || x.Answered != 3 || x.FetchFailed != 3 || x.SkipReasons["not_article"] != 3 ||
		x.Errors["http_500"] != 3 || x.FetchSeconds != 6 || y.Published != 3 || sum.Published != 3 || x.Result != CrawlOK {
		t.Errorf("pipeline: %+v\nx %+v\ny %+v", sum, x, y)
	}
	want := a.Snapshot()
	want.Add(b.Snapshot())
	if want.Sources["x"].Fetched != x.Fetched || want.Skipped["not_article"] != sum.Skipped["not_article"] {
		t.Errorf("tallies %+v, deltas %+v", want, sum)
	}
}
