package newsflow

import (
	"fmt"
	"path/filepath"
	"time"
)

// NearDuplicateConfig says whether and how near copies of an article (the
// same wire story run by several outlets) are recognised.
type NearDuplicateConfig struct {
	// Enabled turns fingerprinting on (the default) or off.
	Enabled *bool `yaml:"enabled"`
	// Threshold is the least share of word shingles in common for a text
	// to count as a near copy (default 0.5).
	Threshold float64 `yaml:"threshold"`
}

// DefaultNearDuplicateThreshold is the default of near_duplicates.threshold.
const DefaultNearDuplicateThreshold = 0.5

// On reports whether near copies are to be recognised.
func (c NearDuplicateConfig) On() bool { return c.Enabled == nil || *c.Enabled }

func (c *NearDuplicateConfig) prepare() error {
	switch {
	case c.Threshold == 0:
		c.Threshold = DefaultNearDuplicateThreshold
	case c.Threshold < 0.2 || c.Threshold > 1:
		return fmt.Errorf("near_duplicates.threshold: %g is outside 0.2..1", c.Threshold)
	}
	return nil
}

// ValidSourceName reports whether name can name a source: 1-64 letters,
// digits, '-' or '_' (it is part of NATS subjects and metric labels).
func ValidSourceName(name string) bool { return sourceName.MatchString(name) }

// ArchiveConfig says whether fetched pages are kept, as fetched, for later
// re-extraction.
type ArchiveConfig struct {
	// Enabled writes every fetched page to WARC files (default off).
	Enabled bool `yaml:"enabled"`
	// Dir is where the files are written (default <data_dir>/archive).
	Dir string `yaml:"dir"`
	// MaxFileSize starts a new file past this many bytes (default 1 GiB).
	MaxFileSize int64 `yaml:"max_file_size"`
	// MaxFileAge starts a new file once the current one is this old
	// (default 1h), so that closed files reach the object store in time.
	MaxFileAge Duration `yaml:"max_file_age"`
	// ObjectStore copies each closed file to the deployment's JetStream
	// object store and removes it from the disk, so that any process can
	// read it back; the default is on with an external NATS (nats.url),
	// where crawlers share no disk.
	ObjectStore *bool `yaml:"object_store"`
}

// InObjectStore reports whether closed archive files go to the object
// store.
func (c *Config) InObjectStore() bool {
	if c.Archive.ObjectStore != nil {
		return *c.Archive.ObjectStore
	}
	return c.NATS.URL != ""
}

// DefaultArchiveFileSize is the default of archive.max_file_size.
const DefaultArchiveFileSize = 1 << 30

func (c *ArchiveConfig) prepare(dataDir string) error {
	if c.Dir == "" {
		c.Dir = filepath.Join(dataDir, "archive")
	}
	switch {
	case c.MaxFileAge < 0:
		return fmt.Errorf("archive.max_file_age: must not be negative")
	case c.MaxFileAge == 0:
		c.MaxFileAge = Duration(time.Hour)
	}
	switch {
	case c.MaxFileSize < 0:
		return fmt.Errorf("archive.max_file_size: must not be negative")
	case c.MaxFileSize == 0:
		c.MaxFileSize = DefaultArchiveFileSize
	case c.MaxFileSize < 1<<20:
		return fmt.Errorf("archive.max_file_size: %d is under 1 MiB", c.MaxFileSize)
	}
	return nil
}
