// Package testutil holds helpers shared by tests that use the machine's
// external services.
package testutil

import (
	"crypto/rand"
	"encoding/hex"
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
// serialises the tests of every package touching the external server, to
// keep their load on a shared machine down; each test works in a
// namespace of its own (Namespace) and touches nothing else there.
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

// Namespace returns a newsflow namespace of its own for one test on a
// shared NATS server ("t" and random hex), so that the test sees nothing
// of other tests' or deployments' streams. The caller removes it at the
// end (bus.RemoveNamespace; this package cannot import bus).
func Namespace(t testing.TB) string {
	t.Helper()
	b := make([]byte, 5)
	rand.Read(b)
	return "t" + hex.EncodeToString(b)
}
