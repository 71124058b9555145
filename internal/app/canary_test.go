package app

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

func TestCanaryJudge(t *testing.T) {
	article := pageSign{Words: 600, Title: true, Date: true, Author: true}
	healthy := func(c *canaryState, n int) {
		for i := range n {
			p := article
			p.Words += i * 10
			c.observe(p)
		}
	}
	for _, tc := range []struct {
		name string
		page pageSign
		want []string
	}{
		{"same pages", article, nil},
		{"consent wall read as a short article", pageSign{Words: 43, Title: true}, []string{healthShortText, healthNoDate, healthNoAuthor}},
		{"block page judged not an article", pageSign{NotArticle: true}, []string{healthNotArticle}},
		{"bylines lost in a redesign", pageSign{Words: 580, Title: true, Date: true}, []string{healthNoAuthor}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c canaryState
			if h := c.observe(article); h.State != "learning" {
				t.Errorf("first page: %s, want learning", h.State)
			}
			healthy(&c, 30)
			var h SourceHealth
			for range canaryWindow {
				h = c.observe(tc.page)
			}
			if !slices.Equal(h.Reasons, tc.want) {
				t.Errorf("reasons %v, want %v (recent %+v, baseline %+v)", h.Reasons, tc.want, h.Recent, h.Baseline)
			}
			if want := map[bool]string{true: "ok", false: "warning"}[tc.want == nil]; h.State != want {
				t.Errorf("state %s, want %s", h.State, want)
			}
		})
	}

	// A source that stays different becomes its own new baseline.
	var c canaryState
	healthy(&c, 30)
	wall := pageSign{NotArticle: true}
	warned := 0
	for range canaryAdopt + 2*canaryWindow {
		if c.observe(wall).State == "warning" {
			warned++
		} else if warned > 0 {
			break
		}
	}
	if warned < canaryAdopt || warned >= canaryAdopt+canaryWindow {
		t.Errorf("a changed source warned for %d pages before its new look became the baseline, want %d or a few more", warned, canaryAdopt)
	}
}

// TestCanaryTemplateSwitch crawls the fixture site, recrawls it as is, then
// puts one outlet behind a consent wall and recrawls again: only that
// outlet is reported, on /metrics, in Status, and by a later process
// reading the saved canaries.
func TestCanaryTemplateSwitch(t *testing.T) {
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	for i := range cfg.Sources {
		cfg.Sources[i].Recrawl = newsflow.Duration(time.Millisecond) // every recrawl asks for every page again
	}
	// Each crawl is a process of its own, as from cron: the canaries go on
	// from the deployment's state, and the frontier forgets the URLs it
	// queued, so that every page is asked for again.
	var a *App
	crawl := func() {
		if a != nil {
			a.Close()
		}
		a = openApp(t, cfg)
		runOnce(t, a)
	}
	check := func(when string, want map[string]string) {
		t.Helper()
		h := a.Health()
		for name, state := range want {
			if h[name].State != state {
				t.Errorf("%s: %s is %q %v, want %q (recent %+v, baseline %+v)", when, name, h[name].State, h[name].Reasons, state, h[name].Recent, h[name].Baseline)
			}
		}
	}
	allOK := map[string]string{"wire": "ok", "broadsheet": "ok", "viewus": "ok"}

	crawl()
	check("first crawl", allOK)
	hits := site.TotalHits()
	crawl()
	check("normal recrawl", allOK)
	if site.TotalHits() == hits {
		t.Fatal("the recrawl asked for nothing")
	}

	if !site.Redesign("wire") {
		t.Fatal("no outlet wire")
	}
	crawl()
	check("after wire's redesign", map[string]string{"wire": "warning", "broadsheet": "ok", "viewus": "ok"})
	reasons := a.Health()["wire"].Reasons
	t.Logf("wire reported for %v: %+v", reasons, a.Health()["wire"])
	_, metrics := fetchURL(t, serveApp(t, a)+"/metrics")
	firing := regexp.MustCompile(`newsflow_source_health\{reason="(\w+)",source="(\w+)"\} 1`).FindAllSubmatch(metrics, -1)
	var got []string
	for _, m := range firing {
		if string(m[2]) != "wire" {
			t.Errorf("/metrics reports %s for %s", m[1], m[2])
		}
		got = append(got, string(m[1]))
	}
	slices.Sort(got)
	if want := slices.Sorted(slices.Values(reasons)); !slices.Equal(got, want) || !strings.Contains(string(metrics), `newsflow_source_health{reason="not_article",source="viewus"} 0`) {
		t.Errorf("/metrics reports %v for wire, want %v:\n%s", got, want, grepLines(metrics, "newsflow_source_health"))
	}

	// Saved with the deployment's state: a process that does not crawl
	// reads the same verdict.
	a.Close()
	other, err := Open(context.Background(), cfg, testLogger(t), Need{Bus: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	st := other.Status(context.Background())
	if h := st.Health["wire"]; h.State != "warning" || !slices.Equal(h.Reasons, reasons) || st.Health["viewus"].State != "ok" {
		t.Errorf("saved canaries: %+v", st.Health)
	}
}

// TestAlertRules runs the unit tests of the Prometheus alert rules,
// newsflow_source_health's among them, with promtool.
func TestAlertRules(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("no promtool on this machine (Debian: apt-get install prometheus); the alert rules are not tested")
	}
	out, err := exec.Command(promtool, "test", "rules", filepath.Join("..", "..", "deploy", "prometheus", "alerts_test.yml")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "SUCCESS") {
		t.Errorf("promtool test rules: %v\n%s", err, out)
	}
}
