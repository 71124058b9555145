//go:build unix

package extractor

import (
	"bytes"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// BenchmarkExtractVsParse measures, per corpus, the CPU time of Extract
// against a bare goquery parse of the same pages, the two interleaved
// page by page: on a shared machine the CPU time of the process moves
// less than the wall clock, and interleaving puts both under the same
// load. It reports both per page and their ratio (x-parse); run it with
// -cpu 1 so that the garbage collector's work is counted where it falls.
func BenchmarkExtractVsParse(b *testing.B) {
	for _, corpus := range []string{scrapinghub, readability, trafilaturaEval} {
		b.Run(corpus, func(b *testing.B) {
			pages := readPages(b, corpus)
			versusParse(b, pages, "extract-cpu-ns/page", "x-parse", func(i int) {
				Extract(pages[i].HTML, pages[i].URL, Options{})
			})
		})
	}
}

// versusParse runs work on every page b.N times, each call beside a bare
// goquery parse of another page (half the corpus away, so that neither
// finds the other's page in the processor's caches), and reports the CPU
// time of both per page (work's under unit) and work's as a share of the
// parse's (under ratio).
func versusParse(b *testing.B, pages []*corpusPage, unit, ratio string, work func(i int)) {
	var parse, worked time.Duration
	b.ResetTimer()
	for range b.N {
		for i := range pages {
			other := pages[(i+len(pages)/2)%len(pages)]
			t0 := cpuTime()
			if _, err := goquery.NewDocumentFromReader(bytes.NewReader(other.HTML)); err != nil {
				b.Fatal(err)
			}
			t1 := cpuTime()
			work(i)
			t2 := cpuTime()
			parse += t1 - t0
			worked += t2 - t1
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(float64(parse.Nanoseconds())/n, "parse-cpu-ns/page")
	b.ReportMetric(float64(worked.Nanoseconds())/n, unit)
	b.ReportMetric(float64(worked)/float64(parse), ratio)
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
