package web

import (
	"crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"beacon/app"
	"beacon/app/quiz"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// ticketTTL is how long a drawn quiz stays valid for submission. A week,
// not a day: answers chosen offline (offline.go) wait on the device until
// the connection returns, and a course saved for a week of bus rides
// should still be answerable. Replay protection does not rest on it: a
// ticket's nonce counts once, forever (store.SubmitAttempt).
const ticketTTL = 7 * 24 * time.Hour

// questionView is a drawn question as the form and the result page show it.
type questionView struct {
	ID          string
	Number      int
	Type        string
	Prompt      string
	Explanation string
	Choices     []choiceView
	Error       string // message id when the question needs an answer
	Correct     bool   // result page: answered right
	Answered    bool
}

type choiceView struct {
	ID      string
	Text    string
	Checked bool
	Right   bool // result page only
}

func newRand() *mrand.Rand {
	var seed [16]byte
	_, _ = rand.Read(seed[:])
	return mrand.New(mrand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
}

// quizFor loads the course and its quiz (ENOTFOUND when it has none).
func (s *Server) quizFor(c *fiber.Ctx) (*app.PublishedCourse, error) {
	pc, err := s.courseFor(c)
	if err != nil {
		return nil, err
	}
	if pc.Quiz == nil || len(pc.Quiz.Questions) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "quiz.not_found")
	}
	return pc, nil
}

// quizShow draws a fresh attempt and renders the form. Nothing is written:
// the draw travels in a signed token inside the form.
func (s *Server) quizShow(c *fiber.Ctx) error {
	pc, err := s.quizFor(c)
	if err != nil {
		return err
	}
	// A copy kept on a device (offline.go) is drawn for nobody: an open
	// ticket, bound to whoever submits it.
	var learner string
	var used []*app.Attempt
	if !offlineCopy(c) {
		learner = s.ensureLearnerID(c)
		if used, err = s.store.Attempts(c.UserContext(), learner, pc.ID); err != nil {
			return err
		}
	}
	data := s.quizData(c, pc)
	if pc.Quiz.MaxAttempts > 0 && len(used) >= pc.Quiz.MaxAttempts {
		data["Exhausted"] = true
		return s.render(c, "quiz/show", data)
	}
	drawn := quiz.Draw(pc.Quiz, newRand())
	ticket := quiz.Ticket{Course: pc.Slug, RevisionID: pc.RevisionID, LearnerID: learner, Nonce: app.NewID(),
		Questions: drawn, IssuedAt: s.now().Unix()}
	data["Token"] = quiz.Seal(ticket, s.opts.Secret)
	data["Questions"] = s.questionViews(pc.Quiz, drawn, s.localeOf(c), pc.SourceLocale, nil)
	if pc.Quiz.MaxAttempts > 0 {
		data["AttemptsLeft"] = pc.Quiz.MaxAttempts - len(used)
	}
	return s.render(c, "quiz/show", data)
}

func (s *Server) quizData(c *fiber.Ctx, pc *app.PublishedCourse) fiber.Map {
	lang := s.localeOf(c)
	title, _ := pc.Title.Get(lang, pc.SourceLocale)
	l := s.bundle.Localizer(lang)
	meta := &pageMeta{Title: l.T("quiz.title", map[string]any{"Course": title}),
		Description: l.T("seo.description.quiz", map[string]any{"Course": title})}
	return fiber.Map{"Title": title, "CourseTitle": title, "CourseSlug": pc.Slug, "PassPercent": pc.Quiz.PassPercent,
		"MaxAttempts": pc.Quiz.MaxAttempts, "Meta": shareMeta(meta, shareCourse, pc.Slug, s.courseShare(c.UserContext(), pc, lang))}
}

// questionViews builds the drawn questions in the reader's locale; chosen
// marks what the learner already picked (after a form error).
func (s *Server) questionViews(q *app.Quiz, drawn []quiz.Drawn, lang, src string, chosen map[string][]string) []questionView {
	out := make([]questionView, 0, len(drawn))
	for i, d := range drawn {
		question, ok := q.Question(d.QuestionID)
		if !ok {
			continue
		}
		prompt, _ := question.Prompt.Get(lang, src)
		qv := questionView{ID: question.ID, Number: i + 1, Type: question.Type, Prompt: prompt}
		picked := map[string]bool{}
		for _, cid := range chosen[question.ID] {
			picked[cid] = true
		}
		for _, cid := range d.ChoiceIDs {
			ch, ok := question.Choice(cid)
			if !ok {
				continue
			}
			text, _ := ch.Text.Get(lang, src)
			qv.Choices = append(qv.Choices, choiceView{ID: ch.ID, Text: text, Checked: picked[ch.ID]})
		}
		out = append(out, qv)
	}
	return out
}

// quizSubmit scores a submission on the server. A forged or altered token,
// an unknown question or choice id changes nothing and says so; a missing
// answer re-shows the form with the answers kept; a double submit of the
// same form counts once and shows the first result.
func (s *Server) quizSubmit(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	pc, err := s.quizFor(c)
	if err != nil {
		return err
	}
	ticket, err := quiz.Open(c.FormValue("attempt"), s.opts.Secret)
	if err != nil {
		return err
	}
	learner := s.learnerID(c)
	nonce := ticket.Nonce
	if ticket.LearnerID == "" {
		// An open ticket (a quiz page kept on a device) belongs to whoever
		// submits it; its nonce is made theirs, so each learner counts it
		// once and one learner's submission never answers for another's.
		learner = s.ensureLearnerID(c)
		nonce = ticket.Nonce + "." + learner
	}
	if ticket.Course != pc.Slug || learner == "" || ticket.LearnerID != "" && ticket.LearnerID != learner {
		return app.Errorf(app.EINVALID, "quiz.error.bad_token")
	}
	if s.now().Sub(time.Unix(ticket.IssuedAt, 0)) > ticketTTL {
		return app.Errorf(app.EINVALID, "quiz.error.expired")
	}
	q := pc.Quiz
	if ticket.RevisionID != pc.RevisionID {
		// The course was republished since the draw: score against the
		// revision the learner saw.
		rev, err := s.store.FindCourseRevision(c.UserContext(), ticket.RevisionID)
		if err != nil || rev.Quiz == nil {
			return app.Errorf(app.EINVALID, "quiz.error.expired")
		}
		q = rev.Quiz
	}
	var form quiz.AnswerForm
	c.Request().PostArgs().VisitAll(form.Add)
	answers, err := form.Answers()
	if err != nil {
		return err
	}
	attempt, err := quiz.Score(q, ticket.Questions, answers, q.PassPercent)
	if err != nil {
		return err
	}
	var missing []questionView
	views := s.questionViews(q, ticket.Questions, lang, pc.SourceLocale, answers)
	for i := range views {
		if len(answers[views[i].ID]) == 0 {
			views[i].Error = "quiz.error.answer_required"
			missing = append(missing, views[i])
		}
	}
	if len(missing) > 0 {
		data := s.quizData(c, pc)
		data["Token"] = c.FormValue("attempt")
		data["Questions"] = views
		data["Missing"] = missing
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "quiz/show", data)
	}
	attempt.Nonce, attempt.Locale, attempt.RevisionID = nonce, lang, ticket.RevisionID
	actor := store.Actor{LearnerID: learner, User: currentUser(c), Locale: lang}
	stored, _, out, err := s.store.SubmitAttempt(c.UserContext(), actor, pc, attempt, q.MaxAttempts)
	if err != nil {
		return err
	}
	outcome := "failed"
	if stored.Passed {
		outcome = "passed"
	}
	s.metrics.quizSubmissions.WithLabelValues(outcome).Inc()
	if out.Certificate != nil {
		s.metrics.certificates.Inc()
		s.flash(c, "flash.certificate_issued")
	}
	return c.Redirect("/"+lang+"/courses/"+pc.Slug+"/quiz/results/"+strconv.FormatInt(stored.ID, 10), fiber.StatusSeeOther)
}

// quizResult shows a scored attempt to the learner who made it: the score,
// pass or fail, and for each question the right answer and why.
func (s *Server) quizResult(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	ctx := c.UserContext()
	pc, err := s.quizFor(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("attempt"), 10, 64)
	if err != nil || id <= 0 {
		return app.Errorf(app.ENOTFOUND, "quiz.result.not_found")
	}
	a, err := s.store.FindAttempt(ctx, id)
	if err != nil {
		return err
	}
	learner := s.learnerID(c)
	if learner == "" || a.LearnerID != learner || a.CourseID != pc.ID {
		return app.Errorf(app.ENOTFOUND, "quiz.result.not_found")
	}
	rev, err := s.store.FindCourseRevision(ctx, a.RevisionID)
	if err != nil {
		return err
	}
	var views []questionView
	for i, ans := range a.Answers {
		question, ok := rev.Quiz.Question(ans.QuestionID)
		if !ok {
			continue
		}
		prompt, _ := question.Prompt.Get(lang, rev.SourceLocale)
		expl, _ := question.Explanation.Get(lang, rev.SourceLocale)
		qv := questionView{ID: question.ID, Number: i + 1, Type: question.Type, Prompt: prompt, Explanation: expl,
			Correct: ans.Correct, Answered: len(ans.Chosen) > 0}
		picked := map[string]bool{}
		for _, cid := range ans.Chosen {
			picked[cid] = true
		}
		for _, ch := range question.Choices {
			text, _ := ch.Text.Get(lang, rev.SourceLocale)
			qv.Choices = append(qv.Choices, choiceView{ID: ch.ID, Text: text, Checked: picked[ch.ID], Right: ch.Correct})
		}
		views = append(views, qv)
	}
	done, err := s.store.LessonsDone(ctx, learner, pc.ID)
	if err != nil {
		return err
	}
	lessonsLeft := 0
	for _, l := range pc.Lessons {
		if !done[l.Slug] {
			lessonsLeft++
		}
	}
	var cert *app.Certificate
	if u := currentUser(c); u != nil {
		certs, err := s.store.Certificates(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, ct := range certs {
			if ct.CourseID == pc.ID {
				cert = ct
			}
		}
	}
	data := s.quizData(c, pc)
	data["Attempt"] = a
	data["Questions"] = views
	data["LessonsLeft"] = lessonsLeft
	data["Certificate"] = cert
	data["PassPercent"] = rev.Quiz.PassPercent
	if m, ok := data["Meta"].(*pageMeta); ok {
		// "Your result – Quiz: Cyber hygiene", not the quiz's own title.
		m.Title = s.bundle.Localizer(s.localeOf(c)).T("quiz.result.title", nil) + " – " + m.Title
	}
	return s.render(c, "quiz/result", data)
}
