package authoring

import (
	"fmt"
	"sort"
	"strings"

	"beacon/app"
)

// Change operations.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one field that differs between the published revision and the draft.
type Change struct {
	Key    string // internal field key, with " [locale]" for translated text (never shown)
	Label  string // the field in the reader's words ("Question 2: right answer")
	Op     string // Added, Removed or Changed
	Before string // values in words ("Right answer: Hang up…")
	After  string
	Lines  []Line // line diff, for changed text
}

// Line is one line of a line diff: Op is "=", "-" or "+".
type Line struct {
	Op   string
	Text string
}

// entry is one compared field: raw is what is compared, shown what the
// reader sees, label the field's name in words.
type entry struct{ raw, shown, label string }

// entries flattens a course into ordered key → entry pairs: every
// translated field per locale (source first), and the settings and answer
// keys, so one diff shows every change a reviewer approves, in words.
func entries(c *app.Course, w Words) ([]string, map[string]entry) {
	if c == nil {
		return nil, map[string]entry{}
	}
	var keys []string
	m := map[string]entry{}
	put := func(k, raw, shown, label string) {
		if _, ok := m[k]; !ok {
			keys = append(keys, k)
		}
		m[k] = entry{raw, shown, label}
	}
	same := func(k, v string) { put(k, v, v, w.Label(c, k)) }
	put("source_locale", c.SourceLocale, w.Language(c.SourceLocale), w.Label(c, "source_locale"))
	put("topic", c.Topic, w.topic(c.Topic), w.Label(c, "topic"))
	put("categories", strings.Join(c.Categories, ", "), w.categories(c.Categories), w.Label(c, "categories"))
	same("review_by", c.ReviewBy)
	slugs := make([]string, len(c.Lessons))
	titles := make([]string, len(c.Lessons))
	for i, l := range c.Lessons {
		slugs[i], titles[i] = l.Slug, w.text(c, l.Title)
	}
	put("lessons", strings.Join(slugs, ", "), strings.Join(titles, "\n"), w.Label(c, "lessons"))
	if c.Quiz != nil {
		q := c.Quiz
		put("quiz/settings", fmt.Sprintf("pass %d%%, max attempts %d, draw %d, shuffle %v", q.PassPercent, q.MaxAttempts, q.Draw, q.ShuffleChoices),
			w.quizSettings(q), w.Label(c, "quiz/settings"))
		for i := range q.Questions {
			qu := &q.Questions[i]
			var right []string
			for _, ch := range qu.Choices {
				if ch.Correct {
					right = append(right, ch.ID)
				}
			}
			k := "question/" + qu.ID + "/"
			put(k+"type", qu.Type, w.questionType(qu.Type), w.Label(c, k+"type"))
			put(k+"right", strings.Join(right, ", "), w.rightAnswers(c, qu), w.Label(c, k+"right"))
		}
	}
	for _, f := range c.Fields() {
		locs := f.Text.Locales()
		sort.SliceStable(locs, func(i, j int) bool { return locs[i] == c.SourceLocale && locs[j] != c.SourceLocale })
		label := w.Label(c, f.Key)
		for _, l := range locs {
			put(f.Key+" ["+l+"]", f.Text[l], f.Text[l], w.inLanguage(label, l))
		}
	}
	return keys, m
}

// Diff lists what the draft changes against the published revision
// (before may be nil for a course never published), in the draft's order
// followed by what it removes, in the reader's words (w).
func Diff(before, after *app.Course, w Words) []Change {
	bKeys, b := entries(before, w)
	aKeys, a := entries(after, w)
	var out []Change
	for _, k := range aKeys {
		old, had := b[k]
		now := a[k]
		switch {
		case !had && now.raw != "":
			out = append(out, Change{Key: k, Label: now.label, Op: Added, After: now.shown})
		case had && old.raw != now.raw:
			out = append(out, Change{Key: k, Label: now.label, Op: Changed, Before: old.shown, After: now.shown, Lines: LineDiff(old.shown, now.shown)})
		}
	}
	for _, k := range bKeys {
		if _, ok := a[k]; !ok && b[k].raw != "" {
			out = append(out, Change{Key: k, Label: b[k].label, Op: Removed, Before: b[k].shown})
		}
	}
	return out
}

// LineDiff compares two texts line by line (longest common subsequence).
func LineDiff(before, after string) []Line {
	x, y := strings.Split(before, "\n"), strings.Split(after, "\n")
	if len(x)*len(y) > 4_000_000 { // too large to align: show old then new
		var out []Line
		for _, l := range x {
			out = append(out, Line{"-", l})
		}
		for _, l := range y {
			out = append(out, Line{"+", l})
		}
		return out
	}
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Line
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			out = append(out, Line{"=", x[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Line{"-", x[i]})
			i++
		default:
			out = append(out, Line{"+", y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Line{"-", x[i]})
	}
	for ; j < m; j++ {
		out = append(out, Line{"+", y[j]})
	}
	return out
}
