//go:build race

package extractor

// raceOn is set when the tests run under the race detector, which makes
// the date sweep of a whole corpus too slow: it then scores a sample.
const raceOn = true
