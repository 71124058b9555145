package neardup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Shape of a signature: NumHashes MinHash values in Bands bands of Rows
// rows. Two texts become candidates when one band is equal in both; with
// 16 bands of 4 rows, a pair of Jaccard similarity 0.5 is a candidate with
// probability 0.64, 0.7 with 0.99, 0.2 with 0.03.
const (
	NumHashes = 64
	Bands     = 16
	Rows      = NumHashes / Bands
)

// ShingleWords is the number of consecutive words hashed as one shingle.
const ShingleWords = 5

// MinWords is the shortest text that gets a signature: shorter ones (briefs,
// captions) share too much by chance to be told apart.
const MinWords = 40

// ErrTooShort is returned by Sign for a text under MinWords words.
var ErrTooShort = errors.New("neardup: text too short for a fingerprint")

// Signature is the MinHash of a text's set of word shingles: for each of
// NumHashes hash functions, the least hash of any shingle. The share of
// equal positions of two signatures estimates the Jaccard similarity of the
// two shingle sets.
type Signature [NumHashes]uint64

// seeds and mults make NumHashes hash functions out of one: hash i of a
// shingle whose hash h is already well mixed is (h ^ seeds[i]) * mults[i],
// a bijection that costs two instructions, where a full mix per function
// would cost nine and make the fingerprint three times slower.
var seeds, mults = func() (s, m [NumHashes]uint64) {
	x := uint64(0x6e657773666c6f77) // fixed, so signatures are comparable across processes and versions
	for i := range s {
		x = splitmix(x)
		s[i] = x
		x = splitmix(x)
		m[i] = x | 1
	}
	return s, m
}()

// splitmix is the SplitMix64 finaliser: a cheap, well-mixing bijection.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Sign returns the signature of a text. Words are runs of letters and
// digits, compared without case; punctuation, spacing and paragraph breaks
// do not count. A text under MinWords words gives ErrTooShort.
func Sign(text string) (Signature, error) {
	var sig Signature
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	var window [ShingleWords]uint64 // hashes of the last words, a ring
	words := 0
	addWord := func(w uint64) {
		window[words%ShingleWords] = w
		words++
		if words < ShingleWords {
			return
		}
		// Shingle hash: the words in order, oldest first.
		h := uint64(0xcbf29ce484222325)
		for j := range ShingleWords {
			h = splitmix(h ^ window[(words+j)%ShingleWords])
		}
		for i := range sig {
			if v := (h ^ seeds[i]) * mults[i]; v < sig[i] {
				sig[i] = v
			}
		}
	}
	const (
		fnvOffset = 0xcbf29ce484222325
		fnvPrime  = 0x100000001b3
	)
	h, in := uint64(fnvOffset), false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		var letter bool
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			letter = true
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
			letter = true
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
			letter = true
		}
		if letter {
			h = (h ^ uint64(r)) * fnvPrime
			in = true
			continue
		}
		if in {
			addWord(h)
			h, in = fnvOffset, false
		}
	}
	if in {
		addWord(h)
	}
	if words < MinWords {
		return Signature{}, ErrTooShort
	}
	return sig, nil
}

// Similarity estimates the Jaccard similarity of the shingle sets of the
// two signed texts: the share of positions where the signatures agree.
func (s *Signature) Similarity(o *Signature) float64 {
	n := 0
	for i := range s {
		if s[i] == o[i] {
			n++
		}
	}
	return float64(n) / NumHashes
}

// Band returns the hash of band b (0 <= b < Bands): texts whose band b
// hashes are equal agree on all Rows positions of that band, barring a
// collision of 2^-64.
func (s *Signature) Band(b int) uint64 {
	h := uint64(b)
	for _, v := range s[b*Rows : (b+1)*Rows] {
		h = splitmix(h ^ v)
	}
	return h
}

// MarshalBinary encodes the signature as NumHashes little-endian uint64s.
func (s *Signature) MarshalBinary() ([]byte, error) {
	out := make([]byte, 8*NumHashes)
	for i, v := range s {
		binary.LittleEndian.PutUint64(out[8*i:], v)
	}
	return out, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded.
func (s *Signature) UnmarshalBinary(data []byte) error {
	if len(data) != 8*NumHashes {
		return fmt.Errorf("neardup: signature of %d bytes, want %d", len(data), 8*NumHashes)
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint64(data[8*i:])
	}
	return nil
}
