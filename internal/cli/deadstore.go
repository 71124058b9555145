package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/app"
)

// deadStore is where the dead commands find the dead letters: the bus,
// or the running process that holds the data directory, over its HTTP
// endpoint.
type deadStore interface {
	list(ctx context.Context, f bus.DeadFilter, fn func(bus.DeadLetter) error) error
	get(ctx context.Context, id uint64) (bus.DeadLetter, error)
	act(ctx context.Context, retry bool, f bus.DeadFilter, ids []uint64) (app.DeadResult, error)
}

// openDead opens the bus, or, when a running newsflow holds the embedded
// server's data directory, talks to that process.
func openDead(ctx context.Context, env Env, f *common, cfg *newsflow.Config) (deadStore, func(), error) {
	if cfg.NATS.URL == "" {
		info, held, err := app.ReadLock(cfg.DataDir)
		if err != nil {
			return nil, nil, err
		}
		if held {
			if info.HTTP == "" {
				return nil, nil, fmt.Errorf("data dir %s is in use by newsflow pid %d, which serves no HTTP endpoint (http.listen off): stop it, or set nats.listen on it and nats.url here", cfg.DataDir, info.PID)
			}
			return &httpDead{base: "http://" + info.HTTP, client: &http.Client{Timeout: time.Minute}}, func() {}, nil
		}
	}
	a, err := f.open(ctx, env, cfg, app.Need{Bus: true})
	if err != nil {
		return nil, nil, err
	}
	return localDead{a.Bus}, func() { a.Close() }, nil
}

type localDead struct{ b *bus.Bus }

func (l localDead) list(ctx context.Context, f bus.DeadFilter, fn func(bus.DeadLetter) error) error {
	return l.b.DeadLetters(ctx, f, true, fn)
}

func (l localDead) get(ctx context.Context, id uint64) (bus.DeadLetter, error) {
	return l.b.GetDeadLetter(ctx, id)
}

func (l localDead) act(ctx context.Context, retry bool, f bus.DeadFilter, ids []uint64) (app.DeadResult, error) {
	return app.ActOnDead(ctx, l.b, retry, f, ids), nil
}

// httpDead asks the dead-letter API of a running newsflow.
type httpDead struct {
	base   string
	client *http.Client
}

func deadQuery(f bus.DeadFilter, ids []uint64) string {
	q := url.Values{}
	for k, v := range map[string]string{"source": f.Source, "stage": f.Stage, "reason": f.Reason} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339Nano))
	}
	for _, id := range ids {
		q.Add("id", strconv.FormatUint(id, 10))
	}
	return q.Encode()
}

func (h *httpDead) do(ctx context.Context, method, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, h.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(app.DeadRequestHeader, "dead")
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var msg [512]byte
		n, _ := resp.Body.Read(msg[:])
		if resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("%s: %w", path, bus.ErrNoDeadLetter)
		}
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg[:n])
	}
	return resp, nil
}

func (h *httpDead) list(ctx context.Context, f bus.DeadFilter, fn func(bus.DeadLetter) error) error {
	resp, err := h.do(ctx, http.MethodGet, "/api/dead?"+deadQuery(f, nil))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		var line struct {
			bus.DeadLetter
			Error string `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return fmt.Errorf("GET /api/dead: %w", err)
		}
		if line.Error != "" {
			return errors.New(line.Error)
		}
		if err := fn(line.DeadLetter); err != nil {
			return err
		}
	}
	return sc.Err()
}

func (h *httpDead) get(ctx context.Context, id uint64) (bus.DeadLetter, error) {
	resp, err := h.do(ctx, http.MethodGet, "/api/dead/"+strconv.FormatUint(id, 10))
	if err != nil {
		return bus.DeadLetter{}, err
	}
	defer resp.Body.Close()
	var d app.DeadShown
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		return bus.DeadLetter{}, fmt.Errorf("GET /api/dead/%d: %w", id, err)
	}
	d.DeadLetter.Data = d.Payload
	var s string
	if json.Unmarshal(d.Payload, &s) == nil {
		d.DeadLetter.Data = []byte(s)
	}
	return d.DeadLetter, nil
}

func (h *httpDead) act(ctx context.Context, retry bool, f bus.DeadFilter, ids []uint64) (app.DeadResult, error) {
	verb := "purge"
	if retry {
		verb = "retry"
	}
	resp, err := h.do(ctx, http.MethodPost, "/api/dead/"+verb+"?"+deadQuery(f, ids))
	if err != nil {
		return app.DeadResult{}, err
	}
	defer resp.Body.Close()
	var res app.DeadResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return res, fmt.Errorf("POST /api/dead/%s: %w", verb, err)
	}
	return res, nil
}
