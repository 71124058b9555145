// Package neardup recognises near copies of a text, such as one agency
// story published by many outlets with small edits: a MinHash signature
// over word shingles, and a locality-sensitive index of signatures kept in
// a key-value store that every crawler shares.
//
// The package knows no NATS and no database: the index works on any Store,
// and the bus package provides one backed by a JetStream key-value bucket.
package neardup
