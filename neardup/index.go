package neardup

import (
	"context"
	"fmt"
	"strconv"
	"sync"
)

// DefaultThreshold is the similarity from which a text counts as a near
// copy of another. Wire copies with a changed headline, byline, a dropped
// or added paragraph stay well above it; different stories on the same
// event, even quoting the same people, stay well below.
const DefaultThreshold = 0.5

// Store is the key-value store an Index keeps its entries in. Keys are made
// of letters, digits, '.' and '_'. A Store must be safe for concurrent use.
type Store interface {
	// Get returns the value under key; ok is false when there is none.
	Get(ctx context.Context, key string) (value []byte, ok bool, err error)
	// Create stores value under key unless the key exists; created says
	// whether it did.
	Create(ctx context.Context, key string, value []byte) (created bool, err error)
	// Put stores value under key, replacing what was there.
	Put(ctx context.Context, key string, value []byte) error
}

// Match is the earlier text a new one is a near copy of.
type Match struct {
	ID         string  // the id the earlier text was added under
	Similarity float64 // estimated Jaccard similarity of their shingles
}

// Index finds near copies among the texts added to it. Its entries live
// in a Store, so that processes sharing the store share the index: per
// band, the id of the first text seen with that band ("b<band>.<hash>"), and
// per id its signature ("s.<id>").
type Index struct {
	Store Store
	// Threshold is the least similarity of a match; zero means
	// DefaultThreshold.
	Threshold float64
}

func bandKey(b int, h uint64) string {
	return "b" + strconv.Itoa(b) + "." + strconv.FormatUint(h, 16)
}

// bandEntry is one band of a signature being checked: its key and the id
// found under it.
type bandEntry struct {
	key   string
	owner string
	found bool
	err   error
}

func sigKey(id string) string { return "s." + id }

// Check looks for the most similar text already added whose similarity to
// sig reaches the threshold, then adds sig under id. ok is false when there
// is none. A text checked again under the same id is not its own match.
func (x *Index) Check(ctx context.Context, id string, sig *Signature) (m Match, ok bool, err error) {
	threshold := x.Threshold
	if threshold == 0 {
		threshold = DefaultThreshold
	}
	// The band look-ups go out together: on a remote store each is a
	// round trip.
	var bands [Bands]bandEntry
	var wg sync.WaitGroup
	for b := range Bands {
		bands[b].key = bandKey(b, sig.Band(b))
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, found, err := x.Store.Get(ctx, bands[b].key)
			bands[b].owner, bands[b].found, bands[b].err = string(v), found, err
		}()
	}
	wg.Wait()
	candidates := map[string]bool{}
	for _, bd := range bands {
		if bd.err != nil {
			return Match{}, false, fmt.Errorf("neardup: look up %s: %w", bd.key, bd.err)
		}
		if bd.found && bd.owner != id {
			candidates[bd.owner] = true
		}
	}
	for cand := range candidates {
		data, found, err := x.Store.Get(ctx, sigKey(cand))
		if err != nil {
			return Match{}, false, fmt.Errorf("neardup: signature of %s: %w", cand, err)
		}
		if !found {
			continue // expired, or its writer stopped half-way
		}
		var other Signature
		if err := other.UnmarshalBinary(data); err != nil {
			continue
		}
		if s := sig.Similarity(&other); s >= threshold && (s > m.Similarity || s == m.Similarity && cand < m.ID) {
			m, ok = Match{ID: cand, Similarity: s}, true
		}
	}
	if err := x.add(ctx, id, sig, bands[:]); err != nil {
		return Match{}, false, err
	}
	return m, ok, nil
}

// add records sig under id and claims the bands no text had yet.
func (x *Index) add(ctx context.Context, id string, sig *Signature, bands []bandEntry) error {
	data, _ := sig.MarshalBinary()
	if err := x.Store.Put(ctx, sigKey(id), data); err != nil {
		return fmt.Errorf("neardup: add %s: %w", id, err)
	}
	errs := make([]error, len(bands))
	var wg sync.WaitGroup
	for i := range bands {
		if bands[i].found {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Another process may claim the band meanwhile: the first
			// one stays, as it would have had it been seen first.
			_, errs[i] = x.Store.Create(ctx, bands[i].key, []byte(id))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("neardup: add %s: band %s: %w", id, bands[i].key, err)
		}
	}
	return nil
}

// MemStore is a Store in memory, for one process and for tests.
type MemStore struct {
	mu sync.Mutex
	m  map[string][]byte
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

// Create implements Store.
func (s *MemStore) Create(_ context.Context, key string, value []byte) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[key]; ok {
		return false, nil
	}
	s.m[key] = value
	return true, nil
}

// Put implements Store.
func (s *MemStore) Put(_ context.Context, key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
	return nil
}

// Len returns the number of keys held.
func (s *MemStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
