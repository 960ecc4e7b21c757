package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
)

// TestItemAnalysisPage: an educator sees, in English and French, each
// question in words with the right answer marked, the flag on a question
// where a wrong choice is popular, and a question answered by a small
// group without figures; learners may not; the CSV has one header row
// and hides the same figures; the API answers the same with a token.
func TestItemAnalysisPage(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			itemAnalysisPage(t, srv)
		})
	}
}

func itemAnalysisPage(t *testing.T, srv *testServer) {
	ctx := context.Background()
	pc := srv.course(t, "cyber-hygiene")
	var single []*app.Question
	for i := range pc.Quiz.Questions {
		if q := &pc.Quiz.Questions[i]; q.Type != app.QuestionMultiple {
			single = append(single, q)
		}
	}
	popular, small := single[0], single[1]
	right := func(q *app.Question) string {
		for _, c := range q.Choices {
			if c.Correct {
				return c.ID
			}
		}
		return ""
	}
	wrong := func(q *app.Question) string {
		for _, c := range q.Choices {
			if !c.Correct {
				return c.ID
			}
		}
		return ""
	}
	// 15 guests: 10 pick the same wrong choice of the first question, 5
	// the right one (and pass); only 2 answer the second question.
	for i := range 15 {
		ok := i < 5
		pick := wrong(popular)
		if ok {
			pick = right(popular)
		}
		a := &app.Attempt{Nonce: app.NewID(), Locale: "en", Total: 1, Passed: ok,
			Answers: []app.AnsweredQuestion{{QuestionID: popular.ID, Chosen: []string{pick}, Correct: ok}}}
		if i < 2 {
			a.Answers = append(a.Answers, app.AnsweredQuestion{QuestionID: small.ID, Chosen: []string{right(small)}, Correct: true})
		}
		if _, _, _, err := srv.Store.SubmitAttempt(ctx, store.Actor{LearnerID: app.NewID(), Locale: "en"}, pc, a, 0); err != nil {
			t.Fatal(err)
		}
	}
	ed := srv.signedIn(t, "items-ed@example.org", app.RoleEducator)
	show := ed.get("/en/admin/courses/cyber-hygiene")
	ed.mustStatus(show, 200)
	if show.Doc.Find(`a[href="/en/admin/courses/cyber-hygiene/items"]`).Length() != 1 {
		t.Fatal("the course's admin page does not link to its item analysis")
	}
	for _, lang := range []string{"en", "fr"} {
		l := srv.Bundle.Localizer(lang)
		page := ed.get("/" + lang + "/admin/courses/cyber-hygiene/items")
		ed.mustStatus(page, 200)
		var popItem, smallItem string
		var rightMarked bool
		items := page.Doc.Find("li.item")
		for i := range items.Length() {
			it := items.Eq(i)
			prompt := strings.TrimSpace(it.Find("h2").Text())
			switch prompt {
			case popular.Prompt[lang]:
				popItem = it.Text()
				rowText := strings.TrimSpace(it.Find("tr.item-right th").Text())
				rc, _ := popular.Choice(right(popular))
				rightMarked = strings.Contains(rowText, rc.Text[lang]) && strings.Contains(rowText, l.T("admin.items.right_answer", nil))
			case small.Prompt[lang]:
				smallItem = it.Text()
			}
		}
		if popItem == "" || smallItem == "" {
			t.Fatalf("%s: questions not shown in words; page: %.2000s", lang, text(page, "main"))
		}
		if !rightMarked {
			t.Errorf("%s: the right answer is not marked in words", lang)
		}
		if !strings.Contains(popItem, l.T("admin.items.flag.wrong", nil)) {
			t.Errorf("%s: no popular-wrong-choice flag in %q", lang, popItem)
		}
		hidden := l.T("admin.items.hidden", map[string]any{"K": 5})
		if !strings.Contains(smallItem, hidden) || strings.Contains(smallItem, l.T("admin.items.flag.wrong", nil)) {
			t.Errorf("%s: the small group's question shows figures: %q", lang, smallItem)
		}
		if strings.Contains(text(page, "main"), popular.ID) {
			t.Errorf("%s: an internal question key reaches the page", lang)
		}
	}
	// A revision is chosen by number; an unknown one is not found.
	ed.mustStatus(ed.get("/en/admin/courses/cyber-hygiene/items?revision=1"), 200)
	ed.mustStatus(ed.get("/en/admin/courses/cyber-hygiene/items?revision=999"), 404)
	ed.mustStatus(ed.get("/en/admin/courses/no-such-course/items"), 404)
	// Learners may not.
	learner := srv.signedIn(t, "items-learner@example.org")
	if r := learner.get("/en/admin/courses/cyber-hygiene/items"); r.Status != 403 {
		t.Errorf("a learner gets %d, want 403", r.Status)
	}
	if r := srv.client(t).get("/en/admin/courses/cyber-hygiene/items.csv"); r.Status == 200 {
		t.Error("a visitor reads the CSV")
	}
	// CSV: one header row, the same hidden figures.
	csvResp := ed.get("/en/admin/courses/cyber-hygiene/items.csv")
	ed.mustStatus(csvResp, 200)
	lines, err := csvLines(strings.TrimPrefix(csvResp.Body, "\ufeff"))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 2 || lines[0][0] != "Number" || lines[0][1] != "Question" {
		t.Fatalf("CSV header: %v", lines[0])
	}
	var sawPopular, sawSmall bool
	for _, ln := range lines[1:] {
		if ln[0] == "Number" {
			t.Fatal("the CSV repeats its header row")
		}
		switch ln[1] {
		case popular.Prompt["en"]:
			sawPopular = sawPopular || strings.Contains(ln[5], "wrong answer")
		case small.Prompt["en"]:
			if ln[2] != "*" || ln[8] != "*" {
				t.Errorf("CSV shows the small group: %v", ln)
			}
			sawSmall = true
		}
	}
	if !sawPopular || !sawSmall {
		t.Errorf("CSV lacks the flagged or the small question: %v", lines)
	}
	// API: the same with an educator's token; a learner's token is refused.
	tok := ed.createToken("items", "30")
	r := srv.client(t).api("/api/v1/stats/items/cyber-hygiene", tok)
	if r.Status != 200 {
		t.Fatalf("API status %d: %s", r.Status, r.Body)
	}
	var body struct {
		Questions []struct {
			ID              string `json:"id"`
			Attempts        *int64 `json:"attempts"`
			WrongBeatsRight bool   `json:"wrong_beats_right"`
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatal(err)
	}
	for _, q := range body.Questions {
		if q.ID == popular.ID && (!q.WrongBeatsRight || q.Attempts == nil) {
			t.Errorf("API popular question: %+v", q)
		}
		if q.ID == small.ID && q.Attempts != nil {
			t.Errorf("API shows the small group: %+v", q)
		}
	}
	ltok := learner.createToken("items", "30")
	if r := srv.client(t).api("/api/v1/stats/items/cyber-hygiene", ltok); r.Status != 403 {
		t.Errorf("a learner's token gets %d, want 403", r.Status)
	}
}
