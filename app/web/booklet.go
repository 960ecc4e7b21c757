package web

import (
	"crypto/sha256"
	"html/template"
	"sort"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// bookletLesson is one lesson of a printed course booklet.
type bookletLesson struct {
	Number      int
	Slug, Title string
	Lang        string // the language the lesson is shown in (its source on fallback)
	Body        template.HTML
}

// bookletQuestion is one quiz question of a booklet: its prompt and the
// text of its choices, and nothing that says which choice is right.
type bookletQuestion struct {
	Number   int
	Multiple bool
	Prompt   string
	Lang     string
	Choices  []string
}

// printRoutes are the pages and images made for paper (#14 print).
func (s *Server) printRoutes() []route {
	return []route{
		{"GET", "/:lang/courses/:course/print", accessPublic, []fiber.Handler{shared, s.courseBooklet}},
		{"GET", "/certificates/:code/qr.svg", accessPublic, []fiber.Handler{s.certificateQR}},
	}
}

// courseBooklet is the "Print this course" page: a cover (course, site,
// date, link), every lesson in order, then every question of the course's
// quiz with its choices and no answers, for educators who run a session on
// paper. It is the same for everyone, so it is kept like other public pages.
func (s *Server) courseBooklet(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	pc, err := s.courseFor(c)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	courseURL := base + "/" + lang + "/courses/" + pc.Slug
	lessons := make([]bookletLesson, 0, len(pc.Lessons))
	for i, ll := range lessonLinks(pc, lang, nil) {
		body, _ := s.printableLessonHTML(c.UserContext(), pc, &pc.Lessons[i], lang, courseURL+"/lessons/"+ll.Slug)
		lessons = append(lessons, bookletLesson{Number: ll.Number, Slug: ll.Slug, Title: ll.Title, Lang: ll.Lang, Body: body})
	}
	card := s.card(pc, lang, 0, false)
	l := s.bundle.Localizer(lang)
	data := fiber.Map{
		"Title":  l.T("booklet.title", map[string]any{"Course": card.Title}),
		"Course": card, "Lessons": lessons, "Questions": bookletQuestions(pc, lang),
		"CourseURL": courseURL, "PrintedAt": s.now(),
		"Meta": &pageMeta{Description: card.Summary},
	}
	return s.render(c, "course/print", data)
}

// bookletQuestions lists every question of the course's quiz (not only a
// draw of them) in pack order. Choices keep the author's order unless the
// quiz shuffles them; then they are put in an order fixed by their ids'
// hashes, the same on every print and unrelated to which one is right.
func bookletQuestions(pc *app.PublishedCourse, lang string) []bookletQuestion {
	if pc.Quiz == nil {
		return nil
	}
	out := make([]bookletQuestion, 0, len(pc.Quiz.Questions))
	for i, q := range pc.Quiz.Questions {
		prompt, fb := q.Prompt.Get(lang, pc.SourceLocale)
		ql := lang
		if fb {
			ql = pc.SourceLocale
		}
		choices := make([]app.Choice, len(q.Choices))
		copy(choices, q.Choices)
		if pc.Quiz.ShuffleChoices {
			sort.SliceStable(choices, func(a, b int) bool {
				return choiceHash(q.ID, choices[a].ID) < choiceHash(q.ID, choices[b].ID)
			})
		}
		texts := make([]string, 0, len(choices))
		for _, ch := range choices {
			t, _ := ch.Text.Get(lang, pc.SourceLocale)
			texts = append(texts, t)
		}
		out = append(out, bookletQuestion{Number: i + 1, Multiple: q.Type == app.QuestionMultiple, Prompt: prompt, Lang: ql, Choices: texts})
	}
	return out
}

func choiceHash(question, choice string) string {
	sum := sha256.Sum256([]byte(question + "\x00" + choice))
	return string(sum[:])
}
