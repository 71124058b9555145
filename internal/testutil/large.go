package testutil

import (
	"os"
	"strconv"
	"testing"
)

// LargeWARCMegabytes returns the size, in megabytes, that
// NEWSFLOW_LARGE_WARC_MB asks the large-file tests to write, and skips
// the test when the variable is not set: those tests take minutes and
// that much disk.
func LargeWARCMegabytes(t *testing.T) int {
	t.Helper()
	mb := os.Getenv("NEWSFLOW_LARGE_WARC_MB")
	if mb == "" {
		t.Skip("set NEWSFLOW_LARGE_WARC_MB=1024 for a 1 GB file")
	}
	size, err := strconv.Atoi(mb)
	if err != nil || size <= 0 {
		t.Fatalf("NEWSFLOW_LARGE_WARC_MB=%q: want a number of megabytes", mb)
	}
	return size
}
