package web

import (
	"beacon/app"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// lessonShow renders one lesson with previous/next and its complete form.
func (s *Server) lessonShow(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	pc, err := s.courseFor(c)
	if err != nil {
		return err
	}
	i := pc.LessonIndex(c.Params("lesson"))
	if i < 0 {
		return app.Errorf(app.ENOTFOUND, "lesson.not_found")
	}
	l := &pc.Lessons[i]
	body, fellBack := s.printableLessonHTML(c.UserContext(), pc, l, lang, s.baseURL(c)+"/"+lang+"/courses/"+pc.Slug+"/lessons/"+l.Slug)
	title, _ := l.Title.Get(lang, pc.SourceLocale)
	contentLang := lang
	if fellBack {
		contentLang = pc.SourceLocale
	}
	done := map[string]bool{}
	if learner := s.learnerID(c); learner != "" {
		if done, err = s.store.LessonsDone(c.UserContext(), learner, pc.ID); err != nil {
			return err
		}
	}
	courseTitle, _ := pc.Title.Get(lang, pc.SourceLocale)
	links := lessonLinks(pc, lang, done)
	data := fiber.Map{
		"Title": title, "CourseTitle": courseTitle, "CourseSlug": pc.Slug, "Lesson": links[i], "Body": body,
		"Fallback": fellBack, "ContentLang": contentLang, "SourceLang": pc.SourceLocale,
		"Total": len(pc.Lessons), "Done": done[l.Slug], "HasQuiz": pc.Quiz != nil && len(pc.Quiz.Questions) > 0,
		"LessonSlug": l.Slug,
		"Meta": shareMeta(&pageMeta{Title: title + " – " + courseTitle, Description: s.lessonDescription(pc, l, lang, string(body)), Type: "article"},
			shareCourse, pc.Slug, s.courseShare(c.UserContext(), pc, lang)),
	}
	c.Locals(localFillMeta, &fillMeta{CourseID: pc.ID, CourseSlug: pc.Slug, LessonSlug: l.Slug})
	if i > 0 {
		data["Prev"] = links[i-1]
	}
	if i+1 < len(links) {
		data["NextLesson"] = links[i+1]
	}
	return s.render(c, "lesson/show", data)
}

// lessonComplete marks the lesson complete for the learner (guest or
// account) and goes on to the next lesson, or to the course page after the last.
func (s *Server) lessonComplete(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	pc, err := s.courseFor(c)
	if err != nil {
		return err
	}
	slug := c.Params("lesson")
	i := pc.LessonIndex(slug)
	if i < 0 {
		return app.Errorf(app.ENOTFOUND, "lesson.not_found")
	}
	actor := store.Actor{LearnerID: s.ensureLearnerID(c), User: currentUser(c), Locale: lang}
	out, err := s.store.CompleteLesson(c.UserContext(), actor, pc, slug)
	if err != nil {
		return err
	}
	if out.Certificate != nil {
		s.flash(c, "flash.certificate_issued")
	} else {
		s.flash(c, "flash.lesson_completed")
	}
	next := "/" + lang + "/courses/" + pc.Slug
	if i+1 < len(pc.Lessons) {
		next += "/lessons/" + pc.Lessons[i+1].Slug
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
