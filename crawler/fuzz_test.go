package crawler

import (
	"strings"
	"testing"
)

func FuzzExtractLinks(f *testing.F) {
	f.Add([]byte(`<base href="/d/"><link rel="next" href="?page=2"><a href="a">x</a><a href="/p/page/3">3</a>`), "http://example.com/list")
	f.Add([]byte(`<a href="javascript:x">Next</a><a href="//other/">»</a>`), "https://example.com/")
	f.Fuzz(func(t *testing.T, body []byte, page string) {
		links, err := extractLinks(body, page)
		if err != nil {
			return
		}
		for _, l := range append(links.Links, links.Next...) {
			if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
				t.Fatalf("link %q is not canonical http(s)", l)
			}
		}
	})
}

func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(`<rss version="2.0"><channel><item><link>/a</link></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="b"/></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"c"}]}`))
	f.Add([]byte(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="d"><link>d</link></item></rdf:RDF>`))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Caf\xe9</title><link>/e</link></item><item><link>/f</link>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		cands, err := parseFeed(body, "http://example.com/feed")
		if err != nil {
			return
		}
		for _, c := range cands {
			if c.Via != ViaFeed || !strings.HasPrefix(c.URL, "http") {
				t.Fatalf("bad candidate %+v", c)
			}
		}
	})
}
