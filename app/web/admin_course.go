package web

import (
	"sort"
	"strconv"
	"strings"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// courseAdminRoutes are the educators' and reviewers' pages.
func (s *Server) courseAdminRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	const base = "/:lang/admin/courses"
	return []route{
		{"GET", base, accessContent, h(s.adminCourses)},
		{"GET", base + "/new", accessEdit, h(s.adminCourseNew)},
		{"POST", base, accessEdit, h(s.adminCourseCreate)},
		{"GET", base + "/:course", accessContent, h(s.adminCourseShow)},
		{"GET", base + "/:course/settings", accessEdit, h(s.adminCourseSettings)},
		{"POST", base + "/:course/settings", accessEdit, h(s.adminCourseSettingsSave)},
		{"POST", base + "/:course/submit", accessEdit, h(s.adminCourseSubmit)},
		{"GET", base + "/:course/history", accessContent, h(s.adminHistory)},
		{"POST", base + "/:course/history/:number/restore", accessEdit, h(s.adminRestore)},
		{"POST", base + "/:course/archive", accessReview, h(s.adminArchive(true))},
		{"POST", base + "/:course/unarchive", accessReview, h(s.adminArchive(false))},

		{"GET", base + "/:course/lessons/new", accessEdit, h(s.adminLessonNew)},
		{"POST", base + "/:course/lessons", accessEdit, h(s.adminLessonCreate)},
		{"GET", base + "/:course/lessons/:lesson", accessEdit, h(s.adminLessonEdit)},
		{"POST", base + "/:course/lessons/:lesson", accessEdit, h(s.adminLessonSave)},
		{"POST", base + "/:course/lessons/:lesson/move", accessEdit, h(s.adminLessonMove)},
		{"GET", base + "/:course/lessons/:lesson/delete", accessEdit, h(s.adminLessonDeleteForm)},
		{"POST", base + "/:course/lessons/:lesson/delete", accessEdit, h(s.adminLessonDelete)},

		{"GET", base + "/:course/quiz", accessEdit, h(s.adminQuiz)},
		{"POST", base + "/:course/quiz", accessEdit, h(s.adminQuizSave)},
		{"GET", base + "/:course/quiz/questions/new", accessEdit, h(s.adminQuestionNew)},
		{"POST", base + "/:course/quiz/questions", accessEdit, h(s.adminQuestionCreate)},
		{"GET", base + "/:course/quiz/questions/:question", accessEdit, h(s.adminQuestionEdit)},
		{"POST", base + "/:course/quiz/questions/:question", accessEdit, h(s.adminQuestionSave)},
		{"GET", base + "/:course/quiz/questions/:question/delete", accessEdit, h(s.adminQuestionDeleteForm)},
		{"POST", base + "/:course/quiz/questions/:question/delete", accessEdit, h(s.adminQuestionDelete)},

		{"GET", base + "/:course/translations/:locale", accessEdit, h(s.adminTranslate)},
		{"POST", base + "/:course/translations/:locale", accessEdit, h(s.adminTranslateSave)},

		{"GET", "/:lang/admin/reviews", accessReview, h(s.adminReviews)},
		{"GET", base + "/:course/review", accessReview, h(s.adminReview)},
		{"POST", base + "/:course/publish", accessReview, h(s.adminPublish)},
		{"POST", base + "/:course/return", accessReview, h(s.adminReturn)},
	}
}

// adminCourseRow is one line of the admin course list.
type adminCourseRow struct {
	Slug, Title, TitleLang, Status, ReviewState, ReviewBy string
	Overdue                                               bool
}

// adminCourses lists every course with its state; state filters by review
// state, status, or "overdue" (past its review-by date).
func (s *Server) adminCourses(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	state := c.Query("state")
	all, err := s.store.AdminCourses(c.UserContext(), store.AdminCourseFilter{})
	if err != nil {
		return err
	}
	today := s.today()
	var rows []adminCourseRow
	for _, cs := range all {
		w := cs.Working()
		title, fb := w.Title.Get(lang, w.SourceLocale)
		tl := lang
		if fb {
			tl = w.SourceLocale
		}
		r := adminCourseRow{Slug: cs.Slug, Title: title, TitleLang: tl, Status: cs.Status, ReviewState: cs.ReviewState, ReviewBy: w.ReviewBy,
			Overdue: w.ReviewBy != "" && w.ReviewBy < today && cs.Status != app.CourseArchived}
		switch state {
		case "", "all":
		case "overdue":
			if !r.Overdue {
				continue
			}
		case app.CourseDraft, app.CourseInReview:
			if cs.ReviewState != state {
				continue
			}
		case app.CoursePublished, app.CourseArchived:
			if cs.Status != state {
				continue
			}
		default:
			state = ""
		}
		rows = append(rows, r)
	}
	return s.adminRender(c, "admin/course/index", fiber.Map{"Title": s.bundle.Localizer(lang).T("admin.courses.title", nil),
		"Rows": rows, "State": state, "States": []string{app.CourseDraft, app.CourseInReview, app.CoursePublished, app.CourseArchived, "overdue"}})
}

// courseState loads the course named in the path for the admin area.
func (s *Server) courseState(c *fiber.Ctx) (*store.CourseState, error) {
	slug := c.Params("course")
	if !authoring.ValidSlug(slug) {
		return nil, app.Errorf(app.ENOTFOUND, "course.not_found")
	}
	return s.store.FindCourseState(c.UserContext(), slug)
}

// metaForm is the course settings form as typed.
type metaForm struct {
	Slug, SourceLocale, Title, Summary, Topic, ReviewBy string
	Categories                                          map[string]bool
}

func readMetaForm(c *fiber.Ctx) metaForm {
	f := metaForm{Slug: strings.TrimSpace(c.FormValue("slug")), SourceLocale: c.FormValue("source_locale"),
		Title: strings.TrimSpace(c.FormValue("title")), Summary: strings.TrimSpace(c.FormValue("summary")),
		Topic: strings.TrimSpace(c.FormValue("topic")), ReviewBy: strings.TrimSpace(c.FormValue("review_by")), Categories: map[string]bool{}}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "categories" {
			f.Categories[string(v)] = true
		}
	})
	return f
}

func (f metaForm) categories() []string {
	out := []string{}
	for _, cat := range authoring.CAPCategories {
		if f.Categories[cat] {
			out = append(out, cat)
		}
	}
	return out
}

// knownCategories reports whether every posted category is a CAP category.
func (f metaForm) knownCategories() bool { return len(f.categories()) == len(f.Categories) }

func (s *Server) metaData(c *fiber.Ctx, f metaForm, errs app.FieldErrors) fiber.Map {
	// Each language is named in itself, as the language switcher does.
	var locales []choice
	for _, l := range s.bundle.Locales() {
		locales = append(locales, choice{Value: l, Lang: l, Label: s.bundle.Localizer(l).T("language.native", nil), Checked: l == f.SourceLocale})
	}
	return fiber.Map{"Form": f, "Errors": errs, "Locales": locales, "AllCategories": authoring.CAPCategories}
}

func (s *Server) adminCourseNew(c *fiber.Ctx) error {
	data := s.metaData(c, metaForm{SourceLocale: s.localeOf(c), Categories: map[string]bool{}}, nil)
	data["Title"] = s.bundle.Localizer(s.localeOf(c)).T("admin.course.new", nil)
	return s.adminRender(c, "admin/course/new", data)
}

// adminCourseCreate starts a course as a draft.
func (s *Server) adminCourseCreate(c *fiber.Ctx) error {
	f := readMetaForm(c)
	course := &app.Course{Slug: f.Slug, SourceLocale: f.SourceLocale, Topic: f.Topic, Categories: f.categories(), ReviewBy: f.ReviewBy,
		Title: app.Text{f.SourceLocale: f.Title}, Summary: app.Text{f.SourceLocale: f.Summary}, Lessons: []app.Lesson{}}
	var errs app.FieldErrors
	if !authoring.ValidSlug(f.Slug) {
		errs = append(errs, app.FieldError("slug", "admin.error.slug"))
	}
	errs = append(errs, course.Validate(s.bundle.Locales())...)
	if !f.knownCategories() {
		errs = append(errs, app.FieldError("categories", "admin.error.category"))
	}
	if len(errs) == 0 {
		err := s.store.CreateCourse(c.UserContext(), currentUser(c), course)
		if err == nil {
			s.flash(c, "flash.admin.saved")
			return c.Redirect("/"+s.localeOf(c)+"/admin/courses/"+course.Slug, fiber.StatusSeeOther)
		}
		var ae *app.Error
		if !asAppError(err, &ae) || ae.Field == "" {
			return err
		}
		errs = append(errs, ae)
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.adminRender(c, "admin/course/new", s.metaData(c, f, errs))
}

// translationRow is one locale's translation state of a course.
type translationRow struct {
	Locale, Name                string
	Missing, Outdated, UpToDate int
}

// adminCourseShow is the course's page in the admin area.
func (s *Server) adminCourseShow(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	title, _ := w.Title.Get(lang, w.SourceLocale)
	var trs []translationRow
	for _, loc := range s.bundle.Locales() {
		if loc == w.SourceLocale {
			continue
		}
		n := w.TranslationCounts(loc)
		trs = append(trs, translationRow{Locale: loc, Name: s.bundle.Localizer(loc).T("language.native", nil),
			Missing: n[app.TranslationMissing], Outdated: n[app.TranslationOutdated], UpToDate: n[app.TranslationUpToDate]})
	}
	u := currentUser(c)
	fourEyes, err := s.fourEyes(c)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": title, "State": cs, "Course": w, "Lessons": lessonLinks(&app.PublishedCourse{Course: *w}, lang, nil),
		"Translations": trs, "Problems": s.reviewProblems(w, s.localeOf(c)),
		"OwnChange": fourEyes && cs.EditedBy(u.ID), "Today": s.today()}
	if w.Quiz != nil {
		var qs []fiber.Map
		for _, q := range w.Quiz.Questions {
			p, _ := q.Prompt.Get(lang, w.SourceLocale)
			qs = append(qs, fiber.Map{"ID": q.ID, "Prompt": p, "Type": q.Type})
		}
		data["Questions"] = qs
	}
	return s.adminRender(c, "admin/course/show", data)
}

func (s *Server) metaFormOf(cs *store.CourseState) metaForm {
	w := cs.Working()
	f := metaForm{Slug: cs.Slug, SourceLocale: w.SourceLocale, Title: w.Title[w.SourceLocale], Summary: w.Summary[w.SourceLocale],
		Topic: w.Topic, ReviewBy: w.ReviewBy, Categories: map[string]bool{}}
	for _, cat := range w.Categories {
		f.Categories[cat] = true
	}
	return f
}

func (s *Server) adminCourseSettings(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	data := s.metaData(c, s.metaFormOf(cs), nil)
	data["State"] = cs
	title, _ := cs.Working().Title.Get(s.localeOf(c), cs.Working().SourceLocale)
	data["Meta"] = titled(s.bundle.Localizer(s.localeOf(c)), "admin.course.settings", title)
	return s.adminRender(c, "admin/course/settings", data)
}

// adminCourseSettingsSave changes the course's own fields in its draft.
func (s *Server) adminCourseSettingsSave(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	f := readMetaForm(c)
	f.Slug = cs.Slug
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "course:settings", func(w *app.Course) error {
		if f.SourceLocale != w.SourceLocale && w.Title[f.SourceLocale] == "" && f.Title == "" {
			return app.FieldErrors{app.FieldError("title", "admin.error.required")}
		}
		w.SourceLocale, w.Topic, w.Categories, w.ReviewBy = f.SourceLocale, f.Topic, f.categories(), f.ReviewBy
		if w.Title == nil {
			w.Title = app.Text{}
		}
		if w.Summary == nil {
			w.Summary = app.Text{}
		}
		w.Title[f.SourceLocale], w.Summary[f.SourceLocale] = f.Title, f.Summary
		errs := w.Validate(s.bundle.Locales())
		if !f.knownCategories() {
			errs = append(errs, app.FieldError("categories", "admin.error.category"))
		}
		if len(errs) > 0 {
			return errs
		}
		return nil
	})
	if errs, ok := err.(app.FieldErrors); ok || asFieldErrors(err, &errs) {
		c.Status(fiber.StatusUnprocessableEntity)
		data := s.metaData(c, f, errs)
		data["State"] = cs
		return s.adminRender(c, "admin/course/settings", data)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.admin.saved")
	return c.Redirect(s.adminCourseURL(c, cs.Slug), fiber.StatusSeeOther)
}

func (s *Server) adminCourseURL(c *fiber.Ctx, slug string) string {
	return "/" + s.localeOf(c) + "/admin/courses/" + slug
}

// adminCourseSubmit sends the draft to review when it is complete.
func (s *Server) adminCourseSubmit(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	if cs.Draft == nil {
		return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
	}
	if errs := authoring.CheckForReview(cs.Draft, s.bundle.Locales()); len(errs) > 0 {
		return app.Errorf(app.EINVALID, "admin.review.incomplete")
	}
	if err := s.store.SubmitForReview(c.UserContext(), currentUser(c), cs.Slug); err != nil {
		return err
	}
	s.flash(c, "flash.admin.submitted")
	return c.Redirect(s.adminCourseURL(c, cs.Slug), fiber.StatusSeeOther)
}

// adminHistory lists the course's revisions.
func (s *Server) adminHistory(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(c.UserContext(), cs.Slug)
	if err != nil {
		return err
	}
	w := cs.Working()
	title, _ := w.Title.Get(s.localeOf(c), w.SourceLocale)
	return s.adminRender(c, "admin/course/history", fiber.Map{"Title": title, "State": cs, "Revisions": revs,
		"Meta": titled(s.bundle.Localizer(s.localeOf(c)), "admin.history.title", title)})
}

// adminRestore makes an older revision the course's draft.
func (s *Server) adminRestore(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("number"))
	if err != nil || n <= 0 {
		return app.Errorf(app.ENOTFOUND, "admin.history.not_found")
	}
	if err := s.store.RestoreRevision(c.UserContext(), currentUser(c), cs.Slug, n); err != nil {
		return err
	}
	s.flash(c, "flash.admin.restored")
	return c.Redirect(s.adminCourseURL(c, cs.Slug), fiber.StatusSeeOther)
}

// adminArchive archives a published course, or brings it back.
func (s *Server) adminArchive(archived bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := s.courseState(c)
		if err != nil {
			return err
		}
		if err := s.store.SetArchived(c.UserContext(), currentUser(c), cs.Slug, archived); err != nil {
			return err
		}
		if archived {
			s.flash(c, "flash.admin.archived")
		} else {
			s.flash(c, "flash.admin.unarchived")
		}
		return c.Redirect(s.adminCourseURL(c, cs.Slug), fiber.StatusSeeOther)
	}
}

// adminReviews is the reviewers' queue.
func (s *Server) adminReviews(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	waiting, err := s.store.AdminCourses(c.UserContext(), store.AdminCourseFilter{ReviewState: app.CourseInReview})
	if err != nil {
		return err
	}
	var rows []adminCourseRow
	for _, cs := range waiting {
		title, fb := cs.Draft.Title.Get(lang, cs.Draft.SourceLocale)
		tl := lang
		if fb {
			tl = cs.Draft.SourceLocale
		}
		rows = append(rows, adminCourseRow{Slug: cs.Slug, Title: title, TitleLang: tl, Status: cs.Status, ReviewState: cs.ReviewState})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Slug < rows[j].Slug })
	return s.adminRender(c, "admin/course/reviews", fiber.Map{"Title": s.bundle.Localizer(lang).T("admin.reviews.title", nil), "Rows": rows})
}

// problemFieldLabels are the message ids naming the course and quiz fields
// a review problem may be about, so that a problem reads "Title: Fill in
// this field" and never shows the field's internal name.
var problemFieldLabels = map[string]string{
	"source_locale": "admin.course.field.source_locale", "title": "admin.course.field.title",
	"summary": "admin.course.field.summary", "topic": "admin.course.field.topic",
	"categories": "admin.course.field.categories", "review_by": "admin.course.field.review_by",
	"pass_percent": "admin.quiz.field.pass_percent", "max_attempts": "admin.quiz.field.max_attempts",
	"draw": "admin.quiz.field.draw",
}

// reviewProblems is what keeps the draft from review, in lang's words.
func (s *Server) reviewProblems(w *app.Course, lang string) []string {
	l := s.bundle.Localizer(lang)
	var out []string
	for _, e := range authoring.CheckForReview(w, s.bundle.Locales()) {
		msg := l.T(e.MessageID, e.Args)
		if id, ok := problemFieldLabels[e.Field]; ok {
			msg = l.T("admin.course.problem", map[string]any{"Field": l.T(id, nil), "Problem": msg})
		}
		out = append(out, msg)
	}
	return out
}
