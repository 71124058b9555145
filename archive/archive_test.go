package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

const page = `<!DOCTYPE html><html><head><title>Rates rise again</title></head><body><article><h1>Rates rise again</h1><p>The central bank raised its rate on Thursday.</p></article></body></html>`

var fetched = time.Date(2024, 3, 7, 9, 30, 0, 0, time.UTC)

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func chunked(b []byte) []byte {
	var buf bytes.Buffer
	for len(b) > 0 {
		n := min(len(b), 50)
		fmt.Fprintf(&buf, "%x\r\n%s\r\n", n, b[:n])
		b = b[n:]
	}
	buf.WriteString("0\r\n\r\n")
	return buf.Bytes()
}

// writeSample writes one record of every kind the reader must handle and
// returns the file's path.
func writeSample(t *testing.T, opts WriterOptions) string {
	t.Helper()
	dir := t.TempDir()
	w, err := NewWriter(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	steps := []func() (Location, error){
		func() (Location, error) { // a request record: skipped
			return w.write(gowarc.Request, "https://news.example/a", fetched, "application/http;msgtype=request",
				[]byte("GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n"), "")
		},
		func() (Location, error) {
			return w.WriteResponse(Response{Source: "wire", URL: "https://news.example/a", Date: fetched, Status: 200, Header: html, Body: []byte(page)})
		},
		func() (Location, error) { // chunked and gzip-encoded
			h := html.Clone()
			h.Set("Transfer-Encoding", "chunked")
			h.Set("Content-Encoding", "gzip")
			return w.WriteResponse(Response{URL: "https://news.example/b", Date: fetched.Add(time.Minute), Status: 200, Header: h, Body: chunked(gz([]byte(page)))})
		},
		func() (Location, error) { // not HTML: read, left to the caller to refuse
			return w.WriteResponse(Response{URL: "https://news.example/logo.png", Date: fetched, Status: 200,
				Header: http.Header{"Content-Type": {"image/png"}}, Body: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")})
		},
		func() (Location, error) {
			return w.WriteResponse(Response{URL: "https://news.example/gone", Date: fetched, Status: 404, Header: html, Body: []byte("not found")})
		},
		func() (Location, error) {
			return w.WriteResource("https://news.example/c", fetched, "text/html", []byte(page))
		},
	}
	for i, step := range steps {
		if _, err := step(); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	if len(files) != 1 {
		t.Fatalf("files written: %v", files)
	}
	return files[0]
}

func readAll(t *testing.T, name string, offset int64) []*Record {
	t.Helper()
	r, err := Open(context.Background(), name, offset, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []*Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("after %d records: %v", len(out), err)
		}
		out = append(out, rec)
	}
}

type want struct {
	typ, url, skip string
	body           bool
}

var sampleWant = []want{
	{"request", "https://news.example/a", SkipRecordType, false},
	{"response", "https://news.example/a", "", true},
	{"response", "https://news.example/b", "", true},
	{"response", "https://news.example/logo.png", "", false},
	{"response", "https://news.example/gone", SkipNotOK, false},
	{"resource", "https://news.example/c", "", true},
}

func checkRecords(t *testing.T, got []*Record, want []want) {
	t.Helper()
	if len(got) != len(want) {
		for _, r := range got {
			t.Logf("%+v", *r)
		}
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i]
		if r.Type != w.typ || r.URL != w.url || r.Skip != w.skip {
			t.Errorf("record %d: %s %s skip %q (%v), want %s %s skip %q", i, r.Type, r.URL, r.Skip, r.Err, w.typ, w.url, w.skip)
		}
		if w.body && string(r.Body) != page {
			t.Errorf("record %d (%s): body %.60q, want the page", i, r.URL, r.Body)
		}
		if w.skip == "" && !r.Date.Equal(fetched) && !r.Date.Equal(fetched.Add(time.Minute)) {
			t.Errorf("record %d: date %v", i, r.Date)
		}
	}
}

func TestReadWARC(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts WriterOptions
	}{
		{"gzip per record, WARC/1.1", WriterOptions{}},
		{"uncompressed, WARC/1.1", WriterOptions{Uncompressed: true}},
		{"gzip per record, WARC/1.0", WriterOptions{Version: gowarc.V1_0}},
		{"uncompressed, WARC/1.0", WriterOptions{Uncompressed: true, Version: gowarc.V1_0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := writeSample(t, tc.opts)
			got := readAll(t, name, 0)
			checkRecords(t, got, sampleWant)
			if got[1].Source != "wire" || got[2].Source != "" {
				t.Errorf("sources %q %q, want wire and none", got[1].Source, got[2].Source)
			}
			if got[3].ContentType != "image/png" || got[2].ContentType != "text/html" {
				t.Errorf("content types %q %q", got[3].ContentType, got[2].ContentType)
			}
			// Reading again from a record's offset starts at that record.
			for i := range got {
				again := readAll(t, name, got[i].Offset)
				checkRecords(t, again, sampleWant[i:])
			}
		})
	}
}

func TestReadTruncatedWARC(t *testing.T) {
	for _, opts := range []WriterOptions{{}, {Uncompressed: true}} {
		name := writeSample(t, opts)
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// Cut the file inside its last record.
		if err := os.WriteFile(name, data[:len(data)-60], 0o644); err != nil {
			t.Fatal(err)
		}
		got := readAll(t, name, 0)
		if len(got) != len(sampleWant) {
			t.Fatalf("%s: %d records, want %d", filepath.Base(name), len(got), len(sampleWant))
		}
		checkRecords(t, got[:len(got)-1], sampleWant[:len(sampleWant)-1])
		last := got[len(got)-1]
		if last.Skip != SkipTruncated && last.Truncated == "" {
			t.Errorf("%s: the cut record reads as whole: %+v", filepath.Base(name), last)
		}
	}
}

func TestReadNotWARC(t *testing.T) {
	name := filepath.Join(t.TempDir(), "page.html")
	os.WriteFile(name, []byte(page), 0o644)
	r, err := Open(context.Background(), name, 0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := r.Next()
	if err == nil && (rec == nil || rec.Skip == "") {
		t.Fatalf("an HTML file read as a WARC record: %+v", rec)
	}
}

// TestReadWARCOverHTTP streams a file from a server that honours ranges
// and from one that does not.
func TestReadWARCOverHTTP(t *testing.T) {
	name := writeSample(t, WriterOptions{})
	data, _ := os.ReadFile(name)
	local := readAll(t, name, 0)
	ranged := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "x.warc.gz", fetched, bytes.NewReader(data))
	}))
	defer ranged.Close()
	whole := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/warc")
		w.Write(data)
	}))
	defer whole.Close()
	for _, srv := range []*httptest.Server{ranged, whole} {
		got := readAll(t, srv.URL+"/x.warc.gz", 0)
		checkRecords(t, got, sampleWant)
		again := readAll(t, srv.URL+"/x.warc.gz", local[2].Offset)
		checkRecords(t, again, sampleWant[2:])
	}
	missing := strings.TrimSuffix(ranged.URL, "/") + "/none"
	if _, err := Open(context.Background(), missing, 0, Options{}); err == nil {
		// ServeContent serves any path here; a 404 server tells apart.
		t.Log("server answered for any path")
	}
}

func TestLocation(t *testing.T) {
	l := Location{File: "newsflow-1.warc.gz", Offset: 1234}
	got, err := ParseLocation(l.String())
	if err != nil || got != l {
		t.Errorf("round trip %q: %+v %v", l, got, err)
	}
	for _, bad := range []string{"", "x", "#12", "x#-1", "x#y"} {
		if _, err := ParseLocation(bad); err == nil {
			t.Errorf("ParseLocation(%q) gave no error", bad)
		}
	}
}

func TestWriterRotates(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{MaxFileSize: 600})
	if err != nil {
		t.Fatal(err)
	}
	var locs []Location
	for i := range 5 {
		l, err := w.WriteResponse(Response{URL: fmt.Sprintf("https://news.example/%d", i), Date: fetched, Status: 200,
			Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(page)})
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, l)
	}
	w.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) < 2 {
		t.Fatalf("no rotation: %v", files)
	}
	for i, l := range locs {
		r, err := Open(context.Background(), filepath.Join(dir, l.File), l.Offset, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := r.Next()
		r.Close()
		if err != nil || rec.URL != fmt.Sprintf("https://news.example/%d", i) || string(rec.Body) != page {
			t.Errorf("record %d at %s: %+v %v", i, l, rec, err)
		}
	}
}
