package quiz_test

import (
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/quiz"
)

// loadSeedQuizzes parses the seed pack (content/, read directly rather
// than through testenv, which would link the whole server into the fuzz
// binary) and returns its quizzes in course order.
func loadSeedQuizzes(tb testing.TB) []*app.Quiz {
	tb.Helper()
	pack, err := content.Parse(os.DirFS("../../content"), content.Options{Locales: []string{"ar", "en", "es", "fr", "ru", "zh-Hans"}})
	if err != nil {
		tb.Fatalf("seed pack: %v", err)
	}
	var out []*app.Quiz
	for _, c := range pack.Courses {
		if c.Quiz != nil {
			out = append(out, c.Quiz)
		}
	}
	if len(out) == 0 {
		tb.Fatal("seed pack has no quiz")
	}
	return out
}

// formFields splits an application/x-www-form-urlencoded body into its
// fields in order, as a browser posts them. Unlike url.ParseQuery it keeps
// the order, so that a fuzz input always means the same thing, and it keeps
// a field whose escapes are broken as written.
func formFields(body string) [][2]string {
	var out [][2]string
	for part := range strings.SplitSeq(body, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		out = append(out, [2]string{k, v})
	}
	return out
}

// rightAnswers is a form body that answers every drawn question rightly.
func rightAnswers(q *app.Quiz, drawn []quiz.Drawn) string {
	form := url.Values{}
	for _, d := range drawn {
		question, _ := q.Question(d.QuestionID)
		for _, c := range question.Choices {
			if c.Correct {
				form.Add("q."+d.QuestionID, c.ID)
			}
		}
	}
	return form.Encode()
}

// FuzzQuizForm posts arbitrary form bodies against the seed pack's quizzes:
// the form is read by quiz.AnswerForm and scored by quiz.Score against a
// draw made from the fuzzed seed, as the quiz page's POST handler does.
// Whatever the body, nothing panics; a form naming a question that was not
// drawn, or a choice its question does not have, is refused; an accepted
// form scores 0..100 with 0 <= correct <= drawn and pass/fail consistent
// with the pass mark. The attempt token field goes through quiz.Open too,
// which must refuse anything it did not sign.
func FuzzQuizForm(f *testing.F) {
	quizzes := loadSeedQuizzes(f)
	key := []byte("fuzz-key-0123456789abcdef")
	sealed := map[string]bool{}
	for i, q := range quizzes {
		drawn := quiz.Draw(q, rand.New(rand.NewPCG(uint64(i), 1)))
		ticket := quiz.Seal(quiz.Ticket{Course: "c", LearnerID: "l", Nonce: "n", Questions: drawn}, key)
		sealed[ticket] = true
		right := rightAnswers(q, drawn)
		f.Add(uint8(i), uint64(i), "attempt="+url.QueryEscape(ticket)+"&"+right)
		f.Add(uint8(i), uint64(i), right)
		first := drawn[0]
		f.Add(uint8(i), uint64(i), "q."+first.QuestionID+"="+first.ChoiceIDs[0]+"&q."+first.QuestionID+"="+first.ChoiceIDs[len(first.ChoiceIDs)-1])
		f.Add(uint8(i), uint64(i), "q."+first.QuestionID+"=no-such-choice")
	}
	for _, body := range []string{
		"", "q.=", "q.", "=&&=", "q.x=a", "q.%zz=%zz", "q.a%00b=c", "attempt=..&_csrf=x",
		"attempt=e30.AAAA", "q.strongest-password=passphrase&q.strongest-password=passphrase",
		"q." + strings.Repeat("x", quiz.MaxFormID+1) + "=a",
		"q.a=" + strings.Repeat("b", quiz.MaxFormID+1),
		strings.Repeat("q.a=b&", quiz.MaxFormAnswers+1),
		"q.%E2%80%AEtrue=true", "q.\xff=\xfe", "Q.true=true", "q.true=TRUE",
	} {
		f.Add(uint8(0), uint64(7), body)
	}
	f.Fuzz(func(t *testing.T, which uint8, seed uint64, body string) {
		q := quizzes[int(which)%len(quizzes)]
		drawn := quiz.Draw(q, rand.New(rand.NewPCG(seed, 2)))
		var form quiz.AnswerForm
		fields := formFields(body)
		for _, kv := range fields {
			if kv[0] == "attempt" {
				if _, err := quiz.Open(kv[1], key); err == nil && !sealed[kv[1]] {
					t.Fatalf("quiz.Open accepted a token this test did not seal: %q", kv[1])
				}
			}
			form.Add([]byte(kv[0]), []byte(kv[1]))
		}
		answers, err := form.Answers()
		if err != nil {
			if !tooBig(fields) {
				t.Fatalf("AnswerForm refused a form within its bounds: %v", err)
			}
			return
		}
		if tooBig(fields) {
			t.Fatal("AnswerForm accepted a form beyond its bounds")
		}
		attempt, err := quiz.Score(q, drawn, answers, q.PassPercent)
		unknown := unknownID(q, drawn, answers)
		if err != nil {
			if e, ok := err.(*app.Error); !ok || e.Code != app.EINVALID {
				t.Fatalf("Score error %v, want an EINVALID *app.Error", err)
			}
			return
		}
		if unknown != "" {
			t.Fatalf("Score accepted %s", unknown)
		}
		if attempt.Score < 0 || attempt.Score > 100 {
			t.Fatalf("score %d outside 0..100", attempt.Score)
		}
		if attempt.Total != len(drawn) || attempt.Correct < 0 || attempt.Correct > attempt.Total {
			t.Fatalf("correct %d of %d, drawn %d", attempt.Correct, attempt.Total, len(drawn))
		}
		if attempt.Passed != (attempt.Total > 0 && attempt.Score >= q.PassPercent) {
			t.Fatalf("passed=%v with score %d and pass mark %d", attempt.Passed, attempt.Score, q.PassPercent)
		}
		for _, a := range attempt.Answers {
			question, _ := q.Question(a.QuestionID)
			if question.Type != app.QuestionMultiple && len(a.Chosen) > 1 {
				t.Fatalf("question %s (%s) scored with %d choices", a.QuestionID, question.Type, len(a.Chosen))
			}
		}
	})
}

// tooBig reports whether the fields exceed AnswerForm's bounds.
func tooBig(fields [][2]string) bool {
	n := 0
	for _, kv := range fields {
		qid, ok := strings.CutPrefix(kv[0], "q.")
		if !ok {
			continue
		}
		n++
		if n > quiz.MaxFormAnswers || len(qid) > quiz.MaxFormID || len(kv[1]) > quiz.MaxFormID {
			return true
		}
	}
	return false
}

// unknownID names the first answer that refers to a question not drawn or
// a choice its question does not have, "" when there is none.
func unknownID(q *app.Quiz, drawn []quiz.Drawn, answers map[string][]string) string {
	in := map[string]bool{}
	for _, d := range drawn {
		in[d.QuestionID] = true
	}
	for qid, chosen := range answers {
		question, ok := q.Question(qid)
		if !in[qid] || !ok {
			return "question " + qid + ", which was not drawn"
		}
		for _, c := range chosen {
			if _, ok := question.Choice(c); !ok {
				return "choice " + c + " of question " + qid
			}
		}
	}
	return ""
}
