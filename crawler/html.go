package crawler

// CheckHTML returns ReasonNotHTML when a page that did not come through
// Fetch (one read from a web archive) is not an HTML page, by its declared
// Content-Type and its bytes; "" when it is one.
func CheckHTML(contentType string, body []byte) string {
	return checkHTMLBody(mediaType(contentType), body)
}
