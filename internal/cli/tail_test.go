package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

// A wire copy of harbourPage on another outlet: its own headline and
// byline, a local paragraph added.
var harbourCopy = strings.NewReplacer(
	"Harbour reopens after storm", "Ferries sail again as storm-hit harbour reopens",
	"Ana Lima", "Staff and agencies",
	"</article>", "<p>Valley ferries to the islands will run on the summer timetable from next week, the operator added in a statement.</p></article>",
).Replace(harbourPage)

const libraryPage = `<!doctype html><html lang="en"><head><title>City library extends opening hours | Coast News</title>
<meta property="og:title" content="City library extends opening hours"></head><body>
<article><h1>City library extends opening hours</h1>
<p>The central library will stay open until ten in the evening on weekdays from next month, the council announced after a vote on Tuesday.</p>
<p>Students had asked for longer hours during the exam season, and a petition gathered more than four thousand signatures in two weeks.</p>
<p>The extra hours will be paid for by savings on heating, the council said, after the building's roof was insulated last year.</p>
</article></body></html>`

// TestTailNoNearDuplicates imports a story, a wire copy of it on another
// outlet and another story into a deployment on an embedded bus, then
// follows the stream with `tail --all`: the copy comes marked as a near
// duplicate of the story, and with --no-near-duplicates it is left out
// while the articles around it come through.
func TestTailNoNearDuplicates(t *testing.T) {
	const (
		story  = "https://coast.example/news/harbour"
		wire   = "https://valley.example/news/ferries-sail-again"
		second = "https://coast.example/news/library"
	)
	file := writeWARC(t, []warcPage{{story, harbourPage}, {wire, harbourCopy}, {second, libraryPage}})
	data := t.TempDir()
	// One worker: the records are published in the file's order, so the
	// story comes before its copy.
	if code, out, errOut := run(t, "", "import", "--data-dir", data, "--workers", "1", file); code != 0 || !strings.Contains(out, `"published":3`) {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}

	all := tailUntil(t, second, "tail", "--data-dir", data, "--all")
	if len(all) != 3 {
		t.Fatalf("tail --all: %d articles, want 3: %v", len(all), urls(all))
	}
	byURL := map[string]*newsflow.Article{}
	for _, a := range all {
		byURL[a.URL] = a
	}
	if byURL[story] == nil || byURL[wire] == nil || byURL[second] == nil {
		t.Fatalf("tail --all: %v", urls(all))
	}
	if got := byURL[wire].NearDuplicateOf; got != byURL[story].ID {
		t.Errorf("the wire copy's near_duplicate_of is %q, want the story's id %q", got, byURL[story].ID)
	}
	if s := byURL[wire].NearDuplicateSimilarity; s < 0.5 || s > 1 {
		t.Errorf("the wire copy's near_duplicate_similarity is %v", s)
	}
	if byURL[story].NearDuplicateOf != "" || byURL[second].NearDuplicateOf != "" {
		t.Errorf("an original is marked as a copy: %q, %q", byURL[story].NearDuplicateOf, byURL[second].NearDuplicateOf)
	}

	originals := tailUntil(t, second, "tail", "--data-dir", data, "--all", "--no-near-duplicates")
	if got := urls(originals); len(got) != 2 || got[0] != story || got[1] != second {
		t.Errorf("tail --all --no-near-duplicates: %v, want the story and the second story only", got)
	}
}

// tailUntil runs a tail command until it prints the article at last, then
// stops it as Ctrl-C would, and returns the articles it printed.
func tailUntil(t *testing.T, last string, args ...string) []*newsflow.Article {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := &watchedWriter{onLine: func(line []byte) {
		if bytes.Contains(line, []byte(`"url":"`+last+`"`)) {
			cancel()
		}
	}}
	var errOut bytes.Buffer
	if code := Main(ctx, args, Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errOut}); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
	}
	if ctx.Err() == nil || context.Cause(ctx) != context.Canceled {
		t.Fatalf("%v: ended before printing %s: %s", args, last, errOut.String())
	}
	var arts []*newsflow.Article
	sc := bufio.NewScanner(bytes.NewReader(out.bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var a newsflow.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%v: line %q: %v", args, sc.Text(), err)
		}
		arts = append(arts, &a)
	}
	return arts
}

func urls(arts []*newsflow.Article) []string {
	var out []string
	for _, a := range arts {
		out = append(out, a.URL)
	}
	return out
}

// watchedWriter keeps what is written and calls onLine with each line.
type watchedWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	onLine  func([]byte)
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.onLine(w.partial[:i])
		w.partial = w.partial[i+1:]
	}
	return len(p), nil
}

func (w *watchedWriter) bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Clone(w.buf.Bytes())
}
