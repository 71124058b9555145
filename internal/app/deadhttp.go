package app

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/newsflow/newsflow/bus"
)

// DeadRequestHeader must be set on the POST requests of the dead-letter
// API (to any value): a browser cannot send it to another site without
// asking first, so a web page cannot make one for its visitor.
const DeadRequestHeader = "Newsflow-Request"

// DeadResult is what POST /api/dead/retry and /api/dead/purge answer.
type DeadResult struct {
	Done   int      `json:"done"`
	Errors []string `json:"errors,omitempty"`
}

// DeadFilterOf reads a dead-letter filter and IDs from query parameters
// source, stage, reason, since (RFC 3339) and id (repeatable).
func DeadFilterOf(r *http.Request) (bus.DeadFilter, []uint64, error) {
	q := r.URL.Query()
	f := bus.DeadFilter{Source: q.Get("source"), Stage: q.Get("stage"), Reason: q.Get("reason")}
	if s := q.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return f, nil, errors.New("since: not an RFC 3339 time")
		}
		f.Since = t
	}
	var ids []uint64
	for _, s := range q["id"] {
		id, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return f, nil, errors.New("id: not a number")
		}
		ids = append(ids, id)
	}
	return f, ids, nil
}

// DeadTargets is what a retry or purge acts on: the dead letters given by
// ID that pass the filter, or all that pass it.
func DeadTargets(ctx context.Context, b *bus.Bus, f bus.DeadFilter, ids []uint64) ([]bus.DeadLetter, error) {
	var out []bus.DeadLetter
	if len(ids) == 0 {
		err := b.DeadLetters(ctx, f, false, func(d bus.DeadLetter) error { out = append(out, d); return nil })
		return out, err
	}
	var errs []error
	for _, id := range ids {
		d, err := b.GetDeadLetter(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if f.Match(d) {
			out = append(out, d)
		}
	}
	return out, errors.Join(errs...)
}

// ActOnDead retries or purges the dead letters f and ids select.
func ActOnDead(ctx context.Context, b *bus.Bus, retry bool, f bus.DeadFilter, ids []uint64) DeadResult {
	var res DeadResult
	targets, err := DeadTargets(ctx, b, f, ids)
	if err != nil {
		res.Errors = append(res.Errors, err.Error())
	}
	for _, d := range targets {
		var err error
		if retry {
			err = b.RetryDeadLetter(ctx, d)
		} else {
			err = b.DeleteDeadLetter(ctx, d.Seq)
		}
		if err != nil {
			res.Errors = append(res.Errors, err.Error())
			continue
		}
		res.Done++
	}
	return res
}

// serveDead adds the dead-letter API, which `newsflow dead` uses when this
// process holds the data directory: GET /api/dead (JSON Lines, filtered by
// the query), GET /api/dead/{id} (with the payload), and POST
// /api/dead/retry and /api/dead/purge, which only answer requests from a
// loopback address that carry DeadRequestHeader.
func (a *App) serveDead(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/dead", func(w http.ResponseWriter, r *http.Request) {
		f, _, err := DeadFilterOf(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		err = a.Bus.DeadLetters(r.Context(), f, true, func(d bus.DeadLetter) error {
			d.Header = nil
			return enc.Encode(d)
		})
		if err != nil {
			// Mid-stream: the client sees a line that is not a dead letter.
			enc.Encode(map[string]string{"error": err.Error()})
		}
	})
	mux.HandleFunc("GET /api/dead/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "id: not a number", http.StatusBadRequest)
			return
		}
		d, err := a.Bus.GetDeadLetter(r.Context(), id)
		if errors.Is(err, bus.ErrNoDeadLetter) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(DeadWithPayload(d))
	})
	for _, verb := range []string{"retry", "purge"} {
		mux.HandleFunc("POST /api/dead/"+verb, func(w http.ResponseWriter, r *http.Request) {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() || r.Header.Get(DeadRequestHeader) == "" {
				http.Error(w, "dead letters are retried and purged from this machine only, with the "+DeadRequestHeader+" header", http.StatusForbidden)
				return
			}
			f, ids, err := DeadFilterOf(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(ActOnDead(r.Context(), a.Bus, verb == "retry", f, ids))
		})
	}
}

// DeadShown is a dead letter with its payload, as `dead show --json` and
// GET /api/dead/{id} give it: the payload as JSON when it is JSON, else as
// a string.
type DeadShown struct {
	bus.DeadLetter
	Payload json.RawMessage `json:"payload"`
}

// DeadWithPayload adds d's payload to it.
func DeadWithPayload(d bus.DeadLetter) DeadShown {
	payload := json.RawMessage(d.Data)
	if !json.Valid(d.Data) {
		payload, _ = json.Marshal(string(d.Data))
	}
	return DeadShown{d, payload}
}
