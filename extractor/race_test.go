//go:build race

package extractor

// raceEnabled is true in a -race build, where the non-article pages are
// sampled rather than all built (the decision is the same code either way;
// -race checks the concurrency of the sweep).
const raceEnabled = true
