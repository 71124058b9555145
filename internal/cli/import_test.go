package cli

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow/archive"
)

const harbourPage = `<!doctype html><html lang="en"><head><title>Harbour reopens after storm | Coast News</title>
<meta property="og:title" content="Harbour reopens after storm"><meta name="author" content="Ana Lima"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Thursday morning after three days of closure, as crews cleared the debris the storm had left along the quays.</p>
<p>Fishing boats were the first to leave, followed by the ferry to the islands, which had been cancelled since Monday evening.</p>
<p>The port authority said repairs to the northern breakwater would take several weeks and cost more than two million euros.</p>
</article><footer>Copyright Coast News</footer></body></html>`

// TestImportAndReextractCommands imports a WARC file with the command,
// then runs reextract over an empty archive, and checks the outputs and
// exit codes.
func TestImportAndReextractCommands(t *testing.T) {
	file := writeWARC(t, []warcPage{{"https://coast.example/news/harbour", harbourPage}, {"https://other.example/news/harbour", harbourPage}})
	data := t.TempDir()
	code, out, errOut := run(t, "", "import", "--data-dir", data, "--source", "coast", "--host", "coast.example", file)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	var res struct {
		Records  int            `json:"records"`
		Outcomes map[string]int `json:"outcomes"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("import output %q: %v", out, err)
	}
	if res.Records != 2 || res.Outcomes["published"] != 1 || res.Outcomes["filtered"] != 1 {
		t.Errorf("import: %+v", res)
	}
	code, out, _ = run(t, "", "export", "--data-dir", data)
	if code != 0 || !strings.Contains(out, `"source":"coast"`) || !strings.Contains(out, `"fetched_at":"2024-05-02T08:00:00Z"`) || !strings.Contains(out, `"raw_page":"`) {
		t.Errorf("export after import: exit %d: %s", code, out)
	}
	if code, _, _ := run(t, "", "import", "--data-dir", data); code != 2 {
		t.Errorf("import without a file: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "import", "--data-dir", data, "--match", "(", file); code != 2 {
		t.Errorf("import with a bad --match: exit %d, want 2", code)
	}
	if code, _, errOut := run(t, "", "reextract", "--data-dir", data); code != 0 {
		t.Errorf("reextract of an empty archive: exit %d: %s", code, errOut)
	}
}

// warcPage is a page a test archives: its URL and its HTML.
type warcPage struct{ url, html string }

// writeWARC writes the pages, in order, as responses fetched on one day
// to a WARC file of its own and returns the file's path.
func writeWARC(t *testing.T, pages []warcPage) string {
	t.Helper()
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, archive.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC)
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	for _, p := range pages {
		if _, err := w.WriteResponse(archive.Response{URL: p.url, Date: date, Status: 200, Header: h, Body: []byte(p.html)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("%d WARC files written, want 1", len(files))
	}
	return files[0]
}
