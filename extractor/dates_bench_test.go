//go:build unix

package extractor

import "testing"

// BenchmarkDatesVsParse measures, per corpus, the CPU time of findDates on
// pages parsed beforehand against a bare goquery parse of the same pages,
// the two interleaved page by page as in BenchmarkExtractVsParse: the
// share of a parse that the date search costs (dates-share). Run it with
// -cpu 1.
func BenchmarkDatesVsParse(b *testing.B) {
	for _, corpus := range []string{scrapinghub, readability, trafilaturaEval} {
		b.Run(corpus, func(b *testing.B) {
			pages := readPages(b, corpus)
			docs := parseForDates(b, pages)
			versusParse(b, pages, "dates-cpu-ns/page", "dates-share", func(i int) { findAllDates(docs[i : i+1]) })
		})
	}
}
