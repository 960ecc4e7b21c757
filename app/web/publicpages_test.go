package web_test

import (
	"context"
	"strings"
	"testing"
)

// publicSite is a seeded site with something on every public page: a live
// alert (its banner shows everywhere), and a learner who read the cyber
// hygiene course, passed its quiz and holds a certificate.
type publicSite struct {
	srv             *testServer
	learner         *client // signed in as learnerEmail with "a test password"
	guest           []string
	signedIn        []string
	certificatePath string
}

const publicLearnerEmail = "fit-learner@example.org"

// newPublicSite builds the site; paths hold "{lang}" for the locale.
func newPublicSite(t *testing.T) *publicSite {
	t.Helper()
	srv := MustOpenServer(t)
	alert := srv.publishAlert(t, alertFixture("fit-alert"))
	if err := srv.Store.SetCampaignResults(context.Background(), srv.organizer(t), "security-education-day-2027", true); err != nil {
		t.Fatal(err)
	}
	pc := srv.course(t, "cyber-hygiene")
	learner := srv.signedIn(t, publicLearnerEmail)
	for _, l := range pc.Lessons {
		page := learner.get("/en/courses/" + pc.Slug + "/lessons/" + l.Slug)
		learner.mustStatus(learner.postForm(page, "/en/courses/"+pc.Slug+"/lessons/"+l.Slug+"/complete", nil), 303)
	}
	quiz := learner.get("/en/courses/" + pc.Slug + "/quiz")
	submitted := learner.postForm(quiz, "/en/courses/"+pc.Slug+"/quiz", rightAnswers(t, quiz, pc, false))
	learner.mustStatus(submitted, 303)
	me := learner.get("/en/me")
	cert := me.Doc.Find(`a[href^="/certificates/"]`).First().AttrOr("href", "")
	if cert == "" {
		t.Fatal("the learner holds no certificate")
	}
	resultPath := strings.Replace(submitted.Location, "/en/", "/{lang}/", 1)
	lesson := "/{lang}/courses/cyber-hygiene/lessons/" + pc.Lessons[0].Slug
	camp := "/{lang}/campaigns/security-education-day-2027"
	return &publicSite{srv: srv, learner: learner, certificatePath: cert,
		guest: []string{"/{lang}/", "/{lang}/courses", "/{lang}/courses/cyber-hygiene", lesson, "/{lang}/courses/cyber-hygiene/quiz",
			"/{lang}/campaigns", camp, camp + "/results", "/{lang}/alerts", "/{lang}/alerts/" + alert.Identifier,
			"/certificates", cert, "/{lang}/register", "/{lang}/login", "/{lang}/password/forgot", "/{lang}/no-such-page"},
		signedIn: []string{resultPath, "/{lang}/me", "/{lang}/me/account", "/{lang}/me/tokens", "/{lang}/me/delete"},
	}
}
