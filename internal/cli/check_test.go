package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/fixture"
)

// TestCheckCommand tries a source of the fixture site: every article it
// links is reported as it would be stored, the pages that are not articles
// with their reasons, and nothing is queued or stored.
func TestCheckCommand(t *testing.T) {
	site, err := fixture.Start(fixture.Options{SlowDelay: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cfg := newsflow.Config{DataDir: data, Sources: site.Sources()}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	cfg.Crawler.Retries = 1
	doc, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "newsflow.yaml")
	os.WriteFile(path, doc, 0o644)

	var wire []fixture.Article
	for _, a := range site.Articles() {
		if a.Source == "wire" {
			wire = append(wire, a)
		}
	}
	code, out, errOut := run(t, "", "check", "--config", path, "--source", "wire", "--max", "100")
	if code != 0 {
		t.Fatalf("check --source wire: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "source wire: discovery found") {
		t.Errorf("check reports no discovery:\n%s", out)
	}
	for _, a := range wire {
		if !strings.Contains(out, "would store  "+a.URL+"\n  title      "+a.Title+"\n") {
			t.Errorf("check does not show %s (%q) as stored", a.URL, a.Title)
		}
	}
	if !strings.Contains(out, "rejected     ") || !strings.Contains(out, "  reason     ") {
		t.Errorf("check rejects nothing on a source with failing pages:\n%s", out)
	}
	if !strings.Contains(out, "checked ") || !strings.Contains(out, itoa(len(wire))+" would be stored") {
		t.Errorf("check's closing line:\n%s", out)
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("check left %v in the data directory", entries)
	}

	// One URL: the article of a configured site with its source's rules;
	// a home page is rejected as not an article.
	a := wire[0]
	code, out, _ = run(t, "", "check", "--config", path, a.URL)
	if code != 0 || !strings.Contains(out, "source wire\n") || !strings.Contains(out, "  title      "+a.Title) || !strings.Contains(out, "1 would be stored") {
		t.Errorf("check URL: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "check", "--config", path, "--json", site.BaseURLs()["wire"]+"/")
	if code != 0 || !strings.Contains(out, `"rejected": "not_article"`) {
		t.Errorf("check of a home page: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, "", "check", "--config", path); code != 2 {
		t.Errorf("check with nothing to check: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "check", "--config", path, "--source", "nope"); code != 2 {
		t.Errorf("check of an unknown source: exit %d, want 2", code)
	}
}
