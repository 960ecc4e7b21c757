package web_test

import (
	"context"
	"strings"
	"testing"

	"beacon/app"
)

// TestRevisions_ProgressSurvives: lessons and questions keep their ids
// across revisions; a removed lesson stops counting toward completion, a
// new one starts counting, and certificates already issued stay valid.
func TestRevisions_ProgressSurvives(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	pc := srv.course(t, "national-security-basics")
	learner := srv.signedIn(t, "learner@example.org")
	learner.completeCourse("en", pc)
	me := learner.get("/en/me")
	certLink := me.Doc.Find(".certificate-list a").AttrOr("href", "")
	if certLink == "" {
		t.Fatal("no certificate after completing")
	}

	// A second learner has done the first two lessons only.
	partial := srv.signedIn(t, "partial@example.org")
	for _, l := range pc.Lessons[:2] {
		page := partial.get("/en/courses/" + pc.Slug + "/lessons/" + l.Slug)
		partial.mustStatus(partial.postForm(page, "/en/courses/"+pc.Slug+"/lessons/"+l.Slug+"/complete", nil), 303)
	}

	// Revision 2: lesson 3 removed, a new lesson added.
	edu := srv.signedInUser(t, "author@example.org", app.RoleEducator, app.RoleReviewer)
	removed := pc.Lessons[2].Slug
	err := srv.Store.EditDraft(ctx, edu, pc.Slug, "lesson:swap", func(c *app.Course) error {
		c.Lessons = append(c.Lessons[:2], app.Lesson{Slug: "new-lesson", File: "04-new-lesson", Title: app.Text{"en": "New lesson"}, Body: app.Text{"en": "Read this."}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.SubmitForReview(ctx, edu, pc.Slug); err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.PublishDraft(ctx, edu, pc.Slug, false); err != nil {
		t.Fatal(err)
	}

	course := learner.get("/en/courses/" + pc.Slug)
	if got := text(course, ".progress-text"); got != "2 of 3 lessons complete" {
		t.Fatalf("progress after the revision: %q", got)
	}
	if course.Doc.Find(`a[href="`+certLink+`"]`).Length() != 1 {
		t.Fatal("the issued certificate is no longer linked")
	}
	anyone := srv.client(t)
	anyone.mustStatus(anyone.get(certLink), 200)

	// The partial learner finishes by doing the new lesson and passing:
	// the removed lesson no longer counts.
	page := partial.get("/en/courses/" + pc.Slug + "/lessons/new-lesson")
	partial.mustStatus(partial.postForm(page, "/en/courses/"+pc.Slug+"/lessons/new-lesson/complete", nil), 303)
	live := srv.course(t, pc.Slug)
	quiz := partial.get("/en/courses/" + pc.Slug + "/quiz")
	res := partial.postForm(quiz, "/en/courses/"+pc.Slug+"/quiz", rightAnswers(t, quiz, live, false))
	partial.mustStatus(res, 303)
	pu, _ := srv.Store.FindUserByEmail(ctx, "partial@example.org")
	certs, _ := srv.Store.Certificates(ctx, pu.ID)
	if len(certs) != 1 {
		t.Fatalf("the partial learner has %d certificates without lesson %s", len(certs), removed)
	}
	if !strings.Contains(text(partial.get("/en/me"), ".certificate-list"), certs[0].Code) {
		t.Fatal("the new certificate is not on the learner's page")
	}
}
