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
	Key    string // field key, with " [locale]" for translated text
	Op     string // Added, Removed or Changed
	Before string
	After  string
	Lines  []Line // line diff, for changed text
}

// Line is one line of a line diff: Op is "=", "-" or "+".
type Line struct {
	Op   string
	Text string
}

// entries flattens a course into ordered key → text pairs: every
// translated field per locale (source first), and the settings and answer
// keys written as text, so one diff shows every change a reviewer approves.
func entries(c *app.Course) ([]string, map[string]string) {
	if c == nil {
		return nil, map[string]string{}
	}
	var keys []string
	m := map[string]string{}
	put := func(k, v string) {
		if _, ok := m[k]; !ok {
			keys = append(keys, k)
		}
		m[k] = v
	}
	put("source_locale", c.SourceLocale)
	put("topic", c.Topic)
	put("categories", strings.Join(c.Categories, ", "))
	put("review_by", c.ReviewBy)
	slugs := make([]string, len(c.Lessons))
	for i, l := range c.Lessons {
		slugs[i] = l.Slug
	}
	put("lessons", strings.Join(slugs, ", "))
	if c.Quiz != nil {
		put("quiz/settings", fmt.Sprintf("pass %d%%, max attempts %d, draw %d, shuffle %v", c.Quiz.PassPercent, c.Quiz.MaxAttempts, c.Quiz.Draw, c.Quiz.ShuffleChoices))
		for _, q := range c.Quiz.Questions {
			var right []string
			for _, ch := range q.Choices {
				if ch.Correct {
					right = append(right, ch.ID)
				}
			}
			put("question/"+q.ID+"/type", q.Type)
			put("question/"+q.ID+"/right", strings.Join(right, ", "))
		}
	}
	for _, f := range c.Fields() {
		locs := f.Text.Locales()
		sort.SliceStable(locs, func(i, j int) bool { return locs[i] == c.SourceLocale && locs[j] != c.SourceLocale })
		for _, l := range locs {
			put(f.Key+" ["+l+"]", f.Text[l])
		}
	}
	return keys, m
}

// Diff lists what the draft changes against the published revision
// (before may be nil for a course never published), in the draft's order
// followed by what it removes.
func Diff(before, after *app.Course) []Change {
	bKeys, b := entries(before)
	aKeys, a := entries(after)
	var out []Change
	for _, k := range aKeys {
		old, had := b[k]
		switch {
		case !had && a[k] != "":
			out = append(out, Change{Key: k, Op: Added, After: a[k]})
		case had && old != a[k]:
			out = append(out, Change{Key: k, Op: Changed, Before: old, After: a[k], Lines: LineDiff(old, a[k])})
		}
	}
	for _, k := range bKeys {
		if _, ok := a[k]; !ok && b[k] != "" {
			out = append(out, Change{Key: k, Op: Removed, Before: b[k]})
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
