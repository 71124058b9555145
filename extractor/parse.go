package extractor

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/saintfish/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

const (
	// maxRawBytes bounds the bytes decoded; the rest of a larger body is
	// dropped before any work is done on it.
	maxRawBytes = 16 << 20
	// maxHTMLBytes bounds the decoded text handed to the HTML parser.
	maxHTMLBytes = 8 << 20
	// prescanBytes is how far into the page <meta charset> is looked for.
	prescanBytes = 8 << 10
	// flattenDepth is the nesting kept when a page is too deep to parse.
	flattenDepth = 256
)

// ErrBinary is returned for bodies that are not text (images, PDFs,
// archives, anything with NUL bytes).
var ErrBinary = errors.New("body is binary, not HTML")

// binaryMagic are prefixes of common non-text formats.
var binaryMagic = [][]byte{
	[]byte("%PDF-"),
	[]byte("\x89PNG"),
	[]byte("GIF87a"), []byte("GIF89a"),
	[]byte("\xff\xd8\xff"),       // JPEG
	[]byte("PK\x03\x04"),         // ZIP, docx, epub
	[]byte("\x1f\x8b"),           // gzip
	[]byte("BZh"),                // bzip2
	[]byte("\x28\xb5\x2f\xfd"),   // zstd
	[]byte("7z\xbc\xaf\x27\x1c"), // 7-Zip
	[]byte("RIFF"),               // WebP, WAV, AVI
	[]byte("OggS"),
	[]byte("ID3"), // MP3
	[]byte("wOFF"), []byte("wOF2"),
	[]byte("\x7fELF"),
}

// parse decodes body to UTF-8 and parses it as HTML.
func parse(body []byte, contentType string) (*goquery.Document, error) {
	text, err := decode(body, contentType)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		// The parser refuses documents nested deeper than it can handle;
		// drop the excess nesting (keeping the text) and try again.
		root, err = html.Parse(strings.NewReader(flatten(text, flattenDepth)))
		if err != nil {
			return nil, fmt.Errorf("parse html: %w", err)
		}
	}
	if mayHoldNoscriptStory(text) {
		expandNoscriptStories(root)
	}
	return goquery.NewDocumentFromNode(root), nil
}

// decode returns body as valid UTF-8, bounded to maxHTMLBytes. The charset
// is taken from a byte-order mark, else from <meta> in the page, else from
// the Content-Type header, else guessed; a declaration contradicted by the
// bytes (a page said to be Latin-1 that is valid UTF-8) loses to the bytes.
func decode(body []byte, contentType string) ([]byte, error) {
	if len(body) > maxRawBytes {
		body = body[:maxRawBytes]
	}
	enc, bomLen := bomEncoding(body)
	valid := false // body is known to be valid UTF-8
	if enc == nil {
		if isBinary(body) {
			return nil, ErrBinary
		}
		enc, valid = declaredEncoding(body, contentType)
	}
	body = body[bomLen:]
	if enc != encoding.Nop {
		out, err := enc.NewDecoder().Bytes(body)
		if err == nil {
			body = out
		}
		// Decoders replace what they cannot map; on an unexpected error
		// the bytes are read as UTF-8.
		valid = false
	}
	if !valid && !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return truncateUTF8(body, maxHTMLBytes), nil
}

// bomEncoding recognises a byte-order mark.
func bomEncoding(b []byte) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		return encoding.Nop, 3
	case bytes.HasPrefix(b, []byte("\xfe\xff")):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(b, []byte("\xff\xfe")):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	}
	return nil, 0
}

// isBinary reports a body that starts like a non-text format or has NUL
// bytes near its start.
func isBinary(b []byte) bool {
	head := bytes.TrimLeft(b[:min(len(b), 1024)], " \t\r\n")
	for _, m := range binaryMagic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return bytes.IndexByte(head, 0) >= 0
}

// declaredEncoding picks the encoding of a body without a byte-order
// mark, and tells whether the whole body was found to be valid UTF-8.
func declaredEncoding(b []byte, contentType string) (encoding.Encoding, bool) {
	sample := b[:min(len(b), 1<<20)]
	valid, invalid := utf8Runs(sample, len(sample) < len(b))
	allValid := invalid == 0 && len(sample) == len(b)
	if valid > 0 && invalid == 0 {
		// Valid multi-byte UTF-8 is almost never an accident, whatever
		// the page declares.
		return encoding.Nop, allValid
	}
	label := metaCharset(b[:min(len(b), prescanBytes)])
	if label == "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil {
			label = params["charset"]
		}
	}
	var enc encoding.Encoding
	name := ""
	if label != "" {
		enc, name = charset.Lookup(label)
		if strings.HasPrefix(name, "utf-16") {
			// Without a byte-order mark (and NUL bytes, refused above)
			// the page is not UTF-16, whatever it says: read it as
			// UTF-8, as browsers do.
			enc, name = encoding.Nop, "utf-8"
		}
	}
	switch {
	case enc != nil && name != "utf-8":
		return enc, false
	case enc != nil && valid >= invalid:
		// Declared UTF-8 with a few broken sequences: they get replaced.
		return encoding.Nop, allValid
	}
	return guessEncoding(sample), allValid
}

// utf8Runs counts the multi-byte UTF-8 sequences of b and the bytes that
// are not part of a valid one (for valid input, valid is 1 when there is
// any multi-byte sequence); when cut is true, b is a prefix of the
// body and a sequence cut at its end is not counted as invalid.
func utf8Runs(b []byte, cut bool) (valid, invalid int) {
	if utf8.Valid(b) {
		// The common case, checked fast: no invalid byte; only whether
		// there is any multi-byte sequence at all matters then.
		if hasNonASCII(b) {
			return 1, 0
		}
		return 0, 0
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if cut && len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				break
			}
			invalid++
		} else {
			valid++
		}
		i += size
	}
	return valid, invalid
}

// hasNonASCII reports a byte of b outside ASCII, eight bytes at a time.
func hasNonASCII(b []byte) bool {
	for ; len(b) >= 8; b = b[8:] {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return true
		}
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// guessEncoding asks a statistical detector, falling back to Windows-1252
// (what browsers assume for undeclared Western pages).
func guessEncoding(b []byte) encoding.Encoding {
	if !hasNonASCII(b) {
		return encoding.Nop
	}
	if res, err := chardet.NewHtmlDetector().DetectBest(b[:min(len(b), 64<<10)]); err == nil && res.Confidence >= 30 {
		if enc, name := charset.Lookup(res.Charset); enc != nil && name != "utf-8" {
			return enc
		}
	}
	enc, _ := charset.Lookup("windows-1252")
	return enc
}

// metaCharset finds the charset declared by <meta charset> or <meta
// http-equiv="Content-Type" content="...; charset=..."> in the head.
func metaCharset(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				if cs := metaTagCharset(z, hasAttr); cs != "" {
					return cs
				}
			}
		}
	}
}

func metaTagCharset(z *html.Tokenizer, more bool) string {
	var cs, content string
	httpEquiv := false
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch strings.ToLower(string(k)) {
		case "charset":
			cs = strings.TrimSpace(string(v))
		case "http-equiv":
			httpEquiv = strings.EqualFold(string(v), "content-type")
		case "content":
			content = string(v)
		}
	}
	if cs != "" {
		return cs
	}
	if httpEquiv {
		if _, params, err := mime.ParseMediaType(content); err == nil {
			return params["charset"]
		}
		if i := strings.Index(strings.ToLower(content), "charset="); i >= 0 {
			return strings.Trim(content[i+len("charset="):], " \"';")
		}
	}
	return ""
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s []byte, n int) []byte {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// flatten re-serialises an HTML document dropping start tags nested deeper
// than maxDepth (their text stays), so that the parser accepts it.
func flatten(s []byte, maxDepth int) string {
	z := html.NewTokenizer(bytes.NewReader(s))
	var out strings.Builder
	out.Grow(len(s))
	var stack []string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				out.Write(z.Raw())
				continue
			}
			if len(stack) >= maxDepth {
				continue
			}
			stack = append(stack, string(name))
			out.Write(z.Raw())
		case html.EndTagToken:
			name, _ := z.TagName()
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == string(name) {
					stack = stack[:i]
					out.Write(z.Raw())
					break
				}
			}
		default:
			out.Write(z.Raw())
		}
	}
}

// voidElements never have content, so they do not nest.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true,
	"source": true, "track": true, "wbr": true,
}
