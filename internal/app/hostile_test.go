package app

import (
	"strings"
	"testing"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/fixture/hostile"
)

// hostileConfig crawls the given sources of the hostile site.
func hostileConfig(t *testing.T, sources ...newsflow.Source) *newsflow.Config {
	t.Helper()
	cfg := &newsflow.Config{DataDir: t.TempDir(), Sources: sources}
	cfg.HTTP.Listen = "off"
	cfg.Crawler.AllowPrivateNetworks = true
	cfg.Crawler.Timeout = newsflow.Duration(10 * time.Second)
	cfg.Crawler.Retries = 1
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func startHostile(t *testing.T) *hostile.Site {
	t.Helper()
	site := hostile.Start()
	t.Cleanup(site.Close)
	return site
}

// TestHeaderCharsetThroughCrawl crawls pages whose charset only the HTTP
// header names (iso-8859-2, windows-1251, KOI8-R, Shift_JIS, EUC-KR,
// GB18030) and a UTF-8 page with one invalid byte: each is stored with its
// text intact.
func TestHeaderCharsetThroughCrawl(t *testing.T) {
	site := startHostile(t)
	src := newsflow.Source{Name: "charsets", Feeds: []string{site.URL("/feed.xml?only=charset")},
		Delay: newsflow.Duration(time.Millisecond), Parallelism: 2}
	a := openApp(t, hostileConfig(t, src))
	runOnce(t, a)
	got := stored(t, a.Store)
	for _, want := range site.Articles() {
		if !strings.Contains(want.URL, "/charset/") {
			continue
		}
		art := got[want.URL]
		if art == nil {
			t.Errorf("%s not stored", want.URL)
			continue
		}
		if art.Title != want.Title {
			t.Errorf("%s: title %q, want %q", want.URL, art.Title, want.Title)
		}
		for _, p := range want.Text {
			if !strings.Contains(squash(art.Text), squash(p)) {
				t.Errorf("%s: text lacks %q\ngot %q", want.URL, p, art.Text)
			}
		}
	}
}
