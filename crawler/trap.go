package crawler

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Kinds of spider trap: the label of newsflow_traps_total and the skip
// reason of a URL refused as one. They are bounded, so they can label
// metrics.
const (
	// TrapRedirectChain is a chain of redirects longer than MaxRedirects,
	// counted across queued tasks.
	TrapRedirectChain = "redirect_chain"
	// TrapRedirectLoop is a redirect back to a URL of its own chain.
	TrapRedirectLoop = "redirect_loop"
	// TrapPagination is a listing whose pages go on past the limit of one
	// start page, or whose page number is absurd.
	TrapPagination = "pagination"
	// TrapCalendar is a URL dated in the future or before the web, as
	// calendars that always have a next month make.
	TrapCalendar = "calendar"
	// TrapSessionID is a session id in a URL, which makes one page a new
	// URL on every visit; the id is dropped and the page kept.
	TrapSessionID = "session_id"
	// TrapLongURL is an ever-growing URL: too long, too deep, or a path
	// segment repeated over and over.
	TrapLongURL = "long_url"
	// TrapDuplicate is the same content under another URL.
	TrapDuplicate = "duplicate_content"
	// TrapBudget is a round whose fetch budget is spent.
	TrapBudget = "budget"
)

// MaxRedirects is how many redirects lead to one page, whether one fetch
// follows them or each is queued as a task of its own.
const MaxRedirects = maxRedirects

// Limits of the URLs a crawl follows.
const (
	maxURLLength   = 2048
	maxPathDepth   = 24
	maxSegmentRuns = 3 // a path segment seen this often is a loop of relative links
	maxPageNumber  = 10000
	// calendarSlack is how far in the future a dated URL may point: news
	// is not dated next year.
	calendarSlack = 62 * 24 * time.Hour
	earliestYear  = 1990
)

// sessionParams are query parameters, compared in lower case, that carry a
// session rather than name a document.
var sessionParams = map[string]bool{
	"jsessionid": true, "phpsessid": true, "aspsessionid": true, "sessionid": true,
	"session_id": true, "sessid": true, "cfid": true, "cftoken": true, "zenid": true,
	"oscsid": true,
	// Not "sid": it names stories on some sites.
}

// pathSession matches a ;jsessionid=... path parameter and its kin.
var pathSession = regexp.MustCompile(`(?i);(jsessionid|phpsessid|sessionid|sid)=[^/?#;]*`)

// StripSession returns a canonical URL without its session-id parameters
// and whether it had any.
func StripSession(canon string) (string, bool) {
	u, err := url.Parse(canon)
	if err != nil {
		return canon, false
	}
	found := false
	if loc := pathSession.FindStringIndex(u.EscapedPath()); loc != nil {
		p := pathSession.ReplaceAllString(u.EscapedPath(), "")
		if np, err := url.PathUnescape(p); err == nil {
			u.Path, u.RawPath = np, p
			found = true
		}
	}
	if u.RawQuery != "" {
		var kept []string
		for _, part := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(part, "=")
			if sessionParams[strings.ToLower(k)] {
				found = true
				continue
			}
			kept = append(kept, part)
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	if !found {
		return canon, false
	}
	out, err := Canonicalize(u.String())
	if err != nil {
		return canon, false
	}
	return out, true
}

// datedPath finds a year and month in a path or query: /2031/04, 2031-04-17,
// date=20310417.
var datedPath = regexp.MustCompile(`(?:^|[/=_-])((?:19|20|21|22|23|24|25|26|27|28|29)\d\d)[/-]?(0[1-9]|1[0-2])(?:[/-]?(0[1-9]|[12]\d|3[01]))?(?:$|[/&?._-])`)

// URLTrap returns the kind of trap the canonical URL of a listing page
// looks like, or "": ever-growing (TrapLongURL), dated in the future or
// before 1990 (TrapCalendar), or numbered past any real listing
// (TrapPagination). Session ids are not judged here (see StripSession).
func URLTrap(canon string, now time.Time) string {
	return urlTrap(canon, now, true)
}

// ArticleTrap is URLTrap for the URL of an article: only an ever-growing
// URL is a trap there, since a large number is an id (WordPress's
// ?p=123456), not a page number, and a story may be dated ahead (a preview
// of next year's budget); the fetch budget bounds what is left.
func ArticleTrap(canon string, now time.Time) string {
	return urlTrap(canon, now, false)
}

func urlTrap(canon string, now time.Time, listing bool) string {
	if len(canon) > maxURLLength {
		return TrapLongURL
	}
	u, err := url.Parse(canon)
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(segs) > maxPathDepth {
		return TrapLongURL
	}
	runs := map[string]int{}
	for _, s := range segs {
		if s == "" {
			continue
		}
		runs[s]++
		if runs[s] >= maxSegmentRuns {
			return TrapLongURL
		}
	}
	if !listing {
		return ""
	}
	if m := datedPath.FindStringSubmatch(u.EscapedPath() + "?" + u.RawQuery); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d := 1
		if m[3] != "" {
			d, _ = strconv.Atoi(m[3])
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if y < earliestYear || t.After(now.Add(calendarSlack)) {
			return TrapCalendar
		}
	}
	if _, num := stripPaging(canon); num != "" {
		if n, err := strconv.Atoi(num); err == nil && n > maxPageNumber {
			return TrapPagination
		}
	}
	return ""
}

// Budget is the number of requests one source may make in one crawl round.
// Every request of a Fetcher whose context carries a Budget draws from it:
// discovery documents, pages, robots.txt, retries and redirects followed.
// It is safe for concurrent use.
type Budget struct {
	limit   int64
	used    atomic.Int64
	refused atomic.Bool
	counted atomic.Bool
}

// NewBudget returns a budget of n requests; n <= 0 means no limit.
func NewBudget(n int) *Budget { return &Budget{limit: int64(n)} }

// take draws one request; false when the budget is spent.
func (b *Budget) take() bool {
	if b == nil {
		return true
	}
	if n := b.used.Add(1); b.limit > 0 && n > b.limit {
		b.used.Add(-1)
		b.refused.Store(true)
		return false
	}
	return true
}

// Used is how many requests were drawn.
func (b *Budget) Used() int {
	if b == nil {
		return 0
	}
	return int(b.used.Load())
}

// Limit is the number of requests the budget allows, 0 for no limit.
func (b *Budget) Limit() int {
	if b == nil {
		return 0
	}
	return int(b.limit)
}

// FirstRefusal reports true to the first caller after the budget has
// refused a request, and false otherwise, so that a spent budget is
// counted once a round however many requests it refuses.
func (b *Budget) FirstRefusal() bool {
	if b == nil || !b.refused.Load() {
		return false
	}
	return !b.counted.Swap(true)
}

type budgetKey struct{}

// WithBudget returns a context whose fetches draw from b.
func WithBudget(ctx context.Context, b *Budget) context.Context {
	return context.WithValue(ctx, budgetKey{}, b)
}

// budgetOf returns the Budget of ctx, or nil.
func budgetOf(ctx context.Context) *Budget {
	b, _ := ctx.Value(budgetKey{}).(*Budget)
	return b
}
