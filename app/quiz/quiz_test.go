package quiz_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/quiz"
)

// bank is a quiz of n questions: every third a true_false, every third a
// multiple, the rest single with four choices.
func bank(n, draw int, shuffle bool) *app.Quiz {
	q := &app.Quiz{PassPercent: 80, Draw: draw, ShuffleChoices: shuffle}
	for i := range n {
		id := fmt.Sprintf("q%d", i)
		switch i % 3 {
		case 0:
			q.Questions = append(q.Questions, app.Question{ID: id, Type: app.QuestionTrueFalse, Choices: []app.Choice{
				{ID: "true", Correct: true}, {ID: "false"},
			}})
		case 1:
			q.Questions = append(q.Questions, app.Question{ID: id, Type: app.QuestionMultiple, Choices: []app.Choice{
				{ID: "a", Correct: true}, {ID: "b"}, {ID: "c", Correct: true}, {ID: "d"}, {ID: "e"},
			}})
		default:
			q.Questions = append(q.Questions, app.Question{ID: id, Type: app.QuestionSingle, Choices: []app.Choice{
				{ID: "a"}, {ID: "b", Correct: true}, {ID: "c"}, {ID: "d"},
			}})
		}
	}
	return q
}

func choiceIDs(q *app.Question) []string {
	ids := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		ids[i] = c.ID
	}
	return ids
}

func TestQuiz_Draw(t *testing.T) {
	t.Run("Count", func(t *testing.T) {
		tests := []struct {
			name      string
			questions int
			draw      int
			want      int
		}{
			{name: "draw some", questions: 10, draw: 4, want: 4},
			{name: "draw 0 means all", questions: 7, draw: 0, want: 7},
			{name: "draw equal to the bank", questions: 5, draw: 5, want: 5},
			{name: "draw 1", questions: 5, draw: 1, want: 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				q := bank(tt.questions, tt.draw, true)
				rng := rand.New(rand.NewPCG(1, 2))
				for range 50 {
					if got := len(quiz.Draw(q, rng)); got != tt.want {
						t.Fatalf("drew %d questions, want %d", got, tt.want)
					}
				}
			})
		}
	})

	t.Run("NoRepeatsAndEveryChoiceKept", func(t *testing.T) {
		q := bank(12, 8, true)
		rng := rand.New(rand.NewPCG(3, 4))
		for range 200 {
			seen := map[string]bool{}
			for _, d := range quiz.Draw(q, rng) {
				if seen[d.QuestionID] {
					t.Fatalf("question %s drawn twice in one attempt", d.QuestionID)
				}
				seen[d.QuestionID] = true
				question, ok := q.Question(d.QuestionID)
				if !ok {
					t.Fatalf("drew unknown question %s", d.QuestionID)
				}
				got := slices.Sorted(slices.Values(d.ChoiceIDs))
				want := slices.Sorted(slices.Values(choiceIDs(question)))
				if !slices.Equal(got, want) {
					t.Fatalf("question %s: choices %v, want a permutation of %v", d.QuestionID, d.ChoiceIDs, choiceIDs(question))
				}
			}
		}
	})

	t.Run("TrueFalseKeepsOrder", func(t *testing.T) {
		q := bank(9, 0, true)
		rng := rand.New(rand.NewPCG(5, 6))
		for range 200 {
			for _, d := range quiz.Draw(q, rng) {
				question, _ := q.Question(d.QuestionID)
				if question.Type == app.QuestionTrueFalse && !slices.Equal(d.ChoiceIDs, []string{"true", "false"}) {
					t.Fatalf("true_false question %s: choices %v, want [true false]", d.QuestionID, d.ChoiceIDs)
				}
			}
		}
	})

	t.Run("ShuffleChoices", func(t *testing.T) {
		multiple := func(shuffle bool) map[string]bool {
			q := bank(2, 0, shuffle) // q1 is the multiple question
			rng := rand.New(rand.NewPCG(7, 8))
			orders := map[string]bool{}
			for range 100 {
				for _, d := range quiz.Draw(q, rng) {
					if d.QuestionID == "q1" {
						orders[strings.Join(d.ChoiceIDs, ",")] = true
					}
				}
			}
			return orders
		}
		if got := multiple(false); len(got) != 1 || !got["a,b,c,d,e"] {
			t.Errorf("without shuffle_choices, orders = %v, want only the authored order", got)
		}
		if got := multiple(true); len(got) < 10 {
			t.Errorf("with shuffle_choices, %d distinct orders in 100 draws, want many", len(got))
		}
	})

	t.Run("DeterministicWithSeed", func(t *testing.T) {
		q := bank(10, 5, true)
		a := quiz.Draw(q, rand.New(rand.NewPCG(1, 2)))
		b := quiz.Draw(q, rand.New(rand.NewPCG(1, 2)))
		if !reflect.DeepEqual(a, b) {
			t.Errorf("same seed, different draws:\n%v\n%v", a, b)
		}
		c := quiz.Draw(q, rand.New(rand.NewPCG(9, 9)))
		if reflect.DeepEqual(a, c) {
			t.Errorf("different seeds gave the same draw %v", a)
		}
	})

	t.Run("WholeBankUsed", func(t *testing.T) {
		q := bank(10, 3, false)
		rng := rand.New(rand.NewPCG(1, 2))
		count := map[string]int{}
		for range 300 {
			for _, d := range quiz.Draw(q, rng) {
				count[d.QuestionID]++
			}
		}
		for _, question := range q.Questions {
			// 90 expected each; 30 leaves room for chance but not for a bias.
			if count[question.ID] < 30 {
				t.Errorf("question %s drawn %d times in 300 draws of 3 of 10", question.ID, count[question.ID])
			}
		}
	})

	t.Run("OrderVaries", func(t *testing.T) {
		q := bank(6, 0, false)
		rng := rand.New(rand.NewPCG(1, 2))
		firsts := map[string]bool{}
		for range 100 {
			firsts[quiz.Draw(q, rng)[0].QuestionID] = true
		}
		if len(firsts) != 6 {
			t.Errorf("first question over 100 draws: %v, want all 6 to lead sometimes", firsts)
		}
	})
}

var key = []byte("0123456789abcdef0123456789abcdef")

func ticket() quiz.Ticket {
	return quiz.Ticket{
		Course:     "cyber-hygiene",
		RevisionID: 42,
		LearnerID:  "learner-1",
		Nonce:      "nonce-xyz",
		Questions: []quiz.Drawn{
			{QuestionID: "strongest-password", ChoiceIDs: []string{"season-year", "passphrase", "name-birthday"}},
			{QuestionID: "reuse-password", ChoiceIDs: []string{"true", "false"}},
			{QuestionID: "harder-to-break-in", ChoiceIDs: []string{"two-step", "note", "unique"}},
		},
		IssuedAt: 1_800_000_000,
	}
}

func TestQuiz_Seal(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		want := ticket()
		got, err := quiz.Open(quiz.Seal(want, key), key)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Open = %+v, want %+v", got, want)
		}
	})

	t.Run("ErrTampered", func(t *testing.T) {
		token := quiz.Seal(ticket(), key)
		for i := range len(token) {
			b := []byte(token)
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			_, err := quiz.Open(string(b), key)
			if code := app.ErrorCode(err); code != app.EINVALID {
				t.Fatalf("token changed at %d: code %q (err %v), want %q", i, code, err, app.EINVALID)
			}
		}
	})

	t.Run("ErrOtherKey", func(t *testing.T) {
		token := quiz.Seal(ticket(), []byte("another-key-another-key-another!!"))
		_, err := quiz.Open(token, key)
		if app.ErrorCode(err) != app.EINVALID || app.ErrorMessageID(err) != "quiz.error.bad_token" {
			t.Errorf("Open with another key: %v, want EINVALID quiz.error.bad_token", err)
		}
	})

	t.Run("ErrGarbage", func(t *testing.T) {
		good := quiz.Seal(ticket(), key)
		payload, sig, _ := strings.Cut(good, ".")
		for _, token := range []string{
			"",
			".",
			"garbage",
			"not.a-token",
			"%%%.%%%",
			payload,
			"." + sig,
			payload + ".",
			good + ".extra",
			strings.Repeat("A", 20000) + "." + sig,
		} {
			_, err := quiz.Open(token, key)
			if code := app.ErrorCode(err); code != app.EINVALID {
				t.Errorf("Open(%.40q): code %q (err %v), want %q", token, code, err, app.EINVALID)
			}
		}
	})

	t.Run("ErrSignedBadPayload", func(t *testing.T) {
		// Signed with the right key but not a ticket: a bug elsewhere must
		// still fail as EINVALID, never panic.
		good, _ := json.Marshal(ticket())
		if _, err := quiz.Open(forge(string(good)), key); err != nil {
			t.Fatalf("forge does not sign as Seal does: %v", err)
		}
		for _, body := range []string{`not json`, `[]`, `{"q":"x"}`, `{"q":[["a","b","c"]]}`, `{"q":[["only-one"]]}`, `{"q":[[1,2]]}`} {
			token := forge(body)
			if _, err := quiz.Open(token, key); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("Open(signed %s): %v, want EINVALID", body, err)
			}
		}
	})

	t.Run("NoAnswersInToken", func(t *testing.T) {
		tk := ticket()
		token := quiz.Seal(tk, key)
		payload, _, _ := strings.Cut(token, ".")
		body, err := base64.RawURLEncoding.DecodeString(payload)
		if err != nil {
			t.Fatalf("payload is not base64url: %v", err)
		}
		if strings.Contains(strings.ToLower(string(body)), "correct") {
			t.Errorf("token payload %s mentions correct", body)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			t.Fatalf("payload is not a JSON object: %v", err)
		}
		for k := range fields {
			if !slices.Contains([]string{"c", "r", "l", "n", "q", "t"}, k) {
				t.Errorf("payload has unexpected field %q: %s", k, body)
			}
		}
		// Each question is exactly [id, "choice,ids"] in the order shown:
		// strings only, nothing that could mark a right choice.
		var qs [][]string
		if err := json.Unmarshal(fields["q"], &qs); err != nil {
			t.Fatalf("q is not a list of string pairs: %v (%s)", err, fields["q"])
		}
		if len(qs) != len(tk.Questions) {
			t.Fatalf("q has %d entries, want %d", len(qs), len(tk.Questions))
		}
		for i, pair := range qs {
			want := []string{tk.Questions[i].QuestionID, strings.Join(tk.Questions[i].ChoiceIDs, ",")}
			if !slices.Equal(pair, want) {
				t.Errorf("q[%d] = %v, want %v", i, pair, want)
			}
		}
	})
}

// forge signs body with key as Seal does (HMAC-SHA256 over
// "quiz-ticket:"+payload). ErrSignedBadPayload first proves forge matches
// Seal, so a change of scheme fails loudly rather than passing vacuously.
func forge(body string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(body))
	m := hmac.New(sha256.New, key)
	m.Write([]byte("quiz-ticket:" + payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// scoreQuiz: s1 single (right b), m1 multiple (right a and c), tf
// true_false (right false).
func scoreQuiz() *app.Quiz {
	return &app.Quiz{PassPercent: 80, Questions: []app.Question{
		{ID: "s1", Type: app.QuestionSingle, Choices: []app.Choice{{ID: "a"}, {ID: "b", Correct: true}, {ID: "c"}}},
		{ID: "m1", Type: app.QuestionMultiple, Choices: []app.Choice{{ID: "a", Correct: true}, {ID: "b"}, {ID: "c", Correct: true}}},
		{ID: "tf", Type: app.QuestionTrueFalse, Choices: []app.Choice{{ID: "true"}, {ID: "false", Correct: true}}},
		{ID: "extra", Type: app.QuestionSingle, Choices: []app.Choice{{ID: "x", Correct: true}, {ID: "y"}}},
	}}
}

var drawn3 = []quiz.Drawn{
	{QuestionID: "tf", ChoiceIDs: []string{"true", "false"}},
	{QuestionID: "s1", ChoiceIDs: []string{"c", "a", "b"}},
	{QuestionID: "m1", ChoiceIDs: []string{"b", "c", "a"}},
}

func TestQuiz_Score(t *testing.T) {
	allRight := map[string][]string{"s1": {"b"}, "m1": {"a", "c"}, "tf": {"false"}}
	with := func(qid string, choices ...string) map[string][]string {
		m := map[string][]string{}
		for k, v := range allRight {
			m[k] = v
		}
		if choices == nil {
			delete(m, qid)
		} else {
			m[qid] = choices
		}
		return m
	}
	tests := []struct {
		name        string
		drawn       []quiz.Drawn
		answers     map[string][]string
		pass        int
		wantCorrect int
		wantScore   int
		wantPassed  bool
		wantMsgID   string // non-empty: want EINVALID with this message id
	}{
		{name: "all right", answers: allRight, pass: 80, wantCorrect: 3, wantScore: 100, wantPassed: true},
		{name: "multiple in another order", answers: with("m1", "c", "a"), pass: 80, wantCorrect: 3, wantScore: 100, wantPassed: true},
		{name: "multiple with only some right choices", answers: with("m1", "a"), pass: 80, wantCorrect: 2, wantScore: 66},
		{name: "multiple with a wrong choice too", answers: with("m1", "a", "b", "c"), pass: 80, wantCorrect: 2, wantScore: 66},
		{name: "single wrong", answers: with("s1", "a"), pass: 80, wantCorrect: 2, wantScore: 66},
		{name: "true_false wrong", answers: with("tf", "true"), pass: 80, wantCorrect: 2, wantScore: 66},
		{name: "unanswered is wrong", answers: with("s1"), pass: 80, wantCorrect: 2, wantScore: 66},
		{name: "empty answer list is wrong", answers: with("m1", []string{}...), pass: 50, wantCorrect: 2, wantScore: 66, wantPassed: true},
		{name: "nothing answered", answers: map[string][]string{}, pass: 1, wantCorrect: 0, wantScore: 0},
		{name: "nil answers", answers: nil, pass: 1, wantCorrect: 0, wantScore: 0},
		{name: "duplicate posted values count once", answers: with("s1", "b", "b"), pass: 80, wantCorrect: 3, wantScore: 100, wantPassed: true},
		{name: "duplicate values on multiple count once", answers: with("m1", "a", "c", "a", "c"), pass: 80, wantCorrect: 3, wantScore: 100, wantPassed: true},
		{name: "score equal to pass percent passes", answers: with("s1", "a"), pass: 66, wantCorrect: 2, wantScore: 66, wantPassed: true},
		{name: "one below pass percent fails", answers: with("s1", "a"), pass: 67, wantCorrect: 2, wantScore: 66},
		{name: "rounds down: 1 of 3 is 33", answers: map[string][]string{"tf": {"false"}}, pass: 33, wantCorrect: 1, wantScore: 33, wantPassed: true},
		{name: "pass 100 needs all", answers: allRight, pass: 100, wantCorrect: 3, wantScore: 100, wantPassed: true},
		{name: "ErrUnknownQuestion: not drawn", answers: with("extra", "x"), pass: 80, wantMsgID: "quiz.error.unknown_question"},
		{name: "ErrUnknownQuestion: not in the quiz", answers: with("nope", "a"), pass: 80, wantMsgID: "quiz.error.unknown_question"},
		{name: "ErrUnknownQuestion: drawn but removed from the quiz", drawn: append(slices.Clone(drawn3), quiz.Drawn{QuestionID: "gone", ChoiceIDs: []string{"a", "b"}}),
			answers: allRight, pass: 80, wantMsgID: "quiz.error.unknown_question"},
		{name: "ErrUnknownChoice", answers: with("s1", "z"), pass: 80, wantMsgID: "quiz.error.unknown_choice"},
		{name: "ErrUnknownChoice: one of several", answers: with("m1", "a", "zz"), pass: 80, wantMsgID: "quiz.error.unknown_choice"},
		{name: "ErrUnknownChoice: empty id", answers: with("tf", ""), pass: 80, wantMsgID: "quiz.error.unknown_choice"},
		{name: "ErrOneChoice: single", answers: with("s1", "a", "b"), pass: 80, wantMsgID: "quiz.error.one_choice"},
		{name: "ErrOneChoice: true_false", answers: with("tf", "true", "false"), pass: 80, wantMsgID: "quiz.error.one_choice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drawn := tt.drawn
			if drawn == nil {
				drawn = drawn3
			}
			a, err := quiz.Score(scoreQuiz(), drawn, tt.answers, tt.pass)
			if tt.wantMsgID != "" {
				var e *app.Error
				if !errors.As(err, &e) || e.Code != app.EINVALID || e.MessageID != tt.wantMsgID {
					t.Fatalf("Score error = %v, want EINVALID %s", err, tt.wantMsgID)
				}
				if a != nil {
					t.Errorf("Score returned an attempt with the error: %+v", a)
				}
				return
			}
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			if a.Total != len(drawn) || a.Correct != tt.wantCorrect || a.Score != tt.wantScore || a.Passed != tt.wantPassed {
				t.Errorf("Score = %d/%d, %d%%, passed %v; want %d/%d, %d%%, passed %v",
					a.Correct, a.Total, a.Score, a.Passed, tt.wantCorrect, len(drawn), tt.wantScore, tt.wantPassed)
			}
			if len(a.Answers) != len(drawn) {
				t.Fatalf("answers = %d, want one per drawn question", len(a.Answers))
			}
			right := 0
			for i, ans := range a.Answers {
				if ans.QuestionID != drawn[i].QuestionID {
					t.Errorf("answer %d is for %s, want %s (the order shown)", i, ans.QuestionID, drawn[i].QuestionID)
				}
				if ans.Correct {
					right++
				}
				if len(ans.Chosen) != len(slices.Compact(slices.Sorted(slices.Values(ans.Chosen)))) {
					t.Errorf("answer %s keeps duplicates: %v", ans.QuestionID, ans.Chosen)
				}
			}
			if right != a.Correct {
				t.Errorf("%d answers marked correct, Correct = %d", right, a.Correct)
			}
		})
	}
}

func TestQuiz_ScoreNothingDrawn(t *testing.T) {
	a, err := quiz.Score(scoreQuiz(), nil, nil, 1)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	if a.Total != 0 || a.Score != 0 || a.Passed {
		t.Errorf("Score of an empty draw = %+v, want 0 and not passed", a)
	}
}
