package archive

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// DefaultMaxFileSize is the size at which a Writer starts a new file.
const DefaultMaxFileSize = 1 << 30

// Location is where a record was written: a file name (relative to the
// writer's directory) and the record's offset in it.
type Location struct {
	File   string
	Offset int64
}

// String gives the location as "<file>#<offset>", the form of an
// article's raw_page.
func (l Location) String() string { return l.File + "#" + strconv.FormatInt(l.Offset, 10) }

// ParseLocation reads what Location.String wrote.
func ParseLocation(s string) (Location, error) {
	i := strings.LastIndexByte(s, '#')
	if i <= 0 {
		return Location{}, fmt.Errorf("archive: %q is not a location (file#offset)", s)
	}
	off, err := strconv.ParseInt(s[i+1:], 10, 64)
	if err != nil || off < 0 {
		return Location{}, fmt.Errorf("archive: %q is not a location (file#offset)", s)
	}
	return Location{File: s[:i], Offset: off}, nil
}

// WriterOptions say how a Writer names, compresses and rotates files.
type WriterOptions struct {
	// Prefix starts every file name (default "newsflow").
	Prefix string
	// MaxFileSize is the size after which a new file is started
	// (DefaultMaxFileSize when zero).
	MaxFileSize int64
	// Uncompressed writes .warc files instead of .warc.gz (each record its
	// own gzip member, as the standard recommends).
	Uncompressed bool
	// Version is the WARC version written (1.1 unless set to gowarc.V1_0).
	Version *gowarc.WarcVersion
	// MaxFileAge, when set, starts a new file once the current one is
	// that old (at its next write).
	MaxFileAge time.Duration
	// Closed, when set, is called with each file's name and path once it
	// is closed and complete (to copy it elsewhere).
	Closed func(name, path string)
}

// Writer appends records to WARC files in a directory, starting a new
// file when the current one reaches its size limit. It is safe for
// concurrent use.
type Writer struct {
	dir  string
	opts WriterOptions

	mu     sync.Mutex
	f      *os.File
	name   string
	size   int64
	opened time.Time
	serial int
	gz     *gzip.Writer
}

// NewWriter returns a Writer that creates its files in dir.
func NewWriter(dir string, opts WriterOptions) (*Writer, error) {
	if opts.Prefix == "" {
		opts.Prefix = "newsflow"
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Version == nil {
		opts.Version = gowarc.V1_1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &Writer{dir: dir, opts: opts}, nil
}

// Response is a fetched HTTP response, as it is archived.
type Response struct {
	// Source names the newsflow source the page was fetched for; it is
	// kept in the record's Newsflow-Source field.
	Source string
	URL    string
	Date   time.Time // when it was fetched
	Status int
	Header http.Header
	// Body is the body as it came on the wire, with any chunking and
	// Content-Encoding of the header.
	Body []byte
}

// WriteResponse appends a response record and returns where it is.
func (w *Writer) WriteResponse(r Response) (Location, error) {
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "HTTP/1.1 %d %s\r\n", r.Status, http.StatusText(r.Status))
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			fmt.Fprintf(&msg, "%s: %s\r\n", k, v)
		}
	}
	msg.WriteString("\r\n")
	msg.Write(r.Body)
	return w.write(gowarc.Response, r.URL, r.Date, "application/http;msgtype=response", msg.Bytes(), r.Source)
}

// WriteResource appends a resource record: a document without an HTTP
// envelope.
func (w *Writer) WriteResource(url string, date time.Time, contentType string, body []byte) (Location, error) {
	return w.write(gowarc.Resource, url, date, contentType, body, "")
}

// SourceField is the WARC header field that names the newsflow source a
// page was fetched for.
const SourceField = "Newsflow-Source"

func (w *Writer) write(rt gowarc.RecordType, url string, date time.Time, contentType string, block []byte, source string) (Location, error) {
	optionsMu.Lock()
	b := gowarc.NewRecordBuilder(rt,
		gowarc.WithVersion(w.opts.Version),
		gowarc.WithAddMissingRecordId(true),
		gowarc.WithAddMissingContentLength(true),
		gowarc.WithAddMissingDigest(true),
	)
	defer b.Close()
	if _, err := b.Write(block); err != nil {
		optionsMu.Unlock()
		return Location{}, fmt.Errorf("archive: record of %s: %w", url, err)
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, url)
	b.AddWarcHeaderTime(gowarc.WarcDate, date.UTC())
	b.AddWarcHeader(gowarc.ContentType, contentType)
	if source != "" {
		b.AddWarcHeader(SourceField, source)
	}
	rec, _, err := b.Build() // draws the record id from the uuid pool
	optionsMu.Unlock()
	if err != nil {
		return Location{}, fmt.Errorf("archive: record of %s: %w", url, err)
	}
	defer rec.Close()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f != nil && (w.size >= w.opts.MaxFileSize || w.opts.MaxFileAge > 0 && time.Since(w.opened) >= w.opts.MaxFileAge) {
		if err := w.closeFile(); err != nil {
			return Location{}, err
		}
	}
	if w.f == nil {
		if err := w.openFile(); err != nil {
			return Location{}, err
		}
	}
	loc := Location{File: w.name, Offset: w.size}
	cw := &countWriter{w: w.f}
	var out io.Writer = cw
	if !w.opts.Uncompressed {
		if w.gz == nil {
			w.gz = gzip.NewWriter(cw)
		} else {
			w.gz.Reset(cw)
		}
		out = w.gz
	}
	_, _, err = gowarc.NewMarshaler().Marshal(out, rec, 0)
	if err == nil && w.gz != nil && !w.opts.Uncompressed {
		err = w.gz.Close()
	}
	w.size += cw.n
	if err != nil {
		// A record written in part would corrupt what follows: start a
		// new file for the next one.
		w.closeFile()
		return Location{}, fmt.Errorf("archive: write %s: %w", loc, err)
	}
	return loc, nil
}

// Flush makes what was written durable.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	return w.f.Sync()
}

// Close closes the current file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closeFile()
}

func (w *Writer) openFile() error {
	ext := ".warc.gz"
	if w.opts.Uncompressed {
		ext = ".warc"
	}
	for {
		w.serial++
		name := fmt.Sprintf("%s-%s-%05d%s", w.opts.Prefix, time.Now().UTC().Format("20060102150405"), w.serial, ext)
		f, err := os.OpenFile(filepath.Join(w.dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		w.f, w.name, w.size, w.opened = f, name, 0, time.Now()
		return nil
	}
}

func (w *Writer) closeFile() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Sync()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	if err != nil {
		return fmt.Errorf("archive: close %s: %w", w.name, err)
	}
	if w.opts.Closed != nil && w.size > 0 {
		w.opts.Closed(w.name, filepath.Join(w.dir, w.name))
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
