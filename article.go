package newsflow

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Schema names the version of the Article message; subscribers should check
// it before decoding the rest.
const Schema = "newsflow.article/v1"

// Article is one extracted news article, the message of schema
// newsflow.article/v1. A field that is unknown is left empty and omitted
// from the JSON, never invented.
type Article struct {
	Schema       string    `json:"schema"`
	ID           string    `json:"id"`
	URL          string    `json:"url"`
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Source       string    `json:"source,omitempty"`
	Title        string    `json:"title,omitempty"`
	Authors      []string  `json:"authors,omitempty"`
	PublishedAt  time.Time `json:"published_at,omitzero"`
	ModifiedAt   time.Time `json:"modified_at,omitzero"`
	Language     string    `json:"language,omitempty"`
	Description  string    `json:"description,omitempty"`
	Text         string    `json:"text"`
	Image        string    `json:"image,omitempty"`
	SiteName     string    `json:"site_name,omitempty"`
	Section      string    `json:"section,omitempty"`
	Tags         []string  `json:"tags,omitempty"`
	Paywalled    bool      `json:"paywalled,omitempty"`
	// ArticleConfidence is how sure the extractor is that the page is one
	// article rather than a listing or another kind of page, from 0 to 1;
	// pages below 0.2 are not published.
	ArticleConfidence float64   `json:"article_confidence,omitempty"`
	WordCount         int       `json:"word_count"`
	FetchedAt         time.Time `json:"fetched_at,omitzero"`
	ContentHash       string    `json:"content_hash"`
	ExtractorVersion  string    `json:"extractor_version,omitempty"`
	// NearDuplicateOf is the id of an earlier article whose text this one
	// nearly copies (a wire story run by several outlets), with the
	// estimated share of word shingles they have in common.
	NearDuplicateOf         string  `json:"near_duplicate_of,omitempty"`
	NearDuplicateSimilarity float64 `json:"near_duplicate_similarity,omitempty"`
	// RawPage says where the page the article was extracted from is kept,
	// as fetched: "<WARC file>#<record offset>", the file named relative
	// to the archive directory (archive.enabled), or the WARC file or URL
	// an import read it from.
	RawPage string `json:"raw_page,omitempty"`
}

// ArticleID returns the stable id of the article at a canonical URL: the
// first 16 bytes of its SHA-256, in hex.
func ArticleID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:16])
}

// Seal completes an extracted article before it is published: it sets the
// schema, the id (from the canonical URL, or the fetched URL when there is
// none), the source, the fetch time, the word count and the content hash,
// and puts every time in UTC.
func (a *Article) Seal(source string, fetchedAt time.Time) {
	a.Schema = Schema
	a.Source = source
	key := a.CanonicalURL
	if key == "" {
		key = a.URL
	}
	a.ID = ArticleID(key)
	a.FetchedAt = fetchedAt.UTC().Truncate(time.Second)
	a.PublishedAt = a.PublishedAt.UTC()
	a.ModifiedAt = a.ModifiedAt.UTC()
	a.WordCount = WordCount(a.Text)
	a.ContentHash = a.Hash()
}

// Hash returns the content hash of the article: a SHA-256 over the fields a
// reader sees (title, authors, dates, text, image), so a changed page gives a
// new hash and a refetch of the same page gives the same one.
func (a *Article) Hash() string {
	h := sha256.New()
	for _, s := range []string{
		a.Title, strings.Join(a.Authors, "\x1f"), a.Description, a.Text, a.Image,
		formatTime(a.PublishedAt), formatTime(a.ModifiedAt),
	} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// WordCount counts the words of a text: runs of letters or digits.
func WordCount(text string) int {
	n, in := 0, false
	for _, r := range text {
		var w bool
		if r < utf8.RuneSelf {
			w = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		} else {
			w = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if w && !in {
			n++
		}
		in = w
	}
	return n
}
