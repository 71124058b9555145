// Package sqlrow holds what the SQL backends share about an article row:
// the columns every read selects and the encoding of optional values.
package sqlrow

import (
	"database/sql"
	"encoding/json"
)

// Columns are the article columns every read selects, in the order each
// backend's scanArticle reads them.
const Columns = `a.id, a.url, a.canonical_url, a.source, a.title, a.authors,
	a.published_at, a.modified_at, a.language, a.description, a.text, a.image,
	a.site_name, a.section, a.tags, a.paywalled, a.word_count, a.fetched_at,
	a.content_hash, a.extractor_version, a.revision`

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
