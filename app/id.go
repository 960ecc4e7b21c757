package app

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
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
	return base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding).EncodeToString(b)[:12]
}
