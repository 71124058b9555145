package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Serve starts the operator endpoint on addr: the dashboard at / (with its
// numbers at /api/dashboard), /metrics (Prometheus),
// /healthz (ready: NATS and store answer), /livez (the process answers; for
// liveness probes, which must not restart a process over a brief NATS or
// database outage it rides out) and /status (JSON). It returns the
// address it listens on and stops when ctx ends.
func (a *App) Serve(ctx context.Context, addr string) (string, error) {
	if addr == "" || addr == "off" {
		return "", nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("http.listen %s: %w", addr, err)
	}
	if a.lock != nil {
		a.lock.setHTTP(ln.Addr().String())
	}
	a.serveOnce.Do(func() { a.Metrics.Registry.MustRegister(&queueCollector{app: a}) })
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.Metrics.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", a.healthz)
	a.serveOperator(ctx, mux)
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		st := a.Status(ctx)
		sum := a.Metrics.Snapshot()
		st.Process = &sum
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(st)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Log.Error("http server stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	return ln.Addr().String(), nil
}

// ServeOrNext is Serve on addr or, when that port is taken (by another
// newsflow role on this host started with the same config, say), on the
// next free one of the following tries ports, logged with a warning.
func (a *App) ServeOrNext(ctx context.Context, addr string, tries int) (string, error) {
	got, err := a.Serve(ctx, addr)
	if err == nil || !errors.Is(err, syscall.EADDRINUSE) {
		return got, err
	}
	host, portText, perr := net.SplitHostPort(addr)
	port, aerr := strconv.Atoi(portText)
	if perr != nil || aerr != nil || port == 0 {
		return "", err
	}
	for p := port + 1; p <= port+tries && p < 65536; p++ {
		next := net.JoinHostPort(host, strconv.Itoa(p))
		if got, nerr := a.Serve(ctx, next); nerr == nil {
			a.Log.Warn("http.listen is taken; serving on the next free port", "configured", addr, "http", got)
			return got, nil
		} else if !errors.Is(nerr, syscall.EADDRINUSE) {
			return "", nerr
		}
	}
	return "", fmt.Errorf("%w (and the next %d ports)", err, tries)
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var problems []string
	if a.Bus != nil {
		if _, err := a.Bus.Streams(ctx); err != nil {
			problems = append(problems, "nats: "+err.Error())
		}
	}
	if a.Store != nil {
		if err := a.Store.Ping(ctx); err != nil {
			problems = append(problems, "store: "+err.Error())
		}
	}
	if len(problems) > 0 {
		http.Error(w, fmt.Sprint(problems), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// queueCollector reports the streams' and consumers' state at scrape time.
type queueCollector struct{ app *App }

var (
	streamMessages = prometheus.NewDesc("newsflow_stream_messages", "Messages held by a JetStream stream.", []string{"stream"}, nil)
	streamBytes    = prometheus.NewDesc("newsflow_stream_bytes", "Bytes held by a JetStream stream.", []string{"stream"}, nil)
	consPending    = prometheus.NewDesc("newsflow_consumer_pending", "Messages not yet delivered to a consumer.", []string{"stream", "consumer"}, nil)
	consAckPending = prometheus.NewDesc("newsflow_consumer_ack_pending", "Messages delivered to a consumer and not yet acknowledged.", []string{"stream", "consumer"}, nil)
	consRedeliver  = prometheus.NewDesc("newsflow_consumer_redelivered", "Messages delivered more than once and not yet acknowledged.", []string{"stream", "consumer"}, nil)
	consDelivered  = prometheus.NewDesc("newsflow_consumer_delivered_sequence", "Consumer sequence of the last delivery to a consumer; it counts redeliveries too, so it is no drain rate: use deriv of pending plus ack_pending.", []string{"stream", "consumer"}, nil)
)

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{streamMessages, streamBytes, consPending, consAckPending, consRedeliver, consDelivered} {
		ch <- d
	}
}

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	if q.app.Bus == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if streams, err := q.app.Bus.Streams(ctx); err == nil {
		for _, s := range streams {
			ch <- prometheus.MustNewConstMetric(streamMessages, prometheus.GaugeValue, float64(s.Messages), s.Name)
			ch <- prometheus.MustNewConstMetric(streamBytes, prometheus.GaugeValue, float64(s.Bytes), s.Name)
		}
	}
	if cons, err := q.app.Bus.Consumers(ctx); err == nil {
		for _, c := range cons {
			ch <- prometheus.MustNewConstMetric(consPending, prometheus.GaugeValue, float64(c.Pending), c.Stream, c.Name)
			ch <- prometheus.MustNewConstMetric(consAckPending, prometheus.GaugeValue, float64(c.AckPending), c.Stream, c.Name)
			ch <- prometheus.MustNewConstMetric(consRedeliver, prometheus.GaugeValue, float64(c.Redelivered), c.Stream, c.Name)
			ch <- prometheus.MustNewConstMetric(consDelivered, prometheus.GaugeValue, float64(c.Delivered), c.Stream, c.Name)
		}
	}
}
