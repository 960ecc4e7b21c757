package app

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Translation states of one field in one locale.
const (
	TranslationMissing  = "missing"
	TranslationOutdated = "outdated"
	TranslationUpToDate = "up_to_date"
	// TranslationPresent is a translation whose source fingerprint is not
	// kept (campaigns, alerts): it is there, but nobody can tell whether
	// the source changed since.
	TranslationPresent = "present"
)

// Field is one translatable field of a course, named by a stable key
// ("title", "lesson/<slug>/body", "question/<id>/choice/<id>", ...).
type Field struct {
	Key  string
	Kind string // "line" for short text, "text" for Markdown or long text
	Text Text
}

// Fields lists every translatable field of the course in reading order.
// The Text values share storage with the course, so setting a locale on a
// field's Text changes the course.
func (c *Course) Fields() []Field {
	ensure := func(t *Text) Text {
		if *t == nil {
			*t = Text{}
		}
		return *t
	}
	out := []Field{{"title", "line", ensure(&c.Title)}, {"summary", "text", ensure(&c.Summary)}}
	for i := range c.Lessons {
		l := &c.Lessons[i]
		out = append(out, Field{"lesson/" + l.Slug + "/title", "line", ensure(&l.Title)}, Field{"lesson/" + l.Slug + "/body", "text", ensure(&l.Body)})
	}
	if c.Quiz != nil {
		for i := range c.Quiz.Questions {
			q := &c.Quiz.Questions[i]
			out = append(out, Field{"question/" + q.ID + "/prompt", "line", ensure(&q.Prompt)},
				Field{"question/" + q.ID + "/explanation", "text", ensure(&q.Explanation)})
			for j := range q.Choices {
				ch := &q.Choices[j]
				out = append(out, Field{"question/" + q.ID + "/choice/" + ch.ID, "line", ensure(&ch.Text)})
			}
		}
	}
	return out
}

// digest is a short fingerprint of a source text.
func digest(s string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(s)))
	return hex.EncodeToString(sum[:8])
}

// StampTranslation records that the field's text in locale was made from
// the current source text.
func (c *Course) StampTranslation(locale, key, source string) {
	if c.Sources == nil {
		c.Sources = map[string]map[string]string{}
	}
	if c.Sources[locale] == nil {
		c.Sources[locale] = map[string]string{}
	}
	c.Sources[locale][key] = digest(source)
}

// StampAll marks every translation present as made from the current
// source (a pack arrives with its translations in step).
func (c *Course) StampAll() {
	for _, f := range c.Fields() {
		for loc, text := range f.Text {
			if loc != c.SourceLocale && strings.TrimSpace(text) != "" {
				c.StampTranslation(loc, f.Key, f.Text[c.SourceLocale])
			}
		}
	}
}

// TranslationState says whether field f is missing, outdated or up to date in locale.
func (c *Course) TranslationState(locale string, f Field) string {
	if strings.TrimSpace(f.Text[locale]) == "" {
		return TranslationMissing
	}
	if locale == c.SourceLocale {
		return TranslationUpToDate
	}
	if d, ok := c.Sources[locale][f.Key]; !ok || d != digest(f.Text[c.SourceLocale]) {
		return TranslationOutdated
	}
	return TranslationUpToDate
}

// TranslationCounts counts the fields of the course per state in locale.
func (c *Course) TranslationCounts(locale string) map[string]int {
	out := map[string]int{TranslationMissing: 0, TranslationOutdated: 0, TranslationUpToDate: 0}
	for _, f := range c.Fields() {
		out[c.TranslationState(locale, f)]++
	}
	return out
}
