package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/app"
)

func init() {
	register(command{name: "check", args: "[--source S] [URL...]", summary: "try a source: discover and extract a few articles, store nothing", run: runCheck})
}

func runCheck(ctx context.Context, env Env, args []string) error {
	f := newFlags("check", env)
	source := f.fs.String("source", "", "the configured source to check (discovery, then a few of its pages)")
	maxPages := f.fs.Int("max", 5, "how many pages to fetch and extract")
	asJSON := f.fs.Bool("json", false, "print the report as JSON")
	f.fs.Lookup("log-level").DefValue = "error"
	f.fs.Set("log-level", "error") // the report says what failed
	if err := f.parse(args); err != nil {
		return err
	}
	urls := f.fs.Args()
	if *source == "" && len(urls) == 0 {
		return usageError{"check needs --source S or a URL"}
	}
	if *maxPages <= 0 {
		return usageError{"--max must be at least 1"}
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	src, err := checkSource(cfg, *source, urls)
	if err != nil {
		return err
	}
	if len(urls) > *maxPages {
		*maxPages = len(urls)
	}
	a, err := f.open(ctx, env, cfg, app.Need{Crawler: true})
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Check(ctx, src, urls, *maxPages)
	if *asJSON {
		enc := jsonLines(env.Stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(rep); jerr != nil {
			return jerr
		}
	} else {
		printCheck(env.Stdout, rep, len(urls) == 0)
	}
	return err
}

// checkSource is the source a check uses: the one named, the configured
// one whose site the URLs are on, or the defaults for a site not
// configured yet.
func checkSource(cfg *newsflow.Config, name string, urls []string) (*newsflow.Source, error) {
	if name != "" {
		for i := range cfg.Sources {
			if cfg.Sources[i].Name == name {
				return &cfg.Sources[i], nil
			}
		}
		return nil, configError{fmt.Errorf("no source named %q in the configuration", name)}
	}
	u, err := url.Parse(urls[0])
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, usageError{fmt.Sprintf("%q is not an http(s) URL", urls[0])}
	}
	host := strings.TrimPrefix(u.Hostname(), "www.")
	for i, s := range cfg.Sources {
		for _, su := range slices.Concat(s.StartURLs, s.Feeds, s.Sitemaps) {
			if p, err := url.Parse(su); err == nil && strings.TrimPrefix(p.Hostname(), "www.") == host && p.Port() == u.Port() {
				return &cfg.Sources[i], nil
			}
		}
	}
	// A site not configured yet: the defaults of a source.
	probe := *cfg
	probe.Sources = []newsflow.Source{{Name: "check", StartURLs: []string{u.Scheme + "://" + u.Host + "/"}}}
	if err := probe.Prepare(); err != nil {
		return nil, configError{err}
	}
	return &probe.Sources[0], nil
}

func printCheck(w io.Writer, rep app.CheckReport, discovered bool) {
	if discovered {
		fmt.Fprintf(w, "source %s: discovery found %d article URLs (%d feeds, %d sitemaps, %d pages read)\n",
			rep.Source, rep.Discovered, rep.Feeds, rep.Sitemaps, rep.Pages)
		for _, e := range rep.DiscoveryErrors {
			fmt.Fprintf(w, "  failed: %s\n", e)
		}
	} else {
		fmt.Fprintf(w, "source %s\n", rep.Source)
	}
	stored := 0
	rejected := map[string]int{}
	for _, p := range rep.Checked {
		fmt.Fprintln(w)
		if p.Article == nil {
			rejected[p.Rejected]++
			fmt.Fprintf(w, "rejected     %s\n  reason     %s\n  detail     %s\n", p.URL, p.Rejected, p.Detail)
			continue
		}
		stored++
		art := p.Article
		fmt.Fprintf(w, "would store  %s\n", art.CanonicalURL)
		fmt.Fprintf(w, "  title      %s\n", dash(art.Title))
		published := "-"
		if !art.PublishedAt.IsZero() {
			published = art.PublishedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "  published  %s\n", published)
		fmt.Fprintf(w, "  authors    %s\n", dash(strings.Join(art.Authors, ", ")))
		fmt.Fprintf(w, "  words      %d\n", art.WordCount)
		for i, line := range firstLines(art.Text, 2, 160) {
			label := ""
			if i == 0 {
				label = "text"
			}
			fmt.Fprintf(w, "  %-10s %s\n", label, line)
		}
	}
	var why []string
	for _, k := range slices.Sorted(maps.Keys(rejected)) {
		why = append(why, fmt.Sprintf("%s %d", k, rejected[k]))
	}
	fmt.Fprintf(w, "\nchecked %d pages: %d would be stored, %d rejected", len(rep.Checked), stored, len(rep.Checked)-stored)
	if len(why) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(why, ", "))
	}
	fmt.Fprintln(w)
}

// firstLines returns the first n paragraphs of text, each cut to width.
func firstLines(text string, n, width int) []string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p == "" {
			continue
		}
		if r := []rune(p); len(r) > width {
			p = string(r[:width-1]) + "…"
		}
		out = append(out, p)
		if len(out) == n {
			break
		}
	}
	return out
}
