// Command subscriber-go follows newsflow's article stream with a durable
// consumer of its own, as a downstream program would: it prints each new
// article's source, time and title, and acknowledges it after that, so a
// restart goes on where the last run stopped.
//
//	go run ./examples/subscriber-go --url nats://127.0.0.1:4222 --durable my-app
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsflow/newsflow"
)

func main() {
	url := flag.String("url", nats.DefaultURL, "NATS server URL")
	stream := flag.String("stream", "NEWS", "article stream (NS_NEWS with nats.namespace ns)")
	subject := flag.String("subject", "news.article.>", "subjects to follow (ns.article.> with nats.namespace ns)")
	durable := flag.String("durable", "my-app", "durable consumer name: the server keeps its progress")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := follow(ctx, os.Stdout, *url, *stream, *subject, *durable); err != nil {
		slog.Error("subscriber stopped", "err", err)
		os.Exit(1)
	}
}

// follow consumes the stream until ctx is done, writing a line to w for
// each article.
func follow(ctx context.Context, w io.Writer, url, stream, subject, durable string) error {
	nc, err := nats.Connect(url)
	if err != nil {
		return fmt.Errorf("connect %s: %w", url, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	c, err := js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
		Durable:       durable,
		FilterSubject: subject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		// A message handed to a run that stopped before acknowledging it
		// comes back to the next run after this long.
		AckWait: 10 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
	}
	cc, err := c.Consume(func(m jetstream.Msg) {
		var a newsflow.Article
		if err := json.Unmarshal(m.Data(), &a); err != nil || a.Schema != newsflow.Schema {
			// Not an article of this schema version: skip it for good.
			m.Term()
			return
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", a.Source, a.PublishedAt.Format("2006-01-02"), a.Title)
		m.Ack() // after handling: the server keeps the consumer's progress
	})
	if err != nil {
		return fmt.Errorf("consume: %w", err)
	}
	<-ctx.Done()
	// Let the messages already handed over be handled and acknowledged,
	// and the server forget this run's pull requests, before closing.
	cc.Drain()
	<-cc.Closed()
	return nil
}
