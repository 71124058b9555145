package newsflow

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/robfig/cron/v3"
)

// Source is one news site an operator lists: where its articles are found,
// how often to look, and how politely to fetch.
type Source struct {
	// Name identifies the source in subjects, metrics and the store; it is
	// limited to letters, digits, '-' and '_'.
	Name string `yaml:"name"`
	// Feeds are RSS or Atom feed URLs.
	Feeds []string `yaml:"feeds"`
	// Sitemaps are XML sitemap URLs: plain, index or Google News sitemaps.
	Sitemaps []string `yaml:"sitemaps"`
	// StartURLs are home or section pages whose links lead to articles.
	StartURLs []string `yaml:"start_urls"`
	// RobotsSitemaps adds the sitemaps that the robots.txt of the source's
	// hosts names (its Sitemap: lines) to Sitemaps; it needs an
	// ArticlePattern, since such sitemaps list every page of a site.
	RobotsSitemaps bool `yaml:"robots_sitemaps"`
	// ArticlePattern is a regular expression on the URL that says which
	// links found on start pages are articles.
	ArticlePattern string `yaml:"article_pattern"`
	// Schedule is a cron expression ("*/15 * * * *") or "@every 15m".
	Schedule string `yaml:"schedule"`
	// Delay is the pause between two requests to one host (0s..1h; an
	// explicit 0s means none, an absent key 1s).
	Delay Duration `yaml:"delay,omitempty"`
	// Parallelism is how many requests to one host may run at once (1..64).
	Parallelism int `yaml:"parallelism,omitempty"`
	// MaxDepth bounds how many pagination steps are followed from a start
	// page (0..100; 0 reads the start pages only, an absent key 3).
	MaxDepth int `yaml:"max_depth,omitempty"`
	// MaxArticles bounds how many article URLs one crawl of the source
	// queues (0..1000000; 0 means no limit, an absent key 500).
	MaxArticles int `yaml:"max_articles,omitempty"`
	// MaxFetches bounds the requests of one crawl round of the source
	// (0..10000000; 0 or an absent key: FetchBudget's default):
	// discovery documents, pages, redirects and retries all draw from it,
	// so that no site can keep a round going for ever.
	MaxFetches int `yaml:"max_fetches,omitempty"`
	// Recrawl is how long a fetched article is left alone before it is
	// fetched again to look for changes (1m..365d).
	Recrawl Duration `yaml:"recrawl,omitempty"`
	// Extract holds CSS selectors that override the generic extractor.
	Extract ExtractRules `yaml:"extract"`

	pattern  *regexp.Regexp
	schedule cron.Schedule
	// set holds the keys given in the YAML document, so that an explicit
	// 0 is kept rather than replaced by the default.
	set map[string]bool
}

// ExtractRules are per-source CSS selectors, applied before the generic
// extraction method.
type ExtractRules struct {
	// Body selects the element(s) that hold the article text.
	Body string `yaml:"body"`
	// Title selects the element that holds the headline.
	Title string `yaml:"title"`
	// Remove selects elements to delete before anything is extracted.
	Remove []string `yaml:"remove"`
	// Date selects an element whose datetime attribute or text is the
	// publication time.
	Date string `yaml:"date"`
	// KeepRepeated turns off template learning for the source: by default
	// a paragraph that the site repeats on three other pages is dropped
	// from its articles (see extractor.SiteMemory).
	KeepRepeated bool `yaml:"keep_repeated"`
}

// IsZero reports whether no rule is set.
func (r ExtractRules) IsZero() bool {
	return r.Body == "" && r.Title == "" && len(r.Remove) == 0 && r.Date == ""
}

// check compiles every selector, so that a typo is reported at start and
// not silently matched against nothing.
func (r ExtractRules) check(key string) error {
	for field, sel := range map[string]string{"body": r.Body, "title": r.Title, "date": r.Date} {
		if sel == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(sel); err != nil {
			return fmt.Errorf("%s.%s: %q is not a CSS selector: %w", key, field, sel, err)
		}
	}
	for i, sel := range r.Remove {
		if _, err := cascadia.ParseGroup(sel); err != nil {
			return fmt.Errorf("%s.remove[%d]: %q is not a CSS selector: %w", key, i, sel, err)
		}
	}
	return nil
}

// Defaults for a source's politeness and scope.
const (
	DefaultDelay       = time.Second
	DefaultParallelism = 2
	DefaultMaxDepth    = 3
	DefaultMaxArticles = 500
	DefaultRecrawl     = 24 * time.Hour
	DefaultSchedule    = "@every 15m"
)

var sourceName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// prepare fills defaults and checks every field; key prefixes errors with
// the YAML path of the source.
func (s *Source) prepare(key string) error {
	if !sourceName.MatchString(s.Name) {
		return fmt.Errorf("%s.name: %q must be 1-64 letters, digits, '-' or '_'", key, s.Name)
	}
	if len(s.Feeds)+len(s.Sitemaps)+len(s.StartURLs) == 0 {
		return fmt.Errorf("%s: needs at least one of feeds, sitemaps or start_urls", key)
	}
	for field, urls := range map[string][]string{"feeds": s.Feeds, "sitemaps": s.Sitemaps, "start_urls": s.StartURLs} {
		for i, u := range urls {
			if err := checkHTTPURL(u); err != nil {
				return fmt.Errorf("%s.%s[%d]: %w", key, field, i, err)
			}
		}
	}
	if s.ArticlePattern != "" {
		re, err := regexp.Compile(s.ArticlePattern)
		if err != nil {
			return fmt.Errorf("%s.article_pattern: %w", key, err)
		}
		s.pattern = re
	} else if len(s.StartURLs) > 0 {
		return fmt.Errorf("%s.article_pattern: required when start_urls are given", key)
	} else if s.RobotsSitemaps {
		return fmt.Errorf("%s.article_pattern: required when robots_sitemaps is set", key)
	}
	if err := s.Extract.check(key + ".extract"); err != nil {
		return err
	}
	if err := checkInt(key+".max_fetches", int64(s.MaxFetches), 0, MaxMaxFetches); err != nil {
		return err
	}
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	}
	if err := checkSchedule(s.Schedule); err != nil {
		return fmt.Errorf("%s.schedule: %q: %w", key, s.Schedule, err)
	}
	sched, err := cron.ParseStandard(s.Schedule)
	if err != nil {
		return fmt.Errorf("%s.schedule: %q: %w", key, s.Schedule, err)
	}
	s.schedule = sched
	if s.Delay == 0 && !s.set["delay"] {
		s.Delay = Duration(DefaultDelay)
	}
	if err := checkDuration(key+".delay", s.Delay, 0, MaxDelay); err != nil {
		return err
	}
	if s.Parallelism == 0 && !s.set["parallelism"] {
		s.Parallelism = DefaultParallelism
	}
	if err := checkInt(key+".parallelism", int64(s.Parallelism), 1, 64); err != nil {
		return err
	}
	if s.MaxDepth == 0 && !s.set["max_depth"] {
		s.MaxDepth = DefaultMaxDepth
	}
	if err := checkInt(key+".max_depth", int64(s.MaxDepth), 0, MaxMaxDepth); err != nil {
		return err
	}
	if s.MaxArticles == 0 && !s.set["max_articles"] {
		s.MaxArticles = DefaultMaxArticles
	}
	if err := checkInt(key+".max_articles", int64(s.MaxArticles), 0, MaxMaxArticles); err != nil {
		return err
	}
	if s.Recrawl == 0 && !s.set["recrawl"] {
		s.Recrawl = Duration(DefaultRecrawl)
	}
	if err := checkDuration(key+".recrawl", s.Recrawl, MinRecrawl, MaxRecrawl); err != nil {
		return err
	}
	return nil
}

// cronFields are the ranges of the five fields of a cron expression.
var cronFields = [5]struct {
	name   string
	lo, hi int
}{{"minute", 0, 59}, {"hour", 0, 23}, {"day of month", 1, 31}, {"month", 1, 12}, {"day of week", 0, 7}}

// checkSchedule refuses what robfig/cron accepts but cannot mean: a step
// larger than its field's range ("*/61" minutes), which would run once an
// hour at minute 0, and an @every shorter than a second.
func checkSchedule(spec string) error {
	if rest, ok := strings.CutPrefix(spec, "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil {
			return err
		}
		if d < time.Second || d > MaxRecrawl {
			return fmt.Errorf("@every %s is outside 1s..%s", d, fmtDuration(MaxRecrawl))
		}
		return nil
	}
	if strings.HasPrefix(spec, "@") {
		return nil
	}
	fields := strings.Fields(spec)
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		fields = fields[1:]
	}
	for i, f := range fields {
		if i >= len(cronFields) {
			break
		}
		for _, part := range strings.Split(f, ",") {
			_, step, ok := strings.Cut(part, "/")
			if !ok {
				continue
			}
			n, err := strconv.Atoi(step)
			r := cronFields[i]
			if err != nil || n < 1 || n > r.hi-r.lo+1 {
				return fmt.Errorf("step /%s of the %s field is outside 1..%d", step, r.name, r.hi-r.lo+1)
			}
		}
	}
	return nil
}

// IsArticleURL reports whether a link found on a start page is an article,
// by the source's article_pattern. Without a pattern every link is.
func (s *Source) IsArticleURL(u string) bool {
	if s.pattern == nil {
		if s.ArticlePattern == "" {
			return true
		}
		s.pattern = regexp.MustCompile(s.ArticlePattern)
	}
	return s.pattern.MatchString(u)
}

// longestWait is the longest time between two of the source's next rounds
// after t (a monthly schedule waits up to 31 days).
func (s *Source) longestWait(t time.Time) time.Duration {
	var longest time.Duration
	for range 12 {
		next := s.Next(t)
		longest = max(longest, next.Sub(t))
		t = next
	}
	return longest
}

// Next returns the next time the source is due after t.
func (s *Source) Next(t time.Time) time.Time {
	if s.schedule == nil {
		s.schedule, _ = cron.ParseStandard(s.Schedule)
		if s.schedule == nil {
			return t.Add(DefaultRecrawl)
		}
	}
	return s.schedule.Next(t)
}

// DefaultMaxFetches is the fetch budget of a round when neither
// max_fetches nor max_articles bound it, and MaxMaxFetches the largest
// max_fetches accepted.
const (
	DefaultMaxFetches = 200_500
	MaxMaxFetches     = 10_000_000
)

// FetchBudget is how many requests one crawl round of the source may
// make: MaxFetches when set, else four per article it may queue plus 500
// for feeds, sitemaps and listing pages.
func (s *Source) FetchBudget() int {
	switch {
	case s.MaxFetches > 0:
		return s.MaxFetches
	case s.MaxArticles > 0:
		return 4*s.MaxArticles + 500
	}
	return DefaultMaxFetches
}
