package web_test

import (
	"testing"

	"beacon/app"
)

// TestQuizResult_OnlyItsLearner: a quiz result is reached by a numeric id
// in the URL, so anyone can guess the next one. Only the learner who made
// the attempt sees it; another guest, a signed-in account and even an
// administrator get 404, as for an id that does not exist (ASVS 4.2.1).
func TestQuizResult_OnlyItsLearner(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	owner := srv.client(t)
	page := owner.get("/en/courses/cyber-hygiene/quiz")
	owner.mustStatus(page, 200)
	r := owner.postForm(page, "/en/courses/cyber-hygiene/quiz", rightAnswers(t, page, pc, false))
	owner.mustStatus(r, 303)
	result := r.Location
	owner.mustStatus(owner.get(result), 200)

	for name, c := range map[string]*client{
		"another guest":    srv.client(t),
		"a learner":        srv.signedIn(t, "idor-learner@example.org"),
		"an administrator": srv.signedIn(t, "idor-admin@example.org", app.RoleAdministrator),
	} {
		if got := c.get(result); got.Status != 404 {
			t.Errorf("%s opened %s: status %d, want 404", name, result, got.Status)
		}
	}
}
