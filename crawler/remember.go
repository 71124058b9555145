package crawler

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// rememberedVersion is the format of Discoverer.Remembered's output.
const rememberedVersion = 1

// remembered is what a Discoverer keeps of one source's documents, as
// saved between processes.
type remembered struct {
	Version int             `json:"version"`
	Docs    []rememberedDoc `json:"docs"`
}

type rememberedDoc struct {
	URL          string      `json:"url"`
	ETag         string      `json:"etag,omitempty"`
	LastModified string      `json:"last_modified,omitempty"`
	Candidates   []Candidate `json:"candidates"`
}

// Remembered returns what the Discoverer remembers of a source's feeds
// and sitemaps (their validators and candidates), for Remember to give to
// the Discoverer of a later process: its first run then asks for them
// conditionally too. It returns nil when nothing is remembered.
func (d *Discoverer) Remembered(source string) ([]byte, error) {
	prefix := docKey(source, "")
	var out remembered
	d.docs.mu.Lock()
	for key, doc := range d.docs.docs {
		u, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		// A remembered document's candidates are never changed in place,
		// so they can be encoded after the lock is released.
		out.Docs = append(out.Docs, rememberedDoc{URL: u, ETag: doc.validators.ETag,
			LastModified: doc.validators.LastModified, Candidates: doc.cands})
	}
	d.docs.mu.Unlock()
	if len(out.Docs) == 0 {
		return nil, nil
	}
	// In a fixed order, so that what did not change saves the same bytes.
	slices.SortFunc(out.Docs, func(a, b rememberedDoc) int { return strings.Compare(a.URL, b.URL) })
	out.Version = rememberedVersion
	data, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("crawler: save documents of %s: %w", source, err)
	}
	return data, nil
}

// Remember gives the Discoverer what Remembered saved of a source's
// documents, within the usual bounds. Data of another format is refused
// whole.
func (d *Discoverer) Remember(source string, data []byte) error {
	var in remembered
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("crawler: load documents of %s: %w", source, err)
	}
	if in.Version != rememberedVersion {
		return fmt.Errorf("crawler: load documents of %s: format %d, want %d", source, in.Version, rememberedVersion)
	}
	for _, rd := range in.Docs {
		d.docs.put(docKey(source, rd.URL), Validators{ETag: rd.ETag, LastModified: rd.LastModified}, rd.Candidates)
	}
	return nil
}
