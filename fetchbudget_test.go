package newsflow

import (
	"strings"
	"testing"
)

func TestFetchBudget(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want int
		err  string
	}{
		{"", 4*DefaultMaxArticles + 500, ""},
		{"max_fetches: 20", 20, ""},
		{"max_articles: 10", 540, ""},
		{"max_articles: 0", DefaultMaxFetches, ""},
		{"max_fetches: -1", 0, "sources[0].max_fetches: -1 is outside"},
		{"max_fetches: 10000001", 0, "sources[0].max_fetches"},
	} {
		cfg, err := ParseConfig([]byte("sources:\n  - name: x\n    feeds: [https://x.example/f]\n    " + tc.yaml + "\n"))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.yaml, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.yaml, err)
			continue
		}
		if got := cfg.Sources[0].FetchBudget(); got != tc.want {
			t.Errorf("%q: budget %d, want %d", tc.yaml, got, tc.want)
		}
	}
}
