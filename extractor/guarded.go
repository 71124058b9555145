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
	return containsAny(strings.ToLower(s), g.words) && g.Regexp.MatchString(s)
}
