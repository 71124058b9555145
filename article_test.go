package newsflow

import (
	"testing"
	"unicode"
)

// TestWordCount checks word counting on a few scripts and separators.
func TestWordCount(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"One, two; three.", 3},
		{"e-mail 2024-05-01", 5},
		{"Müller and Straße", 3},
		{"  日本語 の テキスト ", 3},
		{"\xff\xfe word", 1},
	} {
		if got := WordCount(tc.text); got != tc.want {
			t.Errorf("WordCount(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

// FuzzWordCount checks the ASCII fast path against the Unicode tables.
func FuzzWordCount(f *testing.F) {
	f.Add("Hello, world 42 times")
	f.Add("Ünïcödé\u00a0text\u2003here")
	f.Fuzz(func(t *testing.T, text string) {
		want, in := 0, false
		for _, r := range text {
			w := unicode.IsLetter(r) || unicode.IsDigit(r)
			if w && !in {
				want++
			}
			in = w
		}
		if got := WordCount(text); got != want {
			t.Errorf("WordCount(%q) = %d, want %d", text, got, want)
		}
	})
}
