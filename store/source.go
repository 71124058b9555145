package store

import (
	"context"
	"time"
)

// Msg is one message of the NEWS stream as the worker handles it.
// *bus.Message implements it.
type Msg interface {
	Data() []byte
	// Deliveries counts the deliveries of this message, this one included.
	Deliveries() uint64
	// Ack confirms the message once the server has it.
	Ack(ctx context.Context) error
	// Nak hands the message back for redelivery after delay.
	Nak(delay time.Duration) error
	// DeadLetter moves the message to the dead-letter subject of stage
	// with reason; on failure it nak's the message and returns the error.
	DeadLetter(ctx context.Context, stage, reason string) error
	// KeepAlive tells the server the message is still being worked on,
	// again and again, until stop is called.
	KeepAlive() (stop func())
}

// Batches is where the worker takes its messages from. The worker does not
// import the bus package: the store stage can be driven and tested by any
// source of messages, and bus stays the one package that knows NATS. Adapt
// turns a *bus.Consumer into Batches.
type Batches interface {
	// Fetch waits up to wait for up to max messages; it returns no
	// messages and no error when none came in time.
	Fetch(ctx context.Context, max int, wait time.Duration) ([]Msg, error)
}

// Adapt turns the Fetch method of a consumer whose messages implement Msg
// into Batches: store.Adapt(consumer.Fetch) for a *bus.Consumer.
func Adapt[M Msg](fetch func(ctx context.Context, max int, wait time.Duration) ([]M, error)) Batches {
	return batchFunc[M](fetch)
}

type batchFunc[M Msg] func(ctx context.Context, max int, wait time.Duration) ([]M, error)

func (f batchFunc[M]) Fetch(ctx context.Context, max int, wait time.Duration) ([]Msg, error) {
	ms, err := f(ctx, max, wait)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	out := make([]Msg, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out, nil
}
