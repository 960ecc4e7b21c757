// Package credential turns certificates into Open Badges 3.0 credentials:
// the site's Ed25519 signing key derived from its secret, the public keys
// (JWK set, did:web document), the OpenBadgeCredential and the Bitstring
// Status List that revokes it, each secured as a compact JWS (VC-JOSE,
// typ vc+jwt). It imports the standard library only; no Fiber, no GORM.
package credential
