package extractor

import (
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// A source's selectors win over the generic method: the body, title and
// date they name are taken, and what remove names is gone first.
func TestExtractWithSourceRules(t *testing.T) {
	page := `<!doctype html><html lang="en"><head><title>Site front | Daily</title></head><body>
<div class="promo"><h1>Subscribe to the Daily today</h1>
<p>Our reporters cover the city, the region and the world, every morning, in print and online, with analysis you will not find anywhere else.</p>
<p>Subscribers get every edition, the archive since 1921, the crossword and the newsletter of the editors, for less than a coffee a week.</p>
<p>Join the hundred thousand readers who start their day with the Daily: the first month is free and you may cancel at any time.</p></div>
<div class="story"><span class="hl">Council approves the new tram line</span><span class="when" data-x="1">2024-02-03 09:30</span>
<p>The city council approved the tram line on Tuesday by a large majority.</p>
<p class="adblock">Advertisement: buy now</p>
<p>Work on the first section is to start next spring.</p></div>
</body></html>`
	rules := newsflow.ExtractRules{Body: ".story", Title: ".hl", Date: ".when", Remove: []string{".adblock", ".hl", ".when"}}
	a, err := Extract([]byte(page), "https://daily.example/city/tram", Options{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "approved the tram line") || !strings.Contains(a.Text, "first section") {
		t.Errorf("body rule not applied: %q", a.Text)
	}
	for _, gone := range []string{"Subscribe", "Advertisement", "reporters cover"} {
		if strings.Contains(a.Text, gone) {
			t.Errorf("text holds %q: %q", gone, a.Text)
		}
	}

	// Without removing the headline and date, the title and date rules apply.
	rules.Remove = []string{".adblock"}
	a, err = Extract([]byte(page), "https://daily.example/city/tram", Options{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Council approves the new tram line" {
		t.Errorf("title rule not applied: %q", a.Title)
	}
	if want := time.Date(2024, 2, 3, 9, 30, 0, 0, time.UTC); !a.PublishedAt.Equal(want) {
		t.Errorf("date rule: %v, want %v", a.PublishedAt, want)
	}
	if strings.Contains(a.Text, "Advertisement") {
		t.Errorf("remove rule not applied: %q", a.Text)
	}
}
