//go:build unix

package extractor

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/newsflow/newsflow"
)

// BenchmarkDatesVsParse measures, per corpus, the CPU time of findDates on
// pages parsed beforehand against a bare goquery parse of the same pages,
// the two interleaved in each iteration as in BenchmarkExtractVsParse: the
// share of a parse that the date search costs (dates-share). Run it with
// -cpu 1.
func BenchmarkDatesVsParse(b *testing.B) {
	type parsed struct {
		doc  *goquery.Document
		ix   *pageIndex
		ld   *jsonLD
		mt   metaTags
		base *url.URL
	}
	for _, corpus := range []string{scrapinghub, readability, trafilaturaEval} {
		b.Run(corpus, func(b *testing.B) {
			pages := readPages(b, corpus)
			docs := make([]parsed, 0, len(pages))
			for _, p := range pages {
				doc, err := parse(p.HTML, "")
				if err != nil {
					b.Fatal(err)
				}
				base, _ := url.Parse(p.URL)
				ix := indexPage(doc.Nodes[0])
				docs = append(docs, parsed{doc, ix, readJSONLD(ix, p.URL), readMetaTags(ix), base})
			}
			var parseCPU, datesCPU time.Duration
			b.ResetTimer()
			for range b.N {
				t0 := cpuTime()
				for _, p := range pages {
					if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML)); err != nil {
						b.Fatal(err)
					}
				}
				t1 := cpuTime()
				for _, d := range docs {
					findDates(d.doc, d.ix, d.ld, d.mt, d.base, newsflow.ExtractRules{})
				}
				t2 := cpuTime()
				parseCPU += t1 - t0
				datesCPU += t2 - t1
			}
			n := float64(b.N * len(pages))
			b.ReportMetric(float64(parseCPU.Nanoseconds())/n, "parse-cpu-ns/page")
			b.ReportMetric(float64(datesCPU.Nanoseconds())/n, "dates-cpu-ns/page")
			b.ReportMetric(float64(datesCPU)/float64(parseCPU), "dates-share")
		})
	}
}
