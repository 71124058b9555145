package extractor

import (
	"regexp"
	"strings"
)

// guardedRegexp is a regular expression with words of which every match
// holds one, in lower case: a text holding none of them is settled
// without running the expression, which is the slow part.
// TestGuardWords checks the words of each.
type guardedRegexp struct {
	*regexp.Regexp
	words []string
}

// guarded compiles expr, guarded by words.
func guarded(expr string, words ...string) guardedRegexp {
	return guardedRegexp{regexp.MustCompile(expr), words}
}

// MatchString reports whether s holds a match.
func (g guardedRegexp) MatchString(s string) bool {
	return g.guards(s) && g.Regexp.MatchString(s)
}

// guards reports whether s holds one of g's words, without which g
// cannot match.
func (g guardedRegexp) guards(s string) bool {
	return containsAny(strings.ToLower(s), g.words)
}

// ReplaceAllString is the expression's ReplaceAllString, s itself when
// it holds none of the words.
func (g guardedRegexp) ReplaceAllString(s, repl string) string {
	if !g.guards(s) {
		return s
	}
	return g.Regexp.ReplaceAllString(s, repl)
}

// FindStringIndex is the expression's FindStringIndex, nil when s holds
// none of the words.
func (g guardedRegexp) FindStringIndex(s string) []int {
	if !g.guards(s) {
		return nil
	}
	return g.Regexp.FindStringIndex(s)
}

// foldWords is a set of lower-case ASCII words that a text is searched
// for in any ASCII case without allocating: the cheap test that spares
// most class names a pattern.
type foldWords struct {
	// byFirst files the words by their first letter.
	byFirst [256][]string
	// pairs marks the words' first two letters: pairs[a] has bit b set
	// when a word opens with a and b, so that most places in a text are
	// passed over with one look.
	pairs [256][4]uint64
}

// newFoldWords files words, which are lower-case ASCII of two letters or
// more.
func newFoldWords(words ...string) *foldWords {
	var f foldWords
	for _, w := range words {
		if len(w) < 2 {
			panic("foldWords: word shorter than two letters: " + w)
		}
		f.byFirst[w[0]] = append(f.byFirst[w[0]], w)
		f.pairs[w[0]][w[1]/64] |= 1 << (w[1] % 64)
	}
	return &f
}

// in reports whether s holds one of the words, in any ASCII case.
func (f *foldWords) in(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		a, b := s[i]|0x20, s[i+1]|0x20
		if f.pairs[a][b/64]&(1<<(b%64)) == 0 {
			continue
		}
		for _, w := range f.byFirst[a] {
			if w[1] == b && hasPrefixFold(s[i:], w) {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether s begins with the lower-case ASCII
// prefix in any case, without allocation.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if s[i]|0x20 != prefix[i] {
			return false
		}
	}
	return true
}
