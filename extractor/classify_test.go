package extractor

import (
	"errors"
	"os"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"
)

// TestClassifyFixtures checks that pages which are not articles are
// rejected with the right reason and that paywalled articles are kept.
func TestClassifyFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, url string
		reason    string // "" for an article
		paywalled bool
	}{
		{"home.html", "https://gazette.example/", "listing page", false},
		{"tag.html", "https://gazette.example/tag/transport/", "listing page", false},
		{"search.html", "https://gazette.example/search?q=budget", "search results", false},
		{"notfound.html", "https://gazette.example/news/missing-story/", "error page", false},
		{"login.html", "https://gazette.example/account/login", "login wall", false},
		{"section-cards.html", "https://courier.example/local/", "listing page", false},
		{"notfound-plain.html", "https://courier.example/local/some-old-story", "error page", false},
		{"author.html", "https://courier.example/staff/sam-rivera/", "listing page", false},
		{"archive.html", "https://blog.example/category/local/", "listing page", false},
		{"paywalled.html", "https://gazette.example/news/2024/03/20/council-budget/", "", true},
		{"paywall-overlay.html", "https://gazette.example/news/2024/03/20/council-budget/", "", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "metadata", tc.file))
			if err != nil {
				t.Fatalf("read fixture: %v", err)
			}
			a, err := Extract(body, tc.url, Options{})
			var na *NotArticleError
			switch {
			case tc.reason == "" && err != nil:
				t.Fatalf("article rejected: %v", err)
			case tc.reason != "" && err == nil:
				t.Fatalf("not rejected (want %q); title %q, text %q", tc.reason, a.Title, clip(a.Text, 200))
			case tc.reason != "" && !errors.As(err, &na):
				t.Fatalf("error %v is not a *NotArticleError", err)
			case tc.reason != "" && na.Reason != tc.reason:
				t.Errorf("reason %q, want %q", na.Reason, tc.reason)
			case tc.reason == "":
				if a.Paywalled != tc.paywalled {
					t.Errorf("paywalled = %v, want %v", a.Paywalled, tc.paywalled)
				}
				if !strings.Contains(a.Text, "412 million budget") {
					t.Errorf("visible text lost: %q", clip(a.Text, 200))
				}
			}
		})
	}
}

// TestClassifyCorpusArticles runs the classification over every article
// page of the corpus and fails when more than a very few are rejected.
func TestClassifyCorpusArticles(t *testing.T) {
	pages := append(loadCorpus(t, scrapinghub), loadCorpus(t, readability)...)
	var rejected, emptyBody, tiny []string
	for _, p := range pages {
		name := p.Corpus + "/" + p.ID
		if p.Err != nil {
			t.Errorf("%s: %v", name, p.Err)
			continue
		}
		switch {
		case p.Reason == "":
		case pageWords(t, p.HTML) < 50:
			// A few readability unit-test pages hold a handful of words
			// ("abc def ghi"): rejecting them is right.
			tiny = append(tiny, name+": "+p.Reason)
		case strings.TrimSpace(p.Body()) == "":
			// The body extraction found nothing; with no text there is
			// nothing to publish, whatever the page is.
			emptyBody = append(emptyBody, name+": "+p.Reason)
		default:
			rejected = append(rejected, name+": "+p.Reason)
		}
	}
	for _, r := range tiny {
		t.Logf("rejected (page of under 50 words) %s", r)
	}
	for _, r := range emptyBody {
		t.Logf("rejected (body extraction gave no text) %s", r)
	}
	for _, r := range rejected {
		t.Logf("REJECTED %s", r)
	}
	n := len(pages)
	t.Logf("classify rejected %d of %d article pages (scrapinghub and readability); %d more had no extracted text, %d are test pages of a few words",
		len(rejected), n, len(emptyBody), len(tiny))
	// The margin of 1% leaves room for corpus pages that are not articles
	// (the readability set holds a section front, which is rejected).
	if max := n / 100; len(rejected) > max {
		t.Errorf("%d article pages rejected, more than %d", len(rejected), max)
	}
}

// pageWords counts the words of the visible text of a page's body.
func pageWords(t testing.TB, body []byte) int {
	t.Helper()
	doc, err := parse(body, "")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return wordCount(spacedText(doc.Find("body").Get(0)))
}

// TestClassifyErrorTitle checks which titles read as HTTP error pages.
func TestClassifyErrorTitle(t *testing.T) {
	for title, want := range map[string]bool{
		"404 Not Found":                               true,
		"Page not found | Example News":               true,
		"Error 404 - Example":                         true,
		"Example News - 404":                          true,
		"Oops! That page can’t be found.":             true,
		"Seite nicht gefunden - Beispiel":             true,
		"Sorry, this page doesn't exist":              true,
		"Missing hiker not found after three days":    false,
		"Error-prone robots: a 404 of the mind":       false,
		"Police: 404 cases of fraud reported in 2023": false,
		"Oops-proofing your kitchen":                  false,
		"Oops I did it again: the tour returns":       false,
	} {
		ps := pageSignals{DocTitle: title}
		if got := isErrorPage(ps, "", 50); got != want {
			t.Errorf("isErrorPage(%q) = %v, want %v", title, got, want)
		}
	}
}

// TestClassifyLoginTitle checks which titles ask the reader to sign in.
func TestClassifyLoginTitle(t *testing.T) {
	for title, want := range map[string]bool{
		"Sign in | Example News":                   true,
		"Log in to Example":                        true,
		"Login":                                    true,
		"Sign in to your account":                  true,
		"How to sign in to your bank safely":       false,
		"Login.gov outage leaves users locked out": false,
	} {
		if got := isLoginTitle(title); got != want {
			t.Errorf("isLoginTitle(%q) = %v, want %v", title, got, want)
		}
	}
}

// TestClassifySearchTitle checks which titles announce search results.
func TestClassifySearchTitle(t *testing.T) {
	for title, want := range map[string]bool{
		`Search results for "budget" | Example`:  true,
		"Search | Example News":                  true,
		"Results for budget - Example":           true,
		"Suchergebnisse für Haushalt":            true,
		"Search for missing hiker continues":     false,
		"Google changes its search results page": false,
	} {
		if got := isSearchPage(pageSignals{DocTitle: title}, nil); got != want {
			t.Errorf("isSearchPage(%q) = %v, want %v", title, got, want)
		}
	}
}

// TestGuardWords checks the words that let a guardedRegexp skip a text:
// every shortest string of every branch of the expression that it
// matches holds one.
func TestGuardWords(t *testing.T) {
	for _, g := range []guardedRegexp{errorTitle, errorText, loginTitle, searchTitle, updatedLabel, copyrightLine, dateLabel} {
		re, err := syntax.Parse(g.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		// (A shortest string of a branch may still not match: a word
		// boundary after a letter outside ASCII.)
		matched := 0
		for _, s := range shortestMatches(re.Simplify()) {
			if !g.Regexp.MatchString(s) {
				continue
			}
			matched++
			if !g.MatchString(s) {
				t.Errorf("%q matches %s but holds none of %q", s, g, g.words)
			}
		}
		if matched < 5 {
			t.Errorf("%s: only %d of its strings match", g, matched)
		}
	}
}

// shortestMatches returns a shortest string for each combination of the
// branches of re's alternations (a character class gives its first
// character, a repetition its fewest).
func shortestMatches(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		return []string{string(re.Rune[0])}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return []string{"x"}
	case syntax.OpCapture:
		return shortestMatches(re.Sub[0])
	case syntax.OpQuest, syntax.OpStar:
		return []string{""}
	case syntax.OpPlus:
		return shortestMatches(re.Sub[0])
	case syntax.OpRepeat:
		out := []string{""}
		for range re.Min {
			out = crossJoin(out, shortestMatches(re.Sub[0]))
		}
		return out
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			out = crossJoin(out, shortestMatches(sub))
		}
		return out
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			out = append(out, shortestMatches(sub)...)
		}
		return out
	}
	return []string{""} // anchors and boundaries
}

func crossJoin(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}
