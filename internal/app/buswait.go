package app

import (
	"context"
	"errors"
	"log/slog"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/newsflow/newsflow/bus"
)

// Waiting for a NATS server or cluster that does not answer yet: how long
// in all, and the longest pause between two tries (the first is half a
// second, doubled each time).
const (
	busWaitLimit = DefaultOutageLimit
	busWaitMax   = 15 * time.Second
)

// openBus opens the bus. With wait, an external server or cluster that is not ready
// yet (refusing connections, or JetStream not answering while a cluster
// forms) is waited for with backoff, up to busWaitLimit, saying so once
// and once more when it answers; any other error is returned at once.
func openBus(ctx context.Context, log *slog.Logger, wait bool, o bus.Options) (*bus.Bus, error) {
	if o.URL == "" || !wait {
		return bus.Open(ctx, o)
	}
	start := time.Now()
	pause := 500 * time.Millisecond
	warned := false
	for {
		b, err := bus.Open(ctx, o)
		if err == nil {
			if warned {
				log.Info("NATS answers; going on", "after", time.Since(start).Round(time.Millisecond))
			}
			return b, nil
		}
		if ctx.Err() != nil || !busNotReady(err) || time.Since(start)+pause > busWaitLimit {
			return nil, err
		}
		if !warned {
			log.Warn("NATS does not answer yet; waiting", "err", err, "up_to", busWaitLimit)
			warned = true
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
		pause = min(2*pause, busWaitMax)
	}
}

// busNotReady reports the errors of a server that is down or starting.
func busNotReady(err error) bool {
	return bus.Unavailable(err) || errors.Is(err, nats.ErrNoServers) || errors.Is(err, syscall.ECONNREFUSED)
}
