package quiz

import (
	"sort"

	"beacon/app"
)

// Score checks a submission against the drawn questions and returns the
// scored attempt (without ids or nonce). answers maps a question id to the
// chosen choice ids, as posted in q.<question-id> fields.
//
// It refuses, with EINVALID, a question id that was not drawn, a choice id
// that the question does not have, several choices for a single-answer
// question, and a drawn question that no longer exists in the quiz. An
// unanswered question scores as wrong.
func Score(q *app.Quiz, drawn []Drawn, answers map[string][]string, passPercent int) (*app.Attempt, error) {
	drawnSet := make(map[string]bool, len(drawn))
	for _, d := range drawn {
		drawnSet[d.QuestionID] = true
	}
	for qid := range answers {
		if !drawnSet[qid] {
			return nil, &app.Error{Code: app.EINVALID, MessageID: "quiz.error.unknown_question"}
		}
	}
	a := &app.Attempt{Total: len(drawn)}
	for _, d := range drawn {
		question, ok := q.Question(d.QuestionID)
		if !ok {
			return nil, &app.Error{Code: app.EINVALID, MessageID: "quiz.error.unknown_question"}
		}
		chosen := dedupe(answers[d.QuestionID])
		for _, cid := range chosen {
			if _, ok := question.Choice(cid); !ok {
				return nil, &app.Error{Code: app.EINVALID, MessageID: "quiz.error.unknown_choice"}
			}
		}
		if question.Type != app.QuestionMultiple && len(chosen) > 1 {
			return nil, &app.Error{Code: app.EINVALID, MessageID: "quiz.error.one_choice"}
		}
		right := isRight(question, chosen)
		if right {
			a.Correct++
		}
		a.Answers = append(a.Answers, app.AnsweredQuestion{QuestionID: question.ID, Chosen: chosen, Correct: right})
	}
	if a.Total > 0 {
		a.Score = a.Correct * 100 / a.Total
	}
	a.Passed = a.Total > 0 && a.Score >= passPercent
	return a, nil
}

// isRight: all and only the right choices, and at least one choice.
func isRight(q *app.Question, chosen []string) bool {
	if len(chosen) == 0 {
		return false
	}
	picked := make(map[string]bool, len(chosen))
	for _, c := range chosen {
		picked[c] = true
	}
	for _, c := range q.Choices {
		if c.Correct != picked[c.ID] {
			return false
		}
	}
	return true
}

func dedupe(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
