// Package newsflow holds the domain of the newsflow news ingestion pipeline:
// the Article message that flows from the extractor through NATS JetStream
// to the store and to subscribers, the Source an operator lists, and the
// configuration file. It imports no crawler, NATS or SQL code; the stages
// live in their own packages (crawler, extractor, bus, store).
package newsflow
