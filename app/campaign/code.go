package campaign

import (
	"crypto/rand"
	"strings"
)

// codeAlphabet leaves out letters and digits people confuse when they type
// a code from a poster (0/o, 1/l/i).
const codeAlphabet = CodeAlphabet

// CodeAlphabet are the characters of a channel code: lower-case letters
// and digits without the look-alikes i, l, o, 0 and 1.
const CodeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// CodeLength is the length of a channel code: 31^8 ≈ 8.5e11 codes, so a
// code cannot be guessed from another.
const CodeLength = 8

// NewCode returns a random channel code.
func NewCode() string {
	out := make([]byte, 0, CodeLength)
	b := make([]byte, 1)
	limit := byte(256 / len(codeAlphabet) * len(codeAlphabet)) // reject the tail so every letter is equally likely
	for len(out) < CodeLength {
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		if b[0] < limit {
			out = append(out, codeAlphabet[int(b[0])%len(codeAlphabet)])
		}
	}
	return string(out)
}

// ValidCode reports whether s has the shape NewCode makes.
func ValidCode(s string) bool {
	if len(s) != CodeLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(codeAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}
