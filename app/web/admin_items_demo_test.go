package web_test

import (
	"encoding/json"
	"testing"

	"beacon/app"
	"beacon/app/testenv"
)

// TestItemAnalysisDemo: demo data answers the seed quizzes with realistic
// patterns, so the item analysis of a seed course shows the flag for a
// popular wrong choice on its first question, an almost-always-right
// question, positive discrimination, and the page shows the flag.
func TestItemAnalysisDemo(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			itemAnalysisDemo(t, demoServerOn(t, db, open, 2000))
		})
	}
}

func itemAnalysisDemo(t *testing.T, srv *testServer) {
	pc := srv.course(t, "cyber-hygiene")
	ed := srv.signedIn(t, "items-demo@example.org", app.RoleEducator)
	page := ed.get("/en/admin/courses/cyber-hygiene/items")
	ed.mustStatus(page, 200)
	first := page.Doc.Find("li.item").First()
	if first.Find("h2").Text() != pc.Quiz.Questions[0].Prompt["en"] {
		t.Fatalf("first item %q", first.Find("h2").Text())
	}
	if first.Find(".tag-warning").Text() != srv.Bundle.Localizer("en").T("admin.items.flag.wrong", nil) {
		t.Errorf("the seed quiz's misleading question is not flagged: %s", first.Text())
	}
	tok := ed.createToken("items", "30")
	r := srv.client(t).api("/api/v1/stats/items/cyber-hygiene", tok)
	if r.Status != 200 {
		t.Fatalf("API %d: %s", r.Status, r.Body)
	}
	var body struct {
		Questions []struct {
			ID              string   `json:"id"`
			Attempts        *int64   `json:"attempts"`
			RightShare      *float64 `json:"right_share"`
			Discrimination  *float64 `json:"discrimination"`
			WrongBeatsRight bool     `json:"wrong_beats_right"`
			AlmostAllRight  bool     `json:"almost_all_right"`
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatal(err)
	}
	qs := body.Questions
	if len(qs) < 4 || !qs[0].WrongBeatsRight || !qs[2].AlmostAllRight || qs[1].WrongBeatsRight || qs[3].WrongBeatsRight {
		t.Fatalf("demo patterns not seen: %s", r.Body)
	}
	if qs[1].RightShare == nil || *qs[1].RightShare > 0.6 || qs[3].RightShare == nil || *qs[3].RightShare < 0.7 {
		t.Errorf("hard and easy questions: %s", r.Body)
	}
	if qs[0].Discrimination == nil || *qs[0].Discrimination <= 0 {
		t.Errorf("no positive discrimination: %s", r.Body)
	}
	t.Logf("first question: %d answers, right %.2f, discrimination %.2f", *qs[0].Attempts, *qs[0].RightShare, *qs[0].Discrimination)
}
