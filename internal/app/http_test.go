package app

import (
	"net"
	"strconv"
	"testing"

	"github.com/newsflow/newsflow"
)

// Two roles started on one host with one config (crawl and store) both
// serve their endpoint: the second takes the next free port. Two
// processes are two Apps here; what matters is the port.
func TestServeOrNextTakesTheNextFreePort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := &newsflow.Config{DataDir: t.TempDir()}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a, err := Open(t.Context(), cfg, testLogger(t), Need{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	addr := taken.Addr().String()
	if _, err := a.Serve(t.Context(), addr); err == nil {
		t.Fatal("Serve on a taken port succeeded")
	}
	got, err := a.ServeOrNext(t.Context(), addr, 20)
	if err != nil {
		t.Fatalf("ServeOrNext: %v", err)
	}
	_, p0, _ := net.SplitHostPort(addr)
	_, p1, _ := net.SplitHostPort(got)
	n0, _ := strconv.Atoi(p0)
	n1, _ := strconv.Atoi(p1)
	if n1 <= n0 || n1 > n0+20 {
		t.Errorf("served on %s, want a port just after %s", got, addr)
	}
}
