package extractor

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are small pages in a few shapes and encodings.
var fuzzSeeds = [][]byte{
	[]byte(`<html><head><title>T</title></head><body><article><p>One, two, three, four, five words here.</p><p>Second paragraph, with commas, and more text.</p></article></body></html>`),
	[]byte(`<meta charset="iso-8859-1"><p>Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9.</p>`),
	[]byte("\xef\xbb\xbf<p>BOM page, \u00e9t\u00e9.</p>"),
	[]byte("\xff\xfe<\x00p\x00>\x00h\x00i\x00"),
	[]byte(`<div class="share"><a href="/">Share</a></div><div class="content"><h2>Related</h2><ul><li><a href="/x">x</a></li></ul></div>`),
	[]byte(`<table><tr><td><div><p>` + strings.Repeat("deep ", 50) + `</p></div></td></tr></table>`),
	[]byte("<p>bad \xc3\x28 utf8 \xe2\x82</p>"),
	[]byte(`<table><tr><noscript>` + strings.Repeat("<p>A paragraph of the story, with a comma, written for readers without scripts.</p>", 20) + `</noscript></tr></table>`),
}

func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "text/html")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		a, err := Extract(body, "https://example.com/a", Options{ContentType: contentType})
		if err != nil {
			return
		}
		if !utf8.ValidString(a.Text) {
			t.Errorf("text is not valid UTF-8: %q", a.Text)
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "text/html; charset=utf-8")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, err := decode(body, contentType)
		if err != nil {
			if !errors.Is(err, ErrBinary) {
				t.Errorf("unexpected error %v", err)
			}
			return
		}
		if !utf8.Valid(out) {
			t.Errorf("decoded text is not valid UTF-8")
		}
		if len(out) > maxHTMLBytes {
			t.Errorf("decoded %d bytes, over the %d bound", len(out), maxHTMLBytes)
		}
	})
}

// TestPathologicalInputs feeds inputs built to exhaust time, memory or
// the stack: each must give an error or a bounded result, never a panic.
func TestPathologicalInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	para := "<p>" + strings.Repeat("Words, words and more words. ", 20) + "</p>"
	tests := []struct {
		name string
		body func() []byte
	}{
		{"nested divs 100k", func() []byte {
			return []byte(strings.Repeat("<div>", 100000) + para + strings.Repeat("</div>", 100000))
		}},
		{"nested tables 100k", func() []byte { return []byte(strings.Repeat("<table><tr><td>", 100000) + para) }},
		{"nested inline 100k", func() []byte { return []byte(strings.Repeat("<b><i>", 50000) + para) }},
		{"50 MB of text", func() []byte {
			return []byte("<html><body><article>" + strings.Repeat(para+"\n", 50<<20/len(para)) + "</article></body></html>")
		}},
		{"10 MB single line", func() []byte { return []byte("<p>" + strings.Repeat("a", 10<<20) + "</p>") }},
		{"10 MB single word paragraph list", func() []byte { return []byte(strings.Repeat("<p>x</p>", 10<<20/8)) }},
		{"broken UTF-8", func() []byte { return bytes.Repeat([]byte("<p>\xff\xfe\xc3\x28 text \xe2\x82</p>"), 1000) }},
		{"lying charset", func() []byte {
			return []byte(`<meta charset="utf-16"><p>` + strings.Repeat("Caf\xe9 ", 200) + `</p>`)
		}},
		{"unknown charset", func() []byte { return []byte(`<meta charset="x-nonsense-9"><p>hello, world, again.</p>`) }},
		{"UTF-16 without text", func() []byte { return []byte("\xfe\xff\x00") }},
		{"empty", func() []byte { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(tt.body(), "https://example.com/a", Options{})
			if err != nil {
				return
			}
			if len(a.Text) > maxHTMLBytes {
				t.Errorf("text of %d bytes exceeds the input bound", len(a.Text))
			}
			if !utf8.ValidString(a.Text) {
				t.Error("text is not valid UTF-8")
			}
		})
	}
}

// TestBinaryRefused checks that non-text bodies labelled as HTML are
// refused with ErrBinary.
func TestBinaryRefused(t *testing.T) {
	bodies := map[string][]byte{
		"pdf":  []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
		"png":  []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		"gif":  []byte("GIF89a\x01\x00\x01\x00"),
		"jpeg": []byte("\xff\xd8\xff\xe0\x00\x10JFIF"),
		"zip":  []byte("PK\x03\x04\x14\x00\x00\x00"),
		"gzip": []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"),
		"nul":  []byte("<html>\x00\x00\x00\x00<body>"),
	}
	for name, b := range bodies {
		_, err := Extract(b, "https://example.com/a", Options{ContentType: "text/html"})
		if !errors.Is(err, ErrBinary) {
			t.Errorf("%s: err = %v, want ErrBinary", name, err)
		}
	}
}

// TestDecode checks the order of charset evidence.
func TestDecode(t *testing.T) {
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"meta latin1", "", []byte(`<meta charset="iso-8859-1"><p>caf` + "\xe9"), "café"},
		{"http-equiv", "", []byte(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>` + "\xcf\xf0\xe8"), "При"},
		{"header", "text/html; charset=iso-8859-15", []byte("<p>\xa4"), "€"},
		{"meta beats header", "text/html; charset=utf-8", []byte(`<meta charset="windows-1252"><p>` + "\x93q\x94"), "“q”"},
		{"utf8 beats lying meta", "", []byte(`<meta charset="iso-8859-1"><p>café`), "café"},
		{"bom beats all", "text/html; charset=iso-8859-1", []byte("\xef\xbb\xbf<p>café"), "café"},
		{"utf16 bom", "", []byte("\xff\xfe<\x00p\x00>\x00\xe9\x00"), "<p>é"},
		{"utf16 label without bom", "", []byte(`<meta charset="utf-16"><p>café`), "<p>café"},
		{"undeclared latin1", "", []byte("<p>Un caf\xe9 cr\xe8me tr\xe8s chaud, s'il vous pla\xeet, \xe0 emporter."), "café crème"},
		{"invalid utf8 replaced", "text/html; charset=utf-8", []byte("<p>a\xc3\x28b café"), "a\uFFFD(b"},
	}
	for _, tt := range tests {
		out, err := decode(tt.body, tt.contentType)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !strings.Contains(string(out), tt.want) {
			t.Errorf("%s: decoded %q, want it to contain %q", tt.name, out, tt.want)
		}
	}
}
