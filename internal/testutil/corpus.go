package testutil

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// CorpusRoot returns the folder of the evaluation corpora: $NEWSFLOW_CORPUS,
// or shared/corpus beside the repository; "" when there is none.
func CorpusRoot() string {
	if dir := os.Getenv("NEWSFLOW_CORPUS"); dir != "" {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	// Up from the package's folder to the module's, then beside it.
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			corpus := filepath.Join(dir, "..", "shared", "corpus")
			if _, err := os.Stat(corpus); err != nil {
				return ""
			}
			return corpus
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// CorpusPage is one page of the scrapinghub corpus.
type CorpusPage struct {
	ID, URL string
	// File is the gzipped page; HTML its bytes, gunzipped.
	File string
	HTML []byte
}

// ScrapinghubPages reads the scrapinghub corpus (181 news pages), or skips
// the test or benchmark when the corpora are not there.
func ScrapinghubPages(tb testing.TB) []CorpusPage {
	tb.Helper()
	root := CorpusRoot()
	if root == "" {
		tb.Skip("evaluation corpora not found beside the repository (set NEWSFLOW_CORPUS)")
	}
	dir := filepath.Join(root, "scrapinghub")
	data, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var truth map[string]struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(data, &truth); err != nil {
		tb.Fatal(err)
	}
	var pages []CorpusPage
	for id, t := range truth {
		file := filepath.Join(dir, "html", id+".html.gz")
		f, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(f))
		if err != nil {
			tb.Fatal(err)
		}
		html, err := io.ReadAll(zr)
		if err != nil {
			tb.Fatal(err)
		}
		pages = append(pages, CorpusPage{ID: id, URL: t.URL, File: file, HTML: html})
	}
	return pages
}
