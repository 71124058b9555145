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
	"runtime"
	"sort"
	"strings"
	"sync"
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
	minScrapinghubF1     = 0.984
	minReadabilityF1     = 0.948
	minTrafilaturaEvalF1 = 0.925
)

// corpusRoot locates the shared evaluation corpora beside the repository
// (overridable with NEWSFLOW_CORPUS), or "" when they are absent.
func corpusRoot() string {
	dir := os.Getenv("NEWSFLOW_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// Corpus names, as the directories under the corpus root are named.
const (
	scrapinghub     = "scrapinghub"
	readability     = "readability"
	trafilaturaEval = "trafilatura-eval"
)

// corpusPage is one page of an evaluation corpus and what Extract made of
// it in the package's one sweep of that corpus.
type corpusPage struct {
	Corpus, ID, URL string
	HTML            []byte
	// Truth is the expected body text (scrapinghub, readability).
	Truth string
	// Snippets are the passages the text must and must not hold
	// (trafilatura-eval).
	Snippets bodyscore.SnippetItem

	// Article is what the page gives read as an article, whether or not
	// Extract accepted it.
	Article *newsflow.Article
	// Reason is why Extract judged the page not an article, or "".
	Reason string
	// Err is an error other than the not-an-article verdict.
	Err error
}

// Accepted reports whether Extract returned the page as an article.
func (p *corpusPage) Accepted() bool { return p.Err == nil && p.Reason == "" }

// Body is the body text, whatever the verdict ("" when extraction failed).
func (p *corpusPage) Body() string {
	if p.Article == nil {
		return ""
	}
	return p.Article.Text
}

// Stored is the text a crawl would store: the body of an accepted page.
func (p *corpusPage) Stored() string {
	if !p.Accepted() {
		return ""
	}
	return p.Body()
}

// extractPage runs Extract as the pipeline does and keeps both the verdict
// and what the page gives as an article.
func extractPage(body []byte, pageURL string) (*newsflow.Article, string, error) {
	a, err := Extract(body, pageURL, Options{})
	if err == nil {
		return a, "", nil
	}
	var na *NotArticleError
	if errors.As(err, &na) {
		return na.Article, na.Reason, nil
	}
	return nil, "", err
}

// sweeps holds each corpus extracted once per test binary: the corpus
// tests, the classification and metadata tests and the determinism test
// all read the same results instead of extracting the pages again.
var sweeps sync.Map // corpus name -> *sweep

type sweep struct {
	once  sync.Once
	pages []*corpusPage
	skip  string
}

// loadCorpus returns every page of a corpus, extracted, sorted by ID. The
// test is skipped when the corpus is absent.
func loadCorpus(tb testing.TB, name string) []*corpusPage {
	tb.Helper()
	v, _ := sweeps.LoadOrStore(name, &sweep{})
	s := v.(*sweep)
	s.once.Do(func() {
		root := corpusRoot()
		if root == "" {
			s.skip = "evaluation corpora not found beside the repository (set NEWSFLOW_CORPUS)"
			return
		}
		pages, err := readCorpus(filepath.Join(root, name), name)
		if err != nil {
			s.skip = fmt.Sprintf("corpus %s: %v", name, err)
			return
		}
		if raceEnabled {
			// Under -race, which checks the sweep's concurrency, a
			// third of each corpus; the figures and their guards are
			// those of the whole corpus without -race (.ci/run runs it).
			pages = everyNth(pages, 3)
		}
		extractAll(pages)
		s.pages = pages
	})
	if s.skip != "" {
		tb.Skip(s.skip)
	}
	return s.pages
}

// everyNth keeps every nth page, in order.
func everyNth(pages []*corpusPage, n int) []*corpusPage {
	var out []*corpusPage
	for i := 0; i < len(pages); i += n {
		out = append(out, pages[i])
	}
	return out
}

// readPages returns the pages of a corpus without extracting them (for
// benchmarks, which extract them themselves).
func readPages(tb testing.TB, name string) []*corpusPage {
	tb.Helper()
	root := corpusRoot()
	if root == "" {
		tb.Skip("evaluation corpora not found beside the repository (set NEWSFLOW_CORPUS)")
	}
	pages, err := readCorpus(filepath.Join(root, name), name)
	if err != nil {
		tb.Skipf("corpus %s: %v", name, err)
	}
	return pages
}

// extractAll extracts the pages on every core, each page's result in its
// own slot.
func extractAll(pages []*corpusPage) {
	work := make(chan *corpusPage)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range work {
				p.Article, p.Reason, p.Err = extractPage(p.HTML, p.URL)
			}
		})
	}
	for _, p := range pages {
		work <- p
	}
	close(work)
	wg.Wait()
}

// readCorpus reads the pages of one corpus and their expectations.
func readCorpus(dir, name string) ([]*corpusPage, error) {
	var pages []*corpusPage
	switch name {
	case scrapinghub:
		var gt map[string]struct {
			ArticleBody string `json:"articleBody"`
			URL         string `json:"url"`
		}
		if err := readJSON(filepath.Join(dir, "ground-truth.json"), &gt); err != nil {
			return nil, err
		}
		for id, v := range gt {
			b, err := gunzipFile(filepath.Join(dir, "html", id+".html.gz"))
			if err != nil {
				return nil, err
			}
			pages = append(pages, &corpusPage{Corpus: name, ID: id, URL: v.URL, Truth: v.ArticleBody, HTML: b})
		}
	case readability:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
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
			pages = append(pages, &corpusPage{Corpus: name, ID: e.Name(), URL: readabilityPageURL, Truth: string(want), HTML: b})
		}
	case trafilaturaEval:
		var gold map[string]struct {
			URL string `json:"url"`
			bodyscore.SnippetItem
		}
		if err := readJSON(filepath.Join(dir, "eval.json"), &gold); err != nil {
			return nil, err
		}
		for id, v := range gold {
			b, err := gunzipFile(filepath.Join(dir, "html", id+".html.gz"))
			if err != nil {
				return nil, err
			}
			u := v.URL
			if u == "" {
				// A few pages come without their URL.
				u = "http://fakehost/" + id + ".html"
			}
			pages = append(pages, &corpusPage{Corpus: name, ID: id, URL: u, Snippets: v.SnippetItem, HTML: b})
		}
	default:
		return nil, fmt.Errorf("unknown corpus %q", name)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, nil
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
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

// logRejected logs every page of a sweep that Extract did not accept.
func logRejected(t *testing.T, pages []*corpusPage) map[string]int {
	reasons := map[string]int{}
	for _, p := range pages {
		switch {
		case p.Err != nil:
			reasons["error"]++
			t.Errorf("%s: %v", p.ID, p.Err)
		case p.Reason != "":
			reasons[p.Reason]++
			t.Logf("rejected %s: %s", p.ID, p.Reason)
		}
	}
	return reasons
}

// dumpBodies writes every page's body text under -dump.
func dumpBodies(t *testing.T, pages []*corpusPage) {
	if *dumpDir == "" {
		return
	}
	for _, p := range pages {
		if err := os.WriteFile(filepath.Join(*dumpDir, p.ID+".txt"), []byte(p.Body()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writePerPage writes rows under -perpage.
func writePerPage(t *testing.T, rows *bytes.Buffer) {
	if *perPageOut == "" {
		return
	}
	if err := os.WriteFile(*perPageOut+"."+t.Name()+".tsv", rows.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scoreBodies scores a corpus with expected body texts: the body
// extraction alone (returned), and what a crawl stores (logged; pages
// judged not articles count as empty). With board, the published
// scrapinghub figures are logged with the stored row added.
func scoreBodies(t *testing.T, pages []*corpusPage, board bool) bodyscore.Result {
	truth := make(map[string]string, len(pages))
	body := make(map[string]string, len(pages))
	stored := make(map[string]string, len(pages))
	for _, p := range pages {
		truth[p.ID], body[p.ID], stored[p.ID] = p.Truth, p.Body(), p.Stored()
	}
	reasons := logRejected(t, pages)
	all := bodyscore.Evaluate(truth, stored)
	t.Logf("stored: F1 %.4f  precision %.4f  recall %.4f  empty %d  rejected %v", all.F1, all.Precision, all.Recall, all.EmptyPred, reasons)
	if board {
		t.Log("\n" + leaderboard(all))
	}
	res := bodyscore.Evaluate(truth, body)
	t.Logf("body: pages %d  F1 %.4f  precision %.4f  recall %.4f  accuracy %.3f  empty %d",
		len(pages), res.F1, res.Precision, res.Recall, res.Accuracy, res.EmptyPred)
	worst := append([]bodyscore.PageResult(nil), res.PerPage...)
	sort.Slice(worst, func(i, j int) bool { return worst[i].F1() < worst[j].F1() })
	for _, w := range worst[:min(10, len(worst))] {
		t.Logf("worst  %s  P %.3f  R %.3f", w.ID, w.Precision, w.Recall)
	}
	var b bytes.Buffer
	b.WriteString("id\tprecision\trecall\ttp\tfp\tfn\texact\n")
	for _, p := range res.PerPage {
		exact := 0
		if p.Exact {
			exact = 1
		}
		fmt.Fprintf(&b, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\n", p.ID, p.Precision, p.Recall, p.TP, p.FP, p.FN, exact)
	}
	writePerPage(t, &b)
	dumpBodies(t, pages)
	return res
}

func TestCorpusScrapinghub(t *testing.T) {
	res := scoreBodies(t, loadCorpus(t, scrapinghub), true)
	if res.F1 < minScrapinghubF1 {
		t.Errorf("scrapinghub F1 %.4f below the guard %.3f", res.F1, minScrapinghubF1)
	}
}

func TestCorpusReadability(t *testing.T) {
	res := scoreBodies(t, loadCorpus(t, readability), false)
	if res.F1 < minReadabilityF1 {
		t.Errorf("readability F1 %.4f below the guard %.3f", res.F1, minReadabilityF1)
	}
}

// TestCorpusTrafilaturaEval scores trafilatura's evaluation set with its
// own metric: the snippets each page's text must and must not hold.
func TestCorpusTrafilaturaEval(t *testing.T) {
	pages := loadCorpus(t, trafilaturaEval)
	gold := make(map[string]bodyscore.SnippetItem, len(pages))
	body := make(map[string]string, len(pages))
	stored := make(map[string]string, len(pages))
	for _, p := range pages {
		gold[p.ID], body[p.ID], stored[p.ID] = p.Snippets, p.Body(), p.Stored()
	}
	reasons := logRejected(t, pages)
	all := bodyscore.EvaluateSnippets(gold, stored)
	t.Logf("stored: pages %d  precision %.4f  recall %.4f  F1 %.4f  accuracy %.3f  empty %d  rejected %v",
		len(pages), all.Precision(), all.Recall(), all.F1(), all.Accuracy(), all.Empty, reasons)
	res := bodyscore.EvaluateSnippets(gold, body)
	t.Logf("body: precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f  empty %d",
		res.Precision(), res.Recall(), res.F1(), res.Accuracy(), res.Empty)
	var b bytes.Buffer
	b.WriteString("id\ttp\tfp\tfn\ttn\tbody_tp\tbody_fp\tbody_fn\tbody_tn\n")
	for i, p := range all.PerPage {
		q := res.PerPage[i]
		fmt.Fprintf(&b, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", p.ID, p.TP, p.FP, p.FN, p.TN, q.TP, q.FP, q.FN, q.TN)
	}
	writePerPage(t, &b)
	dumpBodies(t, pages)
	if f1 := all.F1(); f1 < minTrafilaturaEvalF1 {
		t.Errorf("trafilatura-eval F1 %.4f below the guard %.3f", f1, minTrafilaturaEvalF1)
	}
}

// TestDeterministic extracts every corpus page again, in reverse order and
// on every core at once, and compares each result with the first sweep's:
// the same bytes must give the same article on every run.
func TestDeterministic(t *testing.T) {
	var pages []*corpusPage
	for _, name := range []string{scrapinghub, readability, trafilaturaEval} {
		pages = append(pages, loadCorpus(t, name)...)
	}
	again := make([]*corpusPage, len(pages))
	for i, p := range pages {
		again[len(pages)-1-i] = &corpusPage{ID: p.ID, URL: p.URL, HTML: p.HTML}
	}
	extractAll(again)
	for i, p := range pages {
		q := again[len(pages)-1-i]
		if p.Reason != q.Reason || (p.Err == nil) != (q.Err == nil) {
			t.Errorf("%s/%s: verdict %q, then %q", p.Corpus, p.ID, p.Reason, q.Reason)
			continue
		}
		if p.Article == nil || q.Article == nil {
			continue
		}
		a, b := *p.Article, *q.Article
		if a.Text != b.Text {
			t.Errorf("%s/%s: text differs between runs\n%s", p.Corpus, p.ID, firstDiff(a.Text, b.Text))
			continue
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s/%s: article differs between runs:\n%s\n%s", p.Corpus, p.ID, ja, jb)
		}
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
