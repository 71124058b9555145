package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/internal/testutil"
)

// TestImportLargeWARC imports a WARC file of NEWSFLOW_LARGE_WARC_MB
// megabytes of pages (uncompressed; 1024 for the 1 GB), made of the
// scrapinghub pages over and over at URLs of their own, streamed from an
// HTTP server on 127.0.0.1, into an embedded deployment: extraction, near
// copies, visits, the NEWS stream and the store. It logs the heap in use and the
// process's resident memory at each eighth of the file and the largest
// seen, which stay flat whatever the file's size: the reader holds one
// record, the workers one each. Skipped unless the variable is set: it
// takes minutes and the file's gzipped size on disk.
func TestImportLargeWARC(t *testing.T) {
	size := testutil.LargeWARCMegabytes(t)
	pages := testutil.ScrapinghubPages(t)
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, archive.WriterOptions{MaxFileSize: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	fetched := time.Date(2024, 3, 7, 9, 0, 0, 0, time.UTC)
	written, records := 0, 0
	start := time.Now()
	for written < size<<20 {
		p := pages[records%len(pages)]
		u, err := url.Parse(p.URL)
		if err != nil {
			t.Fatal(err)
		}
		u.Host = fmt.Sprintf("copy%d.%s", records/len(pages), u.Host) // a page of its own
		if _, err := w.WriteResponse(archive.Response{URL: u.String(), Date: fetched, Status: 200,
			Header: http.Header{"Content-Type": {"text/html"}}, Body: p.HTML}); err != nil {
			t.Fatal(err)
		}
		written += len(p.HTML)
		records++
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pages = nil
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("WARC files: %v", files)
	}
	st, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d records, %d MB of pages, %d MB gzipped, in %s", records, written>>20, st.Size()>>20, time.Since(start).Round(time.Second))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, files[0])
	}))
	defer srv.Close()

	a := openApp(t, importConfig(t))
	runtime.GC()
	var (
		mu       sync.Mutex
		done     int
		peakHeap uint64
		peakLive uint64
		peakRSS  uint64
	)
	// Heap in use moves with the collector's pace; the live heap (what
	// the last collection kept) is what a leak would make grow.
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	sample := func(label string) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		metrics.Read(live)
		rss := residentBytes()
		mu.Lock()
		peakHeap, peakRSS = max(peakHeap, ms.HeapInuse), max(peakRSS, rss)
		peakLive = max(peakLive, live[0].Value.Uint64())
		n := done
		mu.Unlock()
		if label != "" {
			t.Logf("%s: %d of %d records, heap in use %d MB, live heap %d MB, resident %d MB",
				label, n, records, ms.HeapInuse>>20, live[0].Value.Uint64()>>20, rss>>20)
		}
	}
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sample("")
			}
		}
	}()
	start, cpu0 := time.Now(), cpuTime()
	eighth := max(records/8, 1)
	// As the command does: the store worker alongside, done once every
	// article is stored.
	results, err := a.ImportAll(context.Background(), []string{srv.URL + "/large.warc.gz"}, ImportOptions{afterRecord: func(string) {
		mu.Lock()
		done++
		n := done
		mu.Unlock()
		if n%eighth == 0 {
			sample(fmt.Sprintf("%d/8", n/eighth))
		}
	}}, true)
	took, cpu := time.Since(start), cpuTime()-cpu0
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	res := results[0]
	t.Logf("imported %d records (%v) in %s, %.1f ms of CPU a page; largest heap in use %d MB, live heap %d MB, resident %d MB",
		res.Records, res.Outcomes, took.Round(time.Second), float64(cpu.Microseconds())/1000/float64(res.Records), peakHeap>>20, peakLive>>20, peakRSS>>20)
	if res.Records != records {
		t.Errorf("imported %d records, wrote %d", res.Records, records)
	}
}

// residentBytes returns the process's resident set size (VmRSS), or 0
// where /proc does not say.
func residentBytes() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmRSS:")); ok {
			kb, _ := strconv.ParseUint(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
			return kb << 10
		}
	}
	return 0
}
