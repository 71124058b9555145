package app

import (
	"testing"

	"github.com/newsflow/newsflow"
)

// TestRoundBounds: a round's budget comes from the source, a new round
// starts with a fresh budget and forgets the content seen, and the same
// content under a second URL is a duplicate while the same URL again is
// not.
func TestRoundBounds(t *testing.T) {
	a := &App{}
	src := &newsflow.Source{Name: "s", MaxArticles: 10}
	r := a.round(src)
	if r != a.round(src) {
		t.Fatal("round: a second call started a new round")
	}
	if got := r.budget.Limit(); got != 4*10+500 {
		t.Errorf("budget %d, want 4 x max_articles + 500", got)
	}
	if r.duplicate("h1", "https://a.example/1") || r.duplicate("h1", "https://a.example/1") {
		t.Error("the same URL twice is not a duplicate")
	}
	if !r.duplicate("h1", "https://a.example/2") {
		t.Error("the same content under another URL is a duplicate")
	}
	next := a.newRound(src)
	if next == r || a.round(src) != next || next.duplicate("h1", "https://a.example/2") || next.budget.Used() != 0 {
		t.Error("a new round keeps the old one's state")
	}
	src.MaxFetches = 7
	if got := a.newRound(src).budget.Limit(); got != 7 {
		t.Errorf("max_fetches 7 gave a budget of %d", got)
	}
}
