package extractor

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/newsflow/newsflow"
	bodyscore "github.com/newsflow/newsflow/internal/score"
)

var (
	perPageOut = flag.String("perpage", "", "write per-page corpus scores to this file (plus the test name and .tsv)")
	dumpDir    = flag.String("dump", "", "write each corpus page's extracted body text to this directory")
)

// Regression guards: the corpus scores reached, minus a small margin.
const (
	minScrapinghubF1 = 0.984
	minReadabilityF1 = 0.948
)

// bodyCorpusDir locates the shared evaluation corpus beside the repository
// (overridable with NEWSFLOW_CORPUS), skipping the test when it is absent.
func bodyCorpusDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("NEWSFLOW_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("evaluation corpus not found at %s (set NEWSFLOW_CORPUS): %v", dir, err)
	}
	return dir
}

// corpusPage is one page of an evaluation corpus.
type corpusPage struct {
	ID, URL, Truth string
	HTML           []byte
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

// loadScrapinghub reads the scrapinghub article-extraction-benchmark pages.
func loadScrapinghub(tb testing.TB) []corpusPage {
	tb.Helper()
	dir := filepath.Join(bodyCorpusDir(tb), "scrapinghub")
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		tb.Skipf("scrapinghub corpus not found: %v", err)
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		tb.Fatal(err)
	}
	var pages []corpusPage
	for id, v := range gt {
		b, err := gunzipFile(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			tb.Fatal(err)
		}
		pages = append(pages, corpusPage{ID: id, URL: v.URL, Truth: v.ArticleBody, HTML: b})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages
}

// loadReadability reads the Readability test pages and their expected text.
func loadReadability(tb testing.TB) []corpusPage {
	tb.Helper()
	dir := filepath.Join(bodyCorpusDir(tb), "readability")
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Skipf("readability corpus not found: %v", err)
	}
	var pages []corpusPage
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		b, err := gunzipFile(filepath.Join(dir, e.Name(), "source.html.gz"))
		if err != nil {
			continue
		}
		want, err := os.ReadFile(filepath.Join(dir, e.Name(), "expected.txt"))
		if err != nil {
			continue
		}
		pages = append(pages, corpusPage{ID: e.Name(), URL: "http://fakehost/test/page.html", Truth: string(want), HTML: b})
	}
	return pages
}

// bodyText runs the steps of Extract that lead to the body text, without
// the not-an-article verdict, so that body extraction is measured alone.
func bodyText(page []byte, pageURL string) (string, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return "", err
	}
	doc, err := parse(page, "")
	if err != nil {
		return "", err
	}
	meta := extractMetadata(doc, base, newsflow.ExtractRules{})
	return extractContent(doc, meta, newsflow.ExtractRules{}).Text, nil
}

// runCorpus extracts every page and scores the bodies: the body
// extraction alone (returned), and Extract as a whole (logged; its pages
// judged not articles count as empty). With board, the published
// scrapinghub figures are logged with Extract's row added.
func runCorpus(t *testing.T, pages []corpusPage, board bool) bodyscore.Result {
	truth := make(map[string]string, len(pages))
	pred := make(map[string]string, len(pages))
	whole := make(map[string]string, len(pages))
	for _, p := range pages {
		truth[p.ID] = p.Truth
		text, err := bodyText(p.HTML, p.URL)
		if err != nil {
			t.Errorf("%s: %v", p.ID, err)
			continue
		}
		pred[p.ID] = text
		if *dumpDir != "" {
			if err := os.WriteFile(filepath.Join(*dumpDir, p.ID+".txt"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if a, err := Extract(p.HTML, p.URL, Options{}); err == nil {
			whole[p.ID] = a.Text
		} else {
			t.Logf("Extract %s: %v", p.ID, err)
		}
	}
	all := bodyscore.Evaluate(truth, whole)
	t.Logf("Extract: F1 %.4f  precision %.4f  recall %.4f  empty %d", all.F1, all.Precision, all.Recall, all.EmptyPred)
	if board {
		t.Log("\n" + leaderboard(all))
	}
	res := bodyscore.Evaluate(truth, pred)
	t.Logf("body: pages %d  F1 %.4f  precision %.4f  recall %.4f  accuracy %.3f  empty %d",
		len(pages), res.F1, res.Precision, res.Recall, res.Accuracy, res.EmptyPred)
	worst := append([]bodyscore.PageResult(nil), res.PerPage...)
	sort.Slice(worst, func(i, j int) bool { return worst[i].F1() < worst[j].F1() })
	for _, w := range worst[:min(10, len(worst))] {
		t.Logf("worst  %s  P %.3f  R %.3f", w.ID, w.Precision, w.Recall)
	}
	if *perPageOut != "" {
		var b bytes.Buffer
		b.WriteString("id\tprecision\trecall\ttp\tfp\tfn\texact\n")
		for _, p := range res.PerPage {
			exact := 0
			if p.Exact {
				exact = 1
			}
			fmt.Fprintf(&b, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\n", p.ID, p.Precision, p.Recall, p.TP, p.FP, p.FN, exact)
		}
		if err := os.WriteFile(*perPageOut+"."+t.Name()+".tsv", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// snippetPage is one page of the trafilatura evaluation set.
type snippetPage struct {
	ID, URL string
	HTML    []byte
	Item    bodyscore.SnippetItem
}

// loadTrafilaturaEval reads trafilatura's evaluation set: pages of many
// kinds, each with the snippets its text must and must not hold.
func loadTrafilaturaEval(tb testing.TB) []snippetPage {
	tb.Helper()
	dir := filepath.Join(bodyCorpusDir(tb), "trafilatura-eval")
	raw, err := os.ReadFile(filepath.Join(dir, "eval.json"))
	if err != nil {
		tb.Skipf("trafilatura-eval corpus not found: %v", err)
	}
	var gold map[string]struct {
		URL string `json:"url"`
		bodyscore.SnippetItem
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		tb.Fatal(err)
	}
	pages := make([]snippetPage, 0, len(gold))
	for id, v := range gold {
		b, err := gunzipFile(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			tb.Fatal(err)
		}
		u := v.URL
		if u == "" {
			u = "http://fakehost/" + id + ".html"
		}
		pages = append(pages, snippetPage{ID: id, URL: u, HTML: b, Item: v.SnippetItem})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages
}

func TestCorpusScrapinghub(t *testing.T) {
	pages := loadScrapinghub(t)
	res := runCorpus(t, pages, true)
	if res.F1 < minScrapinghubF1 {
		t.Errorf("scrapinghub F1 %.4f below the guard %.2f", res.F1, minScrapinghubF1)
	}
}

func TestCorpusReadability(t *testing.T) {
	pages := loadReadability(t)
	res := runCorpus(t, pages, false)
	if res.F1 < minReadabilityF1 {
		t.Errorf("readability F1 %.4f below the guard %.2f", res.F1, minReadabilityF1)
	}
}

// published are the scrapinghub benchmark's published results of other
// extractors (F1, precision, recall), for the table leaderboard prints.
var published = []struct {
	name     string
	f1, p, r float64
}{
	{"AutoExtract (commercial, ML)", 0.970, 0.984, 0.956},
	{"rs_trafilatura", 0.970, 0.951, 0.990},
	{"go-trafilatura (with fallback)", 0.960, 0.940, 0.980},
	{"trafilatura 2.0 (Python)", 0.958, 0.938, 0.978},
	{"readeck go-readability v2", 0.952, 0.918, 0.989},
	{"newspaper4k", 0.949, 0.964, 0.934},
	{"go-readability (go-shiori)", 0.934, 0.900, 0.971},
	{"boilerpipe", 0.860, 0.850, 0.870},
}

// leaderboard is the published table with newsflow's measured row added,
// ordered by F1.
func leaderboard(r bodyscore.Result) string {
	rows := append(published[:0:0], published...)
	rows = append(rows, struct {
		name     string
		f1, p, r float64
	}{"newsflow extractor " + Version, r.F1, r.Precision, r.Recall})
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].f1 > rows[j].f1 })
	var b strings.Builder
	fmt.Fprintf(&b, "| %-32s | %-5s | %-9s | %-6s |\n|---|---|---|---|\n", "extractor", "F1", "precision", "recall")
	for _, x := range rows {
		fmt.Fprintf(&b, "| %-32s | %.3f | %.3f     | %.3f  |\n", x.name, x.f1, x.p, x.r)
	}
	return b.String()
}

func TestCorpusTrafilaturaEval(t *testing.T) {
	pages := loadTrafilaturaEval(t)
	gold := make(map[string]bodyscore.SnippetItem, len(pages))
	body := make(map[string]string, len(pages))
	whole := make(map[string]string, len(pages))
	reasons := map[string]int{}
	for _, p := range pages {
		gold[p.ID] = p.Item
		text, err := bodyText(p.HTML, p.URL)
		if err != nil {
			t.Logf("%s: %v", p.ID, err)
		}
		body[p.ID] = text
		a, err := Extract(p.HTML, p.URL, Options{})
		var na *NotArticleError
		switch {
		case err == nil:
			whole[p.ID] = a.Text
		case errors.As(err, &na):
			reasons[na.Reason]++
			t.Logf("rejected %s: %s", p.ID, na.Reason)
		default:
			reasons["error"]++
			t.Logf("Extract %s: %v", p.ID, err)
		}
	}
	all := bodyscore.EvaluateSnippets(gold, whole)
	t.Logf("Extract: pages %d  precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f  empty %d  rejected %v",
		len(pages), all.Precision(), all.Recall(), all.F1(), all.Accuracy(), all.Empty, reasons)
	res := bodyscore.EvaluateSnippets(gold, body)
	t.Logf("body: precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f  empty %d",
		res.Precision(), res.Recall(), res.F1(), res.Accuracy(), res.Empty)
	if *perPageOut != "" {
		var b bytes.Buffer
		b.WriteString("id\ttp\tfp\tfn\ttn\tbody_tp\tbody_fp\tbody_fn\tbody_tn\n")
		for i, p := range all.PerPage {
			q := res.PerPage[i]
			fmt.Fprintf(&b, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", p.ID, p.TP, p.FP, p.FN, p.TN, q.TP, q.FP, q.FN, q.TN)
		}
		if err := os.WriteFile(*perPageOut+"."+t.Name()+".tsv", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if *dumpDir != "" {
		for id, text := range whole {
			if err := os.WriteFile(filepath.Join(*dumpDir, id+".txt"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
