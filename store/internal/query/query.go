// Package query reads the search syntax that every store backend shares,
// and renders it for SQLite's FTS5 and PostgreSQL's tsquery, so that a
// query means the same on both and a user's typing never reaches either
// engine's own parser.
//
// The syntax: words match articles holding all of them; "a phrase" matches
// its words in a row; word* matches words that start with word; -word and
// -"a phrase" exclude; OR between two parts matches either; parentheses
// group. AND is the default and may be written; NOT word is -word. Words
// are split at anything that is not a letter or a digit, as the indexes
// do, so covid-19 is the phrase "covid 19". Case does not matter.
package query

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Node is one part of a parsed query.
type Node interface{ node() }

// And matches what matches every part; Not parts exclude.
type And []Node

// Or matches what matches any part.
type Or []Node

// Not excludes what its part matches; it appears only in an And that has
// a part that is not a Not.
type Not struct{ N Node }

// Phrase is one or more words in a row; Prefix makes the last a prefix.
type Phrase struct {
	Words  []string
	Prefix bool
	// Text is the phrase as typed, without quotes and *, for an engine
	// that splits it into words by its own rules (PostgreSQL).
	Text string
}

func (And) node()    {}
func (Or) node()     {}
func (Not) node()    {}
func (Phrase) node() {}

// ErrSyntax is matched (errors.Is) by every error of Parse.
var ErrSyntax = errors.New("bad search query")

// SyntaxError says what is wrong with a query, in words for its author.
type SyntaxError struct{ Msg string }

func (e *SyntaxError) Error() string { return e.Msg }

// Is makes a SyntaxError match ErrSyntax.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

func syntaxError(format string, args ...any) error {
	return &SyntaxError{fmt.Sprintf(format, args...)}
}

type token struct {
	kind   byte // 'w' word, 'p' phrase, '(' , ')', '|' OR, '-' exclusion
	text   string
	prefix bool
}

func lex(q string) ([]token, error) {
	var out []token
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')':
			out = append(out, token{kind: byte(r)})
			i++
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if j == len(rs) {
				return nil, syntaxError(`a phrase opened with " is not closed`)
			}
			t := token{kind: 'p', text: string(rs[i+1 : j])}
			j++
			if j < len(rs) && rs[j] == '*' {
				t.prefix = true
				j++
			}
			out = append(out, t)
			i = j
		case r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != '-' && rs[i+1] != ')' && (i == 0 || unicode.IsSpace(rs[i-1]) || rs[i-1] == '('):
			out = append(out, token{kind: '-'})
			i++
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			i = j
			switch w {
			case "OR":
				out = append(out, token{kind: '|'})
			case "AND":
			case "NOT":
				out = append(out, token{kind: '-'})
			default:
				t := token{kind: 'w', text: w}
				if strings.HasSuffix(w, "*") {
					t.text, t.prefix = strings.TrimRight(w, "*"), true
				}
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// words splits text into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

type parser struct {
	toks []token
	pos  int
}

// Parse reads a query. An error wraps ErrSyntax and says what is wrong.
func Parse(q string) (Node, error) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.and(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, syntaxError("a ) has no ( before it")
	}
	if n == nil {
		return nil, syntaxError("no word to search for")
	}
	return n, nil
}

// and reads parts up to the end or a closing parenthesis.
func (p *parser) and(depth int) (Node, error) {
	var parts And
	for p.pos < len(p.toks) && p.toks[p.pos].kind != ')' {
		n, err := p.or(depth)
		if err != nil {
			return nil, err
		}
		if n != nil {
			parts = append(parts, n)
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	positive := false
	for _, n := range parts {
		if _, ok := n.(Not); !ok {
			positive = true
		}
	}
	if !positive {
		return nil, syntaxError("only excluded words (-word): add a word to search for")
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return parts, nil
}

// or reads one part and the parts joined to it by OR.
func (p *parser) or(depth int) (Node, error) {
	first, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	alts := Or{}
	if first != nil {
		alts = append(alts, first)
	}
	for p.pos < len(p.toks) && p.toks[p.pos].kind == '|' {
		p.pos++
		if first == nil {
			return nil, syntaxError("OR needs a word on each side")
		}
		if p.pos == len(p.toks) || p.toks[p.pos].kind == ')' || p.toks[p.pos].kind == '|' {
			return nil, syntaxError("OR needs a word on each side")
		}
		n, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		if n == nil {
			return nil, syntaxError("OR needs a word on each side")
		}
		alts = append(alts, n)
	}
	if len(alts) == 0 {
		return nil, nil
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	for _, a := range alts {
		if _, ok := a.(Not); ok {
			return nil, syntaxError("an excluded word (-word) cannot be a side of OR")
		}
	}
	return alts, nil
}

// unary reads a word, a phrase, a group, or one of them excluded. It
// returns nil for a word with no letter or digit in it.
func (p *parser) unary(depth int) (Node, error) {
	if p.pos == len(p.toks) {
		return nil, nil
	}
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case '|':
		return nil, syntaxError("OR needs a word on each side")
	case '-':
		if p.pos == len(p.toks) || p.toks[p.pos].kind == '-' {
			return nil, syntaxError("- excludes the word after it, and none follows")
		}
		n, err := p.unary(depth)
		if err != nil || n == nil {
			return nil, err
		}
		if _, ok := n.(Not); ok {
			return nil, syntaxError("a word excluded twice")
		}
		return Not{n}, nil
	case '(':
		if depth >= 20 {
			return nil, syntaxError("parentheses nested too deep")
		}
		n, err := p.and(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.pos == len(p.toks) {
			return nil, syntaxError("a ( is not closed")
		}
		p.pos++ // )
		return n, nil
	case ')':
		return nil, syntaxError("a ) has no ( before it")
	}
	ws := words(t.text)
	if len(ws) == 0 {
		return nil, nil
	}
	return Phrase{Words: ws, Prefix: t.prefix, Text: t.text}, nil
}

// FTS5 renders n as an SQLite FTS5 MATCH expression.
func FTS5(n Node) string {
	switch n := n.(type) {
	case Phrase:
		s := `"` + strings.Join(n.Words, " ") + `"`
		if n.Prefix {
			s += "*"
		}
		return s
	case Or:
		parts := make([]string, len(n))
		for i, c := range n {
			parts[i] = FTS5(c)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case And:
		var pos, neg []string
		for _, c := range n {
			if x, ok := c.(Not); ok {
				neg = append(neg, FTS5(x.N))
			} else {
				pos = append(pos, FTS5(c))
			}
		}
		s := "(" + strings.Join(pos, " AND ") + ")"
		for _, x := range neg {
			s += " NOT " + x
		}
		return "(" + s + ")"
	case Not:
		// Only inside an And, which renders it; alone it cannot stand.
		return FTS5(n.N)
	}
	return ""
}

// TSQuery renders n as a PostgreSQL expression of type tsquery. Each
// phrase goes to phraseto_tsquery('simple', $k) as typed, so that
// PostgreSQL splits it into words by the rules it indexed the text with
// (covid-19 is 'covid' and '-19' there); arg records a parameter's value
// and returns its placeholder.
func TSQuery(n Node, arg func(string) string) string {
	switch n := n.(type) {
	case Phrase:
		if !n.Prefix {
			return "phraseto_tsquery('simple', " + arg(n.Text) + ")"
		}
		last := n.Words[len(n.Words)-1]
		if len(n.Words) == 1 {
			return "to_tsquery('simple', " + arg(last+":*") + ")"
		}
		head := "phraseto_tsquery('simple', " + arg(strings.Join(n.Words[:len(n.Words)-1], " ")) + ")"
		return "tsquery_phrase(" + head + ", to_tsquery('simple', " + arg(last+":*") + "))"
	case Or:
		parts := make([]string, len(n))
		for i, c := range n {
			parts[i] = TSQuery(c, arg)
		}
		return "(" + strings.Join(parts, " || ") + ")"
	case And:
		parts := make([]string, len(n))
		for i, c := range n {
			parts[i] = TSQuery(c, arg)
		}
		return "(" + strings.Join(parts, " && ") + ")"
	case Not:
		return "(!! " + TSQuery(n.N, arg) + ")"
	}
	return ""
}
