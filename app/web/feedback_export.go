package web

import (
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// The educators' "Was this lesson useful?" table as a CSV file and over
// the API (#13 part 3): the same protected release as the page
// (feedbackReport), so all three hide the same cells and show the same
// perturbed counts.

// feedbackCSV is the feedback table as one CSV file: one header row in
// the reader's language, then one row per lesson and language; hidden
// counts as stats.HiddenText, the share empty when it cannot be shown.
func (s *Server) feedbackCSV(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	t, err := s.feedbackReport(c.UserContext(), c.Params("course"), lang)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	table := csvTable{Name: "feedback", Head: []string{l.T("admin.col.lesson", nil), l.T("admin.course.feedback.col.language", nil),
		l.T("admin.course.feedback.col.yes", nil), l.T("admin.course.feedback.col.no", nil),
		l.T("admin.course.feedback.col.answers", nil), l.T("admin.course.feedback.col.share_pct", nil)}}
	for _, ln := range t.Lines {
		share := ""
		if ln.ShareOk {
			share = strconv.Itoa(int(math.Round(ln.Share * 100)))
		}
		table.Rows = append(table.Rows, []string{ln.Lesson, s.bundle.Localizer(ln.Locale).T("language.native", nil),
			ln.Yes.Text(), ln.No.Text(), ln.All.Text(), share})
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="beacon-feedback-`+t.Slug+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return table.writeTo(c)
}

// apiFeedbackBody is the feedback table over the API.
type apiFeedbackBody struct {
	Course  string              `json:"course"`
	K       int64               `json:"k"`
	Lessons []apiFeedbackLesson `json:"lessons"`
}

// apiFeedbackLesson is one lesson in one language; hidden figures are null.
type apiFeedbackLesson struct {
	Lesson      string   `json:"lesson"`
	Title       string   `json:"title"`
	Locale      string   `json:"locale"`
	Yes         *int64   `json:"yes"`
	No          *int64   `json:"no"`
	Answers     *int64   `json:"answers"`
	UsefulShare *float64 `json:"useful_share"`
}

// apiFeedback answers GET /api/v1/stats/feedback/{course}: how readers
// answered "Was this lesson useful?", per lesson and language, protected
// as on the educators' page. Educators, reviewers, organizers and
// administrators.
func (s *Server) apiFeedback(c *fiber.Ctx) error {
	t, err := s.feedbackReport(c.UserContext(), c.Params("course"), s.apiLang(c))
	if err != nil {
		return err
	}
	body := apiFeedbackBody{Course: t.Slug, K: t.K, Lessons: make([]apiFeedbackLesson, 0, len(t.Lines))}
	for _, ln := range t.Lines {
		a := apiFeedbackLesson{Lesson: ln.Slug, Title: ln.Lesson, Locale: ln.Locale, Yes: apiHidden(ln.Yes), No: apiHidden(ln.No), Answers: apiHidden(ln.All)}
		if ln.ShareOk {
			v := math.Round(ln.Share*100) / 100
			a.UsefulShare = &v
		}
		body.Lessons = append(body.Lessons, a)
	}
	return s.apiSend(c, body)
}
