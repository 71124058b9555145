package extractor

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden body texts under testdata/golden")

// TestGoldenBodies extracts the body of every page under testdata/pages
// and compares it with testdata/golden/<page>.txt (rewritten with -update,
// then reviewed in the diff).
func TestGoldenBodies(t *testing.T) {
	paths, err := filepath.Glob("testdata/pages/*.html.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no pages under testdata/pages")
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".html.gz")
		t.Run(name, func(t *testing.T) {
			page, err := gunzipFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := bodyText(page, "https://example.com/"+name)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got+"\n" != string(want) {
				t.Errorf("body differs from %s (run with -update and review the diff)\n%s", golden, firstDiff(string(want), got+"\n"))
			}
		})
	}
}

// firstDiff shows the first differing paragraph of two texts.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n\n"), strings.Split(got, "\n\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "paragraph " + strconv.Itoa(i+1) + ":\nwant: " + a + "\ngot:  " + b
		}
	}
	return ""
}
