package web

import (
	"cmp"
	"slices"
	"time"

	"beacon/app"
	"beacon/app/store"
)

// reviewDueWindow is how far ahead the admin home warns of a course's
// review_by date.
const reviewDueWindow = 30 * 24 * time.Hour

// dueCourse is one line of the admin home's "due for review" list.
type dueCourse struct {
	Slug, Title, TitleLang string
	Date                   time.Time
	Overdue                bool
}

// dueForReview lists the courses whose review_by date is past or within
// reviewDueWindow of today, earliest first: the facts in them may have
// aged. Archived courses are left out (nobody reads them); the working
// revision's date counts, since that is what an edit changes. Shown to
// educators (and administrators, who hold every role): they are the ones
// who can edit a course.
func (s *Server) dueForReview(all []*store.CourseState, lang string) []dueCourse {
	today := s.now().UTC().Truncate(24 * time.Hour)
	limit := today.Add(reviewDueWindow)
	var out []dueCourse
	for _, cs := range all {
		w := cs.Working()
		if w == nil || w.ReviewBy == "" || cs.Status == app.CourseArchived {
			continue
		}
		d, err := time.Parse(time.DateOnly, w.ReviewBy)
		if err != nil || d.After(limit) {
			continue
		}
		title, fellBack := w.Title.Get(lang, w.SourceLocale)
		dc := dueCourse{Slug: cs.Slug, Title: title, Date: d, Overdue: d.Before(today)}
		if fellBack {
			dc.TitleLang = w.SourceLocale
		}
		out = append(out, dc)
	}
	slices.SortStableFunc(out, func(a, b dueCourse) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Slug, b.Slug))
	})
	return out
}
