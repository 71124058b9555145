package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/extractor"
)

// ReextractOptions say which kept pages to extract again.
type ReextractOptions struct {
	// Source keeps the pages fetched for this source; "" takes all.
	Source string
	// Since keeps the pages fetched at or after this time.
	Since time.Time
	// Restart reads every file again, even those this extractor version
	// has been over.
	Restart bool
	// Workers is how many pages are extracted at once (GOMAXPROCS when
	// zero).
	Workers int

	afterRecord func(outcome string)
}

// ArchiveFiles returns the WARC files of the archive directory, oldest
// first (their names start with the time they were opened).
func (a *App) ArchiveFiles() ([]string, error) {
	entries, err := os.ReadDir(a.Config.Archive.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".warc.gz") || strings.HasSuffix(n, ".warc")) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Reextract runs the current extractor over the pages kept in the archive
// (archive.enabled) and publishes, through the normal path, the articles
// whose text or metadata changed: as new revisions with the new
// extractor_version. An article that comes out the same is left alone, and
// of a page fetched several times only the latest fetch counts. Each file's
// place is saved per extractor version, so an interrupted run goes on where
// it stopped, and a second run of the same version reads nothing again.
func (a *App) Reextract(ctx context.Context, o ReextractOptions) ([]ImportResult, error) {
	files, err := a.ArchiveFiles()
	if err != nil {
		return nil, err
	}
	// Files already copied to the object store are read from there.
	local := map[string]bool{}
	for _, f := range files {
		local[f] = true
	}
	stored, err := a.Bus.ArchiveFiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("reextract: %w", err)
	}
	for _, f := range stored {
		if !local[f] {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	if a.nearDup == nil {
		if err := a.openNearDup(ctx); err != nil {
			return nil, fmt.Errorf("reextract: near duplicates: %w", err)
		}
	}
	// The place in each file is kept per extractor: its version and the
	// sources' extraction rules (a changed rule is a new extractor for the
	// pages of its source), and per filter.
	rules, _ := json.Marshal(a.Config.Sources)
	var results []ImportResult
	for _, name := range files {
		sum := sha256.Sum256([]byte(strings.Join([]string{name, extractor.Version, string(rules), o.Source, o.Since.UTC().Format(time.RFC3339)}, "\x00")))
		io := ImportOptions{
			Restart: o.Restart, Workers: o.Workers,
			fromRecord: true, onlySource: o.Source, since: o.Since,
			stateName:   "reextract." + hex.EncodeToString(sum[:12]),
			rawName:     name,
			afterRecord: o.afterRecord,
		}
		if !local[name] {
			io.open = func(ctx context.Context, offset int64) (*archive.Reader, error) {
				body, err := a.Bus.OpenArchiveFile(ctx, name)
				if err != nil {
					return nil, err
				}
				return archive.OpenStream(name, body, offset, archive.Options{MaxBody: a.Config.Crawler.MaxBodySize})
			}
		}
		r, err := a.Import(ctx, filepath.Join(a.Config.Archive.Dir, name), io)
		r.Input = name
		results = append(results, r)
		if err != nil {
			return results, fmt.Errorf("reextract: %w", err)
		}
	}
	return results, nil
}

// ReextractAll is Reextract with the store worker alongside when withStore
// is set (see ImportAll).
func (a *App) ReextractAll(ctx context.Context, o ReextractOptions, withStore bool) ([]ImportResult, error) {
	var results []ImportResult
	err := a.storing(ctx, withStore, func() error {
		var err error
		results, err = a.Reextract(ctx, o)
		return err
	})
	return results, err
}
