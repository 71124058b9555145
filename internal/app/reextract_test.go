package app

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/newsflow/newsflow/archive"
)

// TestArchiveAndReextract crawls the fixture site with archive.enabled,
// checks that every article names its kept page, extracts the archive
// again (nothing changes, nothing is published), then changes one source's
// extraction rules and extracts again, stopped part-way and resumed: only
// that source's articles are published again, each once, as new revisions.
func TestArchiveAndReextract(t *testing.T) {
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	cfg.Archive.Enabled = true
	for i := range cfg.Sources {
		cfg.Sources[i].Extract.KeepRepeated = true // each page alone: extraction repeatable
	}
	a := openApp(t, cfg)
	runOnce(t, a)
	articles := site.Articles()
	msgs := newsMessages(t, a)
	if len(msgs) != len(articles) {
		t.Fatalf("crawl published %d articles, want %d", len(msgs), len(articles))
	}
	for _, m := range msgs {
		loc, err := archive.ParseLocation(m.RawPage)
		if err != nil {
			t.Errorf("%s: raw_page %q: %v", m.URL, m.RawPage, err)
			continue
		}
		r, err := archive.Open(context.Background(), filepath.Join(cfg.Archive.Dir, loc.File), loc.Offset, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := r.Next()
		r.Close()
		if err != nil || rec.URL != m.URL || rec.Source != m.Source || !strings.Contains(string(rec.Body), "<html") {
			t.Errorf("%s: raw page at %s is %v (%v)", m.URL, m.RawPage, rec, err)
		}
	}

	// Nothing changed: nothing is published.
	res, err := a.ReextractAll(context.Background(), ReextractOptions{}, true)
	if err != nil {
		t.Fatal(err)
	}
	var total = map[string]int{}
	for _, r := range res {
		for k, v := range r.Outcomes {
			total[k] += v
		}
	}
	if total["published"] != 0 || total["unchanged"] != len(articles) {
		t.Errorf("re-extraction with the same extractor: %v, want %d unchanged and none published", total, len(articles))
	}
	a.Close()

	// The wire's extraction drops each story's last paragraph now.
	var wire int
	for _, art := range articles {
		if art.Source == "wire" {
			wire++
		}
	}
	for i := range cfg.Sources {
		if cfg.Sources[i].Name == "wire" {
			cfg.Sources[i].Extract.Remove = []string{".entry-content p:last-child"}
		}
	}
	a = openApp(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	var published atomic.Int32
	stopAfterOne := func(outcome string) {
		if outcome == "published" && published.Add(1) == 1 {
			cancel()
		}
	}
	_, err = a.ReextractAll(ctx, ReextractOptions{Workers: 1, afterRecord: stopAfterOne}, true)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted run: err %v, want context.Canceled", err)
	}
	cancel()
	res, err = a.ReextractAll(context.Background(), ReextractOptions{}, true)
	if err != nil {
		t.Fatal(err)
	}
	total = map[string]int{}
	for _, r := range res {
		for k, v := range r.Outcomes {
			total[k] += v
		}
	}
	if int(published.Load())+total["published"] != wire {
		t.Errorf("published %d then %d, want %d in all (the wire's articles): %v", published.Load(), total["published"], wire, total)
	}
	after := newsMessages(t, a)
	revised := map[string]int{}
	for _, m := range after[len(msgs):] {
		revised[m.URL]++
		if m.Source != "wire" {
			t.Errorf("%s of %s published again", m.URL, m.Source)
		}
	}
	if len(revised) != wire || len(after)-len(msgs) != wire {
		t.Errorf("%d messages for %d articles published again, want %d each once", len(after)-len(msgs), len(revised), wire)
	}
	got := stored(t, a.Store)
	for _, w := range articles {
		g := got[w.URL]
		if g == nil {
			t.Errorf("%s lost", w.URL)
			continue
		}
		if _, err := archive.ParseLocation(g.RawPage); err != nil {
			t.Errorf("%s: stored raw_page %q: %v", w.URL, g.RawPage, err)
		}
		last := w.Paragraphs[len(w.Paragraphs)-1]
		if has := strings.Contains(squash(g.Text), squash(last)); (w.Source == "wire") == has {
			t.Errorf("%s (%s): last paragraph kept %v after re-extraction", w.URL, w.Source, has)
		}
	}
}

// TestArchiveInObjectStore keeps the pages in the deployment's object
// store, as a scaled-out deployment does: the files leave the disk when
// they are closed, and reextract reads them from the store.
func TestArchiveInObjectStore(t *testing.T) {
	site := startSite(t)
	cfg := testConfig(t, site, t.TempDir())
	cfg.Archive.Enabled = true
	on := true
	cfg.Archive.ObjectStore = &on
	for i := range cfg.Sources {
		cfg.Sources[i].Extract.KeepRepeated = true
	}
	a := openApp(t, cfg)
	runOnce(t, a)
	msgs := newsMessages(t, a)
	a.Close() // closes the file and copies it to the store
	files, err := a.ArchiveFiles()
	if err != nil || len(files) != 0 {
		t.Errorf("files left on disk: %v %v", files, err)
	}
	for i := range cfg.Sources {
		if cfg.Sources[i].Name == "wire" {
			cfg.Sources[i].Extract.Remove = []string{".entry-content p:last-child"}
		}
	}
	a = openApp(t, cfg)
	stored, err := a.Bus.ArchiveFiles(context.Background())
	if err != nil || len(stored) != 1 {
		t.Fatalf("object store holds %v (%v), want one file", stored, err)
	}
	for _, m := range msgs {
		if loc, err := archive.ParseLocation(m.RawPage); err != nil || loc.File != stored[0] {
			t.Errorf("%s: raw_page %q, want in %s", m.URL, m.RawPage, stored[0])
		}
	}
	res, err := a.ReextractAll(context.Background(), ReextractOptions{}, true)
	if err != nil {
		t.Fatal(err)
	}
	var wire int
	for _, art := range site.Articles() {
		if art.Source == "wire" {
			wire++
		}
	}
	if len(res) != 1 || res[0].Outcomes["published"] != wire || res[0].Outcomes["unchanged"] != len(msgs)-wire {
		t.Errorf("reextract from the object store: %+v, want %d published and %d unchanged", res, wire, len(msgs)-wire)
	}
}
