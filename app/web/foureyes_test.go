package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/store"
)

// TestFourEyesRestore: whoever wrote any part of a revision never
// publishes it, even after someone else restores it as the draft.
// Educator A writes an unpublished revision, educator B restores it: A
// cannot publish it, nor can B; a third reviewer can. The writers of a
// draft superseded by a restore keep their share when it comes back.
func TestFourEyesRestore(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	const slug = "cyber-hygiene"
	course := "/en/admin/courses/" + slug
	lesson := course + "/lessons/passwords"
	a := srv.signedIn(t, "a@example.org", app.RoleEducator, app.RoleReviewer)
	b := srv.signedIn(t, "b@example.org", app.RoleEducator, app.RoleReviewer)
	d := srv.signedIn(t, "d@example.org", app.RoleEducator, app.RoleReviewer)
	third := srv.signedIn(t, "third@example.org", app.RoleReviewer)

	edit := func(c *client, line string) {
		t.Helper()
		page := c.get(lesson)
		c.mustStatus(page, 200)
		body := page.Doc.Find("textarea[name=body]").Text()
		c.mustStatus(c.postForm(page, lesson, url.Values{"body": {body + "\n\n" + line}, "action": {"save"}}), 303)
	}
	draftNumber := func() int {
		t.Helper()
		revs, err := srv.Store.Revisions(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range revs {
			if r.Draft {
				return r.Number
			}
		}
		t.Fatal("no draft")
		return 0
	}
	liveNumber := func() int {
		t.Helper()
		revs, _ := srv.Store.Revisions(ctx, slug)
		for _, r := range revs {
			if r.Live {
				return r.Number
			}
		}
		return 0
	}
	restore := func(c *client, n int) {
		t.Helper()
		page := c.get(course + "/history")
		c.mustStatus(page, 200)
		c.mustStatus(c.postForm(page, course+"/history/"+strconv.Itoa(n)+"/restore", nil), 303)
	}
	submit := func(c *client) {
		t.Helper()
		c.mustStatus(c.postForm(c.get(course), course+"/submit", nil), 303)
	}
	refused := func(c *client, who string) {
		t.Helper()
		page := c.get(course + "/review")
		c.mustStatus(page, 200)
		if !strings.Contains(text(page, "main"), "You wrote part of this draft") {
			t.Errorf("%s: the review page does not say they wrote part of it", who)
		}
		r := c.post(course+"/publish", url.Values{"_csrf": {c.csrf()}})
		c.mustStatus(r, 403)
		if !strings.Contains(text(r, "main"), "You wrote part of this draft") {
			t.Errorf("%s: refusal %q", who, text(r, "main"))
		}
	}
	published := liveNumber()

	// A writes an unpublished revision; D co-edits it.
	edit(a, "Written by A.")
	edit(d, "Added by D.")
	written := draftNumber()
	// B replaces it by restoring the live text, then restores A's text.
	restore(b, published)
	restore(b, written)
	submit(b)
	cs, err := srv.Store.FindCourseState(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lessonBodies(cs), "Written by A.") || !strings.Contains(lessonBodies(cs), "Added by D.") {
		t.Fatal("the restored draft lacks the text of A and D")
	}

	refused(a, "A, whose text B restored")
	refused(b, "B, who restored it")
	refused(d, "D, who co-edited the restored text")
	if liveNumber() != published {
		t.Fatal("a refused publish changed the live revision")
	}
	third.mustStatus(third.post(course+"/publish", url.Values{"_csrf": {third.csrf()}}), 303)
	if liveNumber() == published {
		t.Fatal("the third reviewer could not publish")
	}
	if _, err := srv.Store.FindCourseState(ctx, slug); err != nil {
		t.Fatal(err)
	}
}

// lessonBodies joins the English bodies of the draft's lessons.
func lessonBodies(cs *store.CourseState) string {
	var b strings.Builder
	for _, l := range cs.Draft.Lessons {
		b.WriteString(l.Body["en"])
	}
	return b.String()
}
