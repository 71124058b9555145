package app

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
)

// The ring keeps the last hour, and only its latest points carry every
// source's count.
func TestHistoryRing(t *testing.T) {
	var h history
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range historyKeep + 40 {
		h.add(HistoryPoint{Time: t0.Add(time.Duration(i) * historyEvery), Fetched: i, Sources: map[string]int{"x": i}})
	}
	all := h.since(time.Time{})
	if len(all) != historyKeep || all[0].Fetched != 40 || all[len(all)-1].Fetched != historyKeep+39 {
		t.Fatalf("%d points from %d to %d", len(all), all[0].Fetched, all[len(all)-1].Fetched)
	}
	for i, p := range all {
		if (p.Sources != nil) != (i >= historyKeep-historySparks) {
			t.Errorf("point %d carries sources: %v", i, p.Sources)
		}
	}
	if got := h.since(all[len(all)-3].Time); len(got) != 2 || got[1].Fetched != historyKeep+39 || got[0].Sources == nil {
		t.Errorf("since the third last: %+v", got)
	}
}

// The dashboard's first poll brings the history kept on the server, so
// that a reloaded page draws what happened before it was opened; later
// polls bring only the points after the last one they have.
func TestDashboardHistory(t *testing.T) {
	site := startSite(t)
	a := openApp(t, testConfig(t, site, t.TempDir()))
	base := serveApp(t, a)
	sum := runOnce(t, a)
	a.sampleHistory(t.Context())
	var d Dashboard
	if err := json.Unmarshal([]byte(get(t, base+"/api/dashboard")), &d); err != nil {
		t.Fatal(err)
	}
	// The first point was taken when the endpoint started, before the run.
	if len(d.History) < 2 || d.HistoryEvery != historyEvery.Seconds() {
		t.Fatalf("history: %d points every %vs", len(d.History), d.HistoryEvery)
	}
	first, last := d.History[0], d.History[len(d.History)-1]
	if first.Published != 0 || last.Published != sum.Published || last.Fetched != sum.Fetched || last.Stored != len(site.Articles()) {
		t.Errorf("history from %+v to %+v; the run published %d, fetched %d", first, last, sum.Published, sum.Fetched)
	}
	for name, s := range sum.Sources {
		if last.Sources[name] != s.Fetched {
			t.Errorf("source %s: %d fetched in the history, %d in the run", name, last.Sources[name], s.Fetched)
		}
	}
	var next Dashboard
	if err := json.Unmarshal([]byte(get(t, base+"/api/dashboard?since="+url.QueryEscape(last.Time.Format(time.RFC3339Nano)))), &next); err != nil {
		t.Fatal(err)
	}
	if len(next.History) != 0 {
		t.Errorf("a poll since the last point got %d points", len(next.History))
	}
}
