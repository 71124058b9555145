package bus

import (
	"log/slog"
	"time"
)

// Defaults of Options and ConsumerConfig.
const (
	DefaultDuplicateWindow         = 2 * time.Minute
	DefaultFrontierDuplicateWindow = time.Hour
	DefaultAckWait                 = 60 * time.Second
	DefaultMaxDeliver              = 5
	DefaultMaxAckPending           = 1000
	// DefaultFrontierMaxAge is how long a fetch task may wait on FRONTIER:
	// far longer than its retries take (1, 4, 16 and 60 minutes) and than
	// a round's backlog, so that only a task no consumer will deliver (a
	// server crash can leave acknowledged tasks behind) ages out; discovery
	// queues anything still wanted again.
	DefaultFrontierMaxAge = 24 * time.Hour
)

// Options say which NATS server to use and how to set it up.
type Options struct {
	// URL of external server(s), comma separated; "" starts an embedded server.
	URL string
	// Listen makes the embedded server accept TCP clients on "host:port"
	// (port 0 picks a free one); "" keeps it in-process only.
	Listen string
	// DataDir is where the embedded server keeps JetStream storage.
	DataDir string
	// Creds is a credentials file for the external server.
	Creds string
	// Replicas is the replication factor of streams and bucket (default 1).
	Replicas int
	// Name is the client connection name shown by the server.
	Name string
	// Logger receives connection events; nil uses slog.Default().
	Logger *slog.Logger
	// DuplicateWindow is how long NEWS remembers Nats-Msg-Id values
	// (default 2m): a retried publish inside it is stored once.
	DuplicateWindow time.Duration
	// MaxAge is how long NEWS and DEAD keep a message for replay; zero
	// keeps them until deleted. The store keeps every article regardless.
	MaxAge time.Duration
	// FrontierDuplicateWindow is how long FRONTIER remembers queued URLs
	// (default 1h): the same URL queued twice inside it is one task.
	FrontierDuplicateWindow time.Duration
	// FrontierMaxAge is how long FRONTIER keeps a task that was never
	// acknowledged (default DefaultFrontierMaxAge).
	FrontierMaxAge time.Duration
	// SeenMaxAge is how long the seen bucket keeps a URL's visit after it
	// was last written; zero keeps visits until deleted. A URL still found
	// by discovery is written again at each recrawl, so only URLs that
	// dropped out of every feed and sitemap age out.
	SeenMaxAge time.Duration
	// AckWait is the ack wait of the pipeline's consumers (default 60s):
	// how long a message delivered to a process that crashed or lost its
	// connection waits before it is delivered again.
	AckWait time.Duration
	// Namespace prefixes every stream, bucket and subject (default
	// DefaultNamespace, whose names are unprefixed); see NamesOf.
	Namespace string
	// ReadOnly looks the streams and buckets up instead of creating or
	// updating them; Open fails when one is missing. Commands that only
	// read (status, tail) use it.
	ReadOnly bool
}

func (o *Options) defaults() {
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.Namespace == "" {
		o.Namespace = DefaultNamespace
	}
	if o.Name == "" {
		o.Name = "newsflow"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = DefaultDuplicateWindow
	}
	if o.AckWait <= 0 {
		o.AckWait = DefaultAckWait
	}
	if o.FrontierDuplicateWindow <= 0 {
		o.FrontierDuplicateWindow = DefaultFrontierDuplicateWindow
	}
	if o.FrontierMaxAge <= 0 {
		o.FrontierMaxAge = DefaultFrontierMaxAge
	}
	// JetStream refuses a duplicate window longer than the stream's age.
	o.FrontierDuplicateWindow = min(o.FrontierDuplicateWindow, o.FrontierMaxAge)
}
