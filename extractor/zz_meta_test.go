package extractor

import (
	"fmt"
	"testing"
)

func TestZZOldMeta(t *testing.T) {
	type cnt struct{ pages, auth, authRight, date, dateRight int }
	by := map[string]*cnt{}
	src := map[string]*corpusPage{}
	for _, p := range append(loadCorpus(t, scrapinghub), loadCorpus(t, readability)...) {
		src[p.Corpus+"/"+p.ID] = p
	}
	for _, p := range loadOldMarkupArticles(t) {
		c := by[p.Layout]
		if c == nil {
			c = &cnt{}
			by[p.Layout] = c
		}
		c.pages++
		sp := src[p.From]
		want := ""
		if len(sp.Article.Authors) > 0 {
			want = sp.Article.Authors[0]
		}
		if len(p.Authors) > 0 {
			c.auth++
			if p.Authors[0] == want {
				c.authRight++
			} else if c.auth-c.authRight <= 3 {
				fmt.Printf("%s author %q want %q\n", p.Layout, p.Authors, want)
			}
		} else if want != "" && by[p.Layout].pages%20 == 0 {
			fmt.Printf("%s author missing, want %q\n", p.Layout, want)
		}
		if !p.Published.IsZero() {
			c.date++
			if !sp.Article.PublishedAt.IsZero() && p.Published.Format("2006-01-02") == sp.Article.PublishedAt.Format("2006-01-02") || sp.Article.PublishedAt.IsZero() {
				c.dateRight++
			}
		}
	}
	for k, c := range by {
		fmt.Printf("%-22s pages %d authors %d (right %d) dates %d (right %d)\n", k, c.pages, c.auth, c.authRight, c.date, c.dateRight)
	}
}
