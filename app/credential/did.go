package credential

import (
	"net/url"
	"strings"
)

// DIDWeb returns the did:web identifier of the site at baseURL (host, with
// the port percent-encoded, then any path segments joined by colons), or
// false when baseURL has no host.
func DIDWeb(baseURL string) (string, bool) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "", false
	}
	did := "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
	for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
		if seg != "" {
			did += ":" + url.PathEscape(seg)
		}
	}
	return did, true
}

// DIDDocument is a did:web document that publishes the signing key.
type DIDDocument struct {
	Context            []string             `json:"@context"`
	ID                 string               `json:"id"`
	VerificationMethod []VerificationMethod `json:"verificationMethod"`
	AssertionMethod    []string             `json:"assertionMethod"`
}

// VerificationMethod is one key of a DID document, as a JsonWebKey.
type VerificationMethod struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	Controller   string `json:"controller"`
	PublicKeyJwk JWK    `json:"publicKeyJwk"`
}

// NewDIDDocument returns the DID document of did, with the key as its
// only verification and assertion method (id did#kid).
func (k *Key) NewDIDDocument(did string) DIDDocument {
	vm := did + "#" + k.ID
	return DIDDocument{
		// DID 1.1 defines the JsonWebKey verification method type.
		Context: []string{"https://www.w3.org/ns/did/v1.1"},
		ID:      did,
		VerificationMethod: []VerificationMethod{{ID: vm, Type: "JsonWebKey", Controller: did,
			PublicKeyJwk: k.PublicJWK()}},
		AssertionMethod: []string{vm},
	}
}
