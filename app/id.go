package app

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"strings"
	"unicode"
)

// NewID returns a random, URL-safe identifier of 128 bits (pseudonymous
// learner ids, nonces).
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewToken returns a random secret of 256 bits for cookies.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewCode returns a certificate verification code: 10 characters of
// Crockford-like base32 (no padding), easy to read aloud and to type.
func NewCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return base32.NewEncoding(codeAlphabet).WithPadding(base32.NoPadding).EncodeToString(b)[:12]
}

// codeAlphabet is the alphabet of certificate codes: no I, O, 0 or 1.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// CodeLength is the length of a certificate code.
const CodeLength = 12

// NormalizeCode returns a certificate code as typed by a person in its
// stored form: upper case, without the spaces and dashes (of any kind) a
// person may put between groups. It reports false when what is left is
// not a well-formed code.
func NormalizeCode(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range typed {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	code := b.String()
	if len(code) != CodeLength {
		return "", false
	}
	for _, r := range code {
		if !strings.ContainsRune(codeAlphabet, r) {
			return "", false
		}
	}
	return code, true
}

// NormalizeCodeEmpty reports whether a typed code holds nothing but the
// spaces and dashes NormalizeCode drops.
func NormalizeCodeEmpty(typed string) bool {
	for _, r := range typed {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Pd, r) {
			return false
		}
	}
	return true
}
