package web

import (
	"strconv"
	"strings"

	"beacon/app"
	"beacon/app/authoring"

	"github.com/gofiber/fiber/v2"
)

// choiceRows is how many choice rows the question form offers.
const choiceRows = 6

// quizForm is the quiz settings form as typed.
type quizForm struct {
	PassPercent, MaxAttempts, Draw string
	Shuffle                        bool
}

func (s *Server) adminQuiz(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	f := quizForm{PassPercent: "70", MaxAttempts: "0", Draw: "0", Shuffle: true}
	if w.Quiz != nil {
		f = quizForm{PassPercent: strconv.Itoa(w.Quiz.PassPercent), MaxAttempts: strconv.Itoa(w.Quiz.MaxAttempts), Draw: strconv.Itoa(w.Quiz.Draw), Shuffle: w.Quiz.ShuffleChoices}
	}
	return s.adminRender(c, "admin/course/quiz", s.quizAdminData(c, cs.Slug, w, f, nil))
}

func (s *Server) quizAdminData(c *fiber.Ctx, slug string, w *app.Course, f quizForm, errs app.FieldErrors) fiber.Map {
	title, _ := w.Title.Get(s.localeOf(c), w.SourceLocale)
	n := 0
	if w.Quiz != nil {
		n = len(w.Quiz.Questions)
	}
	return fiber.Map{"Title": title, "CourseSlug": slug, "CourseTitle": title, "Form": f, "Errors": errs, "QuestionCount": n,
		"Meta": titled(s.bundle.Localizer(s.localeOf(c)), "admin.quiz.settings", title)}
}

// adminQuizSave creates the quiz or changes its settings.
func (s *Server) adminQuizSave(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	f := quizForm{PassPercent: c.FormValue("pass_percent"), MaxAttempts: c.FormValue("max_attempts"), Draw: c.FormValue("draw"), Shuffle: c.FormValue("shuffle") == "on"}
	var errs app.FieldErrors
	pass, ok1 := formInt(c, "pass_percent")
	maxA, ok2 := formInt(c, "max_attempts")
	draw, ok3 := formInt(c, "draw")
	if !ok1 {
		errs = append(errs, app.FieldError("pass_percent", "admin.error.pass_percent"))
	}
	if !ok2 {
		errs = append(errs, app.FieldError("max_attempts", "admin.error.max_attempts"))
	}
	if !ok3 {
		errs = append(errs, app.FieldError("draw", "admin.error.draw"))
	}
	if len(errs) == 0 {
		err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "quiz:settings", func(d *app.Course) error {
			if d.Quiz == nil {
				d.Quiz = &app.Quiz{Questions: []app.Question{}}
			}
			d.Quiz.PassPercent, d.Quiz.MaxAttempts, d.Quiz.Draw, d.Quiz.ShuffleChoices = pass, maxA, draw, f.Shuffle
			if e := authoring.CheckQuizSettings(d.Quiz); len(e) > 0 {
				return e
			}
			return nil
		})
		if !asFieldErrors(err, &errs) && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.adminRender(c, "admin/course/quiz", s.quizAdminData(c, cs.Slug, cs.Working(), f, errs))
	}
	s.flash(c, "flash.admin.saved")
	return c.Redirect(s.adminCourseURL(c, cs.Slug)+"#quiz", fiber.StatusSeeOther)
}

// questionForm is the question editor's form as typed.
type questionForm struct {
	ID, Type, Prompt, Explanation, TrueFalseRight string
	Choices                                       []choiceForm
	New                                           bool
}

type choiceForm struct {
	Index int
	ID    string
	Text  string
	Right bool
}

func questionFormOf(q *app.Question, src string) questionForm {
	f := questionForm{ID: q.ID, Type: q.Type, Prompt: q.Prompt[src], Explanation: q.Explanation[src]}
	for i := 0; i < choiceRows; i++ {
		row := choiceForm{Index: i}
		if i < len(q.Choices) {
			row.ID, row.Text, row.Right = q.Choices[i].ID, q.Choices[i].Text[src], q.Choices[i].Correct
			if q.Type == app.QuestionTrueFalse && q.Choices[i].Correct {
				f.TrueFalseRight = q.Choices[i].ID
			}
		}
		f.Choices = append(f.Choices, row)
	}
	return f
}

func readQuestionForm(c *fiber.Ctx) questionForm {
	f := questionForm{Type: c.FormValue("type"), Prompt: strings.TrimSpace(c.FormValue("prompt")),
		Explanation: strings.TrimSpace(strings.ReplaceAll(c.FormValue("explanation"), "\r\n", "\n")), TrueFalseRight: c.FormValue("tf_right")}
	for i := 0; i < choiceRows; i++ {
		n := strconv.Itoa(i)
		f.Choices = append(f.Choices, choiceForm{Index: i, ID: c.FormValue("choice_" + n + "_id"),
			Text: strings.TrimSpace(c.FormValue("choice_" + n + "_text")), Right: c.FormValue("choice_"+n+"_right") == "on"})
	}
	return f
}

// question builds the question from the form, keeping existing choice ids
// (learners' answers refer to them) and giving new choices free letters.
func (f questionForm) question(id, src string, trueText, falseText string, old *app.Question) app.Question {
	q := app.Question{ID: id, Type: f.Type, Prompt: app.Text{src: f.Prompt}, Explanation: app.Text{}, Choices: []app.Choice{}}
	if old != nil {
		q.Prompt, q.Explanation = copyText(old.Prompt), copyText(old.Explanation)
		q.Prompt[src] = f.Prompt
	}
	if f.Explanation != "" {
		q.Explanation[src] = f.Explanation
	} else {
		delete(q.Explanation, src)
	}
	oldText := func(id string) app.Text {
		if old != nil {
			if ch, ok := old.Choice(id); ok {
				return copyText(ch.Text)
			}
		}
		return app.Text{}
	}
	if f.Type == app.QuestionTrueFalse {
		for _, v := range []struct{ id, text string }{{"true", trueText}, {"false", falseText}} {
			t := oldText(v.id)
			t[src] = v.text
			q.Choices = append(q.Choices, app.Choice{ID: v.id, Correct: f.TrueFalseRight == v.id, Text: t})
		}
		return q
	}
	used := map[string]bool{}
	for _, row := range f.Choices {
		if row.ID != "" && row.Text != "" {
			used[row.ID] = true
		}
	}
	next := 'a'
	for _, row := range f.Choices {
		if row.Text == "" {
			continue
		}
		cid := row.ID
		if cid == "" || !authoring.ValidSlug(cid) || cid == "true" || cid == "false" {
			for used[string(next)] {
				next++
			}
			cid = string(next)
			used[cid] = true
		}
		t := oldText(cid)
		t[src] = row.Text
		q.Choices = append(q.Choices, app.Choice{ID: cid, Correct: row.Right, Text: t})
	}
	return q
}

func copyText(t app.Text) app.Text {
	out := app.Text{}
	for k, v := range t {
		out[k] = v
	}
	return out
}

func (s *Server) questionData(c *fiber.Ctx, slug string, w *app.Course, f questionForm, errs app.FieldErrors) fiber.Map {
	title, _ := w.Title.Get(s.localeOf(c), w.SourceLocale)
	heading := "admin.question.edit"
	if f.New {
		heading = "admin.question.new"
	}
	return fiber.Map{"Title": title, "CourseSlug": slug, "CourseTitle": title, "Form": f, "Errors": errs,
		"Meta":  titled(s.bundle.Localizer(s.localeOf(c)), heading, title),
		"Types": []string{app.QuestionSingle, app.QuestionMultiple, app.QuestionTrueFalse}}
}

func (s *Server) adminQuestionNew(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	f := questionFormOf(&app.Question{Type: app.QuestionSingle}, "")
	f.New = true
	return s.adminRender(c, "admin/course/question", s.questionData(c, cs.Slug, cs.Working(), f, nil))
}

// trueFalseTexts are the labels of a true/false question's choices, in the course's source locale.
func (s *Server) trueFalseTexts(src string) (string, string) {
	l := s.bundle.Localizer(src)
	return l.T("admin.question.true", nil), l.T("admin.question.false", nil)
}

// adminQuestionCreate adds a question to the quiz (creating the quiz with
// default settings when the course has none).
func (s *Server) adminQuestionCreate(c *fiber.Ctx) error {
	return s.saveQuestion(c, "")
}

func (s *Server) adminQuestionEdit(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	if w.Quiz == nil {
		return app.Errorf(app.ENOTFOUND, "quiz.not_found")
	}
	q, ok := w.Quiz.Question(c.Params("question"))
	if !ok {
		return app.Errorf(app.ENOTFOUND, "admin.question.not_found")
	}
	return s.adminRender(c, "admin/course/question", s.questionData(c, cs.Slug, w, questionFormOf(q, w.SourceLocale), nil))
}

func (s *Server) adminQuestionSave(c *fiber.Ctx) error {
	return s.saveQuestion(c, c.Params("question"))
}

// saveQuestion creates (id "") or replaces a question after checking it.
func (s *Server) saveQuestion(c *fiber.Ctx, id string) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	f := readQuestionForm(c)
	f.New = id == ""
	var old *app.Question
	if id != "" {
		if w.Quiz == nil {
			return app.Errorf(app.ENOTFOUND, "admin.question.not_found")
		}
		q, ok := w.Quiz.Question(id)
		if !ok {
			return app.Errorf(app.ENOTFOUND, "admin.question.not_found")
		}
		old = q
	} else {
		n := 1
		if w.Quiz != nil {
			n = len(w.Quiz.Questions) + 1
			for {
				if _, taken := w.Quiz.Question("q" + strconv.Itoa(n)); !taken {
					break
				}
				n++
			}
		}
		id = "q" + strconv.Itoa(n)
	}
	f.ID = id
	tText, fText := s.trueFalseTexts(w.SourceLocale)
	q := f.question(id, w.SourceLocale, tText, fText, old)
	errs := authoring.CheckQuestion(&q, w.SourceLocale, nil)
	if len(errs) == 0 {
		action := "question:update"
		if old == nil {
			action = "question:create"
		}
		err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, action, func(d *app.Course) error {
			if d.Quiz == nil {
				d.Quiz = &app.Quiz{PassPercent: 70, ShuffleChoices: true, Questions: []app.Question{}}
			}
			for i := range d.Quiz.Questions {
				if d.Quiz.Questions[i].ID == id {
					d.Quiz.Questions[i] = q
					return nil
				}
			}
			d.Quiz.Questions = append(d.Quiz.Questions, q)
			return nil
		})
		if err != nil {
			return err
		}
		s.flash(c, "flash.admin.saved")
		return c.Redirect(s.adminCourseURL(c, cs.Slug)+"#quiz", fiber.StatusSeeOther)
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.adminRender(c, "admin/course/question", s.questionData(c, cs.Slug, w, f, errs))
}

func (s *Server) adminQuestionDeleteForm(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	if w.Quiz == nil {
		return app.Errorf(app.ENOTFOUND, "admin.question.not_found")
	}
	q, ok := w.Quiz.Question(c.Params("question"))
	if !ok {
		return app.Errorf(app.ENOTFOUND, "admin.question.not_found")
	}
	p, _ := q.Prompt.Get(s.localeOf(c), w.SourceLocale)
	return s.adminRender(c, "admin/course/confirm", fiber.Map{"Title": p, "CourseSlug": cs.Slug,
		"Question": "admin.question.delete_question", "Detail": "admin.question.delete_detail",
		"Action": s.adminCourseURL(c, cs.Slug) + "/quiz/questions/" + q.ID + "/delete"})
}

// adminQuestionDelete removes a question; a draw larger than what is left
// shrinks to all questions.
func (s *Server) adminQuestionDelete(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	id := c.Params("question")
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "question:delete", func(d *app.Course) error {
		if d.Quiz == nil {
			return app.Errorf(app.ENOTFOUND, "admin.question.not_found")
		}
		for i := range d.Quiz.Questions {
			if d.Quiz.Questions[i].ID == id {
				d.Quiz.Questions = append(d.Quiz.Questions[:i], d.Quiz.Questions[i+1:]...)
				if d.Quiz.Draw > len(d.Quiz.Questions) {
					d.Quiz.Draw = 0
				}
				return nil
			}
		}
		return app.Errorf(app.ENOTFOUND, "admin.question.not_found")
	})
	if err != nil {
		return err
	}
	s.flash(c, "flash.admin.deleted")
	return c.Redirect(s.adminCourseURL(c, cs.Slug)+"#quiz", fiber.StatusSeeOther)
}
