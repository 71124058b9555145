package extractor

import (
	"encoding/binary"
	"errors"
	"fmt"
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
// paragraphs; when full, it forgets those seen on one page only. What it
// has learned can be saved with MarshalBinary and given to a later process
// with UnmarshalBinary, so that a crawl run from cron keeps learning.
type SiteMemory struct {
	mu    sync.Mutex
	max   int
	paras map[uint64]paraPages
	// pages counts the pages recorded, so a caller can tell whether there
	// is anything new to save.
	pages uint64
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
	return &SiteMemory{max: maxParagraphs, paras: map[uint64]paraPages{}}
}

// Pages returns how many pages the memory has recorded, those it was
// given by UnmarshalBinary included; it grows with every page extracted.
func (m *SiteMemory) Pages() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pages
}

// hashString is 64-bit FNV-1a: stable across processes, unlike a seeded
// hash, so that a saved memory means the same after a restart.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// strip records the paragraphs of one page and returns its content without
// those the site's template repeats.
func (m *SiteMemory) strip(pageURL string, c *content) *content {
	page := hashString(pageKey(pageURL))
	paras := strings.Split(c.Text, "\n\n")
	keys := make([]uint64, len(paras))
	words := make([]int, len(paras))
	for i, p := range paras {
		if words[i] = wordCount(p); words[i] >= minTemplateWords {
			keys[i] = hashString(strings.ToLower(normalizeSpace(p)))
		}
	}

	m.mu.Lock()
	m.pages++
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

// memoryMagic opens a saved SiteMemory; the last byte is the format version.
const memoryMagic = "NFSM\x01"

// ErrBadMemory is returned by UnmarshalBinary for data that is not a saved
// SiteMemory.
var ErrBadMemory = errors.New("extractor: not a saved site memory")

// MarshalBinary saves what the memory has learned: each paragraph's hash
// and the hashes of the pages it was seen on (at most 41 bytes a
// paragraph, so under 1 MB at the default size).
func (m *SiteMemory) MarshalBinary() ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]byte, 0, len(memoryMagic)+2*binary.MaxVarintLen64+len(m.paras)*17)
	out = append(out, memoryMagic...)
	out = binary.AppendUvarint(out, m.pages)
	out = binary.AppendUvarint(out, uint64(len(m.paras)))
	for k, pp := range m.paras {
		out = binary.LittleEndian.AppendUint64(out, k)
		out = append(out, byte(pp.n))
		for _, p := range pp.pages[:pp.n] {
			out = binary.LittleEndian.AppendUint64(out, p)
		}
	}
	return out, nil
}

// UnmarshalBinary replaces what the memory holds with a memory saved by
// MarshalBinary. Paragraphs beyond the memory's size are left out; on an
// error the memory is left as it was.
func (m *SiteMemory) UnmarshalBinary(data []byte) error {
	pages, paras, err := decodeMemory(data, m.max)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.paras, m.pages = paras, pages
	m.mu.Unlock()
	return nil
}

// Merge adds to the memory what another memory, saved by MarshalBinary,
// learned: the pages each paragraph was seen on are joined, so that
// crawlers that each fetch part of a site's pages learn its template
// together. On an error the memory is left as it was.
func (m *SiteMemory) Merge(data []byte) error {
	pages, paras, err := decodeMemory(data, m.max)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, other := range paras {
		pp, ok := m.paras[k]
		if !ok && len(m.paras) >= m.max {
			if other.n <= 1 {
				continue
			}
			m.forgetSingles()
		}
		for _, p := range other.pages[:other.n] {
			pp.add(p)
		}
		m.paras[k] = pp
	}
	m.pages = max(m.pages, pages)
	return nil
}

// decodeMemory reads a memory saved by MarshalBinary, keeping at most
// limit paragraphs (those seen on several pages first).
func decodeMemory(data []byte, limit int) (uint64, map[uint64]paraPages, error) {
	rest, ok := strings.CutPrefix(string(data), memoryMagic)
	if !ok {
		return 0, nil, ErrBadMemory
	}
	b := []byte(rest)
	pages, n1 := binary.Uvarint(b)
	if n1 <= 0 {
		return 0, nil, fmt.Errorf("%w: bad page count", ErrBadMemory)
	}
	count, n2 := binary.Uvarint(b[n1:])
	if n2 <= 0 {
		return 0, nil, fmt.Errorf("%w: bad paragraph count", ErrBadMemory)
	}
	b = b[n1+n2:]
	paras := make(map[uint64]paraPages, min(count, uint64(limit)))
	for i := uint64(0); i < count; i++ {
		if len(b) < 9 {
			return 0, nil, fmt.Errorf("%w: cut short after %d paragraphs", ErrBadMemory, i)
		}
		k, n := binary.LittleEndian.Uint64(b), int(b[8])
		b = b[9:]
		if n < 1 || n > templatePages+1 || len(b) < 8*n {
			return 0, nil, fmt.Errorf("%w: paragraph %d is malformed", ErrBadMemory, i)
		}
		var pp paraPages
		for j := range n {
			pp.add(binary.LittleEndian.Uint64(b[8*j:]))
		}
		b = b[8*n:]
		if len(paras) < limit || pp.n > 1 {
			paras[k] = pp
		}
	}
	if len(b) != 0 {
		return 0, nil, fmt.Errorf("%w: %d bytes after the last paragraph", ErrBadMemory, len(b))
	}
	return pages, paras, nil
}
