package newsflow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseConfigDefaults(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
sources:
  - name: example
    feeds: [https://example.com/rss.xml]
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir != DefaultDataDir || cfg.Store.Driver != "sqlite" || cfg.Store.DSN != filepath.Join(DefaultDataDir, "newsflow.db") {
		t.Errorf("store defaults: %+v, data dir %q", cfg.Store, cfg.DataDir)
	}
	if cfg.NATS.MaxAge.D() != DefaultStreamAge {
		t.Errorf("nats.max_age default: %s", cfg.NATS.MaxAge.D())
	}
	if cfg.NATS.SeenMaxAge.D() != DefaultSeenAge {
		t.Errorf("nats.seen_max_age default: %s", cfg.NATS.SeenMaxAge.D())
	}
	if cfg.NATS.AckWait.D() != DefaultAckWait {
		t.Errorf("nats.ack_wait default: %s", cfg.NATS.AckWait.D())
	}
	if cfg.HTTP.Listen != DefaultHTTPListen || cfg.Crawler.AllowPrivateNetworks {
		t.Errorf("http/crawler defaults: %+v %+v", cfg.HTTP, cfg.Crawler)
	}
	s := cfg.Sources[0]
	if s.Delay.D() != time.Second || s.Parallelism != 2 || s.Schedule != "@every 15m" {
		t.Errorf("source defaults: %+v", s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := s.Next(now); !got.Equal(now.Add(15 * time.Minute)) {
		t.Errorf("Next = %v", got)
	}
}

func TestParseConfigFull(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
data_dir: /var/lib/newsflow
nats: {url: "nats://a:4222,nats://b:4222", replicas: 3}
store: {driver: postgres, dsn: "postgres://localhost/news"}
http: {listen: ":0"}
crawler: {user_agent: "bot/1", allow_private_networks: true, timeout: 5s, retries: 2}
sources:
  - name: daily
    start_urls: [https://daily.example/]
    article_pattern: '/news/\d{4}/'
    schedule: "*/10 * * * *"
    delay: 250ms
    parallelism: 4
    extract:
      body: "div.story"
      remove: [".ad", ".related"]
      keep_repeated: true
`))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Source("daily")
	if s == nil || !s.IsArticleURL("https://daily.example/news/2024/x") || s.IsArticleURL("https://daily.example/about") {
		t.Fatalf("article pattern not applied: %+v", s)
	}
	if s.Delay.D() != 250*time.Millisecond || s.Parallelism != 4 || len(s.Extract.Remove) != 2 || !s.Extract.KeepRepeated {
		t.Errorf("source: %+v", s)
	}
	if cfg.NATS.Replicas != 3 || cfg.Store.Driver != "postgres" || cfg.Crawler.Timeout.D() != 5*time.Second {
		t.Errorf("config: %+v", cfg)
	}
}

// Every bad value is an error that names its key.
func TestParseConfigErrorsNameTheKey(t *testing.T) {
	src := "sources:\n  - name: ok\n    feeds: [https://x.example/feed]\n"
	cases := []struct{ doc, key string }{
		{"bogus: 1\n", "bogus"},
		{"nats: {urll: x}\n", "urll"},
		{src + "    feed: [x]\n", "feed"},
		{"store: {driver: mysql}\n", "store.driver"},
		{"store: {driver: postgres}\n", "store.dsn"},
		{"http: {listen: nowhere}\n", "http.listen"},
		{"nats: {url: 'not a url'}\n", "nats.url"},
		{"crawler: {timeout: soon}\n", "soon"},
		{"crawler: {retries: 99}\n", "crawler.retries"},
		{"nats: {max_age: 1m}\n", "nats.max_age"},
		{"nats: {seen_max_age: -1h}\n", "nats.seen_max_age"},
		{"nats: {ack_wait: -1s}\n", "nats.ack_wait"},
		{"nats: {ack_wait: 100ms}\n", "nats.ack_wait"},
		{"nats: {seen_max_age: 36h}\n" + src, "sources[0].recrawl"},
		{"nats: {seen_max_age: 1000h}\n" + src + "    recrawl: 720h\n", "nats.seen_max_age"},
		{"nats: {seen_max_age: 200h}\n" + src + "    schedule: '0 6 * * 1'\n", "longest wait of its schedule"},
		{"sources:\n  - name: 'bad name'\n    feeds: [https://x.example/]\n", "sources[0].name"},
		{"sources:\n  - name: a\n", "sources[0]"},
		{"sources:\n  - name: a\n    feeds: [ftp://x.example/]\n", "sources[0].feeds[0]"},
		{"sources:\n  - name: a\n    start_urls: [https://x.example/]\n", "sources[0].article_pattern"},
		{"sources:\n  - name: a\n    start_urls: [https://x.example/]\n    article_pattern: '(['\n", "sources[0].article_pattern"},
		{"sources:\n  - name: a\n    feeds: [https://x.example/]\n    schedule: 'every day'\n", "sources[0].schedule"},
		{"sources:\n  - name: a\n    feeds: [https://x.example/]\n    parallelism: 500\n", "sources[0].parallelism"},
		{src + "  - name: ok\n    feeds: [https://y.example/]\n", "sources[1].name"},
		{src + "    extract: {body: 'div[[x'}\n", "sources[0].extract.body"},
		{src + "    robots_sitemaps: true\n", "sources[0].article_pattern"},
		{src + "    extract: {remove: ['.ok', 'p >> q']}\n", "sources[0].extract.remove[1]"},
	}
	for _, c := range cases {
		_, err := ParseConfig([]byte(c.doc))
		if err == nil {
			t.Errorf("%q: no error", c.doc)
			continue
		}
		if !strings.Contains(err.Error(), c.key) {
			t.Errorf("%q: error %q does not name %q", c.doc, err, c.key)
		}
	}
}

func TestLoadConfigExampleFile(t *testing.T) {
	cfg, err := LoadConfig("newsflow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) < 3 {
		t.Errorf("the example lists %d sources", len(cfg.Sources))
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml")); !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing file: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestSealAndHash(t *testing.T) {
	a := &Article{URL: "https://x.example/a?utm_source=y", CanonicalURL: "https://x.example/a", Title: "T", Text: "One two.\n\nThree, four five."}
	a.PublishedAt = time.Date(2024, 3, 24, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))
	a.Seal("x", time.Date(2024, 3, 24, 2, 0, 0, 500, time.UTC))
	if a.ID != ArticleID("https://x.example/a") || a.Schema != Schema || a.Source != "x" {
		t.Errorf("sealed: %+v", a)
	}
	if a.WordCount != 5 {
		t.Errorf("word count %d", a.WordCount)
	}
	if a.PublishedAt.Location() != time.UTC || a.PublishedAt.Hour() != 1 {
		t.Errorf("published not in UTC: %v", a.PublishedAt)
	}
	h := a.ContentHash
	b := *a
	b.FetchedAt = b.FetchedAt.Add(time.Hour)
	if b.Hash() != h {
		t.Error("fetch time changed the content hash")
	}
	b.Text += " Six."
	if b.Hash() == h {
		t.Error("changed text kept the content hash")
	}
}
