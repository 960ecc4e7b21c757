package store_test

import (
	"context"
	"sort"
	"testing"

	"beacon/app"
	"beacon/app/testenv"
)

// BenchmarkAnswerLesson measures "Was this lesson useful?" answers through
// the store (no HTTP), each by a new guest, one at a time, on SQLite and
// PostgreSQL; then reading the course's rollup for the educators' table
// after b.N answers spread over its lessons and six languages.
func BenchmarkAnswerLesson(b *testing.B) {
	stores := testenv.Stores(b)
	names := make([]string, 0, len(stores))
	for name := range stores {
		names = append(names, name)
	}
	sort.Strings(names)
	locales := []string{"ar", "en", "es", "fr", "ru", "zh-Hans"}
	for _, name := range names {
		st := stores[name](b)
		c := seed(b, st)[0]
		ctx := context.Background()
		b.Run(name+"/answer", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				answer := app.UsefulYes
				if i%3 == 0 {
					answer = app.UsefulNo
				}
				if err := st.AnswerLesson(ctx, app.NewID(), c, c.Lessons[i%len(c.Lessons)].Slug, locales[i%len(locales)], answer); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/table", func(b *testing.B) {
			for b.Loop() {
				if _, err := st.LessonFeedback(ctx, c.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
