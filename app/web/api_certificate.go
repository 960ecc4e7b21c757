package web

import (
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// apiCertificate is the verification result of a certificate code.
type apiCertificate struct {
	Code       string     `json:"code"`
	Status     string     `json:"status"` // valid or revoked
	Course     apiCertRef `json:"course"`
	HolderName string     `json:"holder_name,omitempty"`
	IssuedAt   time.Time  `json:"issued_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	URL        string     `json:"url"`
	Credential string     `json:"credential,omitempty"`
}

// apiCertRef names the certified course, its title in the asked language
// (or the certificate's source language when there is no translation).
type apiCertRef struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	Lang  string `json:"lang"`
}

// apiCertificateShow verifies a certificate code (typed in any case, with
// spaces or dashes): valid with the holder's name and the credential's
// URL, or revoked without them. An unknown code is a 404 problem.
func (s *Server) apiCertificateShow(c *fiber.Ctx) error {
	code, ok := app.NormalizeCode(c.Params("code"))
	if !ok {
		return app.Errorf(app.ENOTFOUND, "api.problem.certificate_not_found")
	}
	cert, err := s.store.FindCertificateByCode(c.UserContext(), code)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Errorf(app.ENOTFOUND, "api.problem.certificate_not_found")
	}
	if err != nil {
		return err
	}
	lang := s.apiLang(c)
	title, fellBack := cert.CourseTitle.Get(lang, cert.SourceLocale)
	titleLang := lang
	if fellBack {
		titleLang = cert.SourceLocale
	}
	site := s.credentialSite(c)
	out := apiCertificate{Code: cert.Code, Status: "valid", IssuedAt: cert.IssuedAt.UTC(), URL: site.CertificateURL(cert.Code),
		Course: apiCertRef{Slug: cert.CourseSlug, Title: title, Lang: titleLang}}
	if cert.Revoked() {
		out.Status, out.RevokedAt = "revoked", cert.RevokedAt
	} else {
		out.HolderName, out.Credential = cert.HolderName, site.CredentialURL(cert.Code)
	}
	return s.apiSend(c, out)
}
