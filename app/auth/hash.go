package auth

import (
	"fmt"
	"sync"

	"github.com/alexedwards/argon2id"
)

// params are argon2id's recommended defaults (64 MiB, 1 pass, 2 lanes),
// the same that hashed every password stored so far.
var params = argon2id.DefaultParams

// HashPassword returns the argon2id hash of pw in PHC string form, ready
// for users.password_hash. It does not judge pw: call CheckPassword first.
func HashPassword(pw string) (string, error) {
	if len(pw) > MaxLength {
		return "", fmt.Errorf("hash password: longer than %d bytes", MaxLength)
	}
	h, err := argon2id.CreateHash(pw, params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// VerifyPassword reports whether pw matches hash. A password longer than
// MaxLength never matches. When hash is "" (no such account) it still
// does a full argon2id comparison against a throwaway hash and reports
// false, so that an unknown account costs as much time as a known one and
// answers cannot be told apart by timing. An error means a malformed hash.
func VerifyPassword(pw, hash string) (bool, error) {
	if hash == "" {
		hash = dummyHash()
	}
	if len(pw) > MaxLength {
		pw = pw[:MaxLength] // spend the same work, then refuse
		_, _ = argon2id.ComparePasswordAndHash(pw, hash)
		return false, nil
	}
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	return ok && hash != dummyHash(), nil
}

// dummyHash is made on first use, not at start, so that commands which
// never verify a password do not spend 64 MiB on it.
var dummyHash = sync.OnceValue(func() string {
	h, err := argon2id.CreateHash("beacon-timing-equalizer", params)
	if err != nil {
		panic(fmt.Sprintf("auth: dummy hash: %v", err)) // only on a broken crypto/rand
	}
	return h
})
