package cli

import (
	"math/rand/v2"

	"beacon/app"
	"beacon/app/quiz"
)

// Demo quiz answers: each demo attempt draws its questions as the site
// does and answers them with a pattern true to life, so that item analysis
// on a demo site shows something worth reading. By a question's place in
// its quiz:
//   - the first is misleading: one wrong choice (its first) draws about
//     half the answers, more than the right one;
//   - the second is hard: right a little under half the time;
//   - the third is almost always right (≥ 95%);
//   - the others are easy (about 85% right).
//
// A learner's ability shifts every chance a little, so those who pass are
// right more often than those who fail (positive discrimination).

// demoRightChance is the chance that a learner of ability (about -1..1)
// answers the question at place i right.
func demoRightChance(i int, ability float64) float64 {
	base := 0.85
	switch i {
	case 0:
		base = 0.35
	case 1:
		base = 0.45
	case 2:
		base = 0.985
	}
	spread := 0.12
	if i == 2 {
		spread = 0.01
	}
	return min(1, max(0, base+spread*ability))
}

// demoAttempt draws and answers one attempt of q (unsaved, without ids).
func demoAttempt(rng *rand.Rand, q *app.Quiz, ability float64) *app.Attempt {
	drawn := quiz.Draw(q, rng)
	place := make(map[string]int, len(q.Questions))
	for i, question := range q.Questions {
		place[question.ID] = i
	}
	answers := make(map[string][]string, len(drawn))
	for _, d := range drawn {
		question, _ := q.Question(d.QuestionID)
		var right, wrong []string
		for _, c := range question.Choices {
			if c.Correct {
				right = append(right, c.ID)
			} else {
				wrong = append(wrong, c.ID)
			}
		}
		i := place[d.QuestionID]
		switch {
		case rng.Float64() < demoRightChance(i, ability) || len(wrong) == 0:
			answers[d.QuestionID] = right
		case i == 0 && rng.Float64() < 0.8: // the misleading choice
			answers[d.QuestionID] = wrong[:1]
		default:
			answers[d.QuestionID] = []string{wrong[rng.IntN(len(wrong))]}
		}
	}
	a, err := quiz.Score(q, drawn, answers, q.PassPercent)
	if err != nil { // cannot happen: every id comes from the quiz
		return &app.Attempt{}
	}
	return a
}
