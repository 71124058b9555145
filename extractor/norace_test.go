//go:build !race

package extractor

// raceEnabled is true in a -race build.
const raceEnabled = false
