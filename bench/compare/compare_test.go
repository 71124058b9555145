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
	"slices"
	"sort"
	"strings"
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

// corpora are the evaluation sets measured here, as named under the
// shared corpus directory.
var corpora = []string{"scrapinghub", "readability", "trafilatura-eval"}

// corpusRoot is the shared corpus directory: NEWSFLOW_CORPUS if set, else
// the one beside the repository.
func corpusRoot() string {
	if d := os.Getenv("NEWSFLOW_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus")
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

// loadPages reads every page of a corpus, sorted by id, and the expected
// body text of each where the corpus gives one (scrapinghub, readability).
func loadPages(tb testing.TB, corpus string) ([]page, map[string]string) {
	tb.Helper()
	dir := filepath.Join(corpusRoot(), corpus)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("corpus not found at %s (set NEWSFLOW_CORPUS): %v", dir, err)
	}
	type entry struct {
		url, file, truth string
	}
	entries := map[string]entry{}
	switch corpus {
	case "scrapinghub":
		var gt map[string]struct {
			URL  string `json:"url"`
			Body string `json:"articleBody"`
		}
		readJSON(tb, filepath.Join(dir, "ground-truth.json"), &gt)
		for id, v := range gt {
			entries[id] = entry{v.URL, filepath.Join(dir, "html", id+".html.gz"), v.Body}
		}
	case "readability":
		des, err := os.ReadDir(dir)
		if err != nil {
			tb.Fatal(err)
		}
		for _, de := range des {
			want, err := os.ReadFile(filepath.Join(dir, de.Name(), "expected.txt"))
			if !de.IsDir() || err != nil {
				continue
			}
			entries[de.Name()] = entry{"http://fakehost/test/page.html", filepath.Join(dir, de.Name(), "source.html.gz"), string(want)}
		}
	case "trafilatura-eval":
		var gold map[string]struct {
			URL string `json:"url"`
		}
		readJSON(tb, filepath.Join(dir, "eval.json"), &gold)
		for id, v := range gold {
			u := v.URL
			if u == "" {
				u = "http://fakehost/" + id + ".html"
			}
			entries[id] = entry{u, filepath.Join(dir, "html", id+".html.gz"), ""}
		}
	default:
		tb.Fatalf("unknown corpus %q", corpus)
	}
	pages := make([]page, 0, len(entries))
	truth := map[string]string{}
	for id, e := range entries {
		b, err := gunzipFile(e.file)
		if err != nil {
			continue
		}
		u, err := url.Parse(e.url)
		if err != nil {
			tb.Fatalf("%s: bad url %q: %v", id, e.url, err)
		}
		pages = append(pages, page{ID: id, URL: e.url, u: u, HTML: b})
		if e.truth != "" {
			truth[id] = e.truth
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, truth
}

func readJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Skipf("corpus file not found: %v", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
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

// bench runs fn over every page of each corpus, one sub-benchmark per
// corpus.
func bench(b *testing.B, fn extractFunc) {
	for _, corpus := range corpora {
		b.Run(corpus, func(b *testing.B) {
			pages, _ := loadPages(b, corpus)
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
		})
	}
}

func BenchmarkParse(b *testing.B)               { bench(b, parseOnly) }
func BenchmarkNewsflow(b *testing.B)            { bench(b, newsflowText) }
func BenchmarkReadeck(b *testing.B)             { bench(b, readeckText) }
func BenchmarkTrafilatura(b *testing.B)         { bench(b, trafilaturaText) }
func BenchmarkTrafilaturaFallback(b *testing.B) { bench(b, trafilaturaFallbackText) }

// TestWritePredictions writes <corpus>/<extractor>.json into the directory
// COMPARE_OUT names, in the scorers' format {id: {"articleBody": text}},
// and <corpus>/truth.json for the corpora with expected bodies (the
// ground truth evaluate.py takes). A page an extractor fails on (or
// rejects) gets an empty body. COMPARE_CORPORA (comma-separated) and
// COMPARE_EXTRACTORS narrow the run.
func TestWritePredictions(t *testing.T) {
	out := os.Getenv("COMPARE_OUT")
	if out == "" {
		t.Skip("set COMPARE_OUT to a directory to write the predictions")
	}
	for _, corpus := range corpora {
		if !selected("COMPARE_CORPORA", corpus) {
			continue
		}
		dir := filepath.Join(out, corpus)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		pages, truth := loadPages(t, corpus)
		if len(truth) > 0 {
			gt := make(map[string]map[string]string, len(truth))
			for id, text := range truth {
				gt[id] = map[string]string{"articleBody": text}
			}
			writeJSON(t, filepath.Join(dir, "truth.json"), gt)
		}
		for _, ex := range extractors {
			if !selected("COMPARE_EXTRACTORS", ex.name) {
				continue
			}
			pred := make(map[string]map[string]string, len(pages))
			failed := 0
			for i := range pages {
				p := &pages[i]
				text, err := ex.fn(p)
				if err != nil {
					failed++
					var na *extractor.NotArticleError
					if errors.As(err, &na) {
						t.Logf("%s %s: %s rejected: %s", corpus, ex.name, p.ID, na.Reason)
					} else {
						t.Logf("%s %s: %s: %v", corpus, ex.name, p.ID, err)
					}
				}
				pred[p.ID] = map[string]string{"articleBody": text}
			}
			path := filepath.Join(dir, ex.name+".json")
			writeJSON(t, path, pred)
			t.Logf("%s %s: %d pages, %d errors, wrote %s", corpus, ex.name, len(pages), failed, path)
		}
	}
}

// selected reports whether the comma-separated list in env names name (an
// unset list selects everything).
func selected(env, name string) bool {
	list := os.Getenv(env)
	return list == "" || slices.Contains(strings.Split(list, ","), name)
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
