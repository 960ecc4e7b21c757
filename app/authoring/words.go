package authoring

import (
	"strconv"
	"strings"

	"beacon/app"
)

// Words puts a course's internal field keys ("question/q1/right") and
// values (choice ids, category codes, locale codes) into a reader's words,
// so that no internal key reaches a page: the reviewer's diff and the
// translation screens label fields with it.
type Words struct {
	// T translates a message id of the reader's catalog (i18n.Localizer.T).
	T func(id string, data map[string]any) string
	// Language names a locale in its own language ("français").
	Language func(code string) string
	// Lang is the reader's locale, the first choice for course texts.
	Lang string
}

// text is t in the reader's language, else in the course's source locale.
func (w Words) text(c *app.Course, t app.Text) string {
	s, _ := t.Get(w.Lang, c.SourceLocale)
	return s
}

// Label names the field key of c ("title", "lesson/<slug>/body",
// "question/<id>/choice/<id>", and the diff's settings keys) in words:
// lessons and questions by their number, answers by their letter.
func (w Words) Label(c *app.Course, key string) string {
	parts := strings.Split(key, "/")
	switch {
	case len(parts) == 1:
		return w.T("admin.words."+key, nil)
	case key == "quiz/settings":
		return w.T("admin.words.quiz_settings", nil)
	case parts[0] == "lesson" && len(parts) == 3:
		n, title := 0, parts[1]
		for i, l := range c.Lessons {
			if l.Slug == parts[1] {
				n, title = i+1, w.text(c, l.Title)
			}
		}
		return w.T("admin.words.lesson_"+parts[2], map[string]any{"N": n, "Lesson": title})
	case parts[0] == "question" && len(parts) >= 3 && c.Quiz != nil:
		n := 0
		var q *app.Question
		for i := range c.Quiz.Questions {
			if c.Quiz.Questions[i].ID == parts[1] {
				n, q = i+1, &c.Quiz.Questions[i]
			}
		}
		if len(parts) == 4 && parts[2] == "choice" && q != nil {
			return w.T("admin.words.question_choice", map[string]any{"N": n, "Letter": choiceLetter(q, parts[3])})
		}
		return w.T("admin.words.question_"+parts[2], map[string]any{"N": n})
	}
	return w.T("admin.words.field", nil)
}

// choiceLetter is the letter a choice shows under in its question (A, B…).
func choiceLetter(q *app.Question, id string) string {
	for i, ch := range q.Choices {
		if ch.ID == id {
			if i < 26 {
				return string(rune('A' + i))
			}
			return strconv.Itoa(i + 1)
		}
	}
	return "?"
}

// inLanguage is a translated field's label with the language it is in.
func (w Words) inLanguage(label, locale string) string {
	return w.T("admin.words.in_language", map[string]any{"Field": label, "Language": w.Language(locale)})
}

// categories names CAP categories as the pages do.
func (w Words) categories(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = w.T("cap.category."+c, nil)
	}
	return strings.Join(names, w.T("admin.words.list_separator", nil))
}

// topic names a topic as the catalog does (its slug when the catalog has
// no name for it: an author's own word, not an internal key).
func (w Words) topic(slug string) string {
	if slug == "" {
		return ""
	}
	if s := w.T("topic."+slug, nil); s != "topic."+slug {
		return s
	}
	return slug
}

// quizSettings is a quiz's pass mark, attempts, draw and shuffle in words.
func (w Words) quizSettings(q *app.Quiz) string {
	attempts := w.T("admin.words.unlimited", nil)
	if q.MaxAttempts > 0 {
		attempts = strconv.Itoa(q.MaxAttempts)
	}
	draw := w.T("admin.words.all_questions", nil)
	if q.Draw > 0 {
		draw = strconv.Itoa(q.Draw)
	}
	shuffle := w.T("admin.words.no", nil)
	if q.ShuffleChoices {
		shuffle = w.T("admin.words.yes", nil)
	}
	return w.T("admin.words.quiz_settings_value", map[string]any{"Pass": q.PassPercent, "Attempts": attempts, "Draw": draw, "Shuffle": shuffle})
}

// rightAnswers is "Right answer: <choice text>" for a question's right choices.
func (w Words) rightAnswers(c *app.Course, q *app.Question) string {
	var texts []string
	for _, ch := range q.Choices {
		if ch.Correct {
			texts = append(texts, w.text(c, ch.Text))
		}
	}
	if len(texts) == 0 {
		return ""
	}
	id := "admin.words.right_answer"
	if len(texts) > 1 {
		id = "admin.words.right_answers"
	}
	return w.T(id, map[string]any{"Answer": strings.Join(texts, w.T("admin.words.list_separator", nil))})
}

// questionType names a question's kind as the question form does.
func (w Words) questionType(t string) string {
	return w.T("admin.question.type."+t, nil)
}
