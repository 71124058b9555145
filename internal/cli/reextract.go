package cli

import (
	"context"
	"fmt"

	"github.com/newsflow/newsflow/internal/app"
)

func init() {
	register(command{name: "reextract", args: "[--source S] [--since T]", summary: "extract the archived pages again; publish the articles that changed", run: runReextract})
}

func runReextract(ctx context.Context, env Env, args []string) error {
	f := newFlags("reextract", env)
	source := f.fs.String("source", "", "only pages fetched for this source")
	since := f.fs.String("since", "", "only pages fetched since this time (RFC 3339) or this long ago (24h)")
	restart := f.fs.Bool("restart", false, "read every archive file again, even those this extractor version has been over")
	noStore := f.fs.Bool("no-store", false, "publish only; leave storing to the store workers of a scaled-out deployment")
	workers := f.fs.Int("workers", 0, "pages extracted at once (default: one per CPU)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected arguments: %v", f.fs.Args())}
	}
	t, err := parseSince(*since)
	if err != nil {
		return usageError{"--since: " + err.Error()}
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	// The crawler's part is opened for the sources' template memories, so
	// that pages are extracted as a crawl would extract them now.
	a, err := f.open(ctx, env, cfg, app.Need{Bus: true, Store: !*noStore, Crawler: true})
	if err != nil {
		return err
	}
	defer a.Close()
	results, err := a.ReextractAll(ctx, app.ReextractOptions{Source: *source, Since: t, Restart: *restart, Workers: *workers}, !*noStore)
	if werr := writeResults(env.Stdout, results); werr != nil {
		return werr
	}
	return err
}
