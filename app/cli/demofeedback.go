package cli

import (
	"math/rand/v2"
	"time"

	"beacon/app"
	"beacon/app/store"
)

// demoAnswerChance is the share of readers who answer "Was this lesson
// useful?" after finishing a lesson: most readers skip the question.
const demoAnswerChance = 0.3

// demoUsefulChance is the chance that a reader who answers finds lesson i
// of a course of n lessons useful: most lessons mostly yes (between 84 %
// and 92 %), and the second lesson of a course clearly less useful (38 %),
// so that an educator's feedback table points at one lesson to rework.
func demoUsefulChance(i, n int) float64 {
	if n > 1 && i == 1 {
		return 0.38
	}
	return 0.92 - 0.04*float64(i%3)
}

// demoFeedback draws the reader's answers to the lessons of c it finished
// (done), read in locale, each a little after the lesson at.
func demoFeedback(rng *rand.Rand, c *app.PublishedCourse, done map[string]time.Time, locale string) []store.DemoAnswer {
	var out []store.DemoAnswer
	for i, ls := range c.Lessons {
		at, ok := done[ls.Slug]
		if !ok || rng.Float64() >= demoAnswerChance {
			continue
		}
		answer := app.UsefulNo
		if rng.Float64() < demoUsefulChance(i, len(c.Lessons)) {
			answer = app.UsefulYes
		}
		out = append(out, store.DemoAnswer{CourseID: c.ID, LessonSlug: ls.Slug, Locale: locale, Answer: answer, At: at.Add(time.Minute)})
	}
	return out
}
