package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/internal/metrics"
)

func init() {
	register(command{name: "status", args: "[--json]", summary: "streams, consumers, pending and redelivered counts, rates, per-source errors", run: runStatus})
}

func runStatus(ctx context.Context, env Env, args []string) error {
	f := newFlags("status", env)
	asJSON := f.fs.Bool("json", false, "print JSON")
	interval := f.fs.Duration("interval", time.Second, "time between the two samples that give the rates (0: no rates)")
	httpAddr := f.fs.String("http", "", "ask the newsflow process serving its HTTP endpoint at this address (host:port)")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	sample, closeFn, err := statusSampler(ctx, env, f, cfg, *httpAddr)
	if err != nil {
		return err
	}
	defer closeFn()
	first, err := sample()
	if err != nil {
		return err
	}
	var rates map[string]float64
	if *interval > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(*interval):
		}
		second, err := sample()
		if err != nil {
			return err
		}
		rates = drainRates(first, second)
		first = second
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		first.Rates = rates
		return enc.Encode(first)
	}
	printStatus(env.Stdout, first, rates)
	return nil
}

// statusSampler asks the process named by --http; or, for an embedded
// server, the process that holds the data dir (at the HTTP address it
// recorded in its lock file); or else opens the bus and the store itself,
// read-only. It never asks whatever happens to answer on http.listen: that
// may be another instance. A data dir that holds no pipeline is an error.
func statusSampler(ctx context.Context, env Env, f *common, cfg *newsflow.Config, httpAddr string) (func() (app.Status, error), func(), error) {
	if httpAddr != "" {
		return httpStatus(httpAddr), func() {}, nil
	}
	if cfg.NATS.URL == "" {
		dsn := ""
		if cfg.Store.Driver == "sqlite" {
			dsn = cfg.Store.DSN
		}
		if err := app.CheckDataDir(cfg.DataDir, true, dsn); err != nil {
			return nil, nil, err
		}
		info, held, err := app.ReadLock(cfg.DataDir)
		if err != nil {
			return nil, nil, err
		}
		if held {
			if info.HTTP == "" {
				return nil, nil, fmt.Errorf("data dir %s is in use by newsflow pid %d, which serves no HTTP endpoint (http.listen off): ask it with --http, or stop it", cfg.DataDir, info.PID)
			}
			get := httpStatus(info.HTTP)
			if _, err := get(); err != nil {
				return nil, nil, fmt.Errorf("data dir %s is in use by newsflow pid %d, whose endpoint %s does not answer: %w", cfg.DataDir, info.PID, info.HTTP, err)
			}
			return get, func() {}, nil
		}
	} else if cfg.Store.Driver == "sqlite" {
		if err := app.CheckDataDir(cfg.DataDir, false, cfg.Store.DSN); err != nil {
			return nil, nil, err
		}
	}
	a, err := f.open(ctx, env, cfg, app.Need{Bus: true, Store: true, ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	return func() (app.Status, error) { return a.Status(ctx), nil }, func() { a.Close() }, nil
}

// httpStatus asks GET /status of the process at addr.
func httpStatus(addr string) func() (app.Status, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	return func() (app.Status, error) {
		var st app.Status
		resp, err := client.Get("http://" + addr + "/status")
		if err != nil {
			return st, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return st, fmt.Errorf("GET http://%s/status: %s", addr, resp.Status)
		}
		return st, json.NewDecoder(resp.Body).Decode(&st)
	}
}

// drainRates is the acknowledged messages per second of each consumer
// between two samples.
func drainRates(a, b app.Status) map[string]float64 {
	dt := b.Time.Sub(a.Time).Seconds()
	if dt <= 0 {
		return nil
	}
	before := map[string]uint64{}
	for _, c := range a.Consumers {
		before[c.Stream+"/"+c.Name] = c.AckFloor
	}
	rates := map[string]float64{}
	for _, c := range b.Consumers {
		if prev, ok := before[c.Stream+"/"+c.Name]; ok && c.AckFloor >= prev {
			rates[c.Stream+"/"+c.Name] = float64(c.AckFloor-prev) / dt
		}
	}
	return rates
}

func printStatus(w io.Writer, st app.Status, rates map[string]float64) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STREAM\tMESSAGES\tBYTES\tCONSUMERS")
	for _, s := range st.Streams {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", s.Name, s.Messages, s.Bytes, s.Consumers)
	}
	// A fetch worker takes tasks ahead of its work (they count as ack
	// pending, not pending): WAITING is what is not done, either way.
	fmt.Fprintln(tw, "\nCONSUMER\tSTREAM\tWAITING\tPENDING\tACK PENDING\tREDELIVERED\tACKED/S")
	for _, c := range st.Consumers {
		rate := "-"
		if r, ok := rates[c.Stream+"/"+c.Name]; ok {
			rate = fmt.Sprintf("%.1f", r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\n", c.Name, c.Stream, c.Pending+uint64(c.AckPending), c.Pending, c.AckPending, c.Redelivered, rate)
	}
	if st.FrontierStranded > 0 {
		fmt.Fprintf(tw, "\nFRONTIER\t%d tasks no consumer will deliver (a crashed server's leftovers, or sources no crawler runs); they age out after a day\n", st.FrontierStranded)
	}
	if st.Store != nil {
		fmt.Fprintf(tw, "\nSTORE\t%d articles\n", st.Store.Articles)
		for _, k := range metrics.SortedKeys(st.Store.Sources) {
			fmt.Fprintf(tw, "  %s\t%d\n", k, st.Store.Sources[k])
		}
	}
	// The pipeline's counts (every process's) where the bus has them, else
	// the tally of the process that answered.
	p, whose := st.Pipeline, "pipeline"
	if p == nil || len(p.Sources) == 0 {
		p, whose = st.Process, "this process"
	}
	if p != nil && len(p.Sources) > 0 {
		fmt.Fprintf(tw, "\nSOURCE (%s)\tDISCOVERED\tFETCHED\tPUBLISHED\tSKIPPED\tFAILED\tLAST CRAWL\tRESULT\tLAST ERROR\n", whose)
		failed := map[string]bool{}
		for _, n := range p.FailedSources() {
			failed[n] = true
		}
		for _, name := range slices.Sorted(maps.Keys(p.Sources)) {
			s := p.Sources[name]
			last, result := "-", "-"
			if !s.LastCrawl.IsZero() {
				last = s.LastCrawl.Format(time.RFC3339)
			}
			if s.Result != "" {
				result = s.Result
			}
			if failed[name] {
				result = "FAILED"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", name, s.Discovered, s.Fetched, s.Published, s.Skipped, s.Failed, last, result, s.LastError)
		}
	}
	printDeadCounts(tw, st.Dead)
	printHealth(tw, st.Health)
	for _, e := range st.Errors {
		fmt.Fprintf(tw, "\nerror: %s\n", e)
	}
	tw.Flush()
}
