package cli

import (
	"context"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/store"
)

func init() {
	register(command{name: "export", args: "[--source S] [--since T]", summary: "every stored article as JSON Lines (schema newsflow.article/v1)", run: runExport})
}

func runExport(ctx context.Context, env Env, args []string) error {
	f := newFlags("export", env)
	source := f.fs.String("source", "", "only this source")
	since := f.fs.String("since", "", "only articles stored or updated since this time (RFC 3339) or this long ago (24h)")
	limit := f.fs.Int("limit", 0, "at most this many articles (0: all)")
	if err := f.parse(args); err != nil {
		return err
	}
	t, err := parseSince(*since)
	if err != nil {
		return usageError{"--since: " + err.Error()}
	}
	s, err := f.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	enc := jsonLines(env.Stdout)
	return s.Export(ctx, store.Filter{Source: *source, Since: t, Limit: *limit}, func(a *newsflow.Article) error {
		return enc.Encode(a)
	})
}
