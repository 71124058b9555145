package extractor

import (
	"hash/maphash"
	"net/url"
	"strings"
	"sync"
)

// Template learning: a paragraph seen on templatePages other pages of the
// same site is the site's template, not the article's; such paragraphs are
// removed only while they are at most maxTemplateShare of the article's
// words (more than that means the article itself is repeated, a wire story
// published twice, and it is left whole). Paragraphs of fewer than
// minTemplateWords words are never counted: short lines ("Why?") recur in
// articles for their own reasons.
const (
	templatePages    = 3
	maxTemplateShare = 0.3
	minTemplateWords = 3
	// DefaultSiteParagraphs is the size of a SiteMemory made with
	// NewSiteMemory(0).
	DefaultSiteParagraphs = 20000
)

// SiteMemory learns, across the pages of one site, the paragraphs that the
// site's template repeats on its pages (a newsletter pitch, an "about the
// company" blurb, a comment policy): no single page shows them to be
// boilerplate, the site as a whole does. Give one SiteMemory per site in
// Options.Site; Extract then drops from an article the paragraphs already
// seen on three other pages of the site. The first pages of a site are
// therefore extracted without this help.
//
// It is safe for concurrent use and holds at most a fixed number of
// paragraphs; when full, it forgets those seen on one page only.
type SiteMemory struct {
	mu    sync.Mutex
	seed  maphash.Seed
	max   int
	paras map[uint64]paraPages
}

// paraPages records the distinct pages a paragraph was seen on, up to
// templatePages+1.
type paraPages struct {
	pages [templatePages + 1]uint64
	n     int
}

// NewSiteMemory returns an empty SiteMemory that holds up to maxParagraphs
// paragraphs (DefaultSiteParagraphs when maxParagraphs <= 0).
func NewSiteMemory(maxParagraphs int) *SiteMemory {
	if maxParagraphs <= 0 {
		maxParagraphs = DefaultSiteParagraphs
	}
	return &SiteMemory{seed: maphash.MakeSeed(), max: maxParagraphs, paras: map[uint64]paraPages{}}
}

// strip records the paragraphs of one page and returns its content without
// those the site's template repeats.
func (m *SiteMemory) strip(pageURL string, c *content) *content {
	page := maphash.String(m.seed, pageKey(pageURL))
	paras := strings.Split(c.Text, "\n\n")
	keys := make([]uint64, len(paras))
	words := make([]int, len(paras))
	for i, p := range paras {
		if words[i] = wordCount(p); words[i] >= minTemplateWords {
			keys[i] = maphash.String(m.seed, strings.ToLower(normalizeSpace(p)))
		}
	}

	m.mu.Lock()
	template := make([]bool, len(paras))
	for i, k := range keys {
		if words[i] < minTemplateWords {
			continue
		}
		pp, ok := m.paras[k]
		if !ok && len(m.paras) >= m.max {
			m.forgetSingles()
		}
		template[i] = pp.others(page) >= templatePages
		pp.add(page)
		m.paras[k] = pp
	}
	m.mu.Unlock()

	removed, total := 0, 0
	for i, n := range words {
		total += n
		if template[i] {
			removed += n
		}
	}
	if removed == 0 || float64(removed) > maxTemplateShare*float64(total) {
		return c
	}
	var kept []string
	for i, p := range paras {
		if !template[i] {
			kept = append(kept, p)
		}
	}
	out := *c
	out.Text = strings.Join(kept, "\n\n")
	out.Paragraphs = len(kept)
	out.Words = total - removed
	return &out
}

// forgetSingles drops the paragraphs seen on one page only (most article
// text); if that frees nothing, it starts over. m.mu must be held.
func (m *SiteMemory) forgetSingles() {
	for k, pp := range m.paras {
		if pp.n <= 1 {
			delete(m.paras, k)
		}
	}
	if len(m.paras) >= m.max {
		clear(m.paras)
	}
}

// others counts the recorded pages other than page.
func (pp *paraPages) others(page uint64) int {
	n := 0
	for _, p := range pp.pages[:pp.n] {
		if p != page {
			n++
		}
	}
	return n
}

// add records page, unless it is recorded or the record is full.
func (pp *paraPages) add(page uint64) {
	for _, p := range pp.pages[:pp.n] {
		if p == page {
			return
		}
	}
	if pp.n < len(pp.pages) {
		pp.pages[pp.n] = page
		pp.n++
	}
}

// pageKey identifies a page for SiteMemory: its URL without the fragment,
// so that a recrawl of one page never counts as another page.
func pageKey(pageURL string) string {
	if u, err := url.Parse(pageURL); err == nil {
		u.Fragment = ""
		return u.String()
	}
	return pageURL
}
