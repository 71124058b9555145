package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/crawler"
)

// DefaultImportSource is the source name of imported articles when none is
// given.
const DefaultImportSource = "import"

// ImportOptions say which records of a WARC file to import, and as which
// source.
type ImportOptions struct {
	// Source names the articles' source (DefaultImportSource when empty).
	// A source of the configuration lends its extraction rules and
	// template memory.
	Source string
	// Hosts keeps only records of these hosts (or their subdomains).
	Hosts []string
	// Match keeps only records whose URL it matches.
	Match *regexp.Regexp
	// Restart reads the file from its start even when an earlier run
	// finished it or stopped part-way.
	Restart bool
	// Workers is how many records are extracted at once (GOMAXPROCS when
	// zero).
	Workers int
	// HTTPClient fetches http(s) inputs.
	HTTPClient *http.Client

	// For re-extraction of the deployment's own archive: the source of
	// each record is the one that fetched it (OnlySource keeps one),
	// records fetched before since are left out, the checkpoint is kept
	// under stateName and raw_page names the file as rawName.
	fromRecord bool
	onlySource string
	since      time.Time
	stateName  string
	rawName    string
	// open, when set, opens the input instead of archive.Open (a file of
	// the archive object store).
	open func(ctx context.Context, offset int64) (*archive.Reader, error)
	// afterRecord, when set, is called with each record's outcome (tests
	// stop a run part-way with it).
	afterRecord func(outcome string)
}

// ImportResult is what an import of one file did.
type ImportResult struct {
	Input string `json:"input"`
	// From is the record offset the run started at (0, or where an
	// earlier run stopped).
	From int64 `json:"from"`
	// Records counts the records read by this run; Outcomes counts them
	// by outcome: "published", or the reason one was not.
	Records  int            `json:"records"`
	Outcomes map[string]int `json:"outcomes"`
	// AlreadyDone is true when an earlier run had imported the whole file
	// (nothing was read; see ImportOptions.Restart).
	AlreadyDone bool `json:"already_done,omitempty"`
}

// importCheckpoint is what the deployment's state remembers of an import
// in progress, under importStateName(input).
type importCheckpoint struct {
	Input string `json:"input"`
	// Offset is the record offset every record before which is done.
	Offset  int64     `json:"offset"`
	Done    bool      `json:"done"`
	Updated time.Time `json:"updated"`
}

// importStateName names an input's checkpoint in the state store.
func importStateName(input string) string {
	key := input
	if !strings.Contains(input, "://") {
		if abs, err := filepath.Abs(input); err == nil {
			key = abs
		}
	}
	sum := sha256.Sum256([]byte(key))
	return "import." + hex.EncodeToString(sum[:12])
}

// checkpointEvery is how often an import in progress saves its place.
const checkpointEvery = 2 * time.Second

// Import reads a WARC file (a path or an http(s) URL) and sends every page
// it holds through the pipeline as a fetched page: extraction, the
// not-an-article decision, near copies, the NEWS stream. The archive's
// fetch time is the articles' fetched_at. Its place is saved in the
// deployment's state as it goes, so a run stopped part-way goes on where
// it stopped, and one that finished does nothing; a record done twice
// across a crash is recognised by its visit and not published again.
func (a *App) Import(ctx context.Context, input string, o ImportOptions) (ImportResult, error) {
	res := ImportResult{Input: input, Outcomes: map[string]int{}}
	src, err := a.importSource(o.Source)
	if err != nil {
		return res, err
	}
	if a.nearDup == nil {
		if err := a.openNearDup(ctx); err != nil {
			return res, fmt.Errorf("import: near duplicates: %w", err)
		}
	}
	state := importStateName(input)
	if o.stateName != "" {
		state = o.stateName
	}
	if o.rawName == "" {
		o.rawName = input
	}
	var cp importCheckpoint
	if !o.Restart {
		data, ok, err := a.Bus.GetState(ctx, state)
		if err != nil {
			return res, fmt.Errorf("import %s: checkpoint: %w", input, err)
		}
		if ok {
			if err := json.Unmarshal(data, &cp); err != nil {
				a.Log.Warn("import checkpoint unreadable; reading from the start", "input", input, "err", err)
				cp = importCheckpoint{}
			}
		}
		if cp.Done {
			res.AlreadyDone = true
			return res, nil
		}
	}
	res.From = cp.Offset
	var r *archive.Reader
	if o.open != nil {
		r, err = o.open(ctx, cp.Offset)
	} else {
		r, err = archive.Open(ctx, input, cp.Offset, archive.Options{MaxBody: a.Config.Crawler.MaxBodySize, HTTPClient: o.HTTPClient})
	}
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer r.Close()
	a.Log.Info("import started", "input", input, "source", src.Name, "from", cp.Offset)

	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		seq int
		rec *archive.Record
	}
	type result struct {
		seq     int
		outcome string
		err     error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, workers)
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				outcome, err := a.importRecord(ctx, src, j.rec, o)
				a.Log.Debug("record", "input", input, "offset", j.rec.Offset, "type", j.rec.Type, "url", j.rec.URL, "outcome", outcome, "err", err)
				results <- result{j.seq, outcome, err}
			}
		}()
	}
	// The reader hands out records in file order and tells the tracker
	// the offset of each.
	offsets := make(chan int64, workers*2)
	var readErr error
	go func() {
		defer close(jobs)
		defer close(offsets)
		for seq := 0; ; seq++ {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				readErr = err
				return
			}
			offsets <- rec.Offset
			select {
			case jobs <- job{seq, rec}:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	// The tracker: a record is done when its result is in; the checkpoint
	// is the offset of the first record not done.
	var (
		pending    []int64 // offsets of records read, from seq base on
		done       = map[int]bool{}
		base       int
		lastSave   = time.Now()
		firstErr   error
		incomplete bool
		offsetsC   = offsets
	)
	cp.Input = input
	save := func(final bool) {
		if final && firstErr == nil && readErr == nil && !incomplete {
			cp.Done = true
		}
		cp.Updated = time.Now().UTC()
		data, _ := json.Marshal(cp)
		sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer scancel()
		if err := a.Bus.PutState(sctx, state, data); err != nil {
			a.Log.Warn("import checkpoint not saved", "input", input, "err", err)
		}
	}
	for results != nil {
		select {
		case off, ok := <-offsetsC:
			if !ok {
				offsetsC = nil
				continue
			}
			pending = append(pending, off)
		case res1, ok := <-results:
			if !ok {
				results = nil
				continue
			}
			// Every record handed out was announced first.
			for off := range drain(offsetsC) {
				pending = append(pending, off)
			}
			res.Records++
			if res1.err != nil {
				if firstErr == nil {
					firstErr = res1.err
					cancel()
				}
				continue
			}
			res.Outcomes[res1.outcome]++
			a.Metrics.ImportRecord(res1.outcome)
			if o.afterRecord != nil {
				o.afterRecord(res1.outcome)
			}
			if res1.outcome == archive.SkipTruncated {
				// The file ends here for now: the checkpoint stays at
				// this record, and the file is not done.
				incomplete = true
				continue
			}
			done[res1.seq] = true
			for done[base] {
				delete(done, base)
				base++
				pending = pending[1:]
				if len(pending) > 0 {
					cp.Offset = pending[0]
				}
			}
			if time.Since(lastSave) >= checkpointEvery {
				save(false)
				lastSave = time.Now()
			}
		}
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	save(firstErr == nil && readErr == nil)
	a.Log.Info("import finished", "input", input, "records", res.Records, "outcomes", res.Outcomes, "err", errors.Join(firstErr, readErr))
	if firstErr != nil {
		return res, fmt.Errorf("import %s: %w", input, firstErr)
	}
	if readErr != nil {
		return res, fmt.Errorf("import %s: %w", input, readErr)
	}
	return res, nil
}

// drain yields what a channel holds now, without waiting.
func drain(c <-chan int64) func(func(int64) bool) {
	return func(yield func(int64) bool) {
		for {
			select {
			case v, ok := <-c:
				if !ok || !yield(v) {
					return
				}
			default:
				return
			}
		}
	}
}

// importSource returns the source imported articles belong to.
func (a *App) importSource(name string) (*newsflow.Source, error) {
	if name == "" {
		name = DefaultImportSource
	}
	if s := a.Config.Source(name); s != nil {
		return s, nil
	}
	if !newsflow.ValidSourceName(name) {
		return nil, fmt.Errorf("import: source %q must be 1-64 letters, digits, '-' or '_'", name)
	}
	return &newsflow.Source{Name: name}, nil
}

// importRecord takes one record to its outcome: "published", or why not.
func (a *App) importRecord(ctx context.Context, src *newsflow.Source, rec *archive.Record, o ImportOptions) (string, error) {
	if rec.Skip != "" {
		return rec.Skip, nil
	}
	if o.fromRecord {
		switch {
		case o.onlySource != "" && rec.Source != o.onlySource,
			!o.since.IsZero() && rec.Date.Before(o.since):
			return "filtered", nil
		case rec.Source != "":
			s, err := a.importSource(rec.Source)
			if err != nil {
				return "bad_source", nil
			}
			src = s
		}
	}
	if rec.Truncated == archive.TruncatedFile {
		// The file ends inside the record: a download cut short, or a
		// file still being written. A later run reads it whole.
		return archive.SkipTruncated, nil
	}
	if !keepURL(rec.URL, o.Hosts, o.Match) {
		return "filtered", nil
	}
	if reason := crawler.CheckHTML(rec.ContentTypeFull, rec.Body); reason != "" {
		return reason, nil
	}
	canon, err := crawler.Canonicalize(rec.URL)
	if err != nil {
		return "bad_url", nil
	}
	visit, seen, err := a.Bus.GetVisit(ctx, canon)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errSeenState, err)
	}
	// WARC dates have whole seconds.
	if seen && visit.FetchedAt.Truncate(time.Second).After(rec.Date) {
		return "older_than_seen", nil // a later copy of the page is known
	}
	page := &crawler.Page{
		URL: rec.URL, FinalURL: rec.URL, Status: rec.Status, Header: rec.Header,
		ContentType: rec.ContentTypeFull, Body: rec.Body, FetchedAt: rec.Date,
	}
	if rec.Header == nil { // a resource record: its type is the record's
		page.Header = http.Header{"Content-Type": {rec.ContentTypeFull}}
	}
	if rec.Header != nil {
		page.Validators = crawler.Validators{ETag: rec.Header.Get("ETag"), LastModified: rec.Header.Get("Last-Modified")}
	}
	// Whether a page was reached through a feed is not in the archive:
	// only the source's article pattern says it is likely an article.
	likely := src.ArticlePattern != "" && src.IsArticleURL(rec.URL)
	outcome, err := a.publishPage(ctx, src, nil, canon, page, visit, seen, likely, archive.Location{File: o.rawName, Offset: rec.Offset}.String())
	if err != nil {
		return "", err
	}
	if outcome == "" {
		outcome = "published"
	}
	return outcome, nil
}

// keepURL applies the --host and --match filters.
func keepURL(raw string, hosts []string, match *regexp.Regexp) bool {
	if match != nil && !match.MatchString(raw) {
		return false
	}
	if len(hosts) == 0 {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	for _, want := range hosts {
		want = strings.ToLower(strings.TrimPrefix(want, "."))
		if h == want || strings.HasSuffix(h, "."+want) {
			return true
		}
	}
	return false
}

// ImportAll imports the inputs in turn. With withStore it runs the store
// worker alongside, as `run` does, and returns once every article
// published is stored; without, another process's store worker takes them.
// An input that fails does not stop the next ones, unless ctx ended.
func (a *App) ImportAll(ctx context.Context, inputs []string, o ImportOptions, withStore bool) ([]ImportResult, error) {
	var results []ImportResult
	err := a.storing(ctx, withStore, func() error {
		var errs []error
		for _, in := range inputs {
			r, err := a.Import(ctx, in, o)
			results = append(results, r)
			if err != nil {
				errs = append(errs, err)
				if ctx.Err() != nil {
					break
				}
			}
		}
		return errors.Join(errs...)
	})
	return results, err
}

// storing runs fn, which publishes articles, with the store worker
// alongside when withStore is set, and then waits until the worker has
// stored everything published.
func (a *App) storing(ctx context.Context, withStore bool, fn func() error) error {
	storeCtx, stopStore := context.WithCancel(context.WithoutCancel(ctx))
	defer stopStore()
	fatal := make(chan error, 1)
	var wg sync.WaitGroup
	if withStore {
		wg.Go(func() {
			if err := a.storeWorker(storeCtx); err != nil && storeCtx.Err() == nil {
				fatal <- err
			}
		})
	}
	errs := []error{fn()}
	if withStore && ctx.Err() == nil {
		if err := a.waitIdle(ctx, fatal, []string{storeConsumer}, a.newWatch(DefaultOutageLimit)); err != nil {
			errs = append(errs, err)
		}
	}
	stopStore()
	wg.Wait()
	return errors.Join(errs...)
}
