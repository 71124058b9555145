package cli

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsflow/newsflow/internal/metrics"
)

func sampleAt(done, total int) progressSample {
	return progressSample{Total: total, Left: total - done, StoreLeft: 2, Summary: metrics.Summary{
		Fetched: done, Published: done - 1, Stored: map[string]int{"inserted": done - 3}, Failed: map[string]int{"fetch:http_500": 1},
	}}
}

// The live line shows the counts, the share done, and is cleared at the
// end so that the summary starts on a clean line.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	l := newProgressLine(&buf)
	l.show(sampleAt(6, 10), time.Now())
	out := buf.String()
	for _, want := range []string{"fetched 6", "published 5", "stored 3", "failed 1", "to store 2", "54%"} {
		if !strings.Contains(out, want) {
			t.Errorf("live line lacks %q: %q", want, out)
		}
	}
	l.show(sampleAt(12, 12), time.Now().Add(time.Second))
	if out := buf.String(); !strings.Contains(out, "92%") {
		t.Errorf("live line after the frontier grew: %q", out)
	}
	n := buf.Len()
	l.finish()
	if cleared := buf.String()[n:]; !strings.Contains(cleared, "\r") {
		t.Errorf("finish did not clear the line: %q", cleared)
	}
}

// Where stdout is not a terminal, a record at each interval, with the
// rate and the time left from the second one on.
func TestProgressLog(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, nil))
	done := 0
	stop := runProgress(&progressLog{log: log}, func() progressSample {
		done += 5
		return sampleAt(done, 100)
	}, 10*time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := strings.Count(buf.String(), "\n")
		mu.Unlock()
		if n >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("fewer than 3 progress records in 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	stop()
	mu.Lock()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	mu.Unlock()
	var first, second map[string]any
	if json.Unmarshal([]byte(lines[0]), &first) != nil || json.Unmarshal([]byte(lines[1]), &second) != nil {
		t.Fatalf("records: %s", lines)
	}
	if first["msg"] != "progress" || first["tasks_done"] != 5.0 || first["tasks_total"] != 100.0 || first["stored"] != 2.0 {
		t.Errorf("first record: %v", first)
	}
	if _, ok := first["eta"]; ok {
		t.Errorf("first record has an eta with no rate yet: %v", first)
	}
	if second["tasks_per_second"].(float64) <= 0 || second["eta"] == nil {
		t.Errorf("second record has no rate or eta: %v", second)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
