package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/internal/metrics"
)

func init() {
	register(command{name: "dead", args: "list|show|retry|purge [filters]", summary: "look at dead letters, send them back through the pipeline, or delete them", run: runDead})
}

const deadUsage = `usage:
  newsflow dead list  [--source S] [--stage fetch|store] [--reason R] [--since T] [--json]
  newsflow dead show  ID [--json]
  newsflow dead retry [filters] [ID...]   back onto the frontier or the NEWS stream, once
  newsflow dead purge [filters] [ID...]   delete; with no filter and no ID it needs --all`

func runDead(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(env.Stdout, deadUsage)
		return nil
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "show", "retry", "purge":
	default:
		return usageError{fmt.Sprintf("unknown dead command %q\n%s", sub, deadUsage)}
	}
	f := newFlags("dead "+sub, env)
	var filter deadFlags
	if sub != "show" {
		filter.add(f)
	}
	asJSON := false
	if sub == "list" || sub == "show" {
		f.fs.BoolVar(&asJSON, "json", false, "print JSON Lines")
	}
	all := false
	if sub == "purge" {
		f.fs.BoolVar(&all, "all", false, "purge every dead letter")
	}
	if err := f.parse(args); err != nil {
		return err
	}
	flt, err := filter.filter()
	if err != nil {
		return err
	}
	ids, err := deadIDs(f.fs.Args())
	if err != nil {
		return err
	}
	switch {
	case sub == "show" && len(ids) != 1:
		return usageError{"dead show takes one ID"}
	case sub == "list" && len(ids) > 0:
		return usageError{fmt.Sprintf("dead list takes no arguments: %v", f.fs.Args())}
	case sub == "purge" && len(ids) == 0 && flt.Empty() && !all:
		return usageError{"dead purge needs a filter, IDs or --all"}
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	ds, closeFn, err := openDead(ctx, env, f, cfg)
	if err != nil {
		return err
	}
	defer closeFn()
	switch sub {
	case "list":
		return deadList(ctx, env.Stdout, ds, flt, asJSON)
	case "show":
		return deadShow(ctx, env.Stdout, ds, ids[0], asJSON)
	}
	res, err := ds.act(ctx, sub == "retry", flt, ids)
	if err != nil {
		return err
	}
	done := res.Done
	var errs []error
	for _, e := range res.Errors {
		errs = append(errs, errors.New(e))
	}
	verb := map[string]string{"retry": "retried", "purge": "purged"}[sub]
	fmt.Fprintf(env.Stdout, "%s %d dead letters\n", verb, done)
	return errors.Join(errs...)
}

// deadFlags are the filters of list, retry and purge.
type deadFlags struct{ source, stage, reason, since *string }

func (d *deadFlags) add(f *common) {
	d.source = f.fs.String("source", "", "only dead letters of this source")
	d.stage = f.fs.String("stage", "", "only dead letters of this stage: fetch or store")
	d.reason = f.fs.String("reason", "", "only dead letters with this reason (its label, such as http_500, or words of it)")
	d.since = f.fs.String("since", "", "only dead letters since this time (RFC 3339) or this long ago (1h)")
}

func (d *deadFlags) filter() (bus.DeadFilter, error) {
	if d.source == nil {
		return bus.DeadFilter{}, nil
	}
	since, err := parseSince(*d.since)
	if err != nil {
		return bus.DeadFilter{}, usageError{"--since: " + err.Error()}
	}
	switch *d.stage {
	case "", "fetch", "store":
	default:
		return bus.DeadFilter{}, usageError{fmt.Sprintf("--stage: %q is neither fetch nor store", *d.stage)}
	}
	return bus.DeadFilter{Source: *d.source, Stage: *d.stage, Reason: *d.reason, Since: since}, nil
}

func deadIDs(args []string) ([]uint64, error) {
	var ids []uint64
	for _, a := range args {
		id, err := strconv.ParseUint(a, 10, 64)
		if err != nil || id == 0 {
			return nil, usageError{fmt.Sprintf("%q is not a dead letter ID (the number dead list shows)", a)}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func deadList(ctx context.Context, w io.Writer, b deadStore, f bus.DeadFilter, asJSON bool) error {
	enc := jsonLines(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if !asJSON {
		fmt.Fprintln(tw, "ID\tTIME\tSTAGE\tSOURCE\tREASON\tTRIES\tURL")
	}
	n := 0
	err := b.list(ctx, f, func(d bus.DeadLetter) error {
		n++
		if asJSON {
			d.Header = nil
			return enc.Encode(d)
		}
		_, err := fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", d.Seq, d.Time.Format(time.RFC3339), d.Stage, dash(d.Source), d.Kind, d.Deliveries, dash(d.URL))
		return err
	})
	if !asJSON {
		tw.Flush()
		if n == 0 && err == nil {
			fmt.Fprintln(w, "no dead letters")
		}
	}
	return err
}

func deadShow(ctx context.Context, w io.Writer, b deadStore, id uint64, asJSON bool) error {
	d, err := b.get(ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		enc := jsonLines(w)
		enc.SetIndent("", "  ")
		return enc.Encode(app.DeadWithPayload(d))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "id\t%d\ntime\t%s\nstage\t%s\nsource\t%s\nreason\t%s\nsubject\t%s\ndeliveries\t%d\nurl\t%s\n",
		d.Seq, d.Time.Format(time.RFC3339), d.Stage, dash(d.Source), d.Reason, d.Subject, d.Deliveries, dash(d.URL))
	fmt.Fprintln(tw, "\nheaders:")
	for _, k := range slices.Sorted(maps.Keys(d.Header)) {
		fmt.Fprintf(tw, "  %s\t%s\n", k, strings.Join(d.Header[k], ", "))
	}
	tw.Flush()
	fmt.Fprintln(w, "\npayload:")
	var pretty bytes.Buffer
	if json.Indent(&pretty, d.Data, "", "  ") == nil {
		_, err = w.Write(append(pretty.Bytes(), '\n'))
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", d.Data)
	return err
}

// printDeadCounts adds the dead letters by source and reason to status.
func printDeadCounts(w io.Writer, c *bus.DeadCounts) {
	if c == nil {
		return
	}
	fmt.Fprintf(w, "\nDEAD LETTERS\t%d\n", c.Total)
	for _, k := range metrics.SortedKeys(c.BySource) {
		fmt.Fprintf(w, "  source %s\t%d\n", k, c.BySource[k])
	}
	for _, k := range metrics.SortedKeys(c.ByKind) {
		fmt.Fprintf(w, "  reason %s\t%d\n", k, c.ByKind[k])
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
