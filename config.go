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
	// BatchSize is how many messages the store worker commits at once.
	BatchSize int `yaml:"batch_size"`
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
	// Timeout bounds one request, headers and body.
	Timeout Duration `yaml:"timeout"`
	// MaxBodySize is the largest response body read, in bytes.
	MaxBodySize int64 `yaml:"max_body_size"`
	// Retries is how many times a 5xx, 429 or network error is retried.
	Retries int `yaml:"retries"`
	// IgnoreRobots disables robots.txt; meant for one's own sites only.
	IgnoreRobots bool `yaml:"ignore_robots"`
}

// Defaults of the configuration.
const (
	DefaultConfigFile  = "newsflow.yaml"
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

// DecodeConfig decodes a configuration document, refusing unknown keys.
func DecodeConfig(data []byte) (*Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, cleanYAMLError(err)
	}
	return &cfg, nil
}

// cleanYAMLError turns yaml.v3's "field x not found in type y" into a
// message that names the key the way the user wrote it.
func cleanYAMLError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if i := strings.Index(l, "field "); i >= 0 && strings.Contains(l, " not found in type ") {
			name := l[i+len("field "):]
			name = name[:strings.Index(name, " not found in type ")]
			l = l[:i] + "unknown key " + name
		}
		lines = append(lines, l)
	}
	return errors.New(strings.Join(lines, "; "))
}

// Prepare fills defaults and checks every value; ParseConfig calls it, and
// code that builds a Config by hand calls it too.
func (c *Config) Prepare() error {
	if c.DataDir == "" {
		c.DataDir = DefaultDataDir
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
	}
	switch {
	case c.NATS.AckWait < 0:
		return fmt.Errorf("nats.ack_wait: must not be negative")
	case c.NATS.AckWait == 0:
		c.NATS.AckWait = Duration(DefaultAckWait)
	case c.NATS.AckWait.D() < time.Second:
		return fmt.Errorf("nats.ack_wait: %s is shorter than 1s; every delivered message would be sent again and again", c.NATS.AckWait.D())
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
	if c.Store.BatchSize < 0 {
		return fmt.Errorf("store.batch_size: must not be negative")
	}
	if c.Store.BatchSize == 0 {
		c.Store.BatchSize = DefaultBatchSize
	}
	switch c.HTTP.Listen {
	case "":
		c.HTTP.Listen = DefaultHTTPListen
	case "off":
	default:
		if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
			return fmt.Errorf("http.listen: %w", err)
		}
	}
	if c.Crawler.UserAgent == "" {
		c.Crawler.UserAgent = DefaultUserAgent
	}
	if c.Crawler.Timeout < 0 {
		return fmt.Errorf("crawler.timeout: must not be negative")
	}
	if c.Crawler.Timeout == 0 {
		c.Crawler.Timeout = Duration(DefaultTimeout)
	}
	if c.Crawler.MaxBodySize < 0 {
		return fmt.Errorf("crawler.max_body_size: must not be negative")
	}
	if c.Crawler.MaxBodySize == 0 {
		c.Crawler.MaxBodySize = DefaultMaxBodySize
	}
	if c.Crawler.Retries < 0 || c.Crawler.Retries > 10 {
		return fmt.Errorf("crawler.retries: %d is outside 0..10", c.Crawler.Retries)
	}
	if c.Crawler.Retries == 0 {
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
		return fmt.Errorf("line %d: %q is not a duration (like 1s, 15m, 2h)", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }
