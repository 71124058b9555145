package bus

import (
	"context"
	"strconv"
	"sync"
	"testing"
)

// Processes adding to one value at once lose nothing and count nothing
// twice: four writers on two connections each add 1 fifty times to the
// same key; a read-only bus reads the sum.
func TestAddStatsConcurrently(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	host := openEmbedded(t, dir, "127.0.0.1:-1")
	defer host.Close()
	other, err := Open(ctx, Options{URL: host.ClientURL(), Logger: testLogger()})
	must(t, err, "second connection")
	defer other.Close()
	ro, err := Open(ctx, Options{URL: host.ClientURL(), Logger: testLogger(), ReadOnly: true})
	must(t, err, "read-only connection")
	defer ro.Close()
	if got, err := ro.Stats(ctx); err != nil || len(got) != 0 {
		t.Fatalf("stats before any flush: %v %v", got, err)
	}
	incr := func(old []byte) ([]byte, error) {
		n := 0
		if old != nil {
			n, _ = strconv.Atoi(string(old))
		}
		return []byte(strconv.Itoa(n + 1)), nil
	}
	var wg sync.WaitGroup
	for i := range 4 {
		b := []*Bus{host, other}[i%2]
		wg.Go(func() {
			for range 50 {
				if err := b.AddStats(ctx, "source.x", incr); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := ro.AddStats(ctx, "source.x", incr); err == nil {
		t.Error("a read-only bus added to the counts")
	}
	got, err := ro.Stats(ctx)
	must(t, err, "stats")
	if string(got["source.x"]) != "200" || len(got) != 1 {
		t.Errorf("stats %q, want source.x 200", got)
	}
}
