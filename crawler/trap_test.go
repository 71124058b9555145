package crawler

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
)

func TestURLTrap(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for u, want := range map[string]string{
		"https://news.example/2026/12/01/harbour-reopens":              "",
		"https://news.example/2027/01/calendar":                        "",
		"https://news.example/calendar/2027/03":                        TrapCalendar,
		"https://news.example/events?date=2031-04-17":                  TrapCalendar,
		"https://news.example/archive/1970/01":                         TrapCalendar,
		"https://news.example/story/20260315-ferry":                    "",
		"https://news.example/a/a/a":                                   TrapLongURL,
		"https://news.example/en/news/en/news/en/news":                 TrapLongURL,
		"https://news.example/" + strings.Repeat("x/", 30):             TrapLongURL,
		"https://news.example/?q=" + strings.Repeat("y", 3000):         TrapLongURL,
		"https://news.example/list?page=9999":                          "",
		"https://news.example/list?page=123456":                        TrapPagination,
		"https://news.example/section/world/page/4":                    "",
		"https://news.example/news/123456-council-passes-budget":       "",
		"https://news.example/news/council-passes-budget?id=202612345": "",
	} {
		if got := URLTrap(u, now); got != want {
			t.Errorf("URLTrap(%s) = %q, want %q", u, got, want)
		}
		if want == TrapPagination || want == TrapCalendar {
			want = ""
		}
		if got := ArticleTrap(u, now); got != want {
			t.Errorf("ArticleTrap(%s) = %q, want %q", u, got, want)
		}
	}
	// A WordPress post id is not a page number.
	if got := ArticleTrap("https://news.example/?p=123456", now); got != "" {
		t.Errorf("ArticleTrap of a WordPress post id = %q", got)
	}
}

func TestStripSession(t *testing.T) {
	for in, want := range map[string]string{
		"https://news.example/news/fish;jsessionid=ABC123":          "https://news.example/news/fish",
		"https://news.example/news/fish?PHPSESSID=ab12&id=4":        "https://news.example/news/fish?id=4",
		"https://news.example/news/fish?sessionid=1":                "https://news.example/news/fish",
		"https://news.example/news/fish?sid=story-4":                "",
		"https://news.example/news/fish":                            "",
		"https://news.example/a;JSESSIONID=1F/b?x=1&aspsessionid=2": "https://news.example/a/b?x=1",
	} {
		got, ok := StripSession(in)
		if want == "" {
			if ok || got != in {
				t.Errorf("StripSession(%s) = %s, %v; want it unchanged", in, got, ok)
			}
			continue
		}
		if !ok || got != want {
			t.Errorf("StripSession(%s) = %s, %v; want %s", in, got, ok, want)
		}
	}
}

// TestFetchBudget: every request draws from the budget in the context,
// the redirects a fetch follows and its retries included; once spent, a
// fetch is a "budget" skip and the server sees nothing more.
func TestFetchBudget(t *testing.T) {
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hop1":
			http.Redirect(w, r, "/hop2", http.StatusFound)
		case "/hop2":
			http.Redirect(w, r, "/page", http.StatusFound)
		case "/flaky":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			html(w, "<p>page</p>")
		}
	}))
	f := newFetcher(t, Config{IgnoreRobots: true, Retries: 2})
	b := NewBudget(6)
	ctx := WithBudget(context.Background(), b)
	if _, err := f.FetchListing(ctx, testSource(), srv.URL+"/hop1", Validators{}); err != nil {
		t.Fatal(err)
	}
	if b.Used() != 3 {
		t.Errorf("a page behind two redirects drew %d, want 3", b.Used())
	}
	var herr *HTTPError
	if _, err := f.Fetch(ctx, testSource(), srv.URL+"/flaky", Validators{}); !errors.As(err, &herr) {
		t.Fatalf("flaky: %v", err)
	}
	if b.Used() != 6 || b.FirstRefusal() {
		t.Errorf("after three tries of a failing page: used %d, want 6, and no refusal yet", b.Used())
	}
	before := len(rec.paths())
	_, err := f.Fetch(ctx, testSource(), srv.URL+"/page", Validators{})
	if SkipReason(err) != ReasonBudget || !errors.Is(err, ErrBudgetSpent) {
		t.Fatalf("spent budget: err = %v, want a budget skip", err)
	}
	if len(rec.paths()) != before {
		t.Errorf("the server saw a request past the budget")
	}
	if !b.FirstRefusal() || b.FirstRefusal() {
		t.Errorf("FirstRefusal should report the spent budget exactly once")
	}
}

// TestDiscoverFollowsMovedStartPage: with redirects deferred for articles,
// a start page that redirects (to a trailing slash here) still leads to
// its links, and the stats name where it went.
func TestDiscoverFollowsMovedStartPage(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/section", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/section/", http.StatusFound)
	})
	mux.HandleFunc("/section/", func(w http.ResponseWriter, r *http.Request) {
		html(w, `<a href="/news/one">One</a><a href="/news/two">Two</a>`)
	})
	srv, _ := newServer(t, mux)
	f := newFetcher(t, Config{IgnoreRobots: true, DeferRedirects: true})
	src := &newsflow.Source{Name: "moved", StartURLs: []string{srv.URL + "/section"}, ArticlePattern: "/news/", Parallelism: 1}
	var got []string
	stats, err := (&Discoverer{Fetcher: f}).Discover(context.Background(), src, func(c Candidate) error {
		got = append(got, c.URL)
		return nil
	})
	if err != nil || len(stats.Errors) > 0 {
		t.Fatal(err, stats.Errors)
	}
	if len(got) != 2 || !strings.HasSuffix(got[0], "/news/one") {
		t.Errorf("found %q, want the two stories of the moved page", got)
	}
	if stats.Moved[srv.URL+"/section"] != srv.URL+"/section/" {
		t.Errorf("moved = %v, want /section -> /section/", stats.Moved)
	}
}

// FuzzURLTrap: judging a link never fails, and a link stripped of its
// session id is canonical and has none left.
func FuzzURLTrap(f *testing.F) {
	for _, s := range []string{
		"https://news.example/news/fish;jsessionid=ABC?PHPSESSID=1&id=2",
		"https://news.example/calendar/2031/04/17",
		"https://news.example/a/a/a/b?page=99999",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		canon, err := Canonicalize(raw)
		if err != nil {
			return
		}
		URLTrap(canon, now)
		ArticleTrap(canon, now)
		out, ok := StripSession(canon)
		if !ok {
			if out != canon {
				t.Fatalf("StripSession changed %q to %q without a session", canon, out)
			}
			return
		}
		if again, err := Canonicalize(out); err != nil || again != out {
			t.Fatalf("StripSession(%q) = %q, not canonical (%q, %v)", canon, out, again, err)
		}
		if _, more := StripSession(out); more {
			t.Fatalf("StripSession(%q) = %q still holds a session id", canon, out)
		}
	})
}
