package web

import (
	"strings"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/authoring"

	"github.com/gofiber/fiber/v2"
)

// adminReview shows a reviewer what the draft changes against the
// published revision, with the publish and send-back forms.
func (s *Server) adminReview(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	if cs.Draft == nil || cs.ReviewState != app.CourseInReview {
		return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
	}
	fourEyes, err := s.fourEyes(c)
	if err != nil {
		return err
	}
	title, _ := cs.Draft.Title.Get(s.localeOf(c), cs.Draft.SourceLocale)
	return s.adminRender(c, "admin/course/review", fiber.Map{"Title": title, "CourseSlug": cs.Slug, "CourseTitle": title,
		"Meta":    titled(s.bundle.Localizer(s.localeOf(c)), "admin.review.title", title),
		"Changes": authoring.Diff(cs.Published, cs.Draft, s.words(s.localeOf(c))), "FirstPublication": cs.Published == nil,
		"OwnChange": fourEyes && cs.EditedBy(currentUser(c).ID), "Errors": nil})
}

// adminPublish publishes the draft in review.
func (s *Server) adminPublish(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	fourEyes, err := s.fourEyes(c)
	if err != nil {
		return err
	}
	if err := s.store.PublishDraft(c.UserContext(), currentUser(c), cs.Slug, fourEyes); err != nil {
		return err
	}
	s.flash(c, "flash.admin.published")
	return c.Redirect(s.adminCourseURL(c, cs.Slug), fiber.StatusSeeOther)
}

// adminReturn sends the draft back to its authors with a comment.
func (s *Server) adminReturn(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	comment := strings.TrimSpace(c.FormValue("comment"))
	if comment == "" || utf8.RuneCountInString(comment) > 5000 {
		msg := "admin.review.comment_required"
		if comment != "" {
			msg = "admin.error.too_long"
		}
		if cs.Draft == nil {
			return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
		}
		title, _ := cs.Draft.Title.Get(s.localeOf(c), cs.Draft.SourceLocale)
		c.Status(fiber.StatusUnprocessableEntity)
		return s.adminRender(c, "admin/course/review", fiber.Map{"Title": title, "CourseSlug": cs.Slug, "CourseTitle": title,
			"Meta":    titled(s.bundle.Localizer(s.localeOf(c)), "admin.review.title", title),
			"Changes": authoring.Diff(cs.Published, cs.Draft, s.words(s.localeOf(c))), "FirstPublication": cs.Published == nil,
			"Errors": app.FieldErrors{app.FieldError("comment", msg)}, "Comment": comment})
	}
	if err := s.store.ReturnDraft(c.UserContext(), currentUser(c), cs.Slug, comment); err != nil {
		return err
	}
	s.flash(c, "flash.admin.returned")
	return c.Redirect("/"+s.localeOf(c)+"/admin/reviews", fiber.StatusSeeOther)
}
