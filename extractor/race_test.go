//go:build race

package extractor

// raceEnabled is true in a -race build, where the corpus sweeps take a
// sample of each corpus (the extraction is the same code either way; -race
// checks the concurrency of the sweeps).
const raceEnabled = true
