package archive

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReader reads arbitrary bytes as a WARC file: it must neither panic
// nor loop, whatever the records, headers or gzip members look like.
func FuzzReader(f *testing.F) {
	for _, opts := range []WriterOptions{{}, {Uncompressed: true}} {
		t := &testing.T{}
		name := writeSample(t, opts)
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>x"))
	f.Add([]byte("WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://a/\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "fuzz.warc")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(context.Background(), name, 0, Options{MaxBody: 1 << 20})
		if err != nil {
			return
		}
		defer r.Close()
		for i := 0; i < len(data)+2; i++ {
			rec, err := r.Next()
			if err != nil {
				return
			}
			if rec == nil {
				t.Fatal("nil record without error")
			}
			if int64(len(rec.Body)) > 1<<20 {
				t.Fatalf("body of %d bytes over the limit", len(rec.Body))
			}
		}
		t.Fatalf("more records than bytes in a %d-byte file", len(data))
	})
}
