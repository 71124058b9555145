package archive

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/nlnwa/gowarc/v3"
)

// DefaultMaxBody is the largest page body read from a record, before and
// after decoding; larger ones are skipped.
const DefaultMaxBody = 10 << 20

// Reasons a record carries no page to extract, in Record.Skip.
const (
	SkipRecordType = "record_type"  // not a response or resource record (request, metadata, revisit, warcinfo)
	SkipNoURL      = "no_url"       // no WARC-Target-URI
	SkipBadHTTP    = "bad_http"     // a response record whose HTTP message does not parse
	SkipTooLarge   = "too_large"    // body over the size limit
	SkipEncoding   = "bad_encoding" // a Content-Encoding that cannot be undone
	SkipTruncated  = "truncated"    // the file ends inside the record
	SkipNotOK      = "http_not_ok"  // an HTTP status other than 200..299
	SkipNoContent  = "empty"        // no body
	SkipBadRecord  = "bad_record"   // the record itself is malformed
)

// optionsMu serialises the making of gowarc options and the building of
// records: each set of options switches on the uuid package's random pool,
// a write to a global that record ids then read, which the race detector
// rightly reports when they happen at once.
var optionsMu sync.Mutex

// Record is one record of a WARC file, with the page it holds when it is
// a response or resource record.
type Record struct {
	// Offset is where the record starts in the file (in the compressed
	// file for .warc.gz): reading again from there reads it first.
	Offset int64
	// Type is the WARC-Type: "response", "resource", "request", ...
	Type string
	// ID is the WARC-Record-ID.
	ID string
	// URL is the WARC-Target-URI.
	URL string
	// Source is the newsflow source the page was fetched for, when a
	// newsflow archive wrote it (SourceField).
	Source string
	// Date is the WARC-Date: when the page was fetched.
	Date time.Time
	// Status is the HTTP status of a response record (200 for a resource).
	Status int
	// Header is the HTTP header of a response record.
	Header http.Header
	// ContentType is the media type of the body, without parameters;
	// ContentTypeFull keeps them (the charset).
	ContentType, ContentTypeFull string
	// Body is the page as served, with transfer and content encodings
	// undone.
	Body []byte
	// Truncated is the WARC-Truncated reason ("length", "time", ...) when
	// the archiver cut the body, or TruncatedFile when the file ends
	// inside the record; the body is what was kept.
	Truncated string
	// Skip says why the record holds no page to extract; "" when it does.
	Skip string
	// Err details a skip caused by bad data.
	Err error
}

// Options of a Reader.
type Options struct {
	// MaxBody is the largest body read (DefaultMaxBody when zero).
	MaxBody int64
	// HTTPClient fetches http(s) inputs (http.DefaultClient when nil).
	HTTPClient *http.Client
}

// Reader reads the records of one WARC file, local or remote, as a stream:
// one record is held in memory at a time.
type Reader struct {
	name   string
	body   io.ReadCloser
	r      *gowarc.WarcFileReader
	opts   Options
	broken bool
}

// Open opens a WARC file (.warc or .warc.gz, gzipped per record) at a path,
// or at an http(s) URL, which is streamed, never held whole. With offset >
// 0 reading starts at that record offset (a Record.Next of an earlier
// read): a local file is seeked, a remote one asked for the range, or read
// through to the offset when the server ignores ranges.
func Open(ctx context.Context, name string, offset int64, opts Options) (*Reader, error) {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	rd := &Reader{name: name, opts: opts}
	var src io.Reader
	if strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://") {
		body, err := openHTTP(ctx, name, offset, opts.HTTPClient)
		if err != nil {
			return nil, err
		}
		rd.body = body
		src = body
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("archive: %w", err)
		}
		if st, err := f.Stat(); err == nil && st.IsDir() {
			f.Close()
			return nil, fmt.Errorf("archive: %s is a directory", name)
		}
		rd.body = f
		src = f // a Seeker: gowarc seeks to the offset
	}
	return rd.start(src, offset)
}

// OpenStream reads a WARC file from a stream (an object store's), starting
// at offset: what comes before it is read through. It closes body when
// the Reader is closed.
func OpenStream(name string, body io.ReadCloser, offset int64, opts Options) (*Reader, error) {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if offset > 0 {
		if _, err := io.CopyN(io.Discard, body, offset); err != nil {
			body.Close()
			return nil, fmt.Errorf("archive: %s: skip to %d: %w", name, offset, err)
		}
	}
	rd := &Reader{name: name, opts: opts, body: body}
	// A plain io.Reader: gowarc does not seek, and counts from offset.
	return rd.start(struct{ io.Reader }{body}, offset)
}

// start hands the stream to gowarc.
func (rd *Reader) start(src io.Reader, offset int64) (*Reader, error) {
	// Archives in the wild bend the standard: read what can be read, and
	// parse the HTTP message here rather than in the library. Findings
	// are collected, not fatal; at that level the library also keeps each
	// block (in memory, or on disk past its buffer size) for reading.
	optionsMu.Lock()
	r, err := gowarc.NewWarcFileReaderFromStream(src, offset,
		gowarc.WithNoValidation(),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore),
	)
	optionsMu.Unlock()
	if err != nil {
		rd.body.Close()
		return nil, fmt.Errorf("archive: open %s at %d: %w", rd.name, offset, err)
	}
	rd.r = r
	return rd, nil
}

// openHTTP starts a streamed GET of a remote WARC file from offset.
func openHTTP(ctx context.Context, url string, offset int64, client *http.Client) (io.ReadCloser, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if offset > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(offset, 10)+"-")
	}
	// The file is read as it is: a .warc.gz is gzipped per record, and a
	// transparent decompression would hide the record offsets.
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("archive: get %s: %w", url, err)
	}
	switch {
	case resp.StatusCode == http.StatusPartialContent && offset > 0:
		return resp.Body, nil
	case resp.StatusCode == http.StatusOK:
		if offset > 0 {
			// No range support: read through to the offset.
			if _, err := io.CopyN(io.Discard, resp.Body, offset); err != nil {
				resp.Body.Close()
				return nil, fmt.Errorf("archive: get %s: skip to %d: %w", url, offset, err)
			}
		}
		return resp.Body, nil
	}
	resp.Body.Close()
	return nil, fmt.Errorf("archive: get %s: HTTP %s", url, resp.Status)
}

// Close releases the file or connection.
func (rd *Reader) Close() error {
	if rd.r != nil {
		rd.r.Close() // closes rd.body too
		rd.r = nil
		return nil
	}
	return rd.body.Close()
}

// Next returns the next record, or io.EOF at the end of the file. A
// record that cannot be used is returned with Skip set; a file that ends
// inside a record gives that record with Skip "truncated", then io.EOF. An
// error means the file cannot be read on (not a WARC file, a broken
// connection); the records before it were good.
func (rd *Reader) Next() (*Record, error) {
	if rd.broken {
		return nil, io.EOF
	}
	rec, err := rd.r.Next()
	defer rec.Close()
	if err != nil {
		if errors.Is(err, io.EOF) && rec.WarcRecord == nil && rec.Size <= 0 {
			return nil, io.EOF
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, gowarc.ErrNoRecord) {
			rd.broken = true
			return &Record{Offset: rec.Offset, Skip: SkipTruncated, Err: err}, nil
		}
		return nil, fmt.Errorf("archive: %s: record at %d: %w", rd.name, rec.Offset, err)
	}
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	out := &Record{
		Offset: rec.Offset,
		Type:   wr.Type().String(),
		ID:     wr.RecordId(),
		URL:    strings.Trim(h.Get(gowarc.WarcTargetURI), "<>"),
	}
	out.Date, _ = wr.Date()
	out.Truncated = h.Get(gowarc.WarcTruncated)
	out.Source = h.Get(SourceField)
	switch {
	case wr.Type() == gowarc.Response:
		rd.readResponse(wr, out)
	case wr.Type() == gowarc.Resource:
		rd.readResource(wr, out, h.Get(gowarc.ContentType))
	default:
		out.Skip = SkipRecordType
	}
	if out.Skip == "" && out.URL == "" {
		out.Skip = SkipNoURL
	}
	// What is left of the block is skipped when the record is closed; a
	// record cut by the end of the file shows in the next call.
	return out, nil
}

// maxHeader bounds the HTTP header of a response record.
const maxHeader = 1 << 20

// readResponse reads the HTTP message of a response record.
func (rd *Reader) readResponse(wr gowarc.WarcRecord, out *Record) {
	raw, err := wr.Block().RawBytes()
	if err != nil {
		out.Skip, out.Err = SkipBadRecord, err
		return
	}
	size, _ := wr.ContentLength()
	msg, cut, err := readLimited(raw, size, rd.opts.MaxBody+maxHeader)
	if msg == nil {
		out.Skip, out.Err = SkipBadRecord, err
		return
	}
	if cut || cutShort(wr, len(msg), rd.opts.MaxBody+maxHeader) {
		out.Truncated = TruncatedFile
	}
	mr := bytes.NewReader(msg)
	br := bufio.NewReader(mr)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		out.Skip, out.Err = SkipBadHTTP, err
		return
	}
	// Where the header ends: what the buffered reader took from msg, less
	// what it holds unread.
	end := len(msg) - mr.Len() - br.Buffered()
	out.Status, out.Header = resp.StatusCode, resp.Header
	out.ContentTypeFull = resp.Header.Get("Content-Type")
	out.ContentType = mediaType(out.ContentTypeFull)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		out.Skip = SkipNotOK
		return
	}
	// The body is what follows the header, up to Content-Length; chunked
	// bodies are undone by ReadResponse. An archive that stored the body
	// de-chunked under the live header, or a body shorter than its
	// Content-Length (cut by the archiver), is taken as it stands.
	var body []byte
	rest := msg[end:]
	switch {
	case resp.TransferEncoding != nil:
		if body, err = io.ReadAll(resp.Body); err != nil {
			body = rest
		}
	case resp.ContentLength >= 0 && resp.ContentLength < int64(len(rest)):
		body = rest[:resp.ContentLength]
	default:
		body = rest
		if resp.ContentLength > int64(len(rest)) && out.Truncated == "" {
			out.Truncated = "length"
		}
	}
	if int64(len(body)) > rd.opts.MaxBody {
		out.Skip = SkipTooLarge
		return
	}
	out.Body, err = decodeContent(body, resp.Header.Get("Content-Encoding"), rd.opts.MaxBody)
	if err != nil {
		out.Skip, out.Err = SkipEncoding, err
		if errors.Is(err, errTooLarge) {
			out.Skip = SkipTooLarge
		}
		return
	}
	if len(out.Body) == 0 {
		out.Skip = SkipNoContent
	}
}

// readResource reads the block of a resource record: the document itself.
func (rd *Reader) readResource(wr gowarc.WarcRecord, out *Record, contentType string) {
	raw, err := wr.Block().RawBytes()
	if err != nil {
		out.Skip, out.Err = SkipBadRecord, err
		return
	}
	size, _ := wr.ContentLength()
	body, truncated, err := readLimited(raw, size, rd.opts.MaxBody)
	switch {
	case body == nil && err != nil:
		out.Skip, out.Err = SkipBadRecord, err
		return
	case len(body) > int(rd.opts.MaxBody):
		out.Skip = SkipTooLarge
		return
	}
	if truncated || cutShort(wr, len(body), rd.opts.MaxBody) {
		out.Truncated = TruncatedFile
	}
	out.Status = http.StatusOK
	out.ContentTypeFull = contentType
	out.ContentType = mediaType(contentType)
	out.Body = body
	if len(body) == 0 {
		out.Skip = SkipNoContent
	}
}

// TruncatedFile is Record.Truncated for a record cut short by the end of
// the file (the file was cut, or is still being written).
const TruncatedFile = "end_of_file"

// cutShort reports whether a block read whole (n bytes, under the read
// limit) is shorter than the record's Content-Length says.
func cutShort(wr gowarc.WarcRecord, n int, limit int64) bool {
	cl, err := wr.ContentLength()
	return err == nil && int64(n) < cl && int64(n) <= limit
}

// readLimited reads up to max+1 bytes. A body cut short (the record or the
// file ends early) is returned with truncated set and no error; err is set
// only when nothing could be read.
//
// The block's Content-Length (size) sizes the buffer once: a record is
// read into exactly its length (plus the one byte that tells a block
// longer than max), not into a buffer that doubles on the way, which cost
// an import more garbage than the extraction of the page did.
func readLimited(r io.Reader, size, max int64) (body []byte, truncated bool, err error) {
	want := min(size, max) + 1
	if size <= 0 {
		want = min(32<<10, max+1) // no length given: grow as it comes
	}
	buf := make([]byte, 0, want)
	lr := io.LimitReader(r, max+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, rerr := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case rerr == io.EOF:
			return buf, false, nil
		case rerr != nil && len(buf) == 0:
			return nil, false, rerr
		case rerr != nil:
			return buf, true, nil
		}
	}
}

var errTooLarge = errors.New("decoded body over the size limit")

// decodeContent undoes a Content-Encoding. Archives often keep the header
// of the live response over a body they stored decoded: a body that does
// not decode is taken as it is when it already looks like text.
func decodeContent(body []byte, encoding string, max int64) ([]byte, error) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
			return plainOr(body, encoding)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return plainOr(body, encoding)
		}
		r = zr
	case "deflate":
		r = flate.NewReader(bytes.NewReader(body))
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			return plainOr(body, encoding)
		}
		defer zr.Close()
		r = zr
	default:
		return plainOr(body, encoding)
	}
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(out)) > max {
		return nil, errTooLarge
	}
	if err != nil && len(out) == 0 {
		return plainOr(body, encoding)
	}
	return out, nil
}

// plainOr returns body when it is already plain text (a stored decoded
// body under its original Content-Encoding header), else an error.
func plainOr(body []byte, encoding string) ([]byte, error) {
	if strings.HasPrefix(http.DetectContentType(body), "text/") {
		return body, nil
	}
	return nil, fmt.Errorf("content encoding %q not supported", encoding)
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}
