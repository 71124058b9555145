// Package sqlrow holds what the SQL backends share about an article row:
// the columns every read selects and the encoding of optional values.
package sqlrow

import (
	"database/sql"
	"encoding/json"

	"github.com/newsflow/newsflow"
)

// Columns are the article columns every read selects, in the order each
// backend's scanArticle reads them.
const Columns = `a.id, a.url, a.canonical_url, a.source, a.title, a.authors,
	a.published_at, a.modified_at, a.language, a.description, a.text, a.image,
	a.site_name, a.section, a.tags, a.paywalled, a.word_count, a.fetched_at,
	a.content_hash, a.extractor_version, a.revision,
	a.raw_page, a.near_duplicate_of, a.near_duplicate_similarity`

// ArchiveColumnsSQL sets the columns of where an article's raw page is kept
// and what it nearly copies (added by the archive migration), in the order
// of ArchiveArgs; each backend binds its own placeholders.
const ArchiveColumnsSQL = `raw_page = %s, near_duplicate_of = %s, near_duplicate_similarity = %s WHERE id = %s`

// HasArchiveFields reports whether an article has a value for one of the
// columns of ArchiveColumnsSQL.
func HasArchiveFields(a *newsflow.Article) bool {
	return a.RawPage != "" || a.NearDuplicateOf != ""
}

// ArchiveArgs are the values of ArchiveColumnsSQL for an article.
func ArchiveArgs(a *newsflow.Article) []any {
	sim := sql.NullFloat64{Float64: a.NearDuplicateSimilarity, Valid: a.NearDuplicateOf != ""}
	return []any{NullString(a.RawPage), NullString(a.NearDuplicateOf), sim, a.ID}
}

// ScanArchive returns the scan destinations of the columns that follow
// the revision in Columns, and a function that sets them on a.
func ScanArchive() (dest []any, set func(a *newsflow.Article)) {
	var raw, dup sql.NullString
	var sim sql.NullFloat64
	return []any{&raw, &dup, &sim}, func(a *newsflow.Article) {
		a.RawPage, a.NearDuplicateOf, a.NearDuplicateSimilarity = raw.String, dup.String, sim.Float64
	}
}

// NullString stores an empty string as NULL: a field that is unknown is
// absent, not empty.
func NullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// JSONList encodes a list as JSON; an empty list is NULL.
func JSONList(l []string) sql.NullString {
	if len(l) == 0 {
		return sql.NullString{}
	}
	b, _ := json.Marshal(l)
	return sql.NullString{String: string(b), Valid: true}
}
