// Package bus is the only package that knows NATS. It runs an embedded
// NATS server with JetStream (or connects to an external one), creates the
// streams and the key-value bucket the pipeline uses, and offers publish,
// consume and observe operations in the pipeline's own terms.
//
// The streams:
//
//   - NEWS, subjects news.article.<source>: limits retention, file storage,
//     no age limit, so that subscribers can replay every article. Publishes
//     carry Nats-Msg-Id = id + ":" + content hash, deduplicated inside
//     Options.DuplicateWindow (default 2m).
//   - FRONTIER, subjects news.frontier.<source>: work-queue retention, each
//     fetch task is consumed once. Publishes carry Nats-Msg-Id = URL,
//     deduplicated inside Options.FrontierDuplicateWindow (default 1h), so
//     a URL discovered again by the next crawl round is not queued twice.
//   - DEAD, subjects news.dead.<stage>: limits retention, no age limit;
//     messages that failed past their redelivery limit, with the headers
//     Newsflow-Reason, Newsflow-Stage, Newsflow-Subject and
//     Newsflow-Deliveries.
//   - key-value bucket newsflow_seen: per canonical URL, what the crawler
//     last saw there (Visit), keyed by newsflow.ArticleID(canonicalURL);
//     a visit not written again within Options.SeenMaxAge is dropped.
//   - object store newsflow_state: what crawlers learn and keep across
//     restarts, such as a source's template memory (PutState, GetState).
package bus
