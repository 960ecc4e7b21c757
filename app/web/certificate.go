package web

import (
	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// certificateShow is the public, printable check of a certificate code, in
// the visitor's language. An unknown code is a 404.
func (s *Server) certificateShow(c *fiber.Ctx) error {
	code := c.Params("code")
	if len(code) != 12 {
		return app.Errorf(app.ENOTFOUND, "certificate.not_found")
	}
	cert, err := s.store.FindCertificateByCode(c.UserContext(), code)
	if err != nil {
		return err
	}
	lang := s.localeOf(c)
	title, _ := cert.CourseTitle.Get(lang, cert.SourceLocale)
	return s.render(c, "certificate/show", fiber.Map{"Title": title, "Certificate": cert, "CourseTitle": title,
		"VerifyURL": s.baseURL(c) + "/certificates/" + cert.Code, "Meta": s.certificateMeta(c, cert, title)})
}
