package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/encoding/charmap"
)

// wholeParse is what gofeed makes of a feed read whole: the reference the
// streamed parse must match.
func wholeParse(t *testing.T, body []byte) []Candidate {
	t.Helper()
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://news.example/feed")
	return candidatesOf(feed.Items, base)
}

// TestParseFeedStream: a feed cut into batches gives the same candidates,
// in the same order, as the feed parsed whole, for every format, with
// namespaced elements, a legacy charset and a JSON Feed; and batches hold
// at most feedBatch items.
func TestParseFeedStream(t *testing.T) {
	const n = 3*feedBatch + 17
	var rss, atom, rdf, jsonFeed, latin1 strings.Builder
	rss.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Quay</title><link>https://news.example/</link>`)
	atom.WriteString(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title><id>urn:q</id>`)
	rdf.WriteString(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://news.example/"><title>Quay</title></channel>`)
	jsonFeed.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"Quay","items":[`)
	latin1.WriteString(`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Quay</title>`)
	for i := range n {
		fmt.Fprintf(&rss, `<item><title>Story %d &amp; more</title><link>/news/%d</link><dc:creator>Ana</dc:creator><pubDate>Mon, 02 Mar 2026 10:%02d:00 GMT</pubDate><content:encoded><![CDATA[<p>x</p>]]></content:encoded></item>`, i, i, i%60)
		fmt.Fprintf(&atom, `<entry><title>Story %d</title><link rel="alternate" href="https://news.example/a/%d"/><updated>2026-03-02T10:%02d:00Z</updated></entry>`, i, i, i%60)
		fmt.Fprintf(&rdf, `<item rdf:about="https://news.example/r/%d"><title>Story %d</title><link>https://news.example/r/%d</link></item>`, i, i, i)
		if i > 0 {
			jsonFeed.WriteString(",")
		}
		fmt.Fprintf(&jsonFeed, `{"id":"%d","url":"https://news.example/j/%d","title":"Story %d"}`, i, i, i)
		fmt.Fprintf(&latin1, `<item><title>Café %d</title><link>/caf%%C3%%A9/%d</link></item>`, i, i)
	}
	rss.WriteString(`</channel></rss>`)
	atom.WriteString(`</feed>`)
	rdf.WriteString(`</rdf:RDF>`)
	jsonFeed.WriteString(`]}`)
	latin1.WriteString(`</channel></rss>`)
	latin1Body, err := charmap.ISO8859_1.NewEncoder().String(latin1.String())
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"rss": rss.String(), "atom": atom.String(), "rdf": rdf.String(), "json": jsonFeed.String(), "latin1": latin1Body} {
		var got []Candidate
		batches := 0
		err := parseFeedStream([]byte(body), "https://news.example/feed", func(b []Candidate) error {
			if len(b) > feedBatch {
				t.Errorf("%s: batch of %d", name, len(b))
			}
			batches++
			got = append(got, b...)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := wholeParse(t, []byte(body))
		if len(want) != n || !slices.Equal(got, want) {
			t.Errorf("%s: streamed %d candidates in %d batches, whole %d; first streamed %+v, first whole %+v", name, len(got), batches, len(want), first(got), first(want))
		}
		if batches != 4 {
			t.Errorf("%s: %d batches, want 4", name, batches)
		}
	}
	if got := wholeParse(t, []byte(latin1Body))[1].Title; got != "Café 1" {
		t.Errorf("latin1 title %q", got)
	}

	// A caller that has enough stops the parse with its error.
	stop := errors.New("enough")
	calls := 0
	err = parseFeedStream([]byte(rss.String()), "https://news.example/feed", func([]Candidate) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("stop: err %v after %d batches, want the caller's error after 1", err, calls)
	}

	// A feed cut off part way keeps what came before the cut.
	cut := rss.String()[:len(rss.String())/2]
	got, err := parseFeed([]byte(cut), "https://news.example/feed")
	if err != nil || len(got) < feedBatch {
		t.Errorf("truncated feed: %d candidates, %v", len(got), err)
	}
	// Not a feed at all.
	if _, err := parseFeed([]byte(`<html><body>nope</body></html>`), "https://news.example/feed"); err == nil {
		t.Error("an HTML page parsed as a feed")
	}
}

func first(c []Candidate) any {
	if len(c) == 0 {
		return nil
	}
	return c[0]
}
