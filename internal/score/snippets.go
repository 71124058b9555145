package score

import (
	"sort"
	"strings"
	"unicode"
)

// SnippetItem is one page of a snippet-annotated corpus (trafilatura's
// evaluation set): passages the extracted text must hold (With) and
// boilerplate it must not (Without).
type SnippetItem struct {
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// SnippetCounts are one page's (or a whole set's) confusion counts: a
// With snippet found is a true positive, one missing a false negative; a
// Without snippet found is a false positive, one missing a true negative.
type SnippetCounts struct {
	TP, FP, FN, TN int
}

// Add sums two sets of counts.
func (c SnippetCounts) Add(o SnippetCounts) SnippetCounts {
	return SnippetCounts{c.TP + o.TP, c.FP + o.FP, c.FN + o.FN, c.TN + o.TN}
}

// Precision is TP/(TP+FP), 0 when nothing was found.
func (c SnippetCounts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN).
func (c SnippetCounts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is 2TP/(2TP+FP+FN), as trafilatura's evaluation computes it.
func (c SnippetCounts) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// Accuracy is (TP+TN) over all snippets.
func (c SnippetCounts) Accuracy() float64 { return ratio(c.TP+c.TN, c.TP+c.FP+c.FN+c.TN) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// NormSpace collapses every run of Unicode whitespace to one space and
// trims the ends, as Python's re.sub(r"\s+", " ", s).strip() does.
func NormSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, isPySpace), " ")
}

// isPySpace is Python's \s for str patterns: Unicode whitespace and the
// four information separators U+001C to U+001F.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// Snippets scores one extracted text against a page's snippets, as
// trafilatura's tests/eval_common.py count_item does: both sides
// whitespace-normalised, a snippet counted when it is a substring.
func Snippets(item SnippetItem, text string) SnippetCounts {
	text = NormSpace(text)
	var c SnippetCounts
	for _, s := range item.With {
		if strings.Contains(text, NormSpace(s)) {
			c.TP++
		} else {
			c.FN++
		}
	}
	for _, s := range item.Without {
		if strings.Contains(text, NormSpace(s)) {
			c.FP++
		} else {
			c.TN++
		}
	}
	return c
}

// SnippetPage is the score of one page.
type SnippetPage struct {
	ID string
	SnippetCounts
	// Empty is true when the prediction had no text.
	Empty bool
}

// SnippetResult is the micro-averaged score of a prediction set.
type SnippetResult struct {
	SnippetCounts
	// Empty counts the pages predicted empty (or missing).
	Empty int
	// PerPage holds every page, sorted by ID.
	PerPage []SnippetPage
}

// EvaluateSnippets scores predictions (page ID to text) against the
// corpus; a page missing from pred is an empty prediction.
func EvaluateSnippets(gold map[string]SnippetItem, pred map[string]string) SnippetResult {
	ids := make([]string, 0, len(gold))
	for id := range gold {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var r SnippetResult
	for _, id := range ids {
		text := pred[id]
		p := SnippetPage{ID: id, SnippetCounts: Snippets(gold[id], text), Empty: strings.TrimSpace(text) == ""}
		if p.Empty {
			r.Empty++
		}
		r.SnippetCounts = r.SnippetCounts.Add(p.SnippetCounts)
		r.PerPage = append(r.PerPage, p)
	}
	return r
}
