package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Bus is a connection to NATS JetStream with the pipeline's streams and
// bucket in place, and the embedded server when it runs one.
type Bus struct {
	opts  Options
	names Names
	log   *slog.Logger
	ns    *server.Server
	nc    *nats.Conn
	js    jetstream.JetStream
	seen  jetstream.KeyValue
	state jetstream.ObjectStore

	fpMu sync.Mutex // guards fp, made on first use
	fp   *KV

	statsMu sync.Mutex // guards stats, made on first use
	stats   jetstream.KeyValue

	// life ends when the bus is closed, and with it what follows the
	// bus in the background.
	life     context.Context
	lifeStop context.CancelFunc
}

// Open starts the embedded server when o.URL is empty, connects, and creates
// or updates the streams and the bucket. The first connection must succeed;
// after it the client reconnects forever, logging disconnects and
// reconnects.
func Open(ctx context.Context, o Options) (*Bus, error) {
	o.defaults()
	if err := CheckNamespace(o.Namespace); err != nil {
		return nil, fmt.Errorf("bus: namespace: %w", err)
	}
	b := &Bus{opts: o, names: NamesOf(o.Namespace), log: o.Logger.With("component", "bus", "namespace", o.Namespace)}
	b.life, b.lifeStop = context.WithCancel(context.Background())
	copts := []nats.Option{
		nats.Name(o.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				b.log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			b.log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted())
		}),
		nats.ClosedHandler(func(*nats.Conn) { b.log.Debug("nats connection closed") }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			b.log.Error("nats async error", "subject", subject, "err", err)
		}),
	}
	url := o.URL
	if url != "" && o.Listen != "" {
		return nil, errors.New("bus: Listen is for the embedded server only; set URL or Listen, not both")
	}
	if url == "" {
		ns, err := startServer(o.DataDir, o.Listen, b.log)
		if err != nil {
			return nil, fmt.Errorf("bus: start embedded server: %w", err)
		}
		b.ns = ns
		// This process talks to its own server in-process even when the
		// server also listens for others.
		copts = append(copts, nats.InProcessServer(ns))
	} else if o.Creds != "" {
		copts = append(copts, nats.UserCredentials(o.Creds))
	}
	nc, err := nats.Connect(url, copts...)
	if err != nil {
		b.shutdownServer()
		return nil, fmt.Errorf("bus: connect %s: %w", redact(url), err)
	}
	b.nc = nc
	js, err := jetstream.New(nc)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	b.js = js
	if err := b.setup(ctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("bus: %w", err)
	}
	return b, nil
}

// Close drains the connection (pending acks and publishes go out), then
// shuts down the embedded server and waits for it.
func (b *Bus) Close() error {
	b.lifeStop()
	var err error
	if b.nc != nil && !b.nc.IsClosed() {
		closed := make(chan struct{})
		b.nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
		if derr := b.nc.Drain(); derr != nil {
			b.nc.Close()
		} else {
			select {
			case <-closed:
			case <-time.After(30 * time.Second):
				b.nc.Close()
				err = errors.New("bus: drain timed out")
			}
		}
	}
	b.shutdownServer()
	return err
}

func (b *Bus) shutdownServer() {
	if b.ns != nil {
		b.ns.Shutdown()
		b.ns.WaitForShutdown()
	}
}

// Context ends when the bus is closed: work that follows the bus in the
// background (a watch) runs under it.
func (b *Bus) Context() context.Context { return b.life }

// ClientURL returns the URL other processes can use to reach the server
// this bus uses: the embedded server's listen URL, the external URL, or ""
// when the embedded server is in-process only.
func (b *Bus) ClientURL() string {
	if b.ns != nil {
		if b.opts.Listen == "" {
			return ""
		}
		return b.ns.ClientURL()
	}
	return b.opts.URL
}

// Embedded reports whether this bus runs its own server.
func (b *Bus) Embedded() bool { return b.ns != nil }

// redact hides user information in a URL list for logs and errors.
func redact(url string) string {
	if url == "" {
		return "in-process server"
	}
	if i, j := strings.Index(url, "://"), strings.LastIndex(url, "@"); i >= 0 && j > i {
		return url[:i+3] + "***" + url[j:]
	}
	return url
}
