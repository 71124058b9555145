package extractor

import (
	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
)

// content is the main text of a page and what was measured while finding it.
type content struct {
	// Text is the article text, paragraphs separated by blank lines.
	Text string
}

// applyRemoveRules deletes what the source's extract.remove selectors match.
func applyRemoveRules(doc *goquery.Document, rules newsflow.ExtractRules) {
	for _, sel := range rules.Remove {
		doc.Find(sel).Remove()
	}
}

// extractContent finds the article body.
func extractContent(doc *goquery.Document, meta *metadata, rules newsflow.ExtractRules) *content {
	return &content{Text: doc.Find("p").Text()}
}
