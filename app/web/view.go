package web

import (
	"context"
	"html/template"
	"strings"
	"unicode"

	"beacon/app"
)

// courseCard is a course as lists show it, in the reader's locale.
type courseCard struct {
	Slug      string
	Title     string
	Summary   string
	Topic     string
	Lessons   int
	Done      int
	HasQuiz   bool
	Completed bool
	TitleLang string // the language the title is shown in (differs on fallback)
	Fallback  bool
	ReviewBy  string
}

func (s *Server) card(c *app.PublishedCourse, lang string, done int, completed bool) courseCard {
	title, fb := c.Title.Get(lang, c.SourceLocale)
	summary, fb2 := c.Summary.Get(lang, c.SourceLocale)
	tl := lang
	if fb {
		tl = c.SourceLocale
	}
	return courseCard{Slug: c.Slug, Title: title, Summary: summary, Topic: c.Topic, Lessons: len(c.Lessons), Done: done,
		HasQuiz: c.Quiz != nil && len(c.Quiz.Questions) > 0, Completed: completed, TitleLang: tl, Fallback: fb || fb2, ReviewBy: c.ReviewBy}
}

// lessonLink is one lesson in a course's list.
type lessonLink struct {
	Slug   string
	Title  string
	Number int
	Done   bool
	Lang   string
}

func lessonLinks(c *app.PublishedCourse, lang string, done map[string]bool) []lessonLink {
	out := make([]lessonLink, 0, len(c.Lessons))
	for i, l := range c.Lessons {
		title, fb := l.Title.Get(lang, c.SourceLocale)
		ll := lang
		if fb {
			ll = c.SourceLocale
		}
		out = append(out, lessonLink{Slug: l.Slug, Title: title, Number: i + 1, Done: done[l.Slug], Lang: ll})
	}
	return out
}

// lessonHTML returns the sanitized HTML of a lesson body in lang (or the
// source locale on fallback), cached by revision.
func (s *Server) lessonHTML(ctx context.Context, c *app.PublishedCourse, l *app.Lesson, lang string) (template.HTML, bool) {
	body, fb := l.Body.Get(lang, c.SourceLocale)
	key := lessonKey{c.RevisionID, l.Slug, lang}
	if v, ok := s.lessonCache.Load(key); ok {
		return v.(template.HTML), fb
	}
	h := s.lessonMarkdown(ctx, body)
	s.lessonCache.Store(key, h)
	return h, fb
}

type lessonKey struct {
	rev    int64
	lesson string
	lang   string
}

// matches reports whether every word of query occurs in the course's text
// in lang or its source locale (titles, summary, lesson titles and bodies).
// The lower-cased text is built once per revision and locale.
func (s *Server) matches(c *app.PublishedCourse, lang string, words []string) bool {
	if len(words) == 0 {
		return true
	}
	key := searchKey{c.RevisionID, lang}
	var hay string
	if v, ok := s.searchText.Load(key); ok {
		hay = v.(string)
	} else {
		var b strings.Builder
		add := func(t app.Text) {
			b.WriteString(strings.ToLower(t[lang]))
			b.WriteByte('\n')
			if lang != c.SourceLocale {
				b.WriteString(strings.ToLower(t[c.SourceLocale]))
				b.WriteByte('\n')
			}
		}
		add(c.Title)
		add(c.Summary)
		for _, l := range c.Lessons {
			add(l.Title)
			add(l.Body)
		}
		hay = b.String()
		s.searchText.Store(key, hay)
	}
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

type searchKey struct {
	rev  int64
	lang string
}

// searchWords splits a query into lower-case words, at most 10, each at
// most 50 characters.
func searchWords(q string) []string {
	fields := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	if len(fields) > 10 {
		fields = fields[:10]
	}
	for i, f := range fields {
		if r := []rune(f); len(r) > 50 {
			fields[i] = string(r[:50])
		}
	}
	return fields
}
