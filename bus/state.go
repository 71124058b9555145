package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// PutState saves a named piece of crawler state (a source's template
// memory) in the object store bucket newsflow_state, replacing what was
// saved under that name. Every crawler process sees it.
func (b *Bus) PutState(ctx context.Context, name string, data []byte) error {
	if _, err := b.state.PutBytes(ctx, name, data); err != nil {
		return fmt.Errorf("bus: put state %s: %w", name, err)
	}
	return nil
}

// GetState returns the state saved under name; ok is false when there is
// none.
func (b *Bus) GetState(ctx context.Context, name string) (data []byte, ok bool, err error) {
	data, err = b.state.GetBytes(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("bus: get state %s: %w", name, err)
	}
	return data, true, nil
}
