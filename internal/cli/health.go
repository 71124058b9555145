package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/newsflow/newsflow/internal/app"
)

// printHealth adds each source's canary to status.
func printHealth(w io.Writer, h map[string]app.SourceHealth) {
	if len(h) == 0 {
		return
	}
	fmt.Fprintln(w, "\nHEALTH\tSTATE\tREASONS\tNOT ARTICLE\tMEDIAN WORDS\tTITLE/DATE/AUTHOR (RECENT; BASELINE)")
	for _, name := range slices.Sorted(maps.Keys(h)) {
		s := h[name]
		mark := s.State
		if s.State == "warning" {
			mark = "WARNING"
		}
		r, b := s.Recent, s.Baseline
		fmt.Fprintf(w, "%s\t%s\t%s\t%.0f%%; %.0f%%\t%d; %d\t%.0f/%.0f/%.0f%%; %.0f/%.0f/%.0f%%\n", name, mark, dash(strings.Join(s.Reasons, ",")),
			100*r.NotArticle, 100*b.NotArticle, r.MedianWords, b.MedianWords,
			100*r.Title, 100*r.Date, 100*r.Author, 100*b.Title, 100*b.Date, 100*b.Author)
	}
}
