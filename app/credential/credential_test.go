package credential_test

import (
	"strings"
	"testing"
	"time"

	"beacon/app/credential"
)

func TestStatusList_RoundTrip(t *testing.T) {
	enc, err := credential.EncodeStatusList([]int64{0, 7, 131071})
	if err != nil || !strings.HasPrefix(enc, "u") {
		t.Fatalf("encode: %q, %v", enc, err)
	}
	for idx, want := range map[int64]bool{0: true, 1: false, 7: true, 8: false, 131071: true, 131070: false} {
		if got, err := credential.DecodeStatusList(enc, idx); err != nil || got != want {
			t.Fatalf("bit %d: %v, %v", idx, got, err)
		}
	}
	// An index past the minimum grows the list by whole steps.
	enc, _ = credential.EncodeStatusList([]int64{131072})
	if got, err := credential.DecodeStatusList(enc, 131072); err != nil || !got {
		t.Fatalf("grown list: %v, %v", got, err)
	}
	if _, err := credential.DecodeStatusList(enc, 2*131072); err == nil {
		t.Fatal("an index outside the list reads")
	}
}

func TestDIDWeb(t *testing.T) {
	for base, want := range map[string]string{
		"https://beacon.example.org":      "did:web:beacon.example.org",
		"http://127.0.0.1:8080":           "did:web:127.0.0.1%3A8080",
		"https://example.org/beacon/site": "did:web:example.org:beacon:site",
	} {
		if got, ok := credential.DIDWeb(base); !ok || got != want {
			t.Errorf("%s: %q", base, got)
		}
	}
	if _, ok := credential.DIDWeb("/relative"); ok {
		t.Error("a URL without host gave a DID")
	}
}

func TestCredential_SameInputSameBytes(t *testing.T) {
	k1, _ := credential.DeriveKey([]byte("0123456789abcdef0123456789abcdef"))
	k2, _ := credential.DeriveKey([]byte("0123456789abcdef0123456789abcdef"))
	k3, _ := credential.DeriveKey([]byte("another secret, another key!!!!!"))
	if k1.ID != k2.ID || k1.ID == k3.ID || !strings.HasPrefix(k1.ID, "v1-") {
		t.Fatalf("kids %s %s %s", k1.ID, k2.ID, k3.ID)
	}
	site := credential.Site{BaseURL: "https://beacon.example.org", Name: "Beacon"}
	b := credential.Badge{Code: "ABCDEFGHJKMN", HolderName: "Ada", IssuedAt: time.Date(2026, 12, 4, 10, 0, 0, 123, time.UTC),
		StatusIndex: 42, CourseURL: site.BaseURL + "/en/courses/x", CourseTitle: "X", Description: "d", Criteria: "c", Language: "en"}
	j1, _ := k1.Sign(credential.NewOpenBadgeCredential(site, b))
	j2, _ := k2.Sign(credential.NewOpenBadgeCredential(site, b))
	j3, _ := k3.Sign(credential.NewOpenBadgeCredential(site, b))
	if j1 != j2 || j1 == j3 {
		t.Fatal("signing is not a function of the key and the credential")
	}
	vc := credential.NewOpenBadgeCredential(site, b)
	if vc.ValidFrom != "2026-12-04T10:00:00Z" || vc.CredentialStatus.StatusListIndex != "42" ||
		vc.CredentialStatus.StatusListCredential != "https://beacon.example.org/credentials/status/1" {
		t.Fatalf("credential: %+v", vc)
	}
}

// BenchmarkStatusListCredential builds and signs the status list with
// 10,000 revoked certificates, as /credentials/status/1 does per request.
func BenchmarkStatusListCredential(b *testing.B) {
	k, _ := credential.DeriveKey([]byte("0123456789abcdef0123456789abcdef"))
	site := credential.Site{BaseURL: "https://beacon.example.org", Name: "Beacon"}
	revoked := make([]int64, 10000)
	for i := range revoked {
		revoked[i] = int64(i * 13)
	}
	for b.Loop() {
		list, err := credential.NewStatusList(site, 1, revoked)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := k.Sign(list); err != nil {
			b.Fatal(err)
		}
	}
}
