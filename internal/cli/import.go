package cli

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/newsflow/newsflow/internal/app"
)

func init() {
	register(command{name: "import", args: "[--source S] [--host H] [--match RE] FILE|URL...", summary: "feed WARC files (CC-NEWS) through the pipeline, resumably", run: runImport})
}

func runImport(ctx context.Context, env Env, args []string) error {
	f := newFlags("import", env)
	source := f.fs.String("source", "", "source name of the imported articles (default "+app.DefaultImportSource+"); a configured source lends its extraction rules")
	var hosts sourceList
	f.fs.Var(&hosts, "host", "only records of this host or its subdomains (repeatable, or comma-separated)")
	match := f.fs.String("match", "", "only records whose URL matches this regular expression")
	restart := f.fs.Bool("restart", false, "read each file from its start, even one imported before")
	noStore := f.fs.Bool("no-store", false, "publish only; leave storing to the store workers of a scaled-out deployment")
	workers := f.fs.Int("workers", 0, "records extracted at once (default: one per CPU)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.fs.NArg() == 0 {
		return usageError{"name at least one WARC file or URL"}
	}
	o := app.ImportOptions{Source: *source, Restart: *restart, Workers: *workers}
	for _, h := range hosts {
		for _, p := range strings.Split(h, ",") {
			if p = strings.TrimSpace(p); p != "" {
				o.Hosts = append(o.Hosts, p)
			}
		}
	}
	if *match != "" {
		re, err := regexp.Compile(*match)
		if err != nil {
			return usageError{"--match: " + err.Error()}
		}
		o.Match = re
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	a, err := f.open(ctx, env, cfg, app.Need{Bus: true, Store: !*noStore})
	if err != nil {
		return err
	}
	defer a.Close()
	results, err := a.ImportAll(ctx, f.fs.Args(), o, !*noStore)
	if werr := writeResults(env.Stdout, results); werr != nil {
		return werr
	}
	return err
}

// writeResults prints one JSON line a file: what import and reextract did
// with each.
func writeResults[T any](w io.Writer, results []T) error {
	enc := jsonLines(w)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
	}
	return nil
}
