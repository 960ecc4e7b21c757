package app

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"
)

// APITokenPrefix starts every personal API token, so that a token pasted
// into the wrong place (a log, a repository) is easy to recognise and scan for.
const APITokenPrefix = "bcn_"

// APITokenShown is how many leading characters of a token (APITokenPrefix
// included) lists show to tell tokens apart; far too few to guess the rest.
const APITokenShown = 12

// APITokenNameMax is the longest name a token may carry, in characters.
const APITokenNameMax = 100

// APITokenLifetimes are the expiries a token may be created with, in days
// (0 = never expires).
var APITokenLifetimes = []int{0, 30, 90, 365}

// APIToken is a personal API token as its owner and administrators see it:
// never the token itself, which is shown once at creation and stored only
// as a digest.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
}

// Active reports a token that still authenticates at now.
func (t APIToken) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || t.ExpiresAt.After(now))
}

// NewAPIToken returns a fresh token: APITokenPrefix and the base64url text
// of 32 random bytes.
func NewAPIToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// LooksLikeAPIToken reports text of the shape NewAPIToken makes, so that
// garbage is refused before any lookup.
func LooksLikeAPIToken(s string) bool {
	rest, ok := strings.CutPrefix(s, APITokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// ValidateAPITokenName checks a token's name: required, at most
// APITokenNameMax characters. It returns a field error for "name" or nil.
func ValidateAPITokenName(name string) *Error {
	switch n := len([]rune(name)); {
	case strings.TrimSpace(name) == "":
		return FieldError("name", "tokens.error.name_required")
	case n > APITokenNameMax:
		return FieldError("name", "tokens.error.name_too_long")
	}
	return nil
}
