package app

import (
	"context"
	"errors"
	"math"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/neardup"
)

// openNearDup sets up the near-duplicate index in the deployment's
// fingerprint bucket, unless near_duplicates.enabled is false.
func (a *App) openNearDup(ctx context.Context) error {
	if !a.Config.NearDuplicates.On() || a.Bus == nil {
		return nil
	}
	kv, err := a.Bus.Fingerprints(ctx)
	if err != nil {
		return err
	}
	x := &neardup.Index{Store: kv, Threshold: a.Config.NearDuplicates.Threshold}
	// The index follows what every process adds for as long as the bus is
	// open.
	if err := x.Follow(a.Bus.Context()); err != nil {
		return err
	}
	a.nearDup = x
	return nil
}

// markNearDuplicate fingerprints the article's text, records it in the
// shared index, and marks the article as a near copy of the most similar
// earlier one, if any. A text too short to tell copies apart is left
// unmarked and unrecorded.
func (a *App) markNearDuplicate(ctx context.Context, art *newsflow.Article) error {
	if a.nearDup == nil {
		return nil
	}
	sig, err := neardup.Sign(art.Text)
	if errors.Is(err, neardup.ErrTooShort) {
		return nil
	}
	if err != nil {
		return err
	}
	m, ok, err := a.nearDup.Check(ctx, art.ID, &sig)
	if err != nil {
		return err
	}
	if ok {
		art.NearDuplicateOf = m.ID
		art.NearDuplicateSimilarity = math.Round(m.Similarity*1000) / 1000
	}
	return nil
}
