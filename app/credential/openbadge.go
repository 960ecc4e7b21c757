package credential

import (
	"strconv"
	"time"
)

// Contexts of an OpenBadgeCredential: VCDM 2.0, then Open Badges 3.0.
var obContexts = []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}

// Profile is an Open Badges 3.0 issuer Profile.
type Profile struct {
	ID   string   `json:"id"`
	Type []string `json:"type"`
	Name string   `json:"name"`
	URL  string   `json:"url,omitempty"`
}

// Site is what the credentials say about the issuing site.
type Site struct {
	BaseURL string // public URL without trailing slash
	Name    string // the site's name
}

// IssuerURL is the stable URL of the issuer Profile, which is also its id.
func (s Site) IssuerURL() string { return s.BaseURL + "/credentials/issuer" }

// StatusListURL is the URL of status list n (there is one today: 1).
func (s Site) StatusListURL(n int) string {
	return s.BaseURL + "/credentials/status/" + strconv.Itoa(n)
}

// Issuer returns the issuer Profile.
func (s Site) Issuer() Profile {
	return Profile{ID: s.IssuerURL(), Type: []string{"Profile"}, Name: s.Name, URL: s.BaseURL + "/"}
}

// Badge is what a certificate says, as the credential needs it.
type Badge struct {
	Code        string // the certificate's verification code, as stored
	HolderName  string // the holder's name on the certificate
	IssuedAt    time.Time
	StatusIndex int64
	CourseURL   string // the achievement's id
	CourseTitle string // in the certificate's source language
	Description string // what the achievement is
	Criteria    string // how it is earned
	Language    string // the language of the texts above (BCP 47)
}

// OpenBadgeCredential is a VCDM 2.0 OpenBadgeCredential; its JSON member
// order is fixed by the struct, so the same badge gives the same bytes.
type OpenBadgeCredential struct {
	Context           []string           `json:"@context"`
	ID                string             `json:"id"`
	Type              []string           `json:"type"`
	Issuer            Profile            `json:"issuer"`
	ValidFrom         string             `json:"validFrom"`
	Name              string             `json:"name"`
	CredentialSubject AchievementSubject `json:"credentialSubject"`
	CredentialStatus  StatusEntry        `json:"credentialStatus"`
}

// AchievementSubject names the holder (by an IdentityObject of type name,
// as OB 3.0 allows) and the achievement.
type AchievementSubject struct {
	Type        []string         `json:"type"`
	Identifier  []IdentityObject `json:"identifier,omitempty"`
	Achievement Achievement      `json:"achievement"`
}

// IdentityObject identifies the holder without a DID or an e-mail
// address: here by the name printed on the certificate, not hashed.
type IdentityObject struct {
	Type         string `json:"type"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType"`
	Hashed       bool   `json:"hashed"`
}

// Achievement is the completed course.
type Achievement struct {
	ID          string   `json:"id"`
	Type        []string `json:"type"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Criteria    Criteria `json:"criteria"`
	InLanguage  string   `json:"inLanguage,omitempty"`
}

// Criteria say how the achievement is earned.
type Criteria struct {
	Narrative string `json:"narrative"`
}

// StatusEntry is a BitstringStatusListEntry for revocation.
type StatusEntry struct {
	ID                   string `json:"id"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose"`
	StatusListIndex      string `json:"statusListIndex"`
	StatusListCredential string `json:"statusListCredential"`
}

// CertificateURL is the public page of a certificate, which is also the
// credential's id.
func (s Site) CertificateURL(code string) string { return s.BaseURL + "/certificates/" + code }

// CredentialURL is where a certificate's signed credential is downloaded.
func (s Site) CredentialURL(code string) string { return s.CertificateURL(code) + "/credential.jwt" }

// NewOpenBadgeCredential builds the credential of a certificate. It reads
// no clock: everything in it comes from the badge and the site.
func NewOpenBadgeCredential(site Site, b Badge) OpenBadgeCredential {
	list := site.StatusListURL(1)
	idx := strconv.FormatInt(b.StatusIndex, 10)
	subject := AchievementSubject{Type: []string{"AchievementSubject"},
		Achievement: Achievement{ID: b.CourseURL, Type: []string{"Achievement"}, Name: b.CourseTitle,
			Description: b.Description, Criteria: Criteria{Narrative: b.Criteria}, InLanguage: b.Language}}
	if b.HolderName != "" {
		subject.Identifier = []IdentityObject{{Type: "IdentityObject", IdentityHash: b.HolderName, IdentityType: "name"}}
	}
	return OpenBadgeCredential{
		Context:           obContexts,
		ID:                site.CertificateURL(b.Code),
		Type:              []string{"VerifiableCredential", "OpenBadgeCredential"},
		Issuer:            site.Issuer(),
		ValidFrom:         b.IssuedAt.UTC().Truncate(time.Second).Format(time.RFC3339),
		Name:              b.CourseTitle,
		CredentialSubject: subject,
		CredentialStatus: StatusEntry{ID: list + "#" + idx, Type: "BitstringStatusListEntry", StatusPurpose: "revocation",
			StatusListIndex: idx, StatusListCredential: list},
	}
}
