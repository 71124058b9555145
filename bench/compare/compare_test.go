// Package compare measures newsflow's extractor side by side with two other
// Go article extractors (readeck's go-readability and go-trafilatura) on the
// scrapinghub article-extraction-benchmark corpus: speed and allocations with
// the Go benchmarks, quality through the predictions TestWritePredictions
// writes for the benchmark's evaluate.py.
package compare

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/PuerkitoBio/goquery"
	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/newsflow/newsflow/extractor"
)

// page is one corpus page, its HTML already gunzipped.
type page struct {
	ID, URL string
	u       *url.URL
	HTML    []byte
}

// corpusDir is the scrapinghub corpus: COMPARE_CORPUS if set, else the
// scrapinghub directory under NEWSFLOW_CORPUS (as the extractor's own corpus
// tests use it), else the shared corpus beside the repository.
func corpusDir() string {
	if d := os.Getenv("COMPARE_CORPUS"); d != "" {
		return d
	}
	if d := os.Getenv("NEWSFLOW_CORPUS"); d != "" {
		return filepath.Join(d, "scrapinghub")
	}
	return filepath.Join("..", "..", "..", "shared", "corpus", "scrapinghub")
}

func gunzipFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// loadPages reads every page of the corpus, sorted by id.
func loadPages(tb testing.TB) []page {
	tb.Helper()
	dir := corpusDir()
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		tb.Skipf("corpus not found at %s (set COMPARE_CORPUS or NEWSFLOW_CORPUS): %v", dir, err)
	}
	var gt map[string]struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		tb.Fatal(err)
	}
	pages := make([]page, 0, len(gt))
	for id, v := range gt {
		b, err := gunzipFile(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			tb.Fatal(err)
		}
		u, err := url.Parse(v.URL)
		if err != nil {
			tb.Fatalf("%s: bad url %q: %v", id, v.URL, err)
		}
		pages = append(pages, page{ID: id, URL: v.URL, u: u, HTML: b})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages
}

// An extractor turns the raw bytes of a page into its plain body text. Each
// one parses the bytes itself, as its library does from bytes or a reader.
type extractFunc func(p *page) (string, error)

// newsflowText runs extractor.Extract. A page it judges not an article
// gives a *NotArticleError and no Article, and the package exports no way
// to get the body text of such a page (the extractAnyway helper of its own
// tests calls unexported functions), so that page's prediction is empty:
// this measures Extract as the pipeline uses it.
func newsflowText(p *page) (string, error) {
	a, err := extractor.Extract(p.HTML, p.URL, extractor.Options{})
	if err != nil {
		return "", err
	}
	return a.Text, nil
}

// readeckText runs readeck's go-readability (Readability.js 0.6.0 port) and
// renders the article node as text, as Article.RenderText does.
func readeckText(p *page) (string, error) {
	a, err := readability.FromReader(bytes.NewReader(p.HTML), p.u)
	if err != nil {
		return "", err
	}
	if a.Node == nil {
		return "", nil
	}
	return render.InnerText(a.Node), nil
}

// trafilaturaText runs go-trafilatura with its default options (only the
// page URL set) and returns ContentText.
func trafilaturaText(p *page) (string, error) {
	r, err := trafilatura.Extract(bytes.NewReader(p.HTML), trafilatura.Options{OriginalURL: p.u})
	if err != nil {
		return "", err
	}
	return r.ContentText, nil
}

// trafilaturaFallbackText is trafilaturaText with EnableFallback: when its
// own extraction looks poor, it also runs go-readability and go-domdistiller
// and keeps the best candidate.
func trafilaturaFallbackText(p *page) (string, error) {
	r, err := trafilatura.Extract(bytes.NewReader(p.HTML), trafilatura.Options{OriginalURL: p.u, EnableFallback: true})
	if err != nil {
		return "", err
	}
	return r.ContentText, nil
}

// parseOnly is the floor: goquery's parse of the bytes, nothing else.
func parseOnly(p *page) (string, error) {
	_, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML))
	return "", err
}

var extractors = []struct {
	name string
	fn   extractFunc
}{
	{"newsflow", newsflowText},
	{"readeck", readeckText},
	{"trafilatura", trafilaturaText},
	{"trafilatura-fallback", trafilaturaFallbackText},
}

// sink keeps the results alive so the work is not optimised away.
var sink int

func bench(b *testing.B, fn extractFunc) {
	pages := loadPages(b)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		for i := range pages {
			text, _ := fn(&pages[i])
			sink += len(text)
		}
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(len(pages))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/page")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/page")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/page")
}

func BenchmarkParse(b *testing.B)               { bench(b, parseOnly) }
func BenchmarkNewsflow(b *testing.B)            { bench(b, newsflowText) }
func BenchmarkReadeck(b *testing.B)             { bench(b, readeckText) }
func BenchmarkTrafilatura(b *testing.B)         { bench(b, trafilaturaText) }
func BenchmarkTrafilaturaFallback(b *testing.B) { bench(b, trafilaturaFallbackText) }

// TestWritePredictions writes <name>.json per extractor into the directory
// COMPARE_OUT names, in evaluate.py's format {id: {"articleBody": text}}.
// A page an extractor fails on (or rejects) gets an empty body.
func TestWritePredictions(t *testing.T) {
	out := os.Getenv("COMPARE_OUT")
	if out == "" {
		t.Skip("set COMPARE_OUT to a directory to write the predictions")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := loadPages(t)
	for _, ex := range extractors {
		pred := make(map[string]map[string]string, len(pages))
		failed := 0
		for i := range pages {
			p := &pages[i]
			text, err := ex.fn(p)
			if err != nil {
				failed++
				var na *extractor.NotArticleError
				if errors.As(err, &na) {
					t.Logf("%s: %s rejected: %s", ex.name, p.ID, na.Reason)
				} else {
					t.Logf("%s: %s: %v", ex.name, p.ID, err)
				}
			}
			pred[p.ID] = map[string]string{"articleBody": text}
		}
		b, err := json.MarshalIndent(pred, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(out, ex.name+".json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d pages, %d errors, wrote %s", ex.name, len(pages), failed, path)
	}
}
