package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/app"
)

func init() {
	register(command{name: "tail", args: "[--source S] [--all|--since T] [--no-near-duplicates]", summary: "follow new articles on the stream, as a subscriber would", run: runTail})
}

func runTail(ctx context.Context, env Env, args []string) error {
	f := newFlags("tail", env)
	source := f.fs.String("source", "", "only this source")
	all := f.fs.Bool("all", false, "start from the first article the stream holds")
	since := f.fs.String("since", "", "start from articles published on the stream since this time (RFC 3339) or this long ago (1h)")
	text := f.fs.Bool("text", false, "print one readable line per article instead of JSON")
	originals := f.fs.Bool("no-near-duplicates", false, "leave out articles that nearly copy an earlier one (near_duplicate_of set)")
	if err := f.parse(args); err != nil {
		return err
	}
	start, err := parseSince(*since)
	if err != nil {
		return usageError{"--since: " + err.Error()}
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	if cfg.NATS.URL == "" {
		if err := app.CheckDataDir(cfg.DataDir, true, ""); err != nil {
			return err
		}
	}
	a, err := f.open(ctx, env, cfg, app.Need{Bus: true, ReadOnly: true})
	if err != nil {
		return err
	}
	defer a.Close()
	enc := jsonLines(env.Stdout)
	err = a.Bus.Tail(ctx, *source, start, *all, func(art *newsflow.Article) error {
		if *originals && art.NearDuplicateOf != "" {
			return nil
		}
		if *text {
			_, err := fmt.Fprintf(env.Stdout, "%s  %-12s %s\n    %s\n", art.FetchedAt.Format(time.RFC3339), art.Source, art.Title, art.URL)
			return err
		}
		return enc.Encode(art)
	})
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return nil
	}
	return err
}

// parseSince reads an RFC 3339 time or a duration before now.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither a time (2006-01-02T15:04:05Z) nor a duration (1h)", s)
}
