package extractor

import (
	"net/url"

	"github.com/PuerkitoBio/goquery"
)

// classify returns why a page is not an article, or "" when it is one.
func classify(doc *goquery.Document, base *url.URL, meta *metadata, c *content) string {
	if c.Text == "" {
		return "no text"
	}
	return ""
}
