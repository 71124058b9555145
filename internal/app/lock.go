package app

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrDataDirBusy reports a data directory held by another newsflow process.
var ErrDataDirBusy = errors.New("data directory is in use by another newsflow process")

// LockFile is the name of the lock file in a data directory.
const LockFile = "newsflow.lock"

// LockInfo is what a running process records in its data directory's lock
// file: its pid and the address of its HTTP endpoint, if it serves one.
type LockInfo struct {
	PID  int
	HTTP string
}

// DataLock is an exclusive lock on a data directory's lock file.
type DataLock struct {
	f    *os.File
	info LockInfo
}

// LockDataDir takes an exclusive lock on dataDir/newsflow.lock, so that two
// processes never run embedded NATS servers on the same JetStream store.
// A command that must change the dir before it opens the pipeline (demo)
// takes it first and hands it to Open in Need.Lock.
func LockDataDir(dataDir string) (*DataLock, error) {
	path := filepath.Join(dataDir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := parseLock(f)
		f.Close()
		return nil, fmt.Errorf("%w (%s, held by pid %d): stop it, use another --data-dir, or set nats.listen on it and nats.url here",
			ErrDataDirBusy, dataDir, holder.PID)
	}
	l := &DataLock{f: f, info: LockInfo{PID: os.Getpid()}}
	l.write()
	return l, nil
}

// setHTTP records the address of the process's HTTP endpoint, so that
// `newsflow status --data-dir` asks this process and no other.
func (l *DataLock) setHTTP(addr string) {
	l.info.HTTP = addr
	l.write()
}

func (l *DataLock) write() {
	l.f.Truncate(0)
	l.f.WriteAt(fmt.Appendf(nil, "pid=%d\nhttp=%s\n", l.info.PID, l.info.HTTP), 0)
}

// Unlock releases the lock.
func (l *DataLock) Unlock() {
	l.f.Truncate(0)
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}

// parseLock reads a lock file's content; a bare number is a pid (older
// versions wrote only that).
func parseLock(f *os.File) LockInfo {
	var info LockInfo
	f.Seek(0, 0)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		switch {
		case !ok:
			info.PID, _ = strconv.Atoi(k)
		case k == "pid":
			info.PID, _ = strconv.Atoi(v)
		case k == "http":
			info.HTTP = v
		}
	}
	return info
}

// ReadLock tells whether a process holds dataDir's lock, and what it
// recorded there. It creates nothing: a directory without a lock file is
// not held.
func ReadLock(dataDir string) (info LockInfo, held bool, err error) {
	f, err := os.OpenFile(filepath.Join(dataDir, LockFile), os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return LockInfo{}, false, nil
	}
	if err != nil {
		return LockInfo{}, false, fmt.Errorf("read lock: %w", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return LockInfo{}, false, nil
	}
	return parseLock(f), true, nil
}

// CheckDataDir returns an error unless dataDir exists and holds a newsflow
// pipeline's data: the embedded NATS server's storage (when nats is true)
// or the SQLite store at dsn (when dsn is not empty). Commands that only
// read call it first, so that a mistyped directory is an error and nothing
// is created there.
func CheckDataDir(dataDir string, nats bool, sqliteDSN string) error {
	st, err := os.Stat(dataDir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("data dir %s does not exist: give the --data-dir of a pipeline that has run", dataDir)
		}
		return fmt.Errorf("data dir: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("data dir %s is not a directory", dataDir)
	}
	if nats {
		if _, err := os.Stat(filepath.Join(dataDir, "nats")); err != nil {
			return fmt.Errorf("data dir %s holds no newsflow pipeline (no nats/ folder): give the --data-dir of a pipeline that has run, or nats.url", dataDir)
		}
	}
	if sqliteDSN != "" {
		path := strings.TrimPrefix(sqliteDSN, "file:")
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no newsflow store at %s: give the --data-dir of a pipeline that has run (or store.dsn)", path)
		}
	}
	return nil
}
