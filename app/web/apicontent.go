package web

import (
	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/content"

	"github.com/gofiber/fiber/v2"
)

// apiContentCourse answers a published course in the pack format, every
// language, as beacon export writes it (content.CourseDocument).
func (s *Server) apiContentCourse(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if !authoring.ValidSlug(slug) {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	pc, err := s.store.FindPublishedCourse(c.UserContext(), slug)
	if err != nil {
		return err
	}
	doc, err := content.CourseDocumentOf(&pc.Course)
	if err != nil {
		return err
	}
	return s.apiSend(c, doc)
}

// apiContentPack answers the whole site as a pack zip: the same archive as
// the admin pack download and beacon export.
func (s *Server) apiContentPack(c *fiber.Ctx) error {
	body, err := s.siteZip(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="beacon-content-`+s.now().Format("2006-01-02")+`.zip"`)
	c.Set(fiber.HeaderCacheControl, apiPrivateCache)
	c.Set(fiber.HeaderContentType, "application/zip")
	return c.Send(body)
}
