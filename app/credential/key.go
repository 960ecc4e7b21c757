package credential

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// KeyVersion is the version of the signing key derivation. Raising it
// (with a new info string) rotates every instance's key at once; kid
// carries it so that verifiers can tell the keys apart.
const KeyVersion = 1

// keyInfo is the HKDF info string of KeyVersion: it separates this key from
// anything else derived from the same site secret.
const keyInfo = "beacon open badges credential signing key v1"

// Key is the site's signing key: the same on every instance that shares
// the site secret, never stored.
type Key struct {
	private ed25519.PrivateKey
	public  ed25519.PublicKey
	// ID is the JOSE kid: the key version and the key's RFC 7638
	// thumbprint, so a new secret or a new version gives a new kid.
	ID string
}

// DeriveKey derives the signing key from the site secret with
// HKDF-SHA256. The secret must hold at least 16 bytes.
func DeriveKey(secret []byte) (*Key, error) {
	if len(secret) < 16 {
		return nil, fmt.Errorf("derive credential key: secret too short")
	}
	seed, err := hkdf.Key(sha256.New, secret, nil, keyInfo, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("derive credential key: %w", err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	k := &Key{private: priv, public: priv.Public().(ed25519.PublicKey)}
	k.ID = fmt.Sprintf("v%d-%s", KeyVersion, k.thumbprint())
	return k, nil
}

// JWK is a public key in JSON Web Key form (RFC 8037, OKP/Ed25519).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
}

// JWKSet is a JSON Web Key Set (RFC 7517 section 5).
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// PublicJWK returns the public key with its kid, alg EdDSA and use sig.
func (k *Key) PublicJWK() JWK {
	return JWK{Kty: "OKP", Crv: "Ed25519", X: b64(k.public), Kid: k.ID, Alg: "EdDSA", Use: "sig"}
}

// JWKS returns the key set verifiers fetch: today one key.
func (k *Key) JWKS() JWKSet {
	return JWKSet{Keys: []JWK{k.PublicJWK()}}
}

// thumbprint is the RFC 7638 SHA-256 thumbprint of the public key: the
// required members in lexical order, no spaces.
func (k *Key) thumbprint() string {
	canon, _ := json.Marshal(struct {
		Crv string `json:"crv"`
		Kty string `json:"kty"`
		X   string `json:"x"`
	}{"Ed25519", "OKP", b64(k.public)})
	sum := sha256.Sum256(canon)
	return b64(sum[:])
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
