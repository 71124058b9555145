package app

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/extractor"
	"github.com/newsflow/newsflow/internal/testutil"
)

// BenchmarkExtractPages is the baseline of BenchmarkImportWARC: the same
// pages read from their gzipped files and extracted, one worker per CPU,
// as `newsflow extract *.html.gz` does.
func BenchmarkExtractPages(b *testing.B) {
	pages := corpusFiles(b)
	var n int
	var took, cpu time.Duration
	for b.Loop() {
		w, c := extractPass(b, pages)
		took, cpu, n = took+w, cpu+c, n+len(pages)
	}
	b.ReportMetric(float64(n)/took.Seconds(), "pages/s")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/page")
}

// corpusFiles returns the scrapinghub pages without their text: like the
// command, and like an import, the baseline holds no page beyond its
// extraction (31 MB of pages kept live would space out the garbage
// collections of the baseline only, and made it look about 10% cheaper).
func corpusFiles(b *testing.B) []testutil.CorpusPage {
	pages := testutil.ScrapinghubPages(b)
	for i := range pages {
		pages[i].HTML = nil
	}
	runtime.GC()
	return pages
}

// extractPass reads and extracts the pages once, one worker per CPU, and
// returns the wall and CPU time it took.
func extractPass(b *testing.B, pages []testutil.CorpusPage) (took, cpu time.Duration) {
	start, cpu0 := time.Now(), cpuTime()
	jobs := make(chan testutil.CorpusPage)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range jobs {
				f, err := os.Open(p.File)
				if err != nil {
					b.Error(err)
					return
				}
				zr, err := gzip.NewReader(f)
				if err != nil {
					b.Error(err)
					return
				}
				html, err := io.ReadAll(zr)
				f.Close()
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = extractor.Extract(html, p.URL, extractor.Options{ContentType: "text/html"})
			}
		})
	}
	for _, p := range pages {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	return time.Since(start), cpuTime() - cpu0
}

// cpuTime is the CPU time (user and system) the process has used: on a
// shared machine, a steadier measure of cost than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportWARC imports a WARC file of the same pages (gzipped per
// record) into a fresh embedded deployment per iteration: read, extract,
// fingerprint, check and record visits, publish on NEWS. The deployment's
// start is left out of the time; storing is the store worker's (see
// BenchmarkEndToEnd).
func BenchmarkImportWARC(b *testing.B) {
	b.Run("fingerprints", func(b *testing.B) { benchImport(b, true, 0) })
	b.Run("no-fingerprints", func(b *testing.B) { benchImport(b, false, 0) })
	// Every record of another site than the one asked for (--host): what
	// it costs to pass over the rest of a file.
	b.Run("other-sites", func(b *testing.B) { benchImport(b, true, 0, "elsewhere.example") })
}

func benchImport(b *testing.B, nearDup bool, workers int, hosts ...string) {
	file := corpusWARC(b)
	var n, published int
	var took, cpu time.Duration
	for b.Loop() {
		res, w, c := importPass(b, file, nearDup, workers, hosts...)
		took, cpu = took+w, cpu+c
		n += res.Records
		published += res.Outcomes["published"]
	}
	b.ReportMetric(float64(n)/took.Seconds(), "pages/s")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/page")
	b.ReportMetric(float64(published)/float64(b.N), "published/op")
}

// BenchmarkImportVsExtract runs the two passes above in turn, an extract
// pass then an import pass (near duplicates on, the default) per
// iteration, so that the load of a shared machine weighs on both alike,
// and reports their CPU per page and the import's throughput as a share of
// extract's (the ratio of their CPU per page).
func BenchmarkImportVsExtract(b *testing.B) {
	pages := corpusFiles(b)
	file := corpusWARC(b)
	var n int
	var extractCPU, importCPU time.Duration
	for b.Loop() {
		_, c := extractPass(b, pages)
		extractCPU += c
		res, _, c := importPass(b, file, true, 0)
		importCPU += c
		if res.Records != len(pages) {
			b.Fatalf("imported %d records of %d", res.Records, len(pages))
		}
		n += len(pages)
	}
	b.ReportMetric(float64(extractCPU.Microseconds())/1000/float64(n), "extract-cpu-ms/page")
	b.ReportMetric(float64(importCPU.Microseconds())/1000/float64(n), "import-cpu-ms/page")
	b.ReportMetric(100*float64(extractCPU)/float64(importCPU), "import-%-of-extract")
}

// corpusWARC writes the scrapinghub pages into one WARC file, gzipped per
// record, and returns it.
func corpusWARC(b *testing.B) string {
	pages := testutil.ScrapinghubPages(b)
	dir := b.TempDir()
	w, err := archive.NewWriter(dir, archive.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	fetched := time.Date(2024, 3, 7, 9, 0, 0, 0, time.UTC)
	for _, p := range pages {
		if _, err := w.WriteResponse(archive.Response{URL: p.URL, Date: fetched, Status: 200,
			Header: http.Header{"Content-Type": {"text/html"}}, Body: p.HTML}); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		b.Fatalf("WARC files: %v", files)
	}
	runtime.GC()
	return files[0]
}

// importPass imports the file into a fresh embedded deployment and
// returns what it did and the wall and CPU time of the import alone (the
// deployment's start and close left out).
func importPass(b *testing.B, file string, nearDup bool, workers int, hosts ...string) (res ImportResult, took, cpu time.Duration) {
	b.StopTimer()
	defer b.StartTimer()
	cfg := &newsflow.Config{DataDir: b.TempDir()}
	cfg.HTTP.Listen = "off"
	cfg.NearDuplicates.Enabled = &nearDup
	if err := cfg.Prepare(); err != nil {
		b.Fatal(err)
	}
	a, err := Open(context.Background(), cfg, testLogger(&testing.T{}), Need{Bus: true})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	// The fingerprint bucket is made at the deployment's start too.
	if err := a.openNearDup(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	start, cpu0 := time.Now(), cpuTime()
	res, err = a.Import(context.Background(), file, ImportOptions{Workers: workers, Hosts: hosts})
	took, cpu = time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	return res, took, cpu
}
