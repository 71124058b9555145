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
	pages := testutil.ScrapinghubPages(b)
	var n int
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
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
		n += len(pages)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "pages/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(n), "cpu-ms/page")
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
}

func benchImport(b *testing.B, nearDup bool, workers int) {
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
	w.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	var n, published int
	var took, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
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
		// The fingerprint bucket is made at the deployment's start too.
		if err := a.openNearDup(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		res, err := a.Import(context.Background(), files[0], ImportOptions{Workers: workers})
		took += time.Since(start)
		cpu += cpuTime() - cpu0
		b.StopTimer()
		a.Close()
		b.StartTimer()
		if err != nil {
			b.Fatal(err)
		}
		n += res.Records
		published += res.Outcomes["published"]
	}
	b.ReportMetric(float64(n)/took.Seconds(), "pages/s")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/page")
	b.ReportMetric(float64(published)/float64(b.N), "published/op")
}
