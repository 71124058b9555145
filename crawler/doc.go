// Package crawler fetches pages politely and discovers the article URLs of a
// news source. It knows nothing of the frontier, the extractor or the store.
//
// Fetching goes through colly. On top of it the package adds what a
// long-running crawler needs and colly leaves out:
//
//   - Per-host limits: one colly collector per host, each with a single
//     LimitRule whose glob is "*", so the source's Delay and Parallelism
//     really apply per host (colly matches rules by domain glob). Requests
//     of a host are spaced by at least Delay; the first source that fetches
//     from a host sets its limits.
//   - robots.txt, done here with temoto/robotstxt rather than by colly:
//     fetched through the host's collector (so within its limits), cached
//     per origin for a day, 4xx = allow all, 5xx/429 = disallow all for ten
//     minutes (as Google does), network errors not cached.
//   - Retries of 5xx, 429 and network errors with exponential backoff and
//     jitter, Retry-After honoured; conditional GET; a body size cap and a
//     decompressed-size cap for gzip documents; refusal of private network
//     addresses at dial time; context cancellation of waits and requests.
//   - Bodies exactly as served: colly's charset conversion is kept out, and
//     its visited map stays empty (AllowURLRevisit; callers dedupe).
//   - Errors a caller sorts with IsTransient and SkipReason.
//
// Discovery (Discoverer) reads feeds, sitemaps and start pages with their
// pagination and reports canonical candidate URLs (see Canonicalize).
package crawler
