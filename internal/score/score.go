// Package score measures article-body extraction the way the scrapinghub
// article-extraction-benchmark does (and /work/shared/bench/evaluate.py
// after it): token 4-gram shingle multisets compared per page, every page
// weighing the same, precision and recall averaged over pages.
package score

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NGram is the shingle length.
const NGram = 4

// IsWord reports whether r is matched by Python's Unicode \w: letters
// (L*), numbers (Nd, Nl, No) and the underscore. Combining marks and other
// connector punctuation are not word characters there, so not here either.
func IsWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Tokens splits text into maximal runs of word characters, as Python's
// re.findall(r'\w+', text) does.
func Tokens(text string) []string {
	var toks []string
	start := -1
	for i, r := range text {
		if IsWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			toks = append(toks, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, text[start:])
	}
	return toks
}

// shingles counts the runs of NGram consecutive tokens; a text with fewer
// tokens yields one shingle of all of them, an empty text none.
func shingles(text string) map[string]int {
	toks := Tokens(text)
	m := make(map[string]int, len(toks))
	if len(toks) == 0 {
		return m
	}
	if len(toks) < NGram {
		m[strings.Join(toks, "\x00")]++
		return m
	}
	for i := 0; i+NGram <= len(toks); i++ {
		m[strings.Join(toks[i:i+NGram], "\x00")]++
	}
	return m
}

// Counts are one page's true positives, false positives and false
// negatives, normalised to sum to 1 (or all zero when both texts are empty).
type Counts struct {
	TP, FP, FN float64
}

// Page compares a predicted text with the true one.
func Page(truth, pred string) Counts {
	t, p := shingles(truth), shingles(pred)
	var c Counts
	for k, a := range t {
		b := p[k]
		c.TP += float64(min(a, b))
		if a > b {
			c.FN += float64(a - b)
		} else {
			c.FP += float64(b - a)
		}
	}
	for k, b := range p {
		if _, ok := t[k]; !ok {
			c.FP += float64(b)
		}
	}
	if s := c.TP + c.FP + c.FN; s > 0 {
		c.TP, c.FP, c.FN = c.TP/s, c.FP/s, c.FN/s
	}
	return c
}

// Precision is the page precision: 1 when nothing is wrong, 0 when nothing
// was predicted.
func (c Counts) Precision() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FP == 0:
		return 0
	}
	return c.TP / (c.TP + c.FP)
}

// Recall is the page recall: 1 when nothing is wrong, 0 when the truth is
// empty but the prediction is not.
func (c Counts) Recall() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FN == 0:
		return 0
	}
	return c.TP / (c.TP + c.FN)
}

// PageResult is the score of one page.
type PageResult struct {
	ID string
	Counts
	Precision, Recall float64
	// Exact is true when the predicted tokens equal the true ones.
	Exact bool
}

// F1 is the page's own F1 (not used by the aggregate, handy for ranking).
func (p PageResult) F1() float64 {
	if p.Precision+p.Recall == 0 {
		return 0
	}
	return 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
}

// Result is the score of a whole prediction set.
type Result struct {
	// F1 is the harmonic mean of Precision and Recall (not a mean of page
	// F1s).
	F1 float64
	// Precision is averaged over pages with a non-empty prediction.
	Precision float64
	// Recall is averaged over pages with a non-empty truth.
	Recall float64
	// Accuracy is the share of pages predicted token for token.
	Accuracy float64
	// EmptyPred counts pages with no predicted shingle.
	EmptyPred int
	// PerPage holds every page, sorted by ID.
	PerPage []PageResult
}

// Evaluate scores predictions against the truth, both keyed by page ID; a
// page missing from pred counts as an empty prediction.
func Evaluate(truth, pred map[string]string) Result {
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var r Result
	for _, id := range ids {
		c := Page(truth[id], pred[id])
		r.PerPage = append(r.PerPage, PageResult{
			ID: id, Counts: c,
			Precision: c.Precision(), Recall: c.Recall(),
			Exact: equalTokens(truth[id], pred[id]),
		})
	}
	r.aggregate()
	return r
}

func (r *Result) aggregate() {
	var ps, rs, acc float64
	var np, nr int
	for _, p := range r.PerPage {
		if p.TP+p.FP > 0 {
			ps += p.Precision
			np++
		} else {
			r.EmptyPred++
		}
		if p.TP+p.FN > 0 {
			rs += p.Recall
			nr++
		}
		if p.Exact {
			acc++
		}
	}
	if np > 0 {
		r.Precision = ps / float64(np)
	} else {
		r.Precision = math.NaN()
	}
	if nr > 0 {
		r.Recall = rs / float64(nr)
	} else {
		r.Recall = math.NaN()
	}
	if r.Precision+r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	if n := len(r.PerPage); n > 0 {
		r.Accuracy = acc / float64(n)
	}
}

func equalTokens(a, b string) bool {
	ta, tb := Tokens(a), Tokens(b)
	if len(ta) != len(tb) {
		return false
	}
	for i := range ta {
		if ta[i] != tb[i] {
			return false
		}
	}
	return true
}
