package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/extractor"
)

func init() {
	register(command{name: "extract", args: "[--url URL] [--content-type TYPE] FILE...", summary: "extract articles from saved pages (.html, .gz, - for stdin) as JSON Lines", run: runExtract})
}

// maxInput bounds what extract reads of one file, after gunzip.
const maxInput = 64 << 20

// extracted is one line of `newsflow extract` output: the article as the
// message newsflow.article/v1 has it (same field names, same fields left
// out when empty), plus the input file, and the error and not_article flag
// of a file that gave no article. Without a --url, a page's url is its
// canonical URL, or file://PATH.
type extracted struct {
	File string `json:"file"`
	*newsflow.Article
	Error      string `json:"error,omitempty"`
	NotArticle bool   `json:"not_article,omitempty"`
}

func runExtract(ctx context.Context, env Env, args []string) error {
	f := newFlags("extract", env)
	pageURL := f.fs.String("url", "", "URL the page was fetched from (resolves relative links; default: the page's canonical URL or file://PATH)")
	source := f.fs.String("source", "", "apply this configured source's extract rules")
	contentType := f.fs.String("content-type", "", "the HTTP Content-Type header the page was served with (its charset decodes a page that declares none)")
	jobs := f.fs.IntP("jobs", "j", runtime.NumCPU(), "files extracted in parallel")
	if err := f.parse(args); err != nil {
		return err
	}
	files := f.fs.Args()
	if len(files) == 0 {
		return usageError{"no FILE given (use - for standard input)"}
	}
	opts := extractor.Options{ContentType: *contentType}
	if *source != "" {
		cfg, err := f.load()
		if err != nil {
			return err
		}
		src := cfg.Source(*source)
		if src == nil {
			return usageError{fmt.Sprintf("--source: no source named %q in %s", *source, f.config)}
		}
		opts.Rules = src.Extract
	}
	results := make([]chan extracted, len(files))
	for i := range results {
		results[i] = make(chan extracted, 1)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(1, *jobs) {
		wg.Go(func() {
			for i := range work {
				results[i] <- extractFile(files[i], *pageURL, *source, opts, env.Stdin)
			}
		})
	}
	go func() {
		defer close(work)
		for i := range files {
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	enc := jsonLines(env.Stdout)
	failed := 0
	for i := range files {
		var r extracted
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		if r.Error != "" {
			failed++
		}
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	wg.Wait()
	if failed > 0 {
		return fmt.Errorf("%d of %d files gave no article (see the error field of their lines)", failed, len(files))
	}
	return nil
}

// extractFile reads and extracts one input; failures are reported in the
// line, never dropped.
func extractFile(name, pageURL, source string, opts extractor.Options, stdin io.Reader) extracted {
	out := extracted{File: name}
	data, err := readInput(name, stdin)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	u := pageURL
	if u == "" {
		u = "file://" + name
		if abs, err := filepath.Abs(name); err == nil && name != "-" {
			u = "file://" + abs
		}
	}
	a, err := extractor.Extract(data, u, opts)
	if err != nil {
		// A page judged not an article still shows what was found on it,
		// which is what an operator writing extract rules needs to see.
		var na *extractor.NotArticleError
		if errors.As(err, &na) && na.Article != nil {
			out.Article = seal(na.Article, pageURL, source)
		}
		out.Error = err.Error()
		out.NotArticle = errors.Is(err, extractor.ErrNotArticle)
		return out
	}
	out.Article = seal(a, pageURL, source)
	return out
}

// seal completes an extracted article as the crawler does before it
// publishes one, without a fetch time.
func seal(a *newsflow.Article, pageURL, source string) *newsflow.Article {
	if pageURL == "" && a.CanonicalURL != "" {
		a.URL = a.CanonicalURL
	}
	a.Seal(source, time.Time{})
	return a
}

// readInput reads a file, or standard input for "-", gunzipping .gz files
// and gzip streams, up to maxInput bytes.
func readInput(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) || strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", name, err)
		}
		if data, err = io.ReadAll(io.LimitReader(zr, maxInput+1)); err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", name, err)
		}
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d MiB", name, maxInput>>20)
	}
	return data, nil
}
