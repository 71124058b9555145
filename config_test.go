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

// An explicit 0 is kept where it means something: no delay, no retry, no
// limit, start pages only. An absent key still gets the default.
func TestExplicitZeroIsKept(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
crawler: {retries: 0}
sources:
  - name: own
    feeds: [https://own.example/rss]
    delay: 0s
    max_articles: 0
    max_depth: 0
  - name: other
    feeds: [https://other.example/rss]
`))
	if err != nil {
		t.Fatal(err)
	}
	own, other := cfg.Sources[0], cfg.Sources[1]
	if cfg.Crawler.Retries != 0 || own.Delay != 0 || own.MaxArticles != 0 || own.MaxDepth != 0 {
		t.Errorf("explicit zeros replaced: retries %d, delay %s, max_articles %d, max_depth %d",
			cfg.Crawler.Retries, own.Delay.D(), own.MaxArticles, own.MaxDepth)
	}
	if other.Delay.D() != DefaultDelay || other.MaxArticles != DefaultMaxArticles || other.MaxDepth != DefaultMaxDepth {
		t.Errorf("absent keys not defaulted: %+v", other)
	}
	// Prepare again (a caller that overrides a value) keeps them too.
	if err := cfg.Prepare(); err != nil || cfg.Crawler.Retries != 0 || cfg.Sources[0].Delay != 0 {
		t.Errorf("second Prepare: %v, retries %d, delay %s", err, cfg.Crawler.Retries, cfg.Sources[0].Delay.D())
	}
}

// Every value has a range; what falls outside, what a key cannot mean, a
// second YAML document, a type error and a system folder as data dir are
// errors that name the key.
func TestConfigRejectsWhatItCannotMean(t *testing.T) {
	src := "sources:\n  - name: a\n    feeds: [https://a.example/f]\n"
	for doc, want := range map[string]string{
		"store: {batch_size: 2000000000}\n":                       "store.batch_size: 2000000000 is outside 1..10000",
		src + "    delay: 2562047h\n":                             "sources[0].delay: 2562047h0m0s is outside 0s..1h",
		"crawler: {timeout: 1ns}\n":                               "crawler.timeout: 1ns is outside 1s..10m",
		"crawler: {timeout: 0s}\n":                                "crawler.timeout: 0s is outside",
		"crawler: {retries: 11}\n":                                "crawler.retries: 11 is outside 0..10",
		"crawler: {max_body_size: 99999999999}\n":                 "crawler.max_body_size",
		src + "    parallelism: 0\n":                              "sources[0].parallelism: 0 is outside 1..64",
		src + "    max_articles: -1\n":                            "sources[0].max_articles: -1 is outside",
		src + "    max_depth: 1000\n":                             "sources[0].max_depth: 1000 is outside 0..100",
		src + "    recrawl: 0s\n":                                 "sources[0].recrawl: 0s is outside 1m0s..365d",
		src + `    schedule: "*/61 * * * *"` + "\n":               `sources[0].schedule: "*/61 * * * *": step /61 of the minute field`,
		src + `    schedule: "0 */25 * * *"` + "\n":               "hour field",
		src + `    schedule: "@every 1ms"` + "\n":                 "sources[0].schedule",
		"data_dir: /\n":                                           `data_dir: "/" is a system folder`,
		"data_dir: /etc\n":                                        "system folder",
		"data_dir: /usr/share/newsflow\n":                         "inside the system folder /usr",
		"data_dir: x\n---\nbogus: 1\n":                            "second YAML document",
		"data_dir: x\n---\n":                                      "second YAML document",
		"crawler: {retries: abc}\n":                               "crawler.retries: cannot unmarshal",
		src + "    delay: soon\n":                                 `sources[0].delay: "soon" is not a duration`,
		"http: {listen: \"127.0.0.1:99999\"}\n":                   "http.listen: port",
		"nats: {max_age: 100000d}\n":                              "nats.max_age",
		"nats: {ack_wait: 48h}\n":                                 "nats.ack_wait: 48h0m0s is longer than 12h",
		"store: {schema: news}\n":                                 "store.schema: only for the postgres driver",
		"store: {driver: postgres, dsn: x, schema: \"a;drop\"}\n": "store.schema",
	} {
		_, err := ParseConfig([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error with %q", doc, err, want)
		}
	}
	for _, doc := range []string{
		"data_dir: /var/lib/newsflow\n",
		"data_dir: /tmp/newsflow-x\n",
		src + "    delay: 1h\n    max_depth: 100\n    max_articles: 1000000\n",
		src + `    schedule: "*/60 * * * *"` + "\n",
		"store: {driver: postgres, dsn: x, schema: news_a}\n",
	} {
		if _, err := ParseConfig([]byte(doc)); err != nil {
			t.Errorf("%q: %v", doc, err)
		}
	}
}

// The configuration parser never panics, and what it accepts it accepts
// again after a round through YAML.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"",
		"data_dir: x\nsources:\n  - name: a\n    feeds: [https://a.example/f]\n    delay: 0s\n",
		"crawler: {retries: 0, timeout: 5s}\nstore: {batch_size: 10}\n",
		"sources:\n  - name: a\n    start_urls: [https://a.example/]\n    article_pattern: '/n/'\n    schedule: \"*/5 * * * *\"\n",
		"a: 1\n---\nb: 2\n",
		"nats: {url: nats://h:4222, namespace: team_a}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data)
		if err != nil {
			return
		}
		if cfg.Store.BatchSize < 1 || cfg.Store.BatchSize > MaxBatchSize || cfg.Crawler.Retries < 0 || cfg.Crawler.Retries > MaxRetries {
			t.Fatalf("accepted out-of-range values: %+v", cfg)
		}
		for _, s := range cfg.Sources {
			if s.Delay < 0 || s.Delay.D() > MaxDelay || s.Parallelism < 1 {
				t.Fatalf("accepted out-of-range source: %+v", s)
			}
		}
	})
}

// The configurations shipped with the deploy files stay valid as the
// checks grow.
func TestShippedConfigsParse(t *testing.T) {
	for _, p := range []string{"newsflow.yaml", "deploy/compose/newsflow.yaml", "deploy/image/newsflow.yaml"} {
		if _, err := LoadConfig(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
