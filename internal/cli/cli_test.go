package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"gopkg.in/yaml.v3"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/internal/fixture"
	"github.com/newsflow/newsflow/internal/testutil"
	"github.com/newsflow/newsflow/store/postgres"
	"github.com/newsflow/newsflow/store/sqlite"
)

// run runs a command in-process and returns its exit status and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := Main(ctx, args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	if code, out, _ := run(t, "", "help"); code != 0 || !strings.Contains(out, "extract") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, _, _ := run(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "run", "--no-such-flag"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("sources:\n  - name: x\n    feeds: [https://x.example/f]\n    parallelism: -3\n"), 0o644)
	code, _, errOut := run(t, "", "run", "--once", "--config", bad)
	if code != 2 || !strings.Contains(errOut, "sources[0].parallelism") {
		t.Errorf("bad config: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "run", "--config", filepath.Join(t.TempDir(), "missing.yaml")); code != 2 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing config: exit %d, %q", code, errOut)
	}
}

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	page := `<!doctype html><html lang="en"><head><title>Harbour reopens after storm | Coast News</title>
<meta property="og:title" content="Harbour reopens after storm"><meta name="author" content="Ana Lima">
<meta property="article:published_time" content="2024-05-02T08:00:00+02:00"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Thursday morning after three days of closure, as crews cleared the debris the storm had left along the quays.</p>
<p>Fishing boats were the first to leave, followed by the ferry to the islands, which had been cancelled since Monday evening.</p>
<p>The port authority said repairs to the northern breakwater would take several weeks and cost more than two million euros.</p>
</article><aside><h3>Popular Now</h3><ul><li><a href="/a">Other story one</a></li><li><a href="/b">Other story two</a></li></ul></aside>
<footer>Copyright Coast News</footer></body></html>`
	os.WriteFile(filepath.Join(dir, "a.html"), []byte(page), 0o644)
	code, out, errOut := run(t, page, "extract", "--url", "https://coast.example/news/harbour", filepath.Join(dir, "a.html"), "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d: %s", len(lines), out)
	}
	for i, l := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"file", "schema", "id", "url", "title", "authors", "published_at", "language", "text", "word_count", "content_hash"} {
			if _, ok := got[k]; !ok {
				t.Errorf("line %d lacks %q", i, k)
			}
		}
		text, _ := got["text"].(string)
		if !strings.Contains(text, "three days of closure") || strings.Contains(text, "Popular Now") || strings.Contains(text, "Other story") {
			t.Errorf("line %d text: %q", i, text)
		}
		if got["published_at"] != "2024-05-02T06:00:00Z" || got["title"] != "Harbour reopens after storm" {
			t.Errorf("line %d: published_at %v, title %v", i, got["published_at"], got["title"])
		}
		for _, k := range []string{"published", "modified_at", "fetched_at", "source", "tags"} {
			if _, ok := got[k]; ok {
				t.Errorf("line %d has %q, which the message leaves out when empty", i, k)
			}
		}
	}
	if !strings.HasSuffix(lines[1], "}") || !strings.Contains(lines[1], `"file":"-"`) {
		t.Errorf("stdin line: %s", lines[1])
	}
	code, out, _ = run(t, "", "extract", filepath.Join(dir, "missing.html"))
	if code != 1 || !strings.Contains(out, `"error"`) {
		t.Errorf("missing file: exit %d, %s", code, out)
	}

	// A page that is not an article is flagged with its reason, and still
	// shows what was found on it.
	var front strings.Builder
	front.WriteString(`<html><head><title>World news | Coast News</title></head><body><h1>World</h1>`)
	for i := range 14 {
		fmt.Fprintf(&front, `<div class="card"><h2><a href="/world/story-%d">Storm closes harbour number %d for three days</a></h2></div>`, i, i)
	}
	front.WriteString(`</body></html>`)
	code, out, _ = run(t, front.String(), "extract", "--url", "https://coast.example/world", "-")
	var got map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &got); err != nil {
		t.Fatalf("section front: %v: %s", err, out)
	}
	if code != 1 || got["not_article"] != true || !strings.Contains(fmt.Sprint(got["error"]), "listing page") || !strings.Contains(fmt.Sprint(got["title"]), "World news") {
		t.Errorf("section front: exit %d, %s", code, out)
	}
}

// run --once from a config file, then search and export what it stored.
func TestRunOnceSearchExport(t *testing.T) {
	site, err := fixture.Start(fixture.Options{SlowDelay: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := t.TempDir()
	cfg := newsflow.Config{DataDir: filepath.Join(dir, "data"), Sources: site.Sources()}
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.Crawler.AllowPrivateNetworks = true
	cfg.Crawler.Retries = 1
	doc, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "newsflow.yaml")
	os.WriteFile(path, doc, 0o644)

	code, out, errOut := run(t, "", "run", "--once", "--config", path)
	if code != 0 {
		t.Fatalf("run --once: exit %d\n%s\n%s", code, out, errOut)
	}
	n := len(site.Articles())
	if !strings.Contains(out, "inserted "+itoa(n)) || !strings.Contains(out, "dead-lettered: 1") {
		t.Errorf("summary does not report %d stored and 1 dead letter:\n%s", n, out)
	}
	code, out, _ = run(t, "", "search", "Putin", "--config", path)
	if code != 0 || !strings.Contains(out, "Islamic State Unhappy with Putin") {
		t.Errorf("search: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "export", "--config", path, "--source", "wire")
	if code != 0 {
		t.Fatalf("export: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	wire := 0
	for _, a := range site.Articles() {
		if a.Source == "wire" {
			wire++
		}
	}
	if len(lines) != wire {
		t.Errorf("export --source wire: %d lines, want %d", len(lines), wire)
	}
	var a newsflow.Article
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil || a.Schema != newsflow.Schema || a.Source != "wire" {
		t.Errorf("export line: %v %+v", err, a)
	}
	code, out, _ = run(t, "", "status", "--config", path, "--interval", "0")
	if code != 0 || !strings.Contains(out, "fetch-wire") || !strings.Contains(out, itoa(n)+" articles") {
		t.Errorf("status: exit %d\n%s", code, out)
	}
	// The run has ended: its counts are the pipeline's, read from the bus.
	if !regexp.MustCompile(`(?m)^SOURCE \(pipeline\).*\n(.*\n)*wire\s+\d+\s+\d+\s+[1-9]\d*\s.*\s(ok|partial)\s`).MatchString(out) {
		t.Errorf("status lacks the pipeline's counts of wire:\n%s", out)
	}

	// The JSON outputs: one schema each, snake_case keys.
	camel := regexp.MustCompile(`"[A-Z][a-z]+[A-Za-z]*":`)
	code, out, _ = run(t, "", "status", "--json", "--config", path, "--interval", "0")
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st["schema"] != "newsflow.status/v1" || camel.MatchString(out) {
		t.Errorf("status --json: exit %d, %v\n%s", code, err, out)
	}
	if streams, _ := st["streams"].([]any); len(streams) == 0 || streams[0].(map[string]any)["name"] != "NEWS" {
		t.Errorf("status --json streams: %v", st["streams"])
	}
	code, out, _ = run(t, "", "search", "Putin", "--json", "--config", path)
	var row map[string]json.RawMessage
	first, _, _ := strings.Cut(out, "\n")
	if err := json.Unmarshal([]byte(first), &row); code != 0 || err != nil || len(row) != 3 || row["rank"] == nil || row["snippet"] == nil || camel.MatchString(out) {
		t.Errorf("search --json: exit %d, %v\n%s", code, err, first)
	}
	var art newsflow.Article
	if err := json.Unmarshal(row["article"], &art); err != nil || art.Schema != newsflow.Schema || art.ID == "" {
		t.Errorf("search --json article: %v %+v", err, art)
	}
}

func TestDemoOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, out, errOut := run(t, "", "demo", "--once", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Stored articles:", "Islamic State Unhappy with Putin", "search --data-dir " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// A second demo starts empty again rather than finding nothing new.
	if code, out, _ = run(t, "", "demo", "--once", "--data-dir", dir); code != 0 || !strings.Contains(out, "published 18") {
		t.Errorf("second demo: exit %d\n%s", code, out)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The command line takes flags before and after arguments, knows
// --version, and a bare call is a usage error.
func TestCommandLineGrammar(t *testing.T) {
	if code, out, errOut := run(t, ""); code != ExitUsage || out != "" || !strings.Contains(errOut, "Usage: newsflow COMMAND") {
		t.Errorf("bare newsflow: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, _ := run(t, "", "--version"); code != 0 || !strings.HasPrefix(out, "newsflow ") || !strings.Contains(out, newsflow.Schema) {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	if code, out, _ := run(t, "", "--help"); code != 0 || !strings.Contains(out, "Exit status") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
	cmd, rest := splitCommand([]string{"--data-dir", "d", "search", "putin", "--json"})
	if cmd != "search" || strings.Join(rest, " ") != "--data-dir d putin --json" {
		t.Errorf("splitCommand: %q %q", cmd, rest)
	}
	f := newFlags("search", Env{Stderr: new(bytes.Buffer)})
	f.fs.Int("limit", 10, "")
	f.fs.Bool("json", false, "")
	flags, words := splitQuery([]string{"putin", "--limit", "3", "-ukraine", "--json", "--", "--literal"}, f)
	if strings.Join(flags, " ") != "--limit 3 --json" || strings.Join(words, " ") != "putin -ukraine --literal" {
		t.Errorf("splitQuery: flags %q, words %q", flags, words)
	}
}

// Read-only commands on a data dir that holds no pipeline fail with a clear
// error and create nothing, wherever --data-dir stands on the line.
func TestReadCommandsOnMissingDataDir(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	typo := filepath.Join(root, "newsflow-demoo")
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	for _, args := range [][]string{
		{"search", "putin", "--data-dir", typo},
		{"--data-dir", typo, "search", "putin"},
		{"export", "--data-dir", typo},
		{"status", "--data-dir", typo, "--interval", "0"},
		{"tail", "--data-dir", typo},
		{"search", "putin", "--data-dir", empty},
		{"status", "--data-dir", empty, "--interval", "0"},
		{"export", "--data-dir", empty},
	} {
		code, out, errOut := run(t, "", args...)
		if code != ExitFailed || out != "" || !(strings.Contains(errOut, "does not exist") || strings.Contains(errOut, "no newsflow")) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("the commands made files: %v", entries)
	}
	if got, _ := os.ReadDir(empty); len(got) != 0 {
		t.Errorf("the commands wrote into an empty dir: %v", got)
	}
}

// status --data-dir asks the process that holds that dir, at the address
// it recorded in its lock file, not whatever answers on http.listen.
func TestStatusAsksTheDataDirsOwner(t *testing.T) {
	dir := t.TempDir()
	decoy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"time":"2026-01-01T00:00:00Z","streams":[{"name":"DECOY"}],"consumers":[]}`)
	}))
	defer decoy.Close()
	cfg := &newsflow.Config{DataDir: filepath.Join(dir, "data")}
	cfg.HTTP.Listen = strings.TrimPrefix(decoy.URL, "http://")
	doc, _ := yaml.Marshal(cfg)
	path := filepath.Join(dir, "newsflow.yaml")
	os.WriteFile(path, doc, 0o644)
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), app.Need{Bus: true, Store: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Serve(ctx, "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", "status", "--config", path, "--interval", "0")
	if code != 0 || strings.Contains(out, "DECOY") || !strings.Contains(out, "NEWS") {
		t.Errorf("status of a held data dir: exit %d\n%s\n%s", code, out, errOut)
	}
}

// A run that cannot crawl anything fails before it starts NATS or makes
// a data dir.
func TestRunRefusesBeforeStarting(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	none := filepath.Join(dir, "none.yaml")
	os.WriteFile(none, []byte("data_dir: "+data+"\n"), 0o644)
	one := filepath.Join(dir, "one.yaml")
	os.WriteFile(one, []byte("data_dir: "+data+"\nsources:\n  - name: a\n    feeds: [https://a.example/f]\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--once", "--config", none}, "no sources"},
		{[]string{"crawl", "--config", one, "--source", "nosuch"}, `no source named "nosuch"`},
	} {
		code, out, errOut := run(t, "", c.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
	}
	if _, err := os.Stat(data); err == nil {
		t.Error("the data dir was made")
	}
}

// demo empties only a folder it made, and never one a running process
// holds.
func TestDemoTouchesOnlyItsOwnFolder(t *testing.T) {
	// A real crawl's data dir is refused and left as it was.
	real := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(filepath.Join(real, "nats", "jetstream"), 0o755)
	os.WriteFile(filepath.Join(real, "newsflow.db"), []byte("articles"), 0o644)
	code, _, errOut := run(t, "", "demo", "--once", "--data-dir", real)
	if code != ExitFailed || !strings.Contains(errOut, "was not made by the demo") {
		t.Errorf("demo on a crawl's data dir: exit %d, %q", code, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(real, "newsflow.db")); err != nil || string(b) != "articles" {
		t.Errorf("the crawl's store was touched: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(real, "nats", "jetstream")); err != nil {
		t.Errorf("the crawl's NATS storage was touched: %v", err)
	}

	// A demo folder in use by a running demo is neither wiped nor
	// unlocked.
	dir := filepath.Join(t.TempDir(), "demo")
	lock, err := prepareDemoDir(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	os.WriteFile(filepath.Join(dir, "newsflow.db"), []byte("running"), 0o644)
	code, _, errOut = run(t, "", "demo", "--once", "--data-dir", dir)
	if code != ExitFailed || !strings.Contains(errOut, "in use") {
		t.Errorf("second demo: exit %d, %q", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "newsflow.db")); string(b) != "running" {
		t.Error("the running demo's folder was wiped")
	}
	if _, held, _ := app.ReadLock(dir); !held {
		t.Error("the running demo's lock was removed")
	}
}

// status and tail on a NATS server create nothing there: a namespace that
// was never set up is an error, not a new set of streams.
func TestReadCommandsCreateNoStreams(t *testing.T) {
	host, err := bus.Open(context.Background(), bus.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "newsflow.yaml")
	os.WriteFile(path, []byte("data_dir: "+dir+"\nnats: {url: \""+host.ClientURL()+"\", namespace: fresh}\nstore: {driver: postgres, dsn: \"postgres://127.0.0.1:1/x\"}\n"), 0o644)
	for _, args := range [][]string{{"status", "--interval", "0"}, {"tail", "--all"}, {"--nats", host.ClientURL(), "--namespace", "fresh", "status", "--interval", "0"}} {
		code, _, errOut := run(t, "", append(args, "--config", path)...)
		if code != ExitFailed || !strings.Contains(errOut, "FRESH_") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	nc, err := nats.Connect(host.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	names := js.StreamNames(context.Background())
	n := 0
	for name := range names.Name() {
		n++
		if strings.HasPrefix(name, "FRESH") {
			t.Errorf("a read-only command made stream %s", name)
		}
	}
	if names.Err() != nil || n != 5 {
		t.Errorf("listed %d streams (%v), want the host's 5", n, names.Err())
	}
}

// A once run in which a source failed as a whole exits with status 3.
func TestRunOnceExitsThreeWhenASourceFailed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "newsflow.yaml")
	os.WriteFile(path, []byte("data_dir: "+filepath.Join(dir, "data")+"\nhttp: {listen: \"off\"}\ncrawler: {allow_private_networks: true, retries: 0}\nsources:\n  - name: gone\n    feeds: [\"http://127.0.0.1:1/rss.xml\"]\n"), 0o644)
	code, out, errOut := run(t, "", "run", "--once", "--config", path)
	if code != ExitSourceFailed || !strings.Contains(out, "sources failed: gone") || !strings.Contains(errOut, "source failed as a whole: gone") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// search takes -word as an exclusion, not a flag; a query that cannot mean
// anything is a usage error that says why.
func TestSearchSyntaxOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "newsflow.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"Putin meets Erdogan", "Putin visits Ukraine"} {
		a := &newsflow.Article{URL: "https://e.example/" + itoa(i), Title: title, Text: title + " today."}
		a.Seal("wire", time.Now())
		if _, err := s.Upsert(context.Background(), []*newsflow.Article{a}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	code, out, errOut := run(t, "", "search", "putin", "-ukraine", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Erdogan") || strings.Contains(out, "Ukraine") {
		t.Errorf("search putin -ukraine: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, q := range []string{"-", "putin (", `"putin`} {
		code, _, errOut := run(t, "", "search", q, "--data-dir", dir)
		if code != ExitUsage || !strings.Contains(errOut, "bad search query") || strings.Contains(errOut, "fts5") {
			t.Errorf("search %q: exit %d, %q", q, code, errOut)
		}
	}
}

func TestLogDurationsAreReadable(t *testing.T) {
	var buf bytes.Buffer
	c := newFlags("x", Env{Stderr: &buf})
	log, err := c.logger(Env{Stderr: &buf})
	if err != nil {
		t.Fatal(err)
	}
	log.Info("took", "after", 1500*time.Millisecond)
	if !strings.Contains(buf.String(), `"after":"1.5s"`) {
		t.Errorf("log line: %s", buf.String())
	}
}

// search and export on PostgreSQL read a store a pipeline made, and create
// no schema or table where there is none.
func TestReadCommandsCreateNothingInPostgres(t *testing.T) {
	made := testutil.PostgresSchemaName(t) // skips without PostgreSQL
	dir := t.TempDir()
	missing := made + "_missing"
	write := func(schema string) string {
		p := filepath.Join(dir, schema+".yaml")
		os.WriteFile(p, []byte("data_dir: "+dir+"\nstore: {driver: postgres, dsn: \""+testutil.PostgresDSN()+"\", schema: "+schema+"}\n"), 0o644)
		return p
	}
	for _, args := range [][]string{{"search", "putin"}, {"export"}} {
		code, out, errOut := run(t, "", append(args, "--config", write(missing))...)
		if code != ExitFailed || out != "" || !strings.Contains(errOut, "no newsflow store") {
			t.Errorf("%v on an empty schema: exit %d, %q, %q", args, code, out, errOut)
		}
	}
	db, err := pgx.Connect(context.Background(), testutil.PostgresDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	var n int
	db.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, missing).Scan(&n)
	if n != 0 {
		t.Errorf("schema %s was created", missing)
		db.Exec(context.Background(), `DROP SCHEMA `+missing+` CASCADE`)
	}
	// A store a pipeline made is read.
	s, err := postgres.OpenSchema(context.Background(), testutil.PostgresDSN(), made)
	if err != nil {
		t.Fatal(err)
	}
	a := &newsflow.Article{URL: "https://e.example/1", Title: "Putin meets Erdogan", Text: "Putin met Erdogan."}
	a.Seal("wire", time.Now())
	s.Upsert(context.Background(), []*newsflow.Article{a})
	s.Close()
	if code, out, errOut := run(t, "", "search", "putin", "--config", write(made)); code != 0 || !strings.Contains(out, "Erdogan") {
		t.Errorf("search on a pipeline's schema: exit %d, %q, %q", code, out, errOut)
	}
}

// Another team's stream NEWS on the server (subjects corp.news.>, max age
// 1h): status and run refuse, and leave it as it was.
func TestForeignNEWSUntouched(t *testing.T) {
	host, err := bus.Open(context.Background(), bus.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Namespace: "host", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	nc, err := nats.Connect(host.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "NEWS", Subjects: []string{"corp.news.>"}, MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "newsflow.yaml")
	os.WriteFile(path, []byte("data_dir: "+dir+"\nhttp: {listen: \"off\"}\nsources:\n  - name: a\n    feeds: [\"https://a.example/f\"]\n"), 0o644)
	for _, args := range [][]string{{"status", "--interval", "0"}, {"run", "--once"}} {
		code, _, errOut := run(t, "", append(args, "--config", path, "--nats", host.ClientURL())...)
		if code != ExitFailed {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
		if args[0] == "run" && !strings.Contains(errOut, "stream NEWS exists on the server but newsflow did not make it") {
			t.Errorf("run: %q", errOut)
		}
	}
	s, err := js.Stream(ctx, "NEWS")
	if err != nil {
		t.Fatal(err)
	}
	if c := s.CachedInfo().Config; c.MaxAge != time.Hour || len(c.Subjects) != 1 || c.Subjects[0] != "corp.news.>" {
		t.Errorf("NEWS changed: %v %s", c.Subjects, c.MaxAge)
	}
}
