package quiz

import (
	"bytes"

	"beacon/app"
)

// Bounds of a submitted quiz form. No quiz has more questions than this
// many answer fields, and ids are short (question and choice ids are
// slugs), so anything larger is a forged form, refused before scoring.
const (
	// MaxFormAnswers is the most q.<question-id> fields one form may hold.
	MaxFormAnswers = 500
	// MaxFormID is the longest question or choice id a form may name.
	MaxFormID = 100
)

// answerPrefix starts the name of every answer field.
const answerPrefix = "q."

// AnswerForm turns the fields of a submitted quiz form into answers: each
// q.<question-id> field names one chosen choice id (a multiple-choice
// question posts its field once per choice). Other fields (the attempt
// token, _csrf) are ignored. The zero value is ready to use: Add every
// posted field, then read Answers. Whether the ids exist is Score's
// business; AnswerForm only bounds the form.
type AnswerForm struct {
	answers map[string][]string
	n       int
	tooBig  bool
}

// Add takes one posted field; its signature fits fasthttp's
// Args.VisitAll. It copies key and value, which the caller may reuse.
func (f *AnswerForm) Add(key, value []byte) {
	if !bytes.HasPrefix(key, []byte(answerPrefix)) {
		return
	}
	f.n++
	qid := key[len(answerPrefix):]
	if f.n > MaxFormAnswers || len(qid) > MaxFormID || len(value) > MaxFormID {
		f.tooBig = true
		return
	}
	if f.answers == nil {
		f.answers = map[string][]string{}
	}
	f.answers[string(qid)] = append(f.answers[string(qid)], string(value))
}

// Answers returns question id → chosen choice ids, in posted order, or
// EINVALID (quiz.error.unknown_choice) when the form held more than
// MaxFormAnswers answer fields or an id longer than MaxFormID.
func (f *AnswerForm) Answers() (map[string][]string, error) {
	if f.tooBig {
		return nil, app.Errorf(app.EINVALID, "quiz.error.unknown_choice")
	}
	if f.answers == nil {
		return map[string][]string{}, nil
	}
	return f.answers, nil
}
