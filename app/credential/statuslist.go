package credential

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"strings"
)

// MinStatusListBits is the smallest bitstring Bitstring Status List v1.0
// allows (16 KiB), so that one holder's bit hides among many.
const MinStatusListBits = 131072

// BitstringStatusListCredential is the signed list of revoked indexes.
type BitstringStatusListCredential struct {
	Context           []string            `json:"@context"`
	ID                string              `json:"id"`
	Type              []string            `json:"type"`
	Issuer            Profile             `json:"issuer"`
	CredentialSubject BitstringStatusList `json:"credentialSubject"`
}

// BitstringStatusList is the list itself.
type BitstringStatusList struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
	EncodedList   string `json:"encodedList"`
}

// NewStatusList builds status list n with the bits of revoked set: the
// bitstring is MinStatusListBits long, or longer in whole steps of it when
// an index needs more.
func NewStatusList(site Site, n int, revoked []int64) (BitstringStatusListCredential, error) {
	enc, err := EncodeStatusList(revoked)
	if err != nil {
		return BitstringStatusListCredential{}, err
	}
	url := site.StatusListURL(n)
	return BitstringStatusListCredential{
		Context: []string{"https://www.w3.org/ns/credentials/v2"},
		ID:      url,
		Type:    []string{"VerifiableCredential", "BitstringStatusListCredential"},
		Issuer:  site.Issuer(),
		CredentialSubject: BitstringStatusList{ID: url + "#list", Type: "BitstringStatusList",
			StatusPurpose: "revocation", EncodedList: enc},
	}, nil
}

// EncodeStatusList sets the bits at indexes in a bitstring (index 0 is the
// most significant bit of the first byte), GZIPs it and returns it as
// multibase base64url without padding (prefix "u").
func EncodeStatusList(indexes []int64) (string, error) {
	bits := int64(MinStatusListBits)
	for _, i := range indexes {
		if i < 0 {
			return "", fmt.Errorf("encode status list: negative index %d", i)
		}
		for i >= bits {
			bits += MinStatusListBits
		}
	}
	list := make([]byte, bits/8)
	for _, i := range indexes {
		list[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", fmt.Errorf("encode status list: %w", err)
	}
	if _, err := zw.Write(list); err != nil {
		return "", fmt.Errorf("encode status list: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("encode status list: %w", err)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// DecodeStatusList reverses EncodeStatusList and reports whether the bit
// at index is set.
func DecodeStatusList(encoded string, index int64) (bool, error) {
	raw, ok := strings.CutPrefix(encoded, "u")
	if !ok {
		return false, fmt.Errorf("decode status list: not multibase base64url")
	}
	gz, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return false, fmt.Errorf("decode status list: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return false, fmt.Errorf("decode status list: %w", err)
	}
	var list bytes.Buffer
	if _, err := list.ReadFrom(zr); err != nil {
		return false, fmt.Errorf("decode status list: %w", err)
	}
	b := list.Bytes()
	if index < 0 || index/8 >= int64(len(b)) {
		return false, fmt.Errorf("decode status list: index %d outside the list", index)
	}
	return b[index/8]&(0x80>>(index%8)) != 0, nil
}
