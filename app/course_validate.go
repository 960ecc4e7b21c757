package app

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what an educator may type, the same in the course forms and
// the pack importer.
const (
	MaxCourseLine = 300     // titles, prompts, choices, in characters
	MaxCourseText = 100_000 // lesson bodies, summaries, explanations, in bytes
	MaxCourseSlug = 80      // slugs of courses, lessons, topics, questions and choices
)

// courseSlug is what a course, lesson, topic, question or choice slug may look like.
var courseSlug = regexp.MustCompile(`^[a-z0-9-]+$`)

// ValidCourseSlug reports whether s can name a course, lesson, topic,
// question or choice.
func ValidCourseSlug(s string) bool { return len(s) <= MaxCourseSlug && courseSlug.MatchString(s) }

// Validate checks a course's own fields as the course forms and the pack
// importer both require (locales are the site's enabled ones): Field
// "source_locale" (admin.error.locale: not enabled), "title" and
// "summary" in the source locale (admin.error.required, admin.error.too_long,
// and for the title admin.error.one_line), "topic" (admin.error.slug),
// "categories" (admin.error.category: not a CAP category) and "review_by"
// (admin.error.date: not YYYY-MM-DD).
func (c *Course) Validate(locales []string) FieldErrors {
	var errs FieldErrors
	found := false
	for _, l := range locales {
		found = found || l == c.SourceLocale
	}
	if !found {
		errs = append(errs, FieldError("source_locale", "admin.error.locale"))
	}
	if id := courseLineProblem(c.Title[c.SourceLocale], true); id != "" {
		errs = append(errs, FieldError("title", id))
	}
	if id := courseTextProblem(c.Summary[c.SourceLocale], true); id != "" {
		errs = append(errs, FieldError("summary", id))
	}
	if c.Topic != "" && !ValidCourseSlug(c.Topic) {
		errs = append(errs, FieldError("topic", "admin.error.slug"))
	}
	for _, cat := range c.Categories {
		if !AlertEnum(AlertCategories, cat) {
			errs = append(errs, FieldError("categories", "admin.error.category"))
			break
		}
	}
	if c.ReviewBy != "" {
		if _, err := time.Parse("2006-01-02", c.ReviewBy); err != nil {
			errs = append(errs, FieldError("review_by", "admin.error.date"))
		}
	}
	return errs
}

// courseLineProblem is the message id of what is wrong with a one-line
// text (title, prompt, choice), or "".
func courseLineProblem(v string, required bool) string {
	switch {
	case required && strings.TrimSpace(v) == "":
		return "admin.error.required"
	case utf8.RuneCountInString(v) > MaxCourseLine:
		return "admin.error.too_long"
	case strings.ContainsAny(v, "\r\n"):
		return "admin.error.one_line"
	}
	return ""
}

// courseTextProblem is the message id of what is wrong with a longer text
// (summary, lesson body, explanation), or "".
func courseTextProblem(v string, required bool) string {
	switch {
	case required && strings.TrimSpace(v) == "":
		return "admin.error.required"
	case len(v) > MaxCourseText:
		return "admin.error.too_long"
	}
	return ""
}
