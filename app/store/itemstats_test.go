package store_test

import (
	"context"
	"testing"

	"beacon/app"
	"beacon/app/store"
)

// TestItemAnalysisRollup: each submission adds its answers to the item
// rollups (attempts, right, picks per choice, passers and failers apart,
// guests and registered apart); a double submit adds nothing; the query
// reads them back per revision.
func TestItemAnalysisRollup(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := seed(t, st)[0]
		attempt := func(nonce string, passed bool, answers ...app.AnsweredQuestion) *app.Attempt {
			return &app.Attempt{Nonce: nonce, Locale: "en", Total: len(answers), Passed: passed, Answers: answers}
		}
		q := func(id string, ok bool, chosen ...string) app.AnsweredQuestion {
			return app.AnsweredQuestion{QuestionID: id, Chosen: chosen, Correct: ok}
		}
		guest := store.Actor{LearnerID: app.NewID(), Locale: "en"}
		guest2 := store.Actor{LearnerID: app.NewID(), Locale: "fr"}
		u := &app.User{Email: "items@example.org", DisplayName: "Items", PasswordHash: "x", Locale: "en"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		reg := store.Actor{LearnerID: u.LearnerID, User: u, Locale: "en"}
		for _, s := range []struct {
			actor store.Actor
			a     *app.Attempt
		}{
			{guest, attempt("g1", true, q("q1", true, "a"), q("q2", false, "c"))},
			{guest, attempt("g1", true, q("q1", true, "a"), q("q2", false, "c"))}, // double submit
			{guest2, attempt("g2", false, q("q1", false, "b"), q("q2", false, "c"))},
			{reg, attempt("r1", true, q("q1", true, "a"), q("q2", true, "a", "b"))},
		} {
			if _, _, _, err := st.SubmitAttempt(ctx, s.actor, c, s.a, 0); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.ItemAnalysis(ctx, c.ID, c.RevisionID)
		if err != nil {
			t.Fatal(err)
		}
		find := func(qid string, g bool) store.ItemCounts {
			for _, r := range got {
				if r.QuestionID == qid && r.Guest == g {
					return r
				}
			}
			t.Fatalf("no rollup for %s guest=%v in %+v", qid, g, got)
			return store.ItemCounts{}
		}
		g1 := find("q1", true)
		if g1.Attempts != 2 || g1.Right != 1 || g1.PassAttempts != 1 || g1.PassRight != 1 || g1.FailAttempts != 1 || g1.FailRight != 0 ||
			g1.Picks["a"] != 1 || g1.Picks["b"] != 1 {
			t.Errorf("q1 guests = %+v", g1)
		}
		g2 := find("q2", true)
		if g2.Attempts != 2 || g2.Right != 0 || g2.Picks["c"] != 2 {
			t.Errorf("q2 guests = %+v", g2)
		}
		r2 := find("q2", false)
		if r2.Attempts != 1 || r2.Right != 1 || r2.PassRight != 1 || r2.Picks["a"] != 1 || r2.Picks["b"] != 1 {
			t.Errorf("q2 registered = %+v", r2)
		}
		if len(got) != 4 {
			t.Errorf("rows = %d, want 4 (2 questions × guests/registered)", len(got))
		}
		other, err := st.ItemAnalysis(ctx, c.ID, c.RevisionID+1000)
		if err != nil || len(other) != 0 {
			t.Errorf("another revision: %v %v, want none", other, err)
		}
	})
}
