package app

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A subscriber written with a client that is not ours (the NATS project's
// JavaScript client, examples/subscriber-node) reads every article of the
// fixture crawl once with its own durable consumer, and keeps its progress
// across a restart.
func TestNodeSubscriber(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed; skipping the JavaScript subscriber")
	}
	dir, _ := filepath.Abs("../../examples/subscriber-node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "nats")); err != nil {
		t.Skipf("run `npm ci` in %s first; skipping the JavaScript subscriber", dir)
	}
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	cfg.NATS.Listen = "127.0.0.1:0"
	a := openApp(t, cfg)
	sum := runOnce(t, a)
	url := a.Bus.ClientURL()

	read := func(extra ...string) []string {
		t.Helper()
		cmd := exec.Command(node, append([]string{"subscriber.mjs", "--url", url, "--durable", "js-test", "--idle-ms", "1500"}, extra...)...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node subscriber: %v\n%s", err, out)
		}
		var ids []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var row struct{ ID, Source string }
			if err := json.Unmarshal([]byte(l), &row); err != nil || row.ID == "" || row.Source == "" {
				t.Fatalf("subscriber line %q: %v", l, err)
			}
			ids = append(ids, row.ID)
		}
		return ids
	}
	first := read("--max", "5")
	rest := read()
	if len(first) != 5 {
		t.Errorf("first run read %d articles, want 5", len(first))
	}
	seen := map[string]bool{}
	for _, id := range append(first, rest...) {
		if seen[id] {
			t.Errorf("article %s read twice", id)
		}
		seen[id] = true
	}
	if len(seen) != sum.Published {
		t.Errorf("the subscriber read %d articles, the crawl published %d", len(seen), sum.Published)
	}
}
