package app

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/crawler"
)

// openArchive starts the WARC writer of fetched pages when
// archive.enabled is set.
func (a *App) openArchive() error {
	if !a.Config.Archive.Enabled {
		return nil
	}
	opts := archive.WriterOptions{MaxFileSize: a.Config.Archive.MaxFileSize, MaxFileAge: a.Config.Archive.MaxFileAge.D()}
	if a.Config.InObjectStore() && a.Bus != nil {
		opts.Closed = a.uploadArchiveFile
	}
	w, err := archive.NewWriter(a.Config.Archive.Dir, opts)
	if err != nil {
		return err
	}
	a.archive = w
	return nil
}

// uploadArchiveFile copies a closed WARC file to the deployment's object
// store in the background, and removes it from the disk once it is there.
// A file that could not be copied stays on the disk; reextract reads it
// there, and a later upload may be done by hand.
func (a *App) uploadArchiveFile(name, path string) {
	a.uploads.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if err := a.Bus.PutArchiveFile(ctx, name, path); err != nil {
			a.Metrics.Failed(stageFetch, "", "archive_upload", err.Error())
			a.Log.Error("archive file not copied to the object store; it stays on disk", "file", name, "err", err)
			return
		}
		if err := os.Remove(path); err != nil {
			a.Log.Warn("archive file copied but not removed", "file", name, "err", err)
		}
	})
}

// keepPage writes a fetched page to the archive and returns where it is
// (an article's raw_page), or "" when the archive is off or the write
// failed; a failed write is reported and costs only the raw page.
func (a *App) keepPage(src *newsflow.Source, page *crawler.Page) string {
	if a.archive == nil {
		return ""
	}
	// The body is kept as the crawler read it: the transport has undone
	// any Content-Encoding, so the header must not claim one, nor the
	// length on the wire.
	h := page.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Content-Encoding")
	h.Del("Transfer-Encoding")
	h.Set("Content-Length", strconv.Itoa(len(page.Body)))
	loc, err := a.archive.WriteResponse(archive.Response{
		Source: src.Name, URL: page.FinalURL, Date: page.FetchedAt, Status: page.Status, Header: h, Body: page.Body,
	})
	if err != nil {
		a.Metrics.Failed(stageFetch, src.Name, "archive", err.Error())
		a.Log.Error("page not archived", "source", src.Name, "url", page.FinalURL, "err", err)
		return ""
	}
	return loc.String()
}

// closeArchive closes the current WARC file.
func (a *App) closeArchive() error {
	if a.archive == nil {
		return nil
	}
	err := a.archive.Close()
	a.archive = nil
	a.uploads.Wait()
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	return nil
}
