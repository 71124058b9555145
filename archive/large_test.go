package archive

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow/internal/testutil"
)

// TestReadLargeWARC reads a WARC file of NEWSFLOW_LARGE_WARC_MB megabytes
// (uncompressed; 1024 for the 1 GB) that it writes first, and
// reports the largest heap seen while reading: it stays near one record's
// size, whatever the file's. Skipped unless the variable is set: it takes
// minutes and as much disk.
func TestReadLargeWARC(t *testing.T) {
	size := testutil.LargeWARCMegabytes(t)
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{MaxFileSize: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the council said on tuesday that the new budget would cut spending on roads and schools while raising taxes for larger companies")
	var page strings.Builder
	const pageSize = 256 << 10
	written, records := 0, 0
	start := time.Now()
	for written < size<<20 {
		page.Reset()
		page.WriteString("<html><body><article>")
		for page.Len() < pageSize {
			page.WriteString("<p>")
			for range 40 {
				page.WriteString(words[r.IntN(len(words))])
				page.WriteByte(' ')
			}
			page.WriteString("</p>")
		}
		page.WriteString("</article></body></html>")
		if _, err := w.WriteResponse(Response{URL: fmt.Sprintf("https://news.example/%d", records), Date: time.Now(), Status: 200,
			Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(page.String())}); err != nil {
			t.Fatal(err)
		}
		written += page.Len()
		records++
	}
	w.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	st, _ := os.Stat(files[0])
	t.Logf("wrote %d records, %d MB of pages, %d MB gzipped, in %s", records, written>>20, st.Size()>>20, time.Since(start).Round(time.Second))

	rd, err := Open(context.Background(), files[0], 0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var ms runtime.MemStats
	var peak uint64
	n := 0
	start = time.Now()
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n%50 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		_ = rec
	}
	runtime.ReadMemStats(&ms)
	t.Logf("read %d records in %s; largest heap in use %d MB (pages of %d KB)", n, time.Since(start).Round(time.Second), peak>>20, pageSize>>10)
	if n != records {
		t.Errorf("read %d records, wrote %d", n, records)
	}
}
