package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/newsflow/newsflow"
)

// Decode reads one message of schema newsflow.article/v1. It fails for bad
// JSON, another schema, or an article without id, url or content hash:
// such a message will never be stored, however often it is retried.
func Decode(data []byte) (*newsflow.Article, error) {
	var a newsflow.Article
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("bad json: %w", err)
	}
	switch {
	case a.Schema != newsflow.Schema:
		return nil, fmt.Errorf("schema %q is not %s", a.Schema, newsflow.Schema)
	case a.ID == "":
		return nil, errors.New("article has no id")
	case a.URL == "":
		return nil, errors.New("article has no url")
	case a.ContentHash == "":
		return nil, errors.New("article has no content_hash")
	}
	return &a, nil
}
