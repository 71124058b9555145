//go:build !race

package extractor

// raceOn is set when the tests run under the race detector.
const raceOn = false
