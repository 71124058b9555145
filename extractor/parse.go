package extractor

import (
	"bytes"

	"github.com/PuerkitoBio/goquery"
)

// parse decodes body to UTF-8 and parses it as HTML.
func parse(body []byte, contentType string) (*goquery.Document, error) {
	return goquery.NewDocumentFromReader(bytes.NewReader(body))
}
