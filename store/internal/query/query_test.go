package query

import (
	"errors"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	for q, want := range map[string][2]string{
		`Volcano iceland`:         {`(("volcano" AND "iceland"))`, `(phraseto_tsquery('simple', $1) && phraseto_tsquery('simple', $2))`},
		`"lava flows" -norway`:    {`(("lava flows") NOT "norway")`, `(phraseto_tsquery('simple', $1) && (!! phraseto_tsquery('simple', $2)))`},
		`volc* OR ash`:            {`("volc"* OR "ash")`, `(to_tsquery('simple', $1) || phraseto_tsquery('simple', $2))`},
		`covid-19`:                {`"covid 19"`, `phraseto_tsquery('simple', $1)`},
		`(a OR b) c NOT d`:        {`((("a" OR "b") AND "c") NOT "d")`, `((phraseto_tsquery('simple', $1) || phraseto_tsquery('simple', $2)) && phraseto_tsquery('simple', $3) && (!! phraseto_tsquery('simple', $4)))`},
		`"new yo"*`:               {`"new yo"*`, `tsquery_phrase(phraseto_tsquery('simple', $1), to_tsquery('simple', $2))`},
		`it's "quoted" AND words`: {`(("it s" AND "quoted" AND "words"))`, `(phraseto_tsquery('simple', $1) && phraseto_tsquery('simple', $2) && phraseto_tsquery('simple', $3))`},
	} {
		n, err := Parse(q)
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		i := 0
		pg := TSQuery(n, func(string) string { i++; return "$" + string(rune('0'+i)) })
		if got := FTS5(n); got != want[0] {
			t.Errorf("%q: FTS5 %s, want %s", q, got, want[0])
		}
		if pg != want[1] {
			t.Errorf("%q: tsquery %s, want %s", q, pg, want[1])
		}
	}
	for q, want := range map[string]string{
		`"open`:     "not closed",
		`(a`:        "( is not closed",
		`a)`:        ") has no (",
		`-a`:        "only excluded words",
		`a OR`:      "OR needs a word",
		`OR a`:      "OR needs a word",
		`a OR -b`:   "cannot be a side of OR",
		`-`:         "no word",
		`  `:        "no word",
		`***  ...`:  "no word",
		`a OR OR b`: "OR needs a word",
	} {
		_, err := Parse(q)
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error with %q", q, err, want)
		}
	}
}

// Whatever is typed, Parse returns a query or an error, and the FTS5
// rendering quotes every word.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`a "b c" -d`, `(a OR b) c*`, `"`, `((((`, `-"x"`, `a OR -b`, `covid-19 NOT x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Parse(q)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("%q: %v does not wrap ErrSyntax", q, err)
			}
			return
		}
		fts := FTS5(n)
		if fts == "" || strings.Count(fts, `"`)%2 != 0 {
			t.Fatalf("%q: FTS5 %q", q, fts)
		}
		TSQuery(n, func(string) string { return "$1" })
	})
}
