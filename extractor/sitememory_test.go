package extractor

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsflow/newsflow"
)

// harbourPage extracts page i of the site of sitePage, at its URL, with
// the memory m.
func harbourPage(t testing.TB, m *SiteMemory, i int) *newsflow.Article {
	t.Helper()
	a, err := Extract([]byte(sitePage(i, story(i))), fmt.Sprintf("https://harbour.example/news/%d", i), Options{Site: m})
	if err != nil {
		t.Fatalf("page %d: %v", i, err)
	}
	return a
}

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
		a := harbourPage(t, m, i)
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
		harbourPage(t, m, i)
		if len(m.paras) > 50 {
			t.Fatalf("page %d: memory holds %d paragraphs, bound 50", i, len(m.paras))
		}
	}
	a := harbourPage(t, m, 99)
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
	a := harbourPage(t, m, 100)
	if strings.Contains(a.Text, "independent newspaper") {
		t.Error("template not learnt from concurrent pages")
	}
}

// TestSiteMemorySavedAndLoaded checks that a memory saved by one process
// and loaded by the next goes on from where it was: the next process's
// first page is already stripped of the template, and its article text
// is left whole.
func TestSiteMemorySavedAndLoaded(t *testing.T) {
	first := NewSiteMemory(0)
	for i := range templatePages {
		harbourPage(t, first, i)
	}
	data, err := first.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}

	next := NewSiteMemory(0)
	if err := next.UnmarshalBinary(data); err != nil {
		t.Fatalf("load: %v", err)
	}
	if next.Pages() != templatePages {
		t.Errorf("loaded memory counts %d pages, want %d", next.Pages(), templatePages)
	}
	a := harbourPage(t, next, 9)
	if strings.Contains(a.Text, "morning briefing") || strings.Contains(a.Text, "independent newspaper") {
		t.Errorf("first page after loading keeps the template:\n%s", a.Text)
	}
	if strings.Count(a.Text, "night 9 to repair") != 8 {
		t.Errorf("article text lost: %q", a.Text)
	}
	if next.Pages() != templatePages+1 {
		t.Errorf("memory counts %d pages after one more, want %d", next.Pages(), templatePages+1)
	}

	// Data that is not a saved memory, or is cut short, is refused and
	// leaves the memory as it was.
	for _, bad := range [][]byte{nil, []byte("hello"), data[:len(data)-3], append(slices.Clone(data), 0)} {
		if err := next.UnmarshalBinary(bad); !errors.Is(err, ErrBadMemory) {
			t.Errorf("UnmarshalBinary(%d bytes) = %v, want ErrBadMemory", len(bad), err)
		}
	}
	if next.Pages() != templatePages+1 {
		t.Errorf("a refused load changed the memory: %d pages", next.Pages())
	}
}

// FuzzSiteMemoryLoad feeds saved memories, whole and damaged, to
// UnmarshalBinary: it must refuse or accept without panicking, and what
// it accepts must save back to a memory that loads again.
func FuzzSiteMemoryLoad(f *testing.F) {
	m := NewSiteMemory(0)
	for i := range 4 {
		Extract([]byte(sitePage(i, story(i))), fmt.Sprintf("https://harbour.example/news/%d", i), Options{Site: m})
	}
	data, _ := m.MarshalBinary()
	f.Add(data)
	f.Add([]byte(memoryMagic))
	f.Add([]byte(memoryMagic + "\x01\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := NewSiteMemory(8)
		if err := m.UnmarshalBinary(data); err != nil {
			return
		}
		if err := NewSiteMemory(8).Merge(data); err != nil {
			t.Fatalf("data that loads does not merge: %v", err)
		}
		again, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if err := NewSiteMemory(8).UnmarshalBinary(again); err != nil {
			t.Fatalf("a loaded memory saved to data that does not load: %v", err)
		}
	})
}

// TestSiteMemoryMerge checks that two crawlers that each saw two pages of
// a site learn its template together once one merges the other's memory,
// and that a damaged memory is refused without harm.
func TestSiteMemoryMerge(t *testing.T) {
	a, b := NewSiteMemory(0), NewSiteMemory(0)
	for i := range 4 {
		m := a
		if i%2 == 1 {
			m = b
		}
		harbourPage(t, m, i)
	}
	data, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Merge(data); err != nil {
		t.Fatalf("merge: %v", err)
	}
	art := harbourPage(t, b, 9)
	if strings.Contains(art.Text, "morning briefing") {
		t.Errorf("merged memory does not know the template seen on four pages between them:\n%s", art.Text)
	}
	if err := b.Merge(data[:len(data)-1]); !errors.Is(err, ErrBadMemory) {
		t.Errorf("merging damaged data = %v, want ErrBadMemory", err)
	}
}
