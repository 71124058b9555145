package store_test

import (
	"testing"

	"github.com/newsflow/newsflow/store"
)

// FuzzDecode checks that no message, however malformed, makes Decode panic,
// and that what it accepts has the fields the store needs.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(mustJSON(article("f", 1))))
	f.Add([]byte(`{"schema":"newsflow.article/v1","id":"x","url":"u","content_hash":"h","authors":[1]}`))
	f.Add([]byte(`{"schema":"newsflow.article/v1","id":"x","url":"u","content_hash":"h","published_at":"yesterday"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := store.Decode(data)
		if err == nil && (a.ID == "" || a.URL == "" || a.ContentHash == "") {
			t.Fatalf("accepted an incomplete article: %+v", a)
		}
	})
}
