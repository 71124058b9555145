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

// ForEver is a Need.BusWait that waits until the context ends.
const ForEver time.Duration = -1

// busWaitMax is the longest pause between two tries to reach NATS; the
// first is half a second, doubled each time.
const busWaitMax = 15 * time.Second

// openBus opens the bus. With a limit, an external server or cluster that
// is not ready yet (refusing connections, or JetStream not answering while
// a cluster forms) is waited for with backoff, up to the limit (ForEver:
// until ctx ends), saying so once and once more when it answers; any other
// error is returned at once.
func openBus(ctx context.Context, log *slog.Logger, limit time.Duration, o bus.Options) (*bus.Bus, error) {
	if o.URL == "" || limit == 0 {
		return bus.Open(ctx, o)
	}
	upTo := any(limit)
	if limit < 0 {
		upTo = "until stopped"
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
		if ctx.Err() != nil || !busNotReady(err) || (limit > 0 && time.Since(start)+pause > limit) {
			return nil, err
		}
		if !warned {
			log.Warn("NATS does not answer yet; waiting", "err", err, "up_to", upTo)
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
