package web

import (
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// apiCourse is a published course in the API: what the catalog card and
// the course page show, never anyone's progress.
type apiCourse struct {
	Slug       string     `json:"slug"`
	Lang       string     `json:"lang"`
	Title      string     `json:"title"`
	Summary    string     `json:"summary"`
	Topic      string     `json:"topic"`
	Categories []string   `json:"categories"`
	Languages  []string   `json:"languages"`
	Lessons    int        `json:"lesson_count"`
	Quiz       *apiQuiz   `json:"quiz"`
	ReviewBy   string     `json:"review_by,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	Updated    time.Time  `json:"updated"`
	Archived   bool       `json:"archived"`
	URL        string     `json:"url"`
}

// apiQuiz is a quiz's settings: how many questions an attempt draws from
// how many, the pass mark and the attempts allowed. Questions and answers
// stay out: a bank is drawn from so that no fixed list of answers can be
// passed around.
type apiQuiz struct {
	Questions      int  `json:"questions"`
	Bank           int  `json:"bank"`
	PassPercent    int  `json:"pass_percent"`
	MaxAttempts    int  `json:"max_attempts"`
	ShuffleChoices bool `json:"shuffle_choices"`
}

// apiCourseDetail is one course with its lessons in order.
type apiCourseDetail struct {
	apiCourse
	LessonList []apiLesson `json:"lessons"`
}

// apiLesson is one lesson: its body is the sanitized HTML the lesson page
// shows.
type apiLesson struct {
	Slug     string `json:"slug"`
	Number   int    `json:"number"`
	Lang     string `json:"lang"`
	Title    string `json:"title"`
	BodyHTML string `json:"body_html"`
	URL      string `json:"url"`
}

// apiCourses lists the published courses, by slug.
func (s *Server) apiCourses(c *fiber.Ctx) error {
	limit, offset, err := apiPaging(c)
	if err != nil {
		return err
	}
	lang := s.apiLang(c)
	courses, err := s.store.PublishedCourses(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]apiCourse, 0, len(courses))
	for _, pc := range courses {
		out = append(out, s.apiCourseOf(c, pc, lang))
	}
	return s.apiSend(c, apiPage(s, c, out, limit, offset))
}

// apiCourseShow is one course (published or archived) with its lessons.
func (s *Server) apiCourseShow(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > 100 {
		return app.Errorf(app.ENOTFOUND, "api.problem.course_not_found")
	}
	lang := s.apiLang(c)
	pc, err := s.store.FindPublishedCourse(c.UserContext(), slug)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Errorf(app.ENOTFOUND, "api.problem.course_not_found")
	}
	if err != nil {
		return err
	}
	d := apiCourseDetail{apiCourse: s.apiCourseOf(c, pc, lang), LessonList: make([]apiLesson, 0, len(pc.Lessons))}
	for i := range pc.Lessons {
		l := &pc.Lessons[i]
		ll := textsLang(lang, pc.SourceLocale, l.Title, l.Body)
		body, _ := s.lessonHTML(c.UserContext(), pc, l, ll)
		title, _ := l.Title.Get(ll, pc.SourceLocale)
		d.LessonList = append(d.LessonList, apiLesson{Slug: l.Slug, Number: i + 1, Lang: ll, Title: title, BodyHTML: string(body),
			URL: s.baseURL(c) + "/" + lang + "/courses/" + pc.Slug + "/lessons/" + l.Slug})
	}
	return s.apiSend(c, d)
}

// apiCourseOf is the API view of a course in lang.
func (s *Server) apiCourseOf(c *fiber.Ctx, pc *app.PublishedCourse, lang string) apiCourse {
	tl := textsLang(lang, pc.SourceLocale, pc.Title, pc.Summary)
	title, _ := pc.Title.Get(tl, pc.SourceLocale)
	summary, _ := pc.Summary.Get(tl, pc.SourceLocale)
	v := apiCourse{Slug: pc.Slug, Lang: tl, Title: title, Summary: summary, Topic: pc.Topic, Categories: pc.Categories,
		Languages: pc.Title.Locales(), Lessons: len(pc.Lessons), ReviewBy: pc.ReviewBy, Updated: pc.UpdatedAt.UTC(),
		Archived: pc.Archived, URL: s.baseURL(c) + "/" + lang + "/courses/" + pc.Slug}
	if v.Categories == nil {
		v.Categories = []string{}
	}
	if !pc.ReviewedAt.IsZero() {
		t := pc.ReviewedAt.UTC()
		v.ReviewedAt = &t
	}
	if q := pc.Quiz; q != nil && len(q.Questions) > 0 {
		v.Quiz = &apiQuiz{Questions: drawCount(q), Bank: len(q.Questions), PassPercent: q.PassPercent,
			MaxAttempts: q.MaxAttempts, ShuffleChoices: q.ShuffleChoices}
	}
	return v
}

// textsLang is the language an object's texts come out in: lang when
// every text that has any translation has one in lang, else the source
// locale, so that one object never mixes two languages and its "lang"
// field names the language of all its texts. A missing translation falls
// back to the source text, as on the pages.
func textsLang(lang, source string, texts ...app.Text) string {
	for _, t := range texts {
		if len(t) == 0 {
			continue
		}
		if t[lang] == "" && t[source] != "" {
			return source
		}
	}
	return lang
}
