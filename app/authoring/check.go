package authoring

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/media"
)

// CAPCategories are the Common Alerting Protocol 1.2 categories a course can teach about.
var CAPCategories = app.AlertCategories

// Limits on what an educator may type.
const (
	MaxLine = app.MaxCourseLine // titles, prompts, choices
	MaxText = app.MaxCourseText // lesson bodies, summaries, explanations
)

// ValidSlug reports whether s can name a course, lesson, question or choice.
func ValidSlug(s string) bool { return app.ValidCourseSlug(s) }

// CheckMeta checks a course's own fields: app.Course.Validate, the one
// check the course forms and the pack importer share.
func CheckMeta(c *app.Course, locales []string) app.FieldErrors { return c.Validate(locales) }

// CheckLesson checks one lesson as its form shows it; others are the other
// lessons' slugs, which a new or renamed lesson may not reuse.
func CheckLesson(l *app.Lesson, source string, others []string) app.FieldErrors {
	var errs app.FieldErrors
	switch {
	case !ValidSlug(l.Slug):
		errs = append(errs, app.FieldError("slug", "admin.error.slug"))
	case contains(others, l.Slug):
		errs = append(errs, app.FieldError("slug", "admin.error.slug_taken"))
	}
	errs = append(errs, checkLine("title", l.Title[source], true)...)
	errs = append(errs, checkText("body", l.Body[source], true)...)
	if len(media.BadRefs(l.Body[source])) > 0 {
		errs = append(errs, app.FieldError("body", "admin.lesson.error.media_path"))
	}
	return errs
}

// CheckQuizSettings checks the quiz's pass mark, attempts and draw size.
func CheckQuizSettings(q *app.Quiz) app.FieldErrors {
	var errs app.FieldErrors
	if q.PassPercent < 1 || q.PassPercent > 100 {
		errs = append(errs, app.FieldError("pass_percent", "admin.error.pass_percent"))
	}
	if q.MaxAttempts < 0 || q.MaxAttempts > 1000 {
		errs = append(errs, app.FieldError("max_attempts", "admin.error.max_attempts"))
	}
	if q.Draw < 0 || q.Draw > len(q.Questions) {
		errs = append(errs, app.FieldError("draw", "admin.error.draw"))
	}
	return errs
}

// CheckQuestion checks one question: id, type, prompt and the choice rules
// (single and true/false: exactly one right; multiple: at least one;
// true/false has exactly the choices "true" and "false"; 2+ choices).
func CheckQuestion(q *app.Question, source string, others []string) app.FieldErrors {
	var errs app.FieldErrors
	switch {
	case !ValidSlug(q.ID):
		errs = append(errs, app.FieldError("id", "admin.error.slug"))
	case contains(others, q.ID):
		errs = append(errs, app.FieldError("id", "admin.error.slug_taken"))
	}
	switch q.Type {
	case app.QuestionSingle, app.QuestionMultiple, app.QuestionTrueFalse:
	default:
		errs = append(errs, app.FieldError("type", "admin.error.question_type"))
	}
	errs = append(errs, checkLine("prompt", q.Prompt[source], true)...)
	errs = append(errs, checkText("explanation", q.Explanation[source], false)...)
	right := 0
	seen := map[string]bool{}
	for i, ch := range q.Choices {
		field := fmt.Sprintf("choice_%d", i)
		if !ValidSlug(ch.ID) || seen[ch.ID] {
			errs = append(errs, app.FieldError(field, "admin.error.choice_id"))
		}
		seen[ch.ID] = true
		if q.Type != app.QuestionTrueFalse {
			errs = append(errs, checkLine(field, ch.Text[source], true)...)
		}
		if ch.Correct {
			right++
		}
	}
	switch {
	case len(q.Choices) < 2:
		errs = append(errs, app.FieldError("choices", "admin.error.two_choices"))
	case q.Type == app.QuestionTrueFalse && (len(q.Choices) != 2 || !seen["true"] || !seen["false"]):
		errs = append(errs, app.FieldError("choices", "admin.error.true_false"))
	case q.Type == app.QuestionMultiple && right < 1:
		errs = append(errs, app.FieldError("choices", "admin.error.one_right_or_more"))
	case q.Type != app.QuestionMultiple && right != 1:
		errs = append(errs, app.FieldError("choices", "admin.error.exactly_one_right"))
	}
	return errs
}

// CheckForReview checks a whole draft before it goes to review: its own
// fields, at least one lesson, every lesson and question, the quiz settings.
func CheckForReview(c *app.Course, locales []string) app.FieldErrors {
	errs := CheckMeta(c, locales)
	if len(c.Lessons) == 0 {
		errs = append(errs, app.FieldError("lessons", "admin.error.no_lessons"))
	}
	for i := range c.Lessons {
		if len(CheckLesson(&c.Lessons[i], c.SourceLocale, nil)) > 0 {
			errs = append(errs, &app.Error{Code: app.EINVALID, MessageID: "admin.error.lesson_incomplete", Field: "lessons", Args: map[string]any{"Lesson": i + 1}})
		}
	}
	if c.Quiz != nil {
		errs = append(errs, CheckQuizSettings(c.Quiz)...)
		if len(c.Quiz.Questions) == 0 {
			errs = append(errs, app.FieldError("quiz", "admin.error.no_questions"))
		}
		for i := range c.Quiz.Questions {
			if len(CheckQuestion(&c.Quiz.Questions[i], c.SourceLocale, nil)) > 0 {
				errs = append(errs, &app.Error{Code: app.EINVALID, MessageID: "admin.error.question_incomplete", Field: "quiz", Args: map[string]any{"Question": i + 1}})
			}
		}
	}
	return errs
}

func checkLine(field, v string, required bool) app.FieldErrors {
	switch {
	case required && strings.TrimSpace(v) == "":
		return app.FieldErrors{app.FieldError(field, "admin.error.required")}
	case utf8.RuneCountInString(v) > MaxLine:
		return app.FieldErrors{app.FieldError(field, "admin.error.too_long")}
	case strings.ContainsAny(v, "\r\n"):
		return app.FieldErrors{app.FieldError(field, "admin.error.one_line")}
	}
	return nil
}

func checkText(field, v string, required bool) app.FieldErrors {
	switch {
	case required && strings.TrimSpace(v) == "":
		return app.FieldErrors{app.FieldError(field, "admin.error.required")}
	case len(v) > MaxText:
		return app.FieldErrors{app.FieldError(field, "admin.error.too_long")}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
