package neardup

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// DefaultThreshold is the similarity from which a text counts as a near
// copy of another. Wire copies with a changed headline, byline, a dropped
// or added paragraph stay well above it; different stories on the same
// event, even quoting the same people, stay well below.
const DefaultThreshold = 0.5

// Store is the key-value store the signatures of an Index are kept in, so
// that every process sharing it recognises copies of what the others saw.
// Keys are made of letters, digits, '.' and '_'. A Store must be safe for
// concurrent use.
type Store interface {
	// Get returns the value under key; ok is false when there is none.
	Get(ctx context.Context, key string) (value []byte, ok bool, err error)
	// Put stores value under key, replacing what was there.
	Put(ctx context.Context, key string, value []byte) error
	// Watch calls fn with every key and value in the store, then with
	// every one put later, by any process, until ctx ends; loaded is
	// closed once the values there at the start have been passed.
	Watch(ctx context.Context, fn func(key string, value []byte), loaded chan<- struct{}) error
}

// Match is the earlier text a new one is a near copy of.
type Match struct {
	ID         string  // the id the earlier text was added under
	Similarity float64 // estimated Jaccard similarity of their shingles
}

// Index finds near copies among the texts added to it, in this process or
// in any other sharing its Store. The signatures live in the Store (key
// "s.<id>"); the band tables that find candidates are kept in memory,
// filled from the Store at Follow and as other processes add to it, so a
// check costs one write and, for each candidate, one read.
type Index struct {
	// Store keeps the signatures; nil keeps them in memory only.
	Store Store
	// Threshold is the least similarity of a match; zero means
	// DefaultThreshold.
	Threshold float64

	once  sync.Once
	mu    sync.RWMutex
	bands [Bands]map[uint64]int32 // band hash -> index in ids of the first text seen with it
	ids   []string
	index map[string]int32
	local map[string]Signature // signatures when there is no Store
}

func (x *Index) init() {
	x.once.Do(func() {
		for b := range x.bands {
			x.bands[b] = map[uint64]int32{}
		}
		x.index = map[string]int32{}
		x.local = map[string]Signature{}
	})
}

func sigKey(id string) string { return "s." + id }

// Follow loads the signatures already in the Store and keeps adding those
// that other processes put, until ctx ends. It returns once the load is
// done (or failed); the following goes on in the background.
func (x *Index) Follow(ctx context.Context) error {
	x.init()
	if x.Store == nil {
		return nil
	}
	loaded := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- x.Store.Watch(ctx, func(key string, value []byte) {
			id, ok := strings.CutPrefix(key, "s.")
			if !ok {
				return
			}
			var sig Signature
			if sig.UnmarshalBinary(value) == nil {
				x.add(id, &sig)
			}
		}, loaded)
	}()
	select {
	case <-loaded:
		return nil
	case err := <-errc:
		if err == nil {
			err = ctx.Err()
		}
		return fmt.Errorf("neardup: load signatures: %w", err)
	}
}

// add records sig under id in the band tables: each band keeps the first
// text seen with it.
func (x *Index) add(id string, sig *Signature) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.index[id]
	if !ok {
		i = int32(len(x.ids))
		x.ids = append(x.ids, id)
		x.index[id] = i
	}
	for b := range Bands {
		h := sig.Band(b)
		if _, taken := x.bands[b][h]; !taken {
			x.bands[b][h] = i
		}
	}
	if x.Store == nil {
		x.local[id] = *sig
	}
}

// candidates returns the ids of the texts that share a band with sig.
func (x *Index) candidates(id string, sig *Signature) []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []string
	seen := map[int32]bool{}
	for b := range Bands {
		i, ok := x.bands[b][sig.Band(b)]
		if !ok || seen[i] || x.ids[i] == id {
			continue
		}
		seen[i] = true
		out = append(out, x.ids[i])
	}
	return out
}

// signature returns the signature added under id.
func (x *Index) signature(ctx context.Context, id string) (Signature, bool, error) {
	var sig Signature
	if x.Store == nil {
		x.mu.RLock()
		defer x.mu.RUnlock()
		sig, ok := x.local[id]
		return sig, ok, nil
	}
	data, ok, err := x.Store.Get(ctx, sigKey(id))
	if err != nil || !ok {
		return sig, false, err
	}
	if err := sig.UnmarshalBinary(data); err != nil {
		return sig, false, nil
	}
	return sig, true, nil
}

// Check looks for the most similar text already added whose similarity to
// sig reaches the threshold, then adds sig under id. ok is false when there
// is none. A text checked again under the same id is not its own match.
func (x *Index) Check(ctx context.Context, id string, sig *Signature) (m Match, ok bool, err error) {
	x.init()
	threshold := x.Threshold
	if threshold == 0 {
		threshold = DefaultThreshold
	}
	for _, cand := range x.candidates(id, sig) {
		other, found, err := x.signature(ctx, cand)
		if err != nil {
			return Match{}, false, fmt.Errorf("neardup: signature of %s: %w", cand, err)
		}
		if !found {
			continue // expired
		}
		if s := sig.Similarity(&other); s >= threshold && (s > m.Similarity || s == m.Similarity && cand < m.ID) {
			m, ok = Match{ID: cand, Similarity: s}, true
		}
	}
	if x.Store != nil {
		data, _ := sig.MarshalBinary()
		if err := x.Store.Put(ctx, sigKey(id), data); err != nil {
			return Match{}, false, fmt.Errorf("neardup: add %s: %w", id, err)
		}
	}
	x.add(id, sig)
	return m, ok, nil
}

// Len returns the number of texts in the index.
func (x *Index) Len() int {
	x.init()
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// MemStore is a Store in memory, for tests: Indexes sharing one behave
// like processes sharing a bucket.
type MemStore struct {
	mu       sync.Mutex
	m        map[string][]byte
	watchers []func(string, []byte)
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{m: map[string][]byte{}} }

// Get implements Store.
func (s *MemStore) Get(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

// Put implements Store.
func (s *MemStore) Put(_ context.Context, key string, value []byte) error {
	s.mu.Lock()
	s.m[key] = value
	ws := append([]func(string, []byte){}, s.watchers...)
	s.mu.Unlock()
	for _, w := range ws {
		w(key, value)
	}
	return nil
}

// Watch implements Store.
func (s *MemStore) Watch(ctx context.Context, fn func(string, []byte), loaded chan<- struct{}) error {
	s.mu.Lock()
	for k, v := range s.m {
		fn(k, v)
	}
	s.watchers = append(s.watchers, fn)
	s.mu.Unlock()
	close(loaded)
	<-ctx.Done()
	return nil
}
