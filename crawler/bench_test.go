package crawler

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkCanonicalize(b *testing.B) {
	u := "https://WWW.Example.com:443/news/2026/03/./some-article-title/../story.html?utm_source=x&b=2&a=1&fbclid=abc#top"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(u); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractLinks(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<html><body>")
	for i := range 300 {
		fmt.Fprintf(&sb, `<a href="/news/2026/%d?utm_source=home">Story %d</a>`, i, i)
	}
	sb.WriteString(`<a rel="next" href="?page=2">Next</a></body></html>`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := extractLinks(body, "https://example.com/"); err != nil {
			b.Fatal(err)
		}
	}
}
