package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"beacon/app"
)

// TestAdminCourse_Workflow: an educator writes a course with a lesson and a
// question; four-eyes stops them publishing it; a reviewer sends it back,
// then publishes it; a guest reads and answers it; an edit stays invisible
// until published; history restores; archive hides it.
func TestAdminCourse_Workflow(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
	rev := srv.signedIn(t, "rev@example.org", app.RoleReviewer)
	base := "/en/admin/courses"

	page := edu.get(base + "/new")
	edu.mustStatus(page, 200)
	t.Run("ErrBadCourseForm", func(t *testing.T) {
		r := edu.postForm(page, base, url.Values{"slug": {"Bad Slug"}, "source_locale": {"en"}, "title": {""}, "review_by": {"tomorrow"}})
		edu.mustStatus(r, 422)
		for _, f := range []string{"slug", "title", "review_by", "summary"} {
			if r.Doc.Find(`.error-summary a[href="#`+f+`"]`).Length() != 1 {
				t.Errorf("no error for %s: %s", f, text(r, ".error-summary"))
			}
		}
		if r.Doc.Find("#slug").AttrOr("value", "") != "Bad Slug" {
			t.Error("typed slug not kept")
		}
	})
	r := edu.postForm(page, base, url.Values{"slug": {"flood-safety"}, "source_locale": {"en"}, "title": {"Flood safety"},
		"summary": {"Stay safe when water rises."}, "topic": {"emergency"}, "categories": {"Met", "Safety"}, "review_by": {"2027-12-31"}})
	edu.mustStatus(r, 303)
	course := base + "/flood-safety"

	// A lesson, previewed first (nothing saved), then saved.
	lp := edu.get(course + "/lessons/new")
	body := "## What to do first\n\n1. Move to higher ground.\n2. Never walk through moving water.\n\n<script>alert(1)</script>"
	prev := edu.postForm(lp, course+"/lessons", url.Values{"slug": {"before"}, "title": {"Before the water comes"}, "body": {body}, "action": {"preview"}})
	edu.mustStatus(prev, 200)
	if prev.Doc.Find(".preview .prose h2").Length() != 1 || strings.Contains(prev.Body, "<script>alert(1)") {
		t.Fatal("preview missing or unsanitized")
	}
	if cs, _ := srv.Store.FindCourseState(context.Background(), "flood-safety"); len(cs.Working().Lessons) != 0 {
		t.Fatal("preview saved the lesson")
	}
	edu.mustStatus(edu.postForm(lp, course+"/lessons", url.Values{"slug": {"before"}, "title": {"Before the water comes"}, "body": {body}, "action": {"save"}}), 303)

	// A question: errors first, then right.
	qp := edu.get(course + "/quiz/questions/new")
	bad := edu.postForm(qp, course+"/quiz/questions", url.Values{"type": {"single"}, "prompt": {"What do you do?"},
		"choice_0_text": {"Climb higher"}, "choice_0_right": {"on"}, "choice_1_text": {"Drive through"}, "choice_1_right": {"on"}})
	edu.mustStatus(bad, 422)
	if !strings.Contains(text(bad, ".error-summary"), "exactly one right answer") {
		t.Fatalf("question errors: %s", text(bad, ".error-summary"))
	}
	edu.mustStatus(edu.postForm(qp, course+"/quiz/questions", url.Values{"type": {"single"}, "prompt": {"Water rises fast. What do you do?"},
		"choice_0_text": {"Climb to higher ground"}, "choice_0_right": {"on"}, "choice_1_text": {"Drive through it"},
		"explanation": {"Moving water knocks people over; height keeps you safe."}}), 303)
	tf := edu.get(course + "/quiz/questions/new")
	edu.mustStatus(edu.postForm(tf, course+"/quiz/questions", url.Values{"type": {"true_false"}, "prompt": {"30 cm of moving water can float a car."}, "tf_right": {"true"}}), 303)

	show := edu.get(course)
	edu.mustStatus(show, 200)
	if show.Doc.Find(`form[action="/en/admin/courses/flood-safety/submit"]`).Length() != 1 {
		t.Fatalf("no submit form: %s", text(show, "#submit ~ *"))
	}
	edu.mustStatus(edu.postForm(show, "/en/admin/courses/flood-safety/submit", nil), 303)

	// The educator is no reviewer: the review page is forbidden to them.
	edu.mustStatus(edu.get(course+"/review"), 403)
	// A reviewer who is also the author may not publish (four-eyes on by default).
	both := srv.signedIn(t, "both@example.org", app.RoleEducator, app.RoleReviewer)
	bp := both.get(course + "/lessons/before")
	both.mustStatus(both.postForm(bp, course+"/lessons/before", url.Values{"title": {"Before the water comes"}, "body": {body + "\n\nStay tuned to local radio."}, "action": {"save"}}), 303)
	both.mustStatus(both.postForm(both.get(course), "/en/admin/courses/flood-safety/submit", nil), 303)
	own := both.get(course + "/review")
	if own.Doc.Find(`form[action="/en/admin/courses/flood-safety/publish"]`).Length() != 0 {
		t.Fatal("the author is offered to publish their own change")
	}
	both.mustStatus(both.post(course+"/publish", url.Values{"_csrf": {own.Doc.Find("input[name=_csrf]").AttrOr("value", "")}}), 403)

	// The reviewer sends it back (comment required), then publishes.
	rp := rev.get(course + "/review")
	rev.mustStatus(rp, 200)
	if rp.Doc.Find(".diff").Length() == 0 || !strings.Contains(text(rp, ".diff-list"), "Climb to higher ground") {
		t.Fatal("review shows no diff")
	}
	rev.mustStatus(rev.postForm(rp, course+"/return", url.Values{"comment": {""}}), 422)
	rev.mustStatus(rev.postForm(rp, course+"/return", url.Values{"comment": {"Add what to do after the flood."}}), 303)
	if !strings.Contains(text(edu.get(course), ".notice"), "Add what to do after the flood.") {
		t.Fatal("the comment does not reach the educator")
	}
	edu.mustStatus(edu.postForm(edu.get(course), "/en/admin/courses/flood-safety/submit", nil), 303)
	rp = rev.get(course + "/review")
	rev.mustStatus(rev.postForm(rp, course+"/publish", nil), 303)

	// A guest reads and answers it.
	guest := srv.client(t)
	lesson := guest.get("/en/courses/flood-safety/lessons/before")
	guest.mustStatus(lesson, 200)
	if strings.Contains(lesson.Body, "<script>alert(1)") || lesson.Doc.Find(".prose ol li").Length() != 2 {
		t.Fatal("published lesson wrong or unsanitized")
	}
	quiz := guest.get("/en/courses/flood-safety/quiz")
	pc := srv.course(t, "flood-safety")
	res := guest.postForm(quiz, "/en/courses/flood-safety/quiz", rightAnswers(t, quiz, pc, false))
	guest.mustStatus(res, 303)
	if got := text(guest.get(res.Location), ".result-verdict"); got != "Passed" {
		t.Fatalf("verdict %q", got)
	}

	// Editing the published course: learners keep the old text until publishing.
	ep := edu.get(course + "/lessons/before")
	edu.mustStatus(edu.postForm(ep, course+"/lessons/before", url.Values{"title": {"Before the flood"}, "body": {"## Changed\n\nNew text."}, "action": {"save"}}), 303)
	if got := text(guest.get("/en/courses/flood-safety/lessons/before"), "h1"); got != "Before the water comes" {
		t.Fatalf("unpublished edit visible: %q", got)
	}
	hist := edu.get(course + "/history")
	edu.mustStatus(hist, 200)
	if hist.Doc.Find("tbody tr").Length() != 2 {
		t.Fatalf("history rows: %d", hist.Doc.Find("tbody tr").Length())
	}
	// Restore revision 1 as the draft.
	edu.mustStatus(edu.postForm(hist, course+"/history/1/restore", nil), 303)
	cs, _ := srv.Store.FindCourseState(context.Background(), "flood-safety")
	if cs.Draft == nil || len(cs.Draft.Lessons) != 1 || cs.Draft.Lessons[0].Title["en"] != "Before the water comes" {
		t.Fatal("restore did not bring revision 1 back")
	}

	// Archive: out of the catalog, the page stays.
	rv := rev.get(course)
	rev.mustStatus(rev.postForm(rv, course+"/archive", nil), 303)
	if strings.Contains(guest.get("/en/courses").Body, "/en/courses/flood-safety") {
		t.Fatal("archived course still in the catalog")
	}
	archived := guest.get("/en/courses/flood-safety")
	guest.mustStatus(archived, 200)
	if !strings.Contains(text(archived, ".notice"), "archived") {
		t.Fatal("an archived course's page does not say so")
	}

	entries, _ := srv.Store.Audit(context.Background(), storeAuditCourse("flood-safety"))
	if len(entries) < 12 {
		t.Fatalf("%d audit entries", len(entries))
	}
}

// TestAdminCourse_Translate: a translator fills a missing field; changing
// the source makes it outdated; "still correct" makes it up to date again.
func TestAdminCourse_Translate(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "tr@example.org", app.RoleEducator)
	page := edu.get("/en/admin/courses/new")
	edu.mustStatus(edu.postForm(page, "/en/admin/courses", url.Values{"slug": {"t1"}, "source_locale": {"en"}, "title": {"Heat waves"}, "summary": {"Keep cool."}}), 303)
	tp := edu.get("/zh-Hans/admin/courses/t1/translations/zh-Hans")
	edu.mustStatus(tp, 200)
	if tp.Doc.Find(".translate-row").Length() != 2 || strings.Count(text(tp, ".translate-row"), "缺失") != 2 {
		t.Fatalf("translation page: %s", text(tp, "form"))
	}
	edu.mustStatus(edu.postForm(tp, "/zh-Hans/admin/courses/t1/translations/zh-Hans", url.Values{"f0": {"高温天气"}}), 303)
	cs, _ := srv.Store.FindCourseState(context.Background(), "t1")
	w := cs.Working()
	if w.Title["zh-Hans"] != "高温天气" || w.TranslationState("zh-Hans", w.Fields()[0]) != app.TranslationUpToDate {
		t.Fatal("translation not saved up to date")
	}
	sp := edu.get("/en/admin/courses/t1/settings")
	edu.mustStatus(edu.postForm(sp, "/en/admin/courses/t1/settings", url.Values{"source_locale": {"en"}, "title": {"Heat waves and you"}, "summary": {"Keep cool."}}), 303)
	tp = edu.get("/en/admin/courses/t1/translations/zh-Hans")
	if !strings.Contains(text(tp, ".translate-row"), "Outdated") {
		t.Fatal("changed source does not make the translation outdated")
	}
	edu.mustStatus(edu.postForm(tp, "/en/admin/courses/t1/translations/zh-Hans", url.Values{"f0": {"高温天气"}, "f0_ok": {"on"}}), 303)
	cs, _ = srv.Store.FindCourseState(context.Background(), "t1")
	w = cs.Working()
	if w.TranslationState("zh-Hans", w.Fields()[0]) != app.TranslationUpToDate || w.Title["zh-Hans"] != "高温天气" {
		t.Fatal("'still correct' did not confirm the translation")
	}
	edu.mustStatus(edu.get("/en/admin/courses/t1/translations/en"), 404)
	edu.mustStatus(edu.get("/en/admin/courses/t1/translations/xx"), 404)
}
