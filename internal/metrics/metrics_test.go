package metrics

import (
	"errors"
	"slices"
	"testing"
)

// A source fails as a whole when its discovery failed or when every fetch
// failed; one answered fetch, or a failure elsewhere, is not that.
func TestFailedSources(t *testing.T) {
	p := New()
	p.CrawlDone("gone", errors.New("every discovery document failed"))
	p.CrawlDone("blocked", nil)
	p.Fetched("blocked", 403, 0)
	p.Failed("fetch", "blocked", "http_403", "HTTP 403")
	p.Fetched("blocked", 0, 0)
	p.Failed("fetch", "blocked", "network", "refused")
	p.Fetched("blocked", 403, 0)
	p.Failed("fetch", "blocked", "http_403", "HTTP 403")
	// One broken page of a source whose other articles are fresh.
	p.CrawlDone("onebroken", nil)
	p.Skipped("onebroken", "fresh")
	p.Fetched("onebroken", 500, 0)
	p.Failed("fetch", "onebroken", "http_500", "HTTP 500")
	p.CrawlDone("flaky", nil)
	p.Fetched("flaky", 200, 0)
	p.Fetched("flaky", 500, 0)
	p.Failed("fetch", "flaky", "http_500", "HTTP 500")
	p.CrawlDone("fine", nil)
	p.Failed("state", "fine", "save", "state not saved")
	if got := p.Snapshot().FailedSources(); !slices.Equal(got, []string{"blocked", "gone"}) {
		t.Errorf("failed sources %v, want [blocked gone]", got)
	}
	p.CrawlDone("gone", nil)
	if got := p.Snapshot().FailedSources(); !slices.Equal(got, []string{"blocked"}) {
		t.Errorf("after a good crawl of gone: %v, want [blocked]", got)
	}
}
