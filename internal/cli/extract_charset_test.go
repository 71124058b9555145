package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestExtractContentType: a saved page whose charset only the HTTP header
// named is decoded by the charset given with --content-type.
func TestExtractContentType(t *testing.T) {
	page := `<!doctype html><html><head><title>Żółte łodzie wróciły do portu</title></head><body><article><h1>Żółte łodzie wróciły do portu</h1>
<p>Żółte łodzie rybackie wróciły w czwartek do portu w Gdańsku po trzech dniach sztormu, który zerwał część pomostów i zatopił dwie mniejsze jednostki.</p>
<p>Kapitanat portu poinformował, że ruch promów na Hel zostanie wznowiony w piątek rano, a naprawa falochronu potrwa co najmniej kilka tygodni.</p>
<p>Rybacy mówią, że takiej fali nie widzieli od lat, i pokazują zniszczone sieci oraz połamane skrzynki na nabrzeżu.</p></article></body></html>`
	latin2, err := charmap.ISO8859_2.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, latin2, "extract", "--url", "https://port.example/news/lodzie", "--content-type", "text/html; charset=iso-8859-2", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, errOut, out)
	}
	var got extracted
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != "Żółte łodzie wróciły do portu" || !strings.Contains(got.Text, "Gdańsku po trzech dniach sztormu") {
		t.Errorf("title %q, text %q", got.Title, got.Text)
	}
}
