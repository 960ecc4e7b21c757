package web

import (
	"errors"
	"strconv"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Settings keys and defaults.
const (
	settingFourEyes   = "four_eyes"     // "on" or "off"
	settingSmallGroup = "small_group_k" // suppress counts under K
)

// adminRender renders an admin page: the main layout with the admin
// navigation for the signed-in user's roles.
func (s *Server) adminRender(c *fiber.Ctx, name string, data fiber.Map) error {
	if data == nil {
		data = fiber.Map{}
	}
	u := currentUser(c)
	data["Admin"] = fiber.Map{
		"Educator": u.HasRole(app.RoleEducator), "Reviewer": u.HasRole(app.RoleReviewer),
		"Organizer": u.HasRole(app.RoleOrganizer), "Administrator": u.HasRole(app.RoleAdministrator),
	}
	return s.render(c, name, data)
}

// fourEyes reads the four-eyes setting (on unless turned off).
func (s *Server) fourEyes(c *fiber.Ctx) (bool, error) {
	v, err := s.store.Setting(c.UserContext(), settingFourEyes, "on")
	return v != "off", err
}

// adminHome is the admin dashboard: what waits for the user's roles.
func (s *Server) adminHome(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := currentUser(c)
	data := fiber.Map{"Title": s.bundle.Localizer(s.localeOf(c)).T("admin.home.title", nil)}
	if u.HasRole(app.RoleEducator) || u.HasRole(app.RoleReviewer) {
		all, err := s.store.AdminCourses(ctx, store.AdminCourseFilter{})
		if err != nil {
			return err
		}
		waiting, drafts, overdue := 0, 0, 0
		today := s.now().Format("2006-01-02")
		for _, cs := range all {
			switch cs.ReviewState {
			case app.CourseInReview:
				waiting++
			case app.CourseDraft:
				drafts++
			}
			if w := cs.Working(); w != nil && w.ReviewBy != "" && w.ReviewBy < today && cs.Status != app.CourseArchived {
				overdue++
			}
		}
		data["Waiting"], data["Drafts"], data["Overdue"], data["Courses"] = waiting, drafts, overdue, len(all)
		if u.HasRole(app.RoleEducator) {
			data["DueForReview"] = s.dueForReview(all, s.localeOf(c))
		}
	}
	return s.adminRender(c, "admin/home", data)
}

// formInt reads an integer form field; ok is false when it is not a number.
func formInt(c *fiber.Ctx, name string) (int, bool) {
	n, err := strconv.Atoi(c.FormValue(name))
	return n, err == nil
}

// today is the current date in UTC as YYYY-MM-DD.
func (s *Server) today() string { return s.now().Format(time.DateOnly) }

// asAppError is errors.As for *app.Error.
func asAppError(err error, target **app.Error) bool { return errors.As(err, target) }

// asFieldErrors is errors.As for app.FieldErrors.
func asFieldErrors(err error, target *app.FieldErrors) bool { return errors.As(err, target) }
