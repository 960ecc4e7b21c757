package credential

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
)

// MediaType is the media type of a credential secured with VC-JOSE.
const MediaType = "application/vc+jwt"

// header is the protected JOSE header of a VC-JOSE credential, in a fixed
// member order so that the same credential signs to the same bytes.
type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
	Cty string `json:"cty"`
}

// Sign secures v (a credential) as a compact JWS per VC-JOSE-COSE 1.0:
// header {alg EdDSA, kid, typ vc+jwt, cty vc}, payload = v's JSON. Ed25519
// signatures are deterministic, so equal input gives equal bytes.
func (k *Key) Sign(v any) (string, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sign credential: %w", err)
	}
	h, err := json.Marshal(header{Alg: "EdDSA", Kid: k.ID, Typ: "vc+jwt", Cty: "vc"})
	if err != nil {
		return "", fmt.Errorf("sign credential: %w", err)
	}
	input := b64(h) + "." + b64(payload)
	return input + "." + b64(ed25519.Sign(k.private, []byte(input))), nil
}
