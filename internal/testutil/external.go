// Package testutil holds helpers shared by tests that use the machine's
// external services.
package testutil

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// ExternalNATSURL is where tests look for an external NATS server.
const ExternalNATSURL = "nats://127.0.0.1:4222"

// ExternalNATS skips the test when no NATS server answers at
// ExternalNATSURL. Otherwise it takes a lock, held until the test ends, that
// serialises the tests of every package touching the external server:
// they reset newsflow's fixed-name streams there, and `go test ./...` runs
// packages in parallel processes.
func ExternalNATS(t testing.TB) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second)
	if err != nil {
		t.Skipf("external NATS at %s not reachable (%v); skipping", ExternalNATSURL, err)
	}
	conn.Close()
	path := filepath.Join(os.TempDir(), "newsflow-external-nats.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		t.Fatalf("lock %s: %v", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("lock %s: %v", path, err)
	}
	t.Cleanup(func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
	return ExternalNATSURL
}
