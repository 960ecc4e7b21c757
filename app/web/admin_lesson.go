package web

import (
	"fmt"
	"strings"

	"beacon/app"
	"beacon/app/authoring"

	"github.com/gofiber/fiber/v2"
)

// lessonForm is the lesson editor's form as typed.
type lessonForm struct {
	Slug, Title, Body string
	New               bool
}

func (s *Server) lessonData(c *fiber.Ctx, courseSlug string, w *app.Course, f lessonForm, errs app.FieldErrors) fiber.Map {
	title, _ := w.Title.Get(s.localeOf(c), w.SourceLocale)
	heading := "admin.lesson.edit"
	if f.New {
		heading = "admin.lesson.new"
	}
	return fiber.Map{"Title": title, "CourseSlug": courseSlug, "CourseTitle": title, "Form": f, "Errors": errs, "SourceLocale": w.SourceLocale,
		"Meta": titled(s.bundle.Localizer(s.localeOf(c)), heading, title)}
}

func (s *Server) adminLessonNew(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	return s.adminRender(c, "admin/course/lesson", s.lessonData(c, cs.Slug, cs.Working(), lessonForm{New: true}, nil))
}

func readLessonForm(c *fiber.Ctx) lessonForm {
	return lessonForm{Slug: strings.TrimSpace(c.FormValue("slug")), Title: strings.TrimSpace(c.FormValue("title")),
		Body: strings.ReplaceAll(c.FormValue("body"), "\r\n", "\n")}
}

// previewOrErrors re-shows the lesson form: with a rendered preview when
// the educator asked for one, or with the form's errors. Nothing is saved.
func (s *Server) lessonFormAgain(c *fiber.Ctx, courseSlug string, w *app.Course, f lessonForm, errs app.FieldErrors) error {
	data := s.lessonData(c, courseSlug, w, f, errs)
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	} else {
		data["Preview"] = s.renderMarkdown(f.Body)
	}
	return s.adminRender(c, "admin/course/lesson", data)
}

// adminLessonCreate adds a lesson at the end of the course's draft.
func (s *Server) adminLessonCreate(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	f := readLessonForm(c)
	f.New = true
	w := cs.Working()
	l := app.Lesson{Slug: f.Slug, Title: app.Text{w.SourceLocale: f.Title}, Body: app.Text{w.SourceLocale: f.Body}}
	var slugs []string
	for _, x := range w.Lessons {
		slugs = append(slugs, x.Slug)
	}
	errs := authoring.CheckLesson(&l, w.SourceLocale, slugs)
	if len(errs) > 0 || c.FormValue("action") == "preview" {
		return s.lessonFormAgain(c, cs.Slug, w, f, errs)
	}
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "lesson:create", func(d *app.Course) error {
		if d.LessonIndex(l.Slug) >= 0 {
			return app.FieldErrors{app.FieldError("slug", "admin.error.slug_taken")}
		}
		l.File = fmt.Sprintf("%02d-%s", len(d.Lessons)+1, l.Slug)
		d.Lessons = append(d.Lessons, l)
		return nil
	})
	var fe app.FieldErrors
	if asFieldErrors(err, &fe) {
		return s.lessonFormAgain(c, cs.Slug, w, f, fe)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.admin.saved")
	return c.Redirect(s.adminCourseURL(c, cs.Slug)+"/lessons/"+l.Slug, fiber.StatusSeeOther)
}

// lessonFor finds the path's lesson in the working copy.
func lessonFor(c *fiber.Ctx, w *app.Course) (*app.Lesson, error) {
	i := w.LessonIndex(c.Params("lesson"))
	if i < 0 {
		return nil, app.Errorf(app.ENOTFOUND, "lesson.not_found")
	}
	return &w.Lessons[i], nil
}

func (s *Server) adminLessonEdit(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	l, err := lessonFor(c, w)
	if err != nil {
		return err
	}
	f := lessonForm{Slug: l.Slug, Title: l.Title[w.SourceLocale], Body: l.Body[w.SourceLocale]}
	return s.adminRender(c, "admin/course/lesson", s.lessonData(c, cs.Slug, w, f, nil))
}

// adminLessonSave saves a lesson's source text, or previews it. The slug
// stays: learners' progress is kept by it.
func (s *Server) adminLessonSave(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	l, err := lessonFor(c, w)
	if err != nil {
		return err
	}
	f := readLessonForm(c)
	f.Slug = l.Slug
	check := app.Lesson{Slug: l.Slug, Title: app.Text{w.SourceLocale: f.Title}, Body: app.Text{w.SourceLocale: f.Body}}
	errs := authoring.CheckLesson(&check, w.SourceLocale, nil)
	if len(errs) > 0 || c.FormValue("action") == "preview" {
		return s.lessonFormAgain(c, cs.Slug, w, f, errs)
	}
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "lesson:update", func(d *app.Course) error {
		i := d.LessonIndex(l.Slug)
		if i < 0 {
			return app.Errorf(app.ENOTFOUND, "lesson.not_found")
		}
		d.Lessons[i].Title[d.SourceLocale] = f.Title
		d.Lessons[i].Body[d.SourceLocale] = f.Body
		return nil
	})
	if err != nil {
		return err
	}
	s.flash(c, "flash.admin.saved")
	return c.Redirect(s.adminCourseURL(c, cs.Slug)+"/lessons/"+l.Slug, fiber.StatusSeeOther)
}

// adminLessonMove moves a lesson one place up or down.
func (s *Server) adminLessonMove(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	slug := c.Params("lesson")
	dir := c.FormValue("direction")
	if dir != "up" && dir != "down" {
		return app.Errorf(app.EINVALID, "error.bad_request")
	}
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "lesson:move", func(d *app.Course) error {
		i := d.LessonIndex(slug)
		if i < 0 {
			return app.Errorf(app.ENOTFOUND, "lesson.not_found")
		}
		j := i - 1
		if dir == "down" {
			j = i + 1
		}
		if j < 0 || j >= len(d.Lessons) {
			return nil
		}
		d.Lessons[i], d.Lessons[j] = d.Lessons[j], d.Lessons[i]
		return nil
	})
	if err != nil {
		return err
	}
	return c.Redirect(s.adminCourseURL(c, cs.Slug)+"#lessons", fiber.StatusSeeOther)
}

// adminLessonDeleteForm asks to confirm removing a lesson.
func (s *Server) adminLessonDeleteForm(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	l, err := lessonFor(c, w)
	if err != nil {
		return err
	}
	title, _ := l.Title.Get(s.localeOf(c), w.SourceLocale)
	return s.adminRender(c, "admin/course/confirm", fiber.Map{"Title": title, "CourseSlug": cs.Slug,
		"Question": "admin.lesson.delete_question", "Detail": "admin.lesson.delete_detail", "Action": s.adminCourseURL(c, cs.Slug) + "/lessons/" + l.Slug + "/delete"})
}

// adminLessonDelete removes a lesson from the draft. Learners' progress on
// it stays in the database; the lesson stops counting toward completion.
func (s *Server) adminLessonDelete(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	slug := c.Params("lesson")
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "lesson:delete", func(d *app.Course) error {
		i := d.LessonIndex(slug)
		if i < 0 {
			return app.Errorf(app.ENOTFOUND, "lesson.not_found")
		}
		d.Lessons = append(d.Lessons[:i], d.Lessons[i+1:]...)
		return nil
	})
	if err != nil {
		return err
	}
	s.flash(c, "flash.admin.deleted")
	return c.Redirect(s.adminCourseURL(c, cs.Slug), fiber.StatusSeeOther)
}
