package crawler

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
)

// parseFeed reads an RSS (0.9x, 1.0, 2.0), Atom or JSON Feed document and
// returns a candidate per item link, resolved against the feed's URL and
// canonicalised. Items without a usable link are left out.
func parseFeed(body []byte, feedURL string) ([]Candidate, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	base, err := url.Parse(feedURL)
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	var out []Candidate
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
			link = strings.TrimSpace(it.GUID)
		}
		if link == "" {
			continue
		}
		ref, err := url.Parse(link)
		if err != nil {
			continue
		}
		canon, err := Canonicalize(base.ResolveReference(ref).String())
		if err != nil {
			continue
		}
		c := Candidate{URL: canon, Via: ViaFeed, Title: strings.TrimSpace(it.Title)}
		if it.PublishedParsed != nil {
			c.Published = it.PublishedParsed.UTC()
		}
		if it.UpdatedParsed != nil {
			c.Modified = it.UpdatedParsed.UTC()
		}
		out = append(out, c)
	}
	return out, nil
}
