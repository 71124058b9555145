// Package store keeps articles in a database and runs the store worker,
// which moves articles from the NEWS stream into it. The Store interface
// has two implementations: store/sqlite (one machine, the default) and
// store/postgres (several workers, at scale).
package store

import (
	"context"
	"errors"
	"time"

	"github.com/newsflow/newsflow"
)

// Outcome says what an Upsert did with one article.
type Outcome int

// Outcomes of an Upsert.
const (
	// Inserted: the id was new; the article is stored as revision 1.
	Inserted Outcome = iota + 1
	// Updated: the id was known with another content hash; the row now
	// holds the new content and its revision went up by one.
	Updated
	// Unchanged: the id was known with the same content hash (only the
	// fetch time may have moved), or the article is older than the stored
	// one (a late redelivery), which is kept.
	Unchanged
)

// String names the outcome for logs and metric labels.
func (o Outcome) String() string {
	switch o {
	case Inserted:
		return "inserted"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// Store keeps articles, one row per id, with a revision that counts the
// content changes seen.
type Store interface {
	// Upsert writes a batch in one transaction and returns one Outcome per
	// article, in order. Either the whole batch is written or none of it.
	Upsert(ctx context.Context, articles []*newsflow.Article) ([]Outcome, error)
	// Get returns an article and its revision, or ErrNotFound.
	Get(ctx context.Context, id string) (*newsflow.Article, int, error)
	// Search runs a full-text query over titles and texts, best first.
	// Plain words match articles holding all of them; a query the engine
	// cannot parse gives an error wrapping ErrBadQuery.
	Search(ctx context.Context, query string, limit int) ([]Hit, error)
	// Export calls fn for each article matching f, in the order they were
	// first stored; an error from fn stops it and is returned.
	Export(ctx context.Context, f Filter, fn func(*newsflow.Article) error) error
	// Stats counts what is stored.
	Stats(ctx context.Context) (Stats, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Hit is one search result.
type Hit struct {
	Article *newsflow.Article
	// Snippet is a short passage of the text around the matched words,
	// which are marked by SnippetStart and SnippetEnd.
	Snippet string
	// Rank orders hits: higher is better. Values are only comparable
	// within one search and one backend.
	Rank float64
}

// Marks around matched words in Hit.Snippet, the same for every backend.
const (
	SnippetStart = "["
	SnippetEnd   = "]"
)

// Filter selects articles for Export; zero fields select everything.
type Filter struct {
	// Source keeps the articles of one source.
	Source string
	// Since keeps the articles stored or changed (a new revision) at or
	// after this time.
	Since time.Time
	// Limit bounds the number of articles; 0 means no bound.
	Limit int
}

// Stats counts what is stored.
type Stats struct {
	// Articles is the number of distinct articles (ids).
	Articles int `json:"articles"`
	// Sources counts articles per source.
	Sources map[string]int `json:"sources"`
	// Revisions is the number of versions stored over time: the sum of
	// every article's revision.
	Revisions int `json:"revisions"`
}

// Errors a caller may need to tell apart.
var (
	// ErrNotFound: no article has that id.
	ErrNotFound = errors.New("store: not found")
	// ErrBadQuery: the search query is not valid full-text syntax.
	ErrBadQuery = errors.New("store: bad search query")
)
