package web

import (
	"encoding/json"

	"beacon/app"
	"beacon/app/credential"

	"github.com/gofiber/fiber/v2"
)

// Certificates as Open Badges 3.0 credentials (app/credential): the signed
// credential of each certificate, the status list that revokes it, the
// issuer profile and the keys that verify both.
//
// Every URL in them starts with baseURL: the configured base URL, else the
// host a trusted proxy forwards, else the listener's address. A deployment
// therefore always names itself the same way, and a credential signs to the
// same bytes at every download; nothing in it is read from the request.

const (
	// statusListCacheControl keeps the status list short-lived in caches,
	// so that a revocation is seen within a minute.
	statusListCacheControl = "public, max-age=60"
	// keyCacheControl lets verifiers keep the keys and the profile an hour.
	keyCacheControl = "public, max-age=3600"
)

// credentialSite is how credentials name the site: its base URL and its
// name in the site's default language.
func (s *Server) credentialSite(c *fiber.Ctx) credential.Site {
	return credential.Site{BaseURL: s.baseURL(c), Name: s.siteNameIn(c.UserContext(), s.bundle.Default())}
}

// badge is what the credential says about a certificate: the course title
// in the certificate's source language (the language the course was
// written in, fixed at issue), with the texts of that language.
func (s *Server) badge(c *fiber.Ctx, site credential.Site, cert *app.Certificate) credential.Badge {
	lang := cert.SourceLocale
	if !s.bundle.Enabled(lang) {
		lang = s.bundle.Default()
	}
	title, _ := cert.CourseTitle.Get(cert.SourceLocale, cert.SourceLocale)
	l := s.bundle.Localizer(lang)
	return credential.Badge{Code: cert.Code, HolderName: cert.HolderName, IssuedAt: cert.IssuedAt,
		StatusIndex: cert.StatusIndex, CourseURL: site.BaseURL + "/" + lang + "/courses/" + cert.CourseSlug,
		CourseTitle: title, Language: cert.SourceLocale,
		Description: l.T("credential.achievement_description", map[string]any{"Course": title}),
		Criteria:    l.T("credential.criteria", nil)}
}

// credentialDownload sends a certificate's OpenBadgeCredential as a
// compact JWS (application/vc+jwt) to save. A revoked certificate has no
// credential to give: 410, as its page.
func (s *Server) credentialDownload(c *fiber.Ctx) error {
	cert, err := s.certificateParam(c, "/credential.jwt")
	if err != nil || cert == nil {
		return err
	}
	if cert.Revoked() {
		return s.certificateShow(c)
	}
	site := s.credentialSite(c)
	jws, err := s.credKey.Sign(credential.NewOpenBadgeCredential(site, s.badge(c, site, cert)))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, credential.MediaType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="certificate-`+cert.Code+`.jwt"`)
	c.Set(fiber.HeaderCacheControl, privateCacheControl)
	return c.SendString(jws)
}

// statusList sends the revocation status list credential, signed.
func (s *Server) statusList(c *fiber.Ctx) error {
	if c.Params("list") != "1" {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	revoked, err := s.store.RevokedStatusIndexes(c.UserContext())
	if err != nil {
		return err
	}
	list, err := credential.NewStatusList(s.credentialSite(c), 1, revoked)
	if err != nil {
		return err
	}
	jws, err := s.credKey.Sign(list)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, credential.MediaType)
	c.Set(fiber.HeaderCacheControl, statusListCacheControl)
	return c.SendString(jws)
}

// issuerProfile sends the Open Badges issuer Profile, the credentials'
// issuer id.
func (s *Server) issuerProfile(c *fiber.Ctx) error {
	site := s.credentialSite(c)
	p := site.Issuer()
	return s.sendJSON(c, "application/json", struct {
		Context []string `json:"@context"`
		credential.Profile
	}{[]string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}, p})
}

// jwks sends the public key set that verifies credentials and status lists.
func (s *Server) jwks(c *fiber.Ctx) error {
	return s.sendJSON(c, "application/jwk-set+json", s.credKey.JWKS())
}

// didDocument sends the did:web document of the site's host (from
// baseURL), with the signing key as its assertion method.
func (s *Server) didDocument(c *fiber.Ctx) error {
	did, ok := credential.DIDWeb(s.baseURL(c))
	if !ok {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	return s.sendJSON(c, "application/did+json", s.credKey.NewDIDDocument(did))
}

// sendJSON sends v as JSON with a media type, cacheable by anyone.
func (s *Server) sendJSON(c *fiber.Ctx, mediaType string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, mediaType)
	c.Set(fiber.HeaderCacheControl, keyCacheControl)
	return c.Send(body)
}
