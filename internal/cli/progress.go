package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/internal/metrics"
)

// DefaultProgressEvery is how often a once run logs its progress when
// stdout is not a terminal.
const DefaultProgressEvery = 10 * time.Second

// progressTick is how often the live line is redrawn on a terminal.
const progressTick = 250 * time.Millisecond

// progressSample is where a once run stands.
type progressSample struct {
	// Total is the fetch tasks of this run: those on the frontier when it
	// started and those queued since; Left is those not yet settled.
	Total, Left int
	// StoreLeft is what waits for the store worker.
	StoreLeft int
	metrics.Summary
}

// Done is how many fetch tasks were settled.
func (s progressSample) Done() int { return max(0, s.Total-s.Left) }

// progressFlag adds --progress to a command that runs once.
func progressFlag(f *common) *time.Duration {
	return f.fs.Duration("progress", DefaultProgressEvery, "when stdout is not a terminal, log the progress of a --once run this often (0: never); on a terminal a live line shows it")
}

// startProgress shows the progress of a once run until stop is called: a
// live line on stdout when it is a terminal, else a "progress" log record
// every `every` (none when every is 0). sources are the sources crawled
// (all when empty).
func startProgress(ctx context.Context, env Env, a *app.App, sources []string, every time.Duration) (stop func()) {
	base := frontierLeft(ctx, a.Bus, sources)
	sample := func() progressSample {
		s := progressSample{Summary: a.Metrics.Snapshot()}
		s.Left, s.StoreLeft = queueLeft(ctx, a.Bus, sources)
		s.Total = max(base+s.Queued, s.Left)
		return s
	}
	var p progressReporter
	if out, ok := env.Stdout.(*os.File); ok && isTerminal(out) {
		p = newProgressLine(env.Stdout)
	} else {
		if every <= 0 {
			return func() {}
		}
		// The app's handler, so that records do not interleave, with
		// info records let through even where the log is kept quieter
		// (the demo logs errors only).
		p = &progressLog{log: slog.New(minLevel{a.Log.Handler(), slog.LevelInfo})}
	}
	return runProgress(p, sample, progressEvery(p, every))
}

func progressEvery(p progressReporter, every time.Duration) time.Duration {
	if _, ok := p.(*progressLine); ok {
		return progressTick
	}
	return every
}

// progressReporter shows samples.
type progressReporter interface {
	show(s progressSample, now time.Time)
	finish()
}

// runProgress calls p with a sample every `every` until stop is called.
func runProgress(p progressReporter, sample func() progressSample, every time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				p.finish()
				return
			case now := <-t.C:
				p.show(sample(), now)
			}
		}
	})
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}

// progressLine is the live line of a terminal.
type progressLine struct{ bar *progressbar.ProgressBar }

func newProgressLine(w io.Writer) *progressLine {
	return &progressLine{bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("discovering"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("tasks"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(24),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSpinnerType(14),
	)}
}

func (l *progressLine) show(s progressSample, _ time.Time) {
	// One step more than the tasks known: a bar that reaches its end
	// stops, and discovery may still queue more; the last step is the end
	// of the run.
	if s.Total > 0 && l.bar.GetMax64() != int64(s.Total)+1 {
		l.bar.ChangeMax64(int64(s.Total) + 1)
	}
	l.bar.Describe(progressText(s))
	l.bar.Set64(int64(s.Done()))
}

func (l *progressLine) finish() {
	l.bar.Finish()
}

// progressText is the counts of a sample, for the live line.
func progressText(s progressSample) string {
	parts := []string{
		fmt.Sprintf("fetched %d", s.Fetched),
		fmt.Sprintf("published %d", s.Published),
		fmt.Sprintf("stored %d", s.Stored["inserted"]+s.Stored["updated"]+s.Stored["unchanged"]),
	}
	if failed := sumCounts(s.Failed); failed > 0 {
		parts = append(parts, fmt.Sprintf("failed %d", failed))
	}
	if s.StoreLeft > 0 {
		parts = append(parts, fmt.Sprintf("to store %d", s.StoreLeft))
	}
	return strings.Join(parts, "  ")
}

// progressLog logs samples, with the rate since the last one and the
// time left at that rate.
type progressLog struct {
	log      *slog.Logger
	lastDone int
	lastAt   time.Time
}

func (l *progressLog) show(s progressSample, now time.Time) {
	attrs := []any{
		"tasks_done", s.Done(), "tasks_total", s.Total, "tasks_left", s.Left,
		"discovered", s.Discovered, "fetched", s.Fetched, "published", s.Published,
		"stored", s.Stored["inserted"] + s.Stored["updated"] + s.Stored["unchanged"],
		"to_store", s.StoreLeft, "failed", sumCounts(s.Failed), "dead_lettered", s.Dead,
	}
	if !l.lastAt.IsZero() {
		rate := float64(s.Done()-l.lastDone) / now.Sub(l.lastAt).Seconds()
		attrs = append(attrs, "tasks_per_second", float64(int(rate*10))/10)
		if rate > 0 {
			attrs = append(attrs, "eta", (time.Duration(float64(s.Left)/rate) * time.Second).Round(time.Second).String())
		}
	}
	l.lastDone, l.lastAt = s.Done(), now
	l.log.Info("progress", attrs...)
}

func (l *progressLog) finish() {}

// frontierLeft is the fetch tasks waiting on the frontier for sources.
func frontierLeft(ctx context.Context, b *bus.Bus, sources []string) int {
	n, _ := queueLeft(ctx, b, sources)
	return n
}

// queueLeft is what the fetch consumers of sources and the store worker
// have not settled yet.
func queueLeft(ctx context.Context, b *bus.Bus, sources []string) (fetch, store int) {
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cons, err := b.Consumers(cctx)
	if err != nil {
		return 0, 0
	}
	want := map[string]bool{}
	for _, s := range sources {
		want["fetch-"+s] = true
	}
	for _, c := range cons {
		left := int(c.Pending) + c.AckPending
		switch {
		case c.Stream == b.Names().Frontier && strings.HasPrefix(c.Name, "fetch-") && (len(want) == 0 || want[c.Name]):
			fetch += left
		case c.Stream == b.Names().News && c.Name == "store":
			store += left
		}
	}
	return fetch, store
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// minLevel lets records at or above min through to h, whatever h's own
// level.
type minLevel struct {
	h   slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min || m.h.Enabled(ctx, l)
}
func (m minLevel) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }
func (m minLevel) WithAttrs(as []slog.Attr) slog.Handler           { return minLevel{m.h.WithAttrs(as), m.min} }
func (m minLevel) WithGroup(name string) slog.Handler              { return minLevel{m.h.WithGroup(name), m.min} }
