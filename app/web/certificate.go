package web

import (
	"fmt"
	"net/url"

	"beacon/app"
	"beacon/app/qr"

	"github.com/gofiber/fiber/v2"
)

// certificateShow is the public, printable check of a certificate code, in
// the visitor's language. The code is matched as a person types it (any
// case, spaces, dashes) and redirected to its stored form; an unknown code
// is a 404 and a revoked one a 410 that names no one.
func (s *Server) certificateShow(c *fiber.Ctx) error {
	cert, err := s.certificateParam(c, "")
	if err != nil || cert == nil {
		return err
	}
	lang := s.localeOf(c)
	title, _ := cert.CourseTitle.Get(lang, cert.SourceLocale)
	data := fiber.Map{"Title": title, "Certificate": cert, "CourseTitle": title,
		"VerifyURL": s.credentialSite(c).CertificateURL(cert.Code), "Meta": s.certificateMeta(c, cert, title)}
	if cert.Revoked() {
		data["Title"] = s.bundle.Localizer(lang).T("certificate.revoked_title", nil)
		c.Status(fiber.StatusGone)
		return s.render(c, "certificate/revoked", data)
	}
	data["CredentialURL"] = "/certificates/" + cert.Code + "/credential.jwt"
	data["QRURL"] = "/certificates/" + cert.Code + "/qr.svg"
	return s.render(c, "certificate/show", data)
}

// certificateParam reads the :code of a certificate route whose path ends
// in suffix after the code. A code typed in another form than the stored
// one is redirected (301) and the certificate is nil; a malformed or
// unknown code is ENOTFOUND.
func (s *Server) certificateParam(c *fiber.Ctx, suffix string) (*app.Certificate, error) {
	typed := c.Params("code")
	if u, err := url.PathUnescape(typed); err == nil {
		typed = u
	}
	code, ok := app.NormalizeCode(typed)
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "certificate.not_found")
	}
	cert, err := s.store.FindCertificateByCode(c.UserContext(), code)
	if err != nil {
		return nil, err
	}
	if typed != code {
		return nil, c.Redirect("/certificates/"+code+suffix, fiber.StatusMovedPermanently)
	}
	return cert, nil
}

// certificateLookup is the form that finds a certificate by its code
// (GET, so it works without JavaScript and can be bookmarked): with a
// well-formed code it redirects to the certificate's page, which answers
// 404 for an unknown one; an empty or malformed code shows the form again
// with an error summary (422).
func (s *Server) certificateLookup(c *fiber.Ctx) error {
	data := fiber.Map{"Title": s.bundle.Localizer(s.localeOf(c)).T("certificate.lookup.title", nil)}
	if !c.Context().QueryArgs().Has("code") {
		return s.render(c, "certificate/lookup", data)
	}
	typed := c.Query("code")
	data["Code"] = typed
	code, ok := app.NormalizeCode(typed)
	if !ok {
		msg := "certificate.lookup.malformed"
		if app.NormalizeCodeEmpty(typed) {
			msg = "certificate.lookup.empty"
		}
		data["Errors"] = app.FieldErrors{app.FieldError("code", msg)}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "certificate/lookup", data)
	}
	return c.Redirect("/certificates/"+code, fiber.StatusSeeOther)
}

// certificateQR draws the certificate's verification link (its public page)
// as a QR code SVG for the printed certificate. The link never changes, so
// the image is kept a day by browsers and shared caches; a revoked
// certificate answers as its page does (410).
func (s *Server) certificateQR(c *fiber.Ctx) error {
	cert, err := s.certificateParam(c, "/qr.svg")
	if err != nil || cert == nil {
		return err
	}
	if cert.Revoked() {
		return s.certificateShow(c)
	}
	link := s.credentialSite(c).CertificateURL(cert.Code)
	svg, err := qr.SVG(link, link)
	if err != nil {
		return fmt.Errorf("certificate qr: %w", err)
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return sendTagged(c, svg)
}
