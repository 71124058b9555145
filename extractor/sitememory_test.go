package extractor

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// sitePage is one article of a site whose template puts a newsletter pitch
// and an "about us" paragraph inside the article body, where no single
// page can tell them from the article's text.
func sitePage(i int, story string) string {
	return fmt.Sprintf(`<html><head><title>Story %d | Harbour Times</title></head><body>
<article><h1>Story number %d about the harbour</h1>
<p>%s</p>
<p>Sign up for the Harbour Times morning briefing and get the day's news in your inbox before breakfast.</p>
<p>%s</p>
<p>The Harbour Times is an independent newspaper covering the coast since 1921, owned by its readers.</p>
</article></body></html>`, i, i, story, story)
}

func story(i int) string {
	return strings.Repeat(fmt.Sprintf("Crews worked through night %d to repair the quay, the port authority said on Thursday. ", i), 4)
}

// TestSiteMemoryLearnsTemplate checks that the template's paragraphs are
// kept on the first pages of a site, removed once seen on three other
// pages, and that the article's own text is never touched.
func TestSiteMemoryLearnsTemplate(t *testing.T) {
	m := NewSiteMemory(0)
	for i := range 6 {
		a, err := Extract([]byte(sitePage(i, story(i))), fmt.Sprintf("https://harbour.example/news/%d", i), Options{Site: m})
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		pitch := strings.Contains(a.Text, "Sign up for the Harbour Times") || strings.Contains(a.Text, "independent newspaper")
		if want := i < templatePages; pitch != want {
			t.Errorf("page %d: template text kept = %v, want %v", i, pitch, want)
		}
		if strings.Count(a.Text, fmt.Sprintf("night %d to repair", i)) != 8 {
			t.Errorf("page %d: article text lost: %q", i, a.Text)
		}
	}
	// A recrawl of one page is the same page, not a new one.
	r := NewSiteMemory(0)
	for range 5 {
		a, err := Extract([]byte(sitePage(1, story(1))), "https://harbour.example/news/1#comments", Options{Site: r})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Text, "Sign up for the Harbour Times") {
			t.Fatal("one page fetched five times was taken for five pages")
		}
	}
}

// TestSiteMemoryRepeatedArticle checks that an article published on
// several URLs of one site (a wire story, an edition page) keeps its
// text: most of it repeats, which is not what a template does.
func TestSiteMemoryRepeatedArticle(t *testing.T) {
	m := NewSiteMemory(0)
	for i := range 6 {
		a, err := Extract([]byte(sitePage(7, story(7))), fmt.Sprintf("https://harbour.example/edition-%d/news/7", i), Options{Site: m})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(a.Text, "night 7 to repair") != 8 {
			t.Fatalf("copy %d lost the story's text: %q", i, clip(a.Text, 80))
		}
	}
}

// TestSiteMemoryBounded checks that the memory stays within its size and
// keeps what it learnt when it forgets.
func TestSiteMemoryBounded(t *testing.T) {
	m := NewSiteMemory(50)
	for i := range 40 {
		_, err := Extract([]byte(sitePage(i, story(i))), fmt.Sprintf("https://harbour.example/news/%d", i), Options{Site: m})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.paras) > 50 {
			t.Fatalf("page %d: memory holds %d paragraphs, bound 50", i, len(m.paras))
		}
	}
	a, err := Extract([]byte(sitePage(99, story(99))), "https://harbour.example/news/99", Options{Site: m})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "Sign up for the Harbour Times") {
		t.Error("the template was forgotten when single paragraphs were")
	}
}

// TestSiteMemoryConcurrent runs many extractions on one memory at once
// (with -race, a check of its locking).
func TestSiteMemoryConcurrent(t *testing.T) {
	m := NewSiteMemory(0)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if _, err := Extract([]byte(sitePage(i, story(i))), fmt.Sprintf("https://harbour.example/news/%d", i), Options{Site: m}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	a, err := Extract([]byte(sitePage(100, story(100))), "https://harbour.example/news/100", Options{Site: m})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "independent newspaper") {
		t.Error("template not learnt from concurrent pages")
	}
}
