package web

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"slices"
	"strconv"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/stats"

	"github.com/gofiber/fiber/v2"
)

// feedbackRoutes are "Was this lesson useful?" (#13 part 2): the answer
// posted from the lesson page, and the educators' table of answers per
// lesson and language.
func (s *Server) feedbackRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	lim := s.opts.Limits
	// Counted like quiz submissions, under their own names so that answers
	// do not eat into a learner's quiz allowance.
	usefulLimit := s.limit(rateRule{"useful_address", lim.QuizAddress, s.keyAddress}, rateRule{"useful_learner", lim.QuizLearner, s.keyLearner})
	return []route{
		{"POST", "/:lang/courses/:course/lessons/:lesson/useful", accessPublic, h(usefulLimit, s.lessonUseful)},
		// Read like item analysis (accessItems): organizers read every
		// other statistic, and a campaign's organizer may well ask which
		// lesson of its courses readers found unhelpful.
		{"GET", "/:lang/admin/courses/:course/feedback", accessItems, h(s.adminCourseFeedback)},
		{"GET", "/:lang/admin/courses/:course/feedback.csv", accessItems, h(s.feedbackCSV)},
		{"GET", apiPrefix + "/stats/feedback/:course", accessItems, h(s.apiFeedback)},
	}
}

// lessonUseful records the visitor's answer to "Was this lesson useful?"
// and goes back to the lesson with thanks. The form sits on a page kept by
// shared caches, so it carries no token: the origin check of csrf
// (middleware.go) protects it, as it does the lesson's complete form. A
// guest is counted by the learner cookie, created here when missing.
func (s *Server) lessonUseful(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	answer := c.FormValue("answer")
	if !app.ValidUseful(answer) {
		return app.Errorf(app.EINVALID, "lesson.useful.invalid")
	}
	pc, err := s.courseFor(c)
	if err != nil {
		return err
	}
	slug := c.Params("lesson")
	if pc.LessonIndex(slug) < 0 {
		return app.Errorf(app.ENOTFOUND, "lesson.not_found")
	}
	if err := s.store.AnswerLesson(c.UserContext(), s.ensureLearnerID(c), pc, slug, lang, answer); err != nil {
		return err
	}
	s.flash(c, "flash.lesson_useful")
	return c.Redirect("/"+lang+"/courses/"+pc.Slug+"/lessons/"+slug, fiber.StatusSeeOther)
}

// feedbackRow is one line of the educators' table: a lesson in one
// language, with its published (protected) counts.
type feedbackRow struct {
	Slug, Lesson, LessonLang string
	Locale, Language         string
	Yes, No, All             statsCell
	Share                    string // "" when it cannot be shown
}

// feedbackLine is one lesson in one language with its published
// (protected) counts, as the page, its CSV and the API show it.
type feedbackLine struct {
	Slug, Lesson, LessonLang string // LessonLang is set when the title fell back
	Locale                   string
	Yes, No, All             stats.Cell
	Share                    float64 // share of "yes"; meaningful when ShareOk
	ShareOk                  bool
}

// feedbackTable is a course's "Was this lesson useful?" table: lessons in
// the course's order, answers to lessons since removed last.
type feedbackTable struct {
	Slug, Title string
	K           int64
	Lines       []feedbackLine
}

// feedbackReport reads the answers to the course named slug and protects
// them as every statistic is (stats.Release: groups under K hidden, noise
// up to D), with lesson titles in lang. ENOTFOUND for an unknown course.
func (s *Server) feedbackReport(ctx context.Context, slug, lang string) (*feedbackTable, error) {
	if !authoring.ValidSlug(slug) {
		return nil, app.Errorf(app.ENOTFOUND, "course.not_found")
	}
	cs, err := s.store.FindCourseState(ctx, slug)
	if err != nil {
		return nil, err
	}
	w := cs.Working()
	fb, err := s.store.LessonFeedback(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	k, d, err := s.statsProtection(ctx)
	if err != nil {
		return nil, err
	}
	rel := stats.NewRelease(k, d, s.feedbackKey(cs.ID))
	type refs struct{ yes, no, all int }
	idx := make([]refs, len(fb))
	for i, f := range fb {
		id := f.LessonSlug + "|" + f.Locale + "|"
		idx[i] = refs{rel.Figure(id+"yes", f.Yes), rel.Figure(id+"no", f.No), rel.Figure(id+"all", f.Yes+f.No)}
		rel.Sum(idx[i].all, idx[i].yes, idx[i].no)
	}
	rel.Protect()
	// Lessons in the course's order (fb comes by slug, then locale);
	// answers to lessons since removed come last.
	order := map[string]int{}
	for i, ls := range w.Lessons {
		order[ls.Slug] = i
	}
	pos := func(f app.LessonFeedback) int {
		if p, ok := order[f.LessonSlug]; ok {
			return p
		}
		return len(w.Lessons)
	}
	perm := make([]int, len(fb))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return cmp.Compare(pos(fb[a]), pos(fb[b])) })
	t := &feedbackTable{Slug: cs.Slug, K: k, Lines: make([]feedbackLine, 0, len(fb))}
	t.Title, _ = w.Title.Get(lang, w.SourceLocale)
	for _, i := range perm {
		f := fb[i]
		ln := feedbackLine{Slug: f.LessonSlug, Lesson: f.LessonSlug, Locale: f.Locale,
			Yes: rel.Cell(idx[i].yes), No: rel.Cell(idx[i].no), All: rel.Cell(idx[i].all)}
		if p, ok := order[f.LessonSlug]; ok {
			var fellBack bool
			if ln.Lesson, fellBack = w.Lessons[p].Title.Get(lang, w.SourceLocale); fellBack {
				ln.LessonLang = w.SourceLocale
			}
		}
		if rate, ok := stats.Rate(ln.Yes, ln.All); ok {
			ln.Share, ln.ShareOk = min(rate, 1), true
		}
		t.Lines = append(t.Lines, ln)
	}
	return t, nil
}

// adminCourseFeedback shows educators, reviewers and organizers how readers answered
// "Was this lesson useful?", per lesson and language, protected
// (feedbackReport).
func (s *Server) adminCourseFeedback(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	t, err := s.feedbackReport(c.UserContext(), c.Params("course"), lang)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	rows := make([]feedbackRow, 0, len(t.Lines))
	for _, ln := range t.Lines {
		r := feedbackRow{Slug: ln.Slug, Lesson: ln.Lesson, LessonLang: ln.LessonLang, Locale: ln.Locale,
			Language: s.bundle.Localizer(ln.Locale).T("language.native", nil),
			Yes:      cellView(l, ln.Yes), No: cellView(l, ln.No), All: cellView(l, ln.All)}
		if ln.ShareOk {
			r.Share = pctText(l, ln.Share)
		}
		rows = append(rows, r)
	}
	return s.adminRender(c, "admin/course/feedback", fiber.Map{
		"Title": l.T("admin.course.feedback.title", map[string]any{"Course": t.Title}), "CourseTitle": t.Title,
		"CourseSlug": t.Slug, "Rows": rows, "K": int(t.K),
	})
}

// feedbackKey is the noise key of one course's feedback table: the server
// secret through HMAC, apart from every other release's key.
func (s *Server) feedbackKey(courseID int64) []byte {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte("lesson-feedback:" + strconv.FormatInt(courseID, 10)))
	return m.Sum(nil)
}
