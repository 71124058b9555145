package crawler

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// errDocumentTooLarge means a gzip document decompressed past the cap.
var errDocumentTooLarge = errors.New("decompressed document too large")

// isHTMLType reports the media types Fetch accepts.
func isHTMLType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// isDocumentType reports the media types FetchDocument accepts: XML of any
// kind, JSON (JSON Feed), text, gzip, and the generic binary type that
// servers use for .gz files. HTML is accepted too, since feeds are often
// served with the wrong type.
func isDocumentType(mt string) bool {
	switch {
	case strings.HasSuffix(mt, "/xml"), strings.HasSuffix(mt, "+xml"),
		strings.HasSuffix(mt, "/json"), strings.HasSuffix(mt, "+json"),
		strings.HasPrefix(mt, "text/"):
		return true
	}
	switch mt {
	case "application/gzip", "application/x-gzip", "application/octet-stream", "binary/octet-stream":
		return true
	}
	return false
}

// checkHTMLBody returns ReasonNotHTML when a body is not an HTML page: the
// declared type is another one, or the body is clearly binary whatever the
// header says.
func checkHTMLBody(declared string, body []byte) string {
	if declared != "" && !isHTMLType(declared) {
		return ReasonNotHTML
	}
	if len(body) == 0 {
		return ""
	}
	sniffed := mediaType(http.DetectContentType(body))
	if strings.HasPrefix(sniffed, "text/") {
		return ""
	}
	if declared == "" && sniffed != "text/html" {
		return ReasonNotHTML
	}
	// Declared HTML: only refuse what is clearly binary.
	switch {
	case strings.HasPrefix(sniffed, "image/"), strings.HasPrefix(sniffed, "audio/"),
		strings.HasPrefix(sniffed, "video/"), strings.HasPrefix(sniffed, "font/"),
		sniffed == "application/pdf", sniffed == "application/zip",
		sniffed == "application/x-gzip", sniffed == "application/wasm",
		sniffed == "application/vnd.ms-fontobject", sniffed == "application/x-rar-compressed",
		sniffed == "application/postscript", sniffed == "application/ogg":
		return ReasonNotHTML
	case sniffed == "application/octet-stream":
		return ReasonNotHTML
	}
	return ""
}

// maybeGunzip decompresses a gzip body (recognised by its magic number) up
// to limit bytes; other bodies are returned as they are.
func maybeGunzip(body []byte, limit int64) ([]byte, error) {
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		return body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	if int64(len(out)) > limit {
		return nil, errDocumentTooLarge
	}
	return out, nil
}
