// Package app wires newsflow's stages together: discovery and fetching
// (crawler), extraction (extractor), the NATS bus and the store worker
// (store). It is the one place that knows all of them; each subcommand
// builds an App and runs the roles it needs.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/archive"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/crawler"
	"github.com/newsflow/newsflow/extractor"
	"github.com/newsflow/newsflow/internal/metrics"
	"github.com/newsflow/newsflow/neardup"
	"github.com/newsflow/newsflow/store"
	"github.com/newsflow/newsflow/store/postgres"
	"github.com/newsflow/newsflow/store/sqlite"
)

// App holds the open connections of one newsflow process.
type App struct {
	Config  *newsflow.Config
	Log     *slog.Logger
	Bus     *bus.Bus
	Store   store.Store // nil unless opened with WithStore
	Metrics *metrics.Pipeline

	fetcher    *crawler.Fetcher
	discoverer *crawler.Discoverer
	// sites holds the template memory of each source that learns one;
	// sitesSaved, by source, how many pages it had recorded when loaded or
	// last saved.
	sites      map[string]*extractor.SiteMemory
	sitesSaved sync.Map
	// discoverySaved holds, by source, a hash of the remembered feeds and
	// sitemaps as loaded or last saved.
	discoverySaved sync.Map
	// nearDup recognises near copies among the articles of every crawler;
	// nil when near_duplicates.enabled is false.
	nearDup *neardup.Index
	// archive keeps fetched pages when archive.enabled is set.
	archive *archive.Writer
	uploads sync.WaitGroup // archive files on their way to the object store
	// rounds holds, by source name, the *round of its current crawl;
	// lastResults the result of its last round that ended.
	rounds      sync.Map
	lastResults sync.Map
	lock        *DataLock
	serveOnce   sync.Once
	// canary watches what each source's pages look like.
	canary *canaries
	// readOnly says the bus was opened only to look.
	readOnly bool
	// statsMu orders flushes of the pipeline's counts and their reads;
	// statsStop stops the background flush (see stats.go).
	statsMu   sync.Mutex
	statsStop func()
	// hist is the dashboard's history, kept while the endpoint serves.
	hist     history
	histOnce sync.Once
}

// Need says which parts a command needs.
type Need struct {
	Bus     bool
	Store   bool
	Crawler bool
	// ReadOnly opens the bus without creating or updating any stream,
	// consumer or bucket, for commands that only look (status, tail).
	ReadOnly bool
	// Lock is the data dir's lock when the caller took it already; Open
	// then uses it, and Close releases it.
	Lock *DataLock
	// BusWait is how long Open waits, with backoff, for an external NATS
	// server or cluster that does not answer yet, as pipeline roles
	// started beside it should: 0 does not wait (commands that only look
	// fail at once), ForEver waits until ctx ends (services).
	BusWait time.Duration
}

// Open connects what a command needs. With an embedded NATS server the data
// directory is locked, so that two processes never share one JetStream
// store.
func Open(ctx context.Context, cfg *newsflow.Config, log *slog.Logger, need Need) (*App, error) {
	a := &App{Config: cfg, Log: log, Metrics: metrics.New(), readOnly: need.ReadOnly}
	if !need.ReadOnly {
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
	}
	if need.Bus {
		if cfg.NATS.URL == "" {
			lock := need.Lock
			if lock == nil {
				var err error
				if lock, err = LockDataDir(cfg.DataDir); err != nil {
					return nil, err
				}
			}
			a.lock = lock
		}
		b, err := openBus(ctx, log, need.BusWait, bus.Options{
			URL:        cfg.NATS.URL,
			Listen:     cfg.NATS.Listen,
			DataDir:    filepath.Join(cfg.DataDir, "nats"),
			Creds:      cfg.NATS.Creds,
			Namespace:  cfg.NATS.Namespace,
			Replicas:   cfg.NATS.Replicas,
			MaxAge:     cfg.NATS.MaxAge.D(),
			SeenMaxAge: cfg.NATS.SeenMaxAge.D(),
			AckWait:    cfg.NATS.AckWait.D(),
			Name:       "newsflow",
			Logger:     log,
			ReadOnly:   need.ReadOnly,
		})
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("nats: %w", err)
		}
		a.Bus = b
		if !need.ReadOnly {
			a.startStats()
		}
	}
	if need.Store {
		open := OpenStore
		if need.ReadOnly {
			open = OpenStoreReadOnly
		}
		s, err := open(ctx, cfg.Store)
		if err != nil {
			a.Close()
			return nil, err
		}
		a.Store = s
	}
	if need.Crawler {
		fc := crawler.ConfigFrom(cfg.Crawler, log)
		fc.DeferRedirects = true
		fc.HostLimits = crawler.HostLimitsOf(cfg.Sources)
		f, err := crawler.NewFetcher(fc)
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("crawler: %w", err)
		}
		a.fetcher = f
		if err := a.openArchive(); err != nil {
			a.Close()
			return nil, fmt.Errorf("archive: %w", err)
		}
		a.discoverer = &crawler.Discoverer{Fetcher: f, Logger: log}
		a.sites = map[string]*extractor.SiteMemory{}
		for _, src := range cfg.Sources {
			if !src.Extract.KeepRepeated {
				a.sites[src.Name] = extractor.NewSiteMemory(0)
			}
		}
		a.canary = newCanaries()
		if a.Bus != nil {
			a.loadSiteMemories(ctx)
			a.loadDiscoveries(ctx)
			a.loadCanaries(ctx)
			if err := a.openNearDup(ctx); err != nil {
				a.Close()
				return nil, fmt.Errorf("near duplicates: %w", err)
			}
		}
	}
	return a, nil
}

// OpenStore opens the configured store backend.
func OpenStore(ctx context.Context, c newsflow.StoreConfig) (store.Store, error) {
	switch c.Driver {
	case "sqlite":
		s, err := sqlite.Open(ctx, c.DSN)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		return s, nil
	case "postgres":
		s, err := postgres.OpenSchema(ctx, c.DSN, c.Schema)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("store.driver: unknown driver %q", c.Driver)
}

// OpenStoreReadOnly opens the configured store for a command that only
// reads: an SQLite file must exist, and a PostgreSQL database must hold
// newsflow's tables already; nothing is created.
func OpenStoreReadOnly(ctx context.Context, c newsflow.StoreConfig) (store.Store, error) {
	switch c.Driver {
	case "sqlite":
		if _, err := os.Stat(strings.TrimPrefix(c.DSN, "file:")); err != nil {
			return nil, fmt.Errorf("store: no newsflow store at %s: give the --data-dir of a pipeline that has run (or store.dsn)", c.DSN)
		}
		return OpenStore(ctx, c)
	case "postgres":
		s, err := postgres.OpenExisting(ctx, c.DSN, c.Schema)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("store.driver: unknown driver %q", c.Driver)
}

// Close flushes this process's counts to the pipeline's, closes the store
// and the bus, in that order, and releases the data directory.
func (a *App) Close() error {
	var errs []error
	a.stopStats()
	errs = append(errs, a.closeArchive())
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
		a.Store = nil
	}
	if a.Bus != nil {
		errs = append(errs, a.Bus.Close())
		a.Bus = nil
	}
	if a.lock != nil {
		a.lock.Unlock()
		a.lock = nil
	}
	return errors.Join(errs...)
}
