package bus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/nats-io/nats.go/jetstream"
)

// archiveBucket names the object store of kept pages in the bus's
// namespace ("newsflow_archive" in the default one), beside its state.
func (b *Bus) archiveBucket() string { return b.names.archive() }

var archiveMu sync.Mutex

// archiveStore returns the object store of kept WARC files, creating it on
// first use.
func (b *Bus) archiveStore(ctx context.Context) (jetstream.ObjectStore, error) {
	archiveMu.Lock()
	defer archiveMu.Unlock()
	if err := b.checkBucket(ctx, "OBJ_"+b.archiveBucket()); err != nil {
		return nil, fmt.Errorf("bus: %w", err)
	}
	obs, err := b.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      b.archiveBucket(),
		Description: "newsflow: fetched pages kept as WARC files, for re-extraction",
		Storage:     jetstream.FileStorage,
		Replicas:    b.opts.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: object store %s: %w", b.archiveBucket(), err)
	}
	return obs, nil
}

// PutArchiveFile copies a closed WARC file into the deployment's archive
// object store under name, streaming it, so that every process can read
// it back.
func (b *Bus) PutArchiveFile(ctx context.Context, name, path string) error {
	obs, err := b.archiveStore(ctx)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("bus: archive %s: %w", name, err)
	}
	defer f.Close()
	if _, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name}, f); err != nil {
		return fmt.Errorf("bus: archive %s: %w", name, err)
	}
	return nil
}

// ArchiveFiles lists the WARC files in the archive object store, by name.
func (b *Bus) ArchiveFiles(ctx context.Context) ([]string, error) {
	obs, err := b.archiveStore(ctx)
	if err != nil {
		return nil, err
	}
	infos, err := obs.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("bus: list archive: %w", err)
	}
	var names []string
	for _, i := range infos {
		if !i.Deleted {
			names = append(names, i.Name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// OpenArchiveFile streams a WARC file of the archive object store.
func (b *Bus) OpenArchiveFile(ctx context.Context, name string) (io.ReadCloser, error) {
	obs, err := b.archiveStore(ctx)
	if err != nil {
		return nil, err
	}
	r, err := obs.Get(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("bus: archive %s: %w", name, err)
	}
	return r, nil
}
