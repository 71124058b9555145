package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrDataDirBusy reports a data directory held by another newsflow process.
var ErrDataDirBusy = errors.New("data directory is in use by another newsflow process")

// lockDataDir takes an exclusive lock on dataDir/newsflow.lock, so that two
// processes never run embedded NATS servers on the same JetStream store.
func lockDataDir(dataDir string) (func(), error) {
	path := filepath.Join(dataDir, "newsflow.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		return nil, fmt.Errorf("%w (%s, held by pid %s): stop it, use another --data-dir, or set nats.listen on it and nats.url here",
			ErrDataDirBusy, dataDir, strings.TrimSpace(string(holder)))
	}
	f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() {
		f.Truncate(0)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
