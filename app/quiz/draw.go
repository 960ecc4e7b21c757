package quiz

import (
	"math/rand/v2"

	"beacon/app"
)

// Drawn is one question as shown in an attempt, with its choices in the
// order shown.
type Drawn struct {
	QuestionID string
	ChoiceIDs  []string
}

// Draw picks the questions of one attempt: quiz.Draw of them (all when 0),
// in random order, with choices shuffled when the quiz says so (true/false
// keeps its order so that "true" always reads first).
func Draw(q *app.Quiz, rng *rand.Rand) []Drawn {
	idx := rng.Perm(len(q.Questions))
	n := len(idx)
	if q.Draw > 0 && q.Draw < n {
		n = q.Draw
	}
	out := make([]Drawn, 0, n)
	for _, i := range idx[:n] {
		question := &q.Questions[i]
		ids := make([]string, len(question.Choices))
		for j, c := range question.Choices {
			ids[j] = c.ID
		}
		switch {
		case question.Type == app.QuestionTrueFalse:
			ids = []string{"true", "false"} // validation guarantees exactly these
		case q.ShuffleChoices:
			rng.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		}
		out = append(out, Drawn{QuestionID: question.ID, ChoiceIDs: ids})
	}
	return out
}
