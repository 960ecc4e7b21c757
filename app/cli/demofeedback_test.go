package cli_test

import (
	"context"
	"fmt"
	"testing"

	"beacon/app/store"
)

// TestDemoFeedback: demo-data answers "Was this lesson useful?" for the
// seed courses' lessons in both demo languages; the rollup equals a
// recount of the per-visitor answers; most lessons are found useful by
// most readers, and each course's second lesson clearly less often.
func TestDemoFeedback(t *testing.T) {
	ctx := context.Background()
	env := newEnv(t)
	if code, out, errOut := run(t, ctx, env, "", "demo-data", "--learners", "1500", "--seed", "7"); code != 0 {
		t.Fatalf("demo-data: %d %q %q", code, out, errOut)
	}
	st, err := store.Open(ctx, env["BEACON_DATABASE"])
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	courses, err := st.PublishedCourses(ctx)
	if err != nil || len(courses) == 0 {
		t.Fatalf("courses %d, %v", len(courses), err)
	}
	var lowYes, lowAll, restYes, restAll int64
	locales := map[string]bool{}
	for _, c := range courses {
		fb, err := st.LessonFeedback(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		re, err := st.RecountLessonFeedback(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(fb) != fmt.Sprint(re) {
			t.Fatalf("%s: rollup %v, recount %v", c.Slug, fb, re)
		}
		second := ""
		if len(c.Lessons) > 1 {
			second = c.Lessons[1].Slug
		}
		for _, f := range fb {
			locales[f.Locale] = true
			if f.LessonSlug == second {
				lowYes, lowAll = lowYes+f.Yes, lowAll+f.Yes+f.No
			} else {
				restYes, restAll = restYes+f.Yes, restAll+f.Yes+f.No
			}
		}
	}
	if !locales["en"] || !locales["zh-Hans"] {
		t.Errorf("answers in %v, want en and zh-Hans", locales)
	}
	if lowAll < 50 || restAll < 200 {
		t.Fatalf("too few answers: second lessons %d, others %d", lowAll, restAll)
	}
	low, rest := float64(lowYes)/float64(lowAll), float64(restYes)/float64(restAll)
	t.Logf("answers: second lessons %d (%.2f useful), others %d (%.2f useful)", lowAll, low, restAll, rest)
	if rest < 0.8 || low > 0.5 {
		t.Errorf("useful share: other lessons %.2f (want ≥ 0.80), second lessons %.2f (want ≤ 0.50)", rest, low)
	}
}
