package newsflow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the content of newsflow.yaml.
type Config struct {
	// DataDir holds the embedded NATS server's storage and the SQLite file.
	DataDir string        `yaml:"data_dir"`
	NATS    NATSConfig    `yaml:"nats"`
	Store   StoreConfig   `yaml:"store"`
	HTTP    HTTPConfig    `yaml:"http"`
	Crawler CrawlerConfig `yaml:"crawler"`
	Sources []Source      `yaml:"sources"`
	// NearDuplicates says how near copies of articles are recognised.
	NearDuplicates NearDuplicateConfig `yaml:"near_duplicates"`
	// Archive says whether fetched pages are kept for re-extraction.
	Archive ArchiveConfig `yaml:"archive"`
}

// NATSConfig says which NATS server carries the frontier and the articles.
type NATSConfig struct {
	// URL of an external NATS server or cluster; empty runs one in-process.
	URL string `yaml:"url"`
	// Listen makes the embedded server accept clients on this address
	// ("127.0.0.1:4222"); empty keeps it in-process only.
	Listen string `yaml:"listen"`
	// Creds is a NATS credentials file for the external server.
	Creds string `yaml:"creds"`
	// Namespace prefixes every stream, consumer's stream, bucket and
	// subject newsflow makes (default "newsflow", which keeps the plain
	// names NEWS, FRONTIER, DEAD and news.article.<source>), so that two
	// deployments share one NATS server without seeing each other.
	Namespace string `yaml:"namespace,omitempty"`
	// Replicas is the replication factor of the streams on a cluster.
	Replicas int `yaml:"replicas"`
	// MaxAge is how long the NEWS and DEAD streams keep messages for
	// subscribers to replay (default 30 days); the store keeps articles
	// for good.
	MaxAge Duration `yaml:"max_age"`
	// SeenMaxAge is how long the crawler remembers a URL that discovery
	// no longer finds (default 90 days). It must be at least twice each
	// source's recrawl time plus the longest wait of its schedule, so that
	// a URL still listed is fetched again, and its visit renewed, before
	// the visit runs out.
	SeenMaxAge Duration `yaml:"seen_max_age"`
	// AckWait is how long a fetch task or an article delivered to a
	// process that crashed or lost its connection waits before it is
	// delivered again (default 60s). Work in hand keeps its message alive,
	// however long it takes, so a short value only speeds up recovery.
	AckWait Duration `yaml:"ack_wait"`
}

// StoreConfig says where articles are stored.
type StoreConfig struct {
	// Driver is "sqlite" (default) or "postgres".
	Driver string `yaml:"driver"`
	// DSN is the SQLite file path or the PostgreSQL connection string;
	// for sqlite it defaults to <data_dir>/newsflow.db.
	DSN string `yaml:"dsn"`
	// BatchSize is how many messages the store worker commits at once
	// (1..10000).
	BatchSize int `yaml:"batch_size,omitempty"`
	// Schema is the PostgreSQL schema that holds the tables (default
	// public), so that two deployments can share one database.
	Schema string `yaml:"schema,omitempty"`
}

// HTTPConfig configures the operator endpoint (/metrics, /healthz).
type HTTPConfig struct {
	// Listen is the address of /metrics and /healthz; "" or "off" disables it.
	Listen string `yaml:"listen"`
}

// CrawlerConfig holds what applies to every source's fetches.
type CrawlerConfig struct {
	UserAgent string `yaml:"user_agent"`
	// AllowPrivateNetworks lets the crawler fetch loopback, private and
	// link-local addresses; off by default so that a page cannot steer the
	// crawler into internal networks.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// Timeout bounds one request, headers and body (1s..10m).
	Timeout Duration `yaml:"timeout,omitempty"`
	// MaxBodySize is the largest response body read, in bytes.
	MaxBodySize int64 `yaml:"max_body_size,omitempty"`
	// Retries is how many times a 5xx, 429 or network error is retried
	// (0..10; an explicit 0 means no retry, an absent key 3).
	Retries int `yaml:"retries,omitempty"`
	// IgnoreRobots disables robots.txt; meant for one's own sites only.
	IgnoreRobots bool `yaml:"ignore_robots"`

	// set holds the keys given in the YAML document, so that an explicit
	// 0 is kept rather than replaced by the default.
	set map[string]bool
}

var (
	pgSchema         = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)
	namespacePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)
)

// Defaults of the configuration.
const (
	DefaultConfigFile  = "newsflow.yaml"
	DefaultNamespace   = "newsflow"
	DefaultDataDir     = "data"
	DefaultHTTPListen  = "127.0.0.1:8080"
	DefaultUserAgent   = "newsflow/0.1 (+https://github.com/newsflow/newsflow)"
	DefaultTimeout     = 30 * time.Second
	DefaultMaxBodySize = 10 << 20
	DefaultRetries     = 3
	DefaultBatchSize   = 100
	DefaultStreamAge   = 30 * 24 * time.Hour
	DefaultSeenAge     = 90 * 24 * time.Hour
	DefaultAckWait     = time.Minute
)

// LoadConfig reads and checks a configuration file. Unknown keys and bad
// values are errors that name the key.
func LoadConfig(path string) (*Config, error) {
	cfg, err := ReadConfig(path)
	if err != nil {
		return nil, err
	}
	if err := cfg.Prepare(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// ReadConfig decodes a configuration file without filling defaults, so a
// caller can override values (such as --data-dir) before Prepare.
func ReadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := DecodeConfig(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig decodes and checks a configuration document.
func ParseConfig(data []byte) (*Config, error) {
	cfg, err := DecodeConfig(data)
	if err != nil {
		return nil, err
	}
	if err := cfg.Prepare(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// DecodeConfig decodes a configuration document, refusing unknown keys, a
// second document in the same file, and values of the wrong type (each
// error names the key path, such as sources[2].delay).
func DecodeConfig(data []byte) (*Config, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return &Config{}, nil
		}
		return nil, cleanYAMLError(err, nil)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, cleanYAMLError(err, nil)
		}
		return nil, fmt.Errorf("line %d: a second YAML document (after ---); newsflow reads one document per file: merge them or remove the ---", extra.Line)
	}
	paths := map[int]string{}
	keyPaths(&root, "", paths)
	var cfg Config
	dec = yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, cleanYAMLError(err, paths)
	}
	cfg.markSet(&root)
	return &cfg, nil
}

// keyPaths records, by line, the key path of each value in the document
// ("sources[2].delay"), so that an error that names a line can name the
// key.
func keyPaths(n *yaml.Node, path string, out map[int]string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			keyPaths(c, path, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if _, ok := out[k.Line]; !ok || v.Kind == yaml.ScalarNode {
				out[k.Line] = p
			}
			keyPaths(v, p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if _, ok := out[c.Line]; !ok && c.Kind == yaml.ScalarNode {
				out[c.Line] = p
			}
			keyPaths(c, p, out)
		}
	}
}

// mappingKeys returns the keys of a mapping node.
func mappingKeys(n *yaml.Node) map[string]bool {
	keys := map[string]bool{}
	if n == nil || n.Kind != yaml.MappingNode {
		return keys
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys[n.Content[i].Value] = true
	}
	return keys
}

// child returns the value of key in a mapping node, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// markSet records which keys the document gave, for the sections whose
// explicit 0 means something.
func (c *Config) markSet(root *yaml.Node) {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	c.Crawler.set = mappingKeys(child(root, "crawler"))
	if seq := child(root, "sources"); seq != nil && seq.Kind == yaml.SequenceNode {
		for i, n := range seq.Content {
			if i < len(c.Sources) {
				c.Sources[i].set = mappingKeys(n)
			}
		}
	}
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// cleanYAMLError turns yaml.v3's "field x not found in type y" into a
// message that names the key the way the user wrote it, and adds the key
// path to errors that name only a line.
func cleanYAMLError(err error, paths map[int]string) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(msg, "yaml: ")
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if i := strings.Index(l, "field "); i >= 0 && strings.Contains(l, " not found in type ") {
			name := l[i+len("field "):]
			name = name[:strings.Index(name, " not found in type ")]
			l = l[:i] + "unknown key " + name
		} else if m := yamlLine.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			if p, ok := paths[n]; ok {
				l = p + ": " + l[len(m[0]):] + " (line " + m[1] + ")"
			}
		}
		lines = append(lines, l)
	}
	return errors.New(strings.Join(lines, "; "))
}

// systemDirs are folders a data dir must not be: newsflow writes and, in
// demo mode, removes what it finds in its data dir.
var systemDirs = map[string]bool{
	"/": true, "/bin": true, "/boot": true, "/dev": true, "/etc": true, "/home": true, "/lib": true,
	"/lib32": true, "/lib64": true, "/media": true, "/mnt": true, "/opt": true, "/proc": true,
	"/root": true, "/run": true, "/sbin": true, "/srv": true, "/sys": true, "/tmp": true,
	"/usr": true, "/var": true, "/var/lib": true, "/var/tmp": true, "/var/log": true,
}

// systemTrees are folders no data dir may be inside.
var systemTrees = []string{"/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys", "/usr"}

// checkDataDir refuses a data dir that is the root, a system folder or a
// home directory itself.
func checkDataDir(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("data_dir: %w", err)
	}
	if systemDirs[abs] {
		return fmt.Errorf("data_dir: %q is a system folder; give a folder of newsflow's own, such as /var/lib/newsflow or ./data", dir)
	}
	for _, t := range systemTrees {
		if strings.HasPrefix(abs, t+"/") {
			return fmt.Errorf("data_dir: %q is inside the system folder %s; give a folder of newsflow's own, such as /var/lib/newsflow or ./data", dir, t)
		}
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" && filepath.Clean(home) == abs {
		return fmt.Errorf("data_dir: %q is a home directory; give a folder of newsflow's own inside it, such as %s", dir, filepath.Join(home, "newsflow-data"))
	}
	return nil
}

// checkDuration checks a duration key against its range.
func checkDuration(key string, d Duration, lo, hi time.Duration) error {
	if d.D() < lo || d.D() > hi {
		return fmt.Errorf("%s: %s is outside %s..%s", key, d.D(), fmtDuration(lo), fmtDuration(hi))
	}
	return nil
}

// fmtDuration writes days as days, which time.Duration does not.
func fmtDuration(d time.Duration) string {
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// checkInt checks an integer key against its range.
func checkInt(key string, v, lo, hi int64) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s: %d is outside %d..%d", key, v, lo, hi)
	}
	return nil
}

// Ranges of the configuration's values; README lists them.
const (
	MaxBatchSize   = 10000
	MaxDelay       = time.Hour
	MinTimeout     = time.Second
	MaxTimeout     = 10 * time.Minute
	MaxRetries     = 10
	MaxBodyLimit   = 1 << 30
	MaxStreamAge   = 10 * 365 * 24 * time.Hour
	MaxAckWait     = 12 * time.Hour
	MaxMaxDepth    = 100
	MaxMaxArticles = 1000000
	MinRecrawl     = time.Minute
	MaxRecrawl     = 365 * 24 * time.Hour
)

// Prepare fills defaults and checks every value; ParseConfig calls it, and
// code that builds a Config by hand calls it too.
func (c *Config) Prepare() error {
	if c.DataDir == "" {
		c.DataDir = DefaultDataDir
	}
	if err := checkDataDir(c.DataDir); err != nil {
		return err
	}
	if c.NATS.URL != "" {
		for _, u := range strings.Split(c.NATS.URL, ",") {
			pu, err := url.Parse(strings.TrimSpace(u))
			if err != nil || pu.Host == "" {
				return fmt.Errorf("nats.url: %q is not a server URL (nats://host:port)", u)
			}
		}
		if c.NATS.Listen != "" {
			return fmt.Errorf("nats.listen: only for the embedded server; remove it or nats.url")
		}
	}
	if c.NATS.Listen != "" {
		if _, _, err := net.SplitHostPort(c.NATS.Listen); err != nil {
			return fmt.Errorf("nats.listen: %w", err)
		}
	}
	if c.NATS.Namespace == "" {
		c.NATS.Namespace = DefaultNamespace
	}
	if !namespacePattern.MatchString(c.NATS.Namespace) {
		return fmt.Errorf("nats.namespace: %q must be 1-32 lower-case letters, digits, '_' or '-', starting with a letter", c.NATS.Namespace)
	}
	if c.NATS.Replicas < 0 || c.NATS.Replicas > 5 {
		return fmt.Errorf("nats.replicas: %d is outside 1..5", c.NATS.Replicas)
	}
	if c.NATS.Replicas == 0 {
		c.NATS.Replicas = 1
	}
	switch {
	case c.NATS.MaxAge < 0:
		return fmt.Errorf("nats.max_age: must not be negative")
	case c.NATS.MaxAge == 0:
		c.NATS.MaxAge = Duration(DefaultStreamAge)
	case c.NATS.MaxAge.D() < 10*time.Minute:
		return fmt.Errorf("nats.max_age: %s is shorter than the 10m a subscriber needs to catch up", c.NATS.MaxAge.D())
	case c.NATS.MaxAge.D() > MaxStreamAge:
		return fmt.Errorf("nats.max_age: %s is longer than %s", c.NATS.MaxAge.D(), fmtDuration(MaxStreamAge))
	}
	switch {
	case c.NATS.AckWait < 0:
		return fmt.Errorf("nats.ack_wait: must not be negative")
	case c.NATS.AckWait == 0:
		c.NATS.AckWait = Duration(DefaultAckWait)
	case c.NATS.AckWait.D() < time.Second:
		return fmt.Errorf("nats.ack_wait: %s is shorter than 1s; every delivered message would be sent again and again", c.NATS.AckWait.D())
	case c.NATS.AckWait.D() > MaxAckWait:
		return fmt.Errorf("nats.ack_wait: %s is longer than %s", c.NATS.AckWait.D(), MaxAckWait)
	}
	switch c.Store.Driver {
	case "":
		c.Store.Driver = "sqlite"
	case "sqlite", "postgres":
	default:
		return fmt.Errorf("store.driver: %q is not one of sqlite, postgres", c.Store.Driver)
	}
	if c.Store.DSN == "" {
		if c.Store.Driver == "postgres" {
			return fmt.Errorf("store.dsn: required for the postgres driver")
		}
		c.Store.DSN = filepath.Join(c.DataDir, "newsflow.db")
	}
	if c.Store.BatchSize == 0 {
		c.Store.BatchSize = DefaultBatchSize
	}
	if err := checkInt("store.batch_size", int64(c.Store.BatchSize), 1, MaxBatchSize); err != nil {
		return err
	}
	if c.Store.Schema != "" {
		if c.Store.Driver != "postgres" {
			return fmt.Errorf("store.schema: only for the postgres driver")
		}
		if !pgSchema.MatchString(c.Store.Schema) {
			return fmt.Errorf("store.schema: %q must be 1-63 lower-case letters, digits or '_', starting with a letter or '_'", c.Store.Schema)
		}
	}
	switch c.HTTP.Listen {
	case "":
		c.HTTP.Listen = DefaultHTTPListen
	case "off":
	default:
		_, port, err := net.SplitHostPort(c.HTTP.Listen)
		if err != nil {
			return fmt.Errorf("http.listen: %w", err)
		}
		if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return fmt.Errorf("http.listen: port %q is not a number in 0..65535", port)
		}
	}
	if c.Crawler.UserAgent == "" {
		c.Crawler.UserAgent = DefaultUserAgent
	}
	if c.Crawler.Timeout == 0 && !c.Crawler.set["timeout"] {
		c.Crawler.Timeout = Duration(DefaultTimeout)
	}
	if err := checkDuration("crawler.timeout", c.Crawler.Timeout, MinTimeout, MaxTimeout); err != nil {
		return err
	}
	if c.Crawler.MaxBodySize == 0 && !c.Crawler.set["max_body_size"] {
		c.Crawler.MaxBodySize = DefaultMaxBodySize
	}
	if err := checkInt("crawler.max_body_size", c.Crawler.MaxBodySize, 1024, MaxBodyLimit); err != nil {
		return err
	}
	if err := checkInt("crawler.retries", int64(c.Crawler.Retries), 0, MaxRetries); err != nil {
		return err
	}
	if c.Crawler.Retries == 0 && !c.Crawler.set["retries"] {
		c.Crawler.Retries = DefaultRetries
	}
	if err := c.NearDuplicates.prepare(); err != nil {
		return err
	}
	if err := c.Archive.prepare(c.DataDir); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		if err := c.Sources[i].prepare(key); err != nil {
			return err
		}
		if seen[c.Sources[i].Name] {
			return fmt.Errorf("%s.name: %q is listed twice", key, c.Sources[i].Name)
		}
		seen[c.Sources[i].Name] = true
	}
	switch {
	case c.NATS.SeenMaxAge < 0:
		return fmt.Errorf("nats.seen_max_age: must not be negative")
	case c.NATS.SeenMaxAge == 0:
		c.NATS.SeenMaxAge = Duration(DefaultSeenAge)
	case c.NATS.SeenMaxAge.D() > MaxStreamAge:
		return fmt.Errorf("nats.seen_max_age: %s is longer than %s", c.NATS.SeenMaxAge.D(), fmtDuration(MaxStreamAge))
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		// A URL still listed is fetched again, and its visit renewed, at
		// the first round after its recrawl time: within recrawl plus the
		// longest wait between two rounds.
		renewal := s.Recrawl.D() + s.longestWait(time.Now())
		if c.NATS.SeenMaxAge.D() < 2*renewal {
			return fmt.Errorf("nats.seen_max_age: %s is shorter than twice sources[%d].recrawl plus the longest wait of its schedule (%s): a URL still listed would be forgotten, fetched and published again",
				c.NATS.SeenMaxAge.D(), i, renewal)
		}
	}
	return nil
}

// Source returns the source of that name, or nil.
func (c *Config) Source(name string) *Source {
	for i := range c.Sources {
		if c.Sources[i].Name == name {
			return &c.Sources[i]
		}
	}
	return nil
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// Duration is a time.Duration written in YAML as "1s", "15m" or "2h30m".
type Duration time.Duration

// UnmarshalYAML parses a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (like 0s, 1s, 15m, 2h)", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }
