package store_test

import (
	"context"
	"testing"

	"beacon/app"
	"beacon/app/store"
)

func TestStore_AuthoringWorkflow(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		seed(t, st)
		educator := newUser(t, st, "edu@example.org", "")
		reviewer := newUser(t, st, "rev@example.org", "")

		c := &app.Course{Slug: "flood-safety", SourceLocale: "en", Categories: []string{"Met"}, Title: app.Text{"en": "Flood safety"},
			Summary: app.Text{"en": "Stay safe in a flood."}}
		if err := st.CreateCourse(ctx, educator, c); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateCourse(ctx, educator, c); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("duplicate slug: %v", err)
		}
		if _, err := st.FindPublishedCourse(ctx, "flood-safety"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatal("a draft is visible to learners")
		}
		addLesson := func(slug, body string) func(*app.Course) error {
			return func(c *app.Course) error {
				c.Lessons = append(c.Lessons, app.Lesson{Slug: slug, File: slug, Title: app.Text{"en": slug}, Body: app.Text{"en": body}})
				return nil
			}
		}
		if err := st.EditDraft(ctx, educator, "flood-safety", "lesson:create", addLesson("before", "Move to higher ground.")); err != nil {
			t.Fatal(err)
		}
		// A failing edit saves nothing.
		if err := st.EditDraft(ctx, educator, "flood-safety", "x", func(*app.Course) error { return app.Errorf(app.EINVALID, "x") }); app.ErrorCode(err) != app.EINVALID {
			t.Fatal(err)
		}
		if err := st.PublishDraft(ctx, reviewer, "flood-safety", true); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("published a draft not in review: %v", err)
		}
		if err := st.SubmitForReview(ctx, educator, "flood-safety"); err != nil {
			t.Fatal(err)
		}
		// Four eyes: the educator may not publish their own change.
		if err := st.PublishDraft(ctx, educator, "flood-safety", true); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("four-eyes: %v", err)
		}
		if err := st.ReturnDraft(ctx, reviewer, "flood-safety", "Add what to do after."); err != nil {
			t.Fatal(err)
		}
		cs, _ := st.FindCourseState(ctx, "flood-safety")
		if cs.ReviewState != app.CourseDraft || cs.ReviewComment != "Add what to do after." {
			t.Fatalf("returned draft: %+v", cs)
		}
		st.EditDraft(ctx, educator, "flood-safety", "lesson:create", addLesson("after", "Boil water."))
		st.SubmitForReview(ctx, educator, "flood-safety")
		if err := st.PublishDraft(ctx, reviewer, "flood-safety", true); err != nil {
			t.Fatal(err)
		}
		live, err := st.FindPublishedCourse(ctx, "flood-safety")
		if err != nil || len(live.Lessons) != 2 {
			t.Fatalf("published: %v", err)
		}

		// Editing a published course makes a draft; learners keep the old text.
		st.EditDraft(ctx, educator, "flood-safety", "lesson:update", func(c *app.Course) error {
			c.Lessons[0].Body["en"] = "Move to higher ground now."
			return nil
		})
		live2, _ := st.FindPublishedCourse(ctx, "flood-safety")
		if live2.Lessons[0].Body["en"] != "Move to higher ground." || live2.RevisionID != live.RevisionID {
			t.Fatal("an unpublished edit reached learners")
		}
		st.SubmitForReview(ctx, educator, "flood-safety")
		// Without four eyes the author may publish.
		if err := st.PublishDraft(ctx, educator, "flood-safety", false); err != nil {
			t.Fatal(err)
		}
		live3, _ := st.FindPublishedCourse(ctx, "flood-safety")
		if live3.Lessons[0].Body["en"] != "Move to higher ground now." {
			t.Fatal("the new revision is not live")
		}

		revs, err := st.Revisions(ctx, "flood-safety")
		if err != nil || len(revs) != 2 || !revs[0].Live || revs[1].PublishedAt == nil || revs[0].CreatedBy != "edu@example.org" {
			t.Fatalf("history: %+v %v", revs, err)
		}
		if err := st.RestoreRevision(ctx, educator, "flood-safety", 1); err != nil {
			t.Fatal(err)
		}
		cs, _ = st.FindCourseState(ctx, "flood-safety")
		if cs.Draft == nil || cs.Draft.Lessons[0].Body["en"] != "Move to higher ground." || cs.ReviewState != app.CourseDraft {
			t.Fatal("restore did not make a draft of revision 1")
		}
		if err := st.RestoreRevision(ctx, educator, "flood-safety", 99); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatal(err)
		}

		// Archive hides from the catalog, keeps the page.
		if err := st.SetArchived(ctx, reviewer, "flood-safety", true); err != nil {
			t.Fatal(err)
		}
		list, _ := st.PublishedCourses(ctx)
		for _, c := range list {
			if c.Slug == "flood-safety" {
				t.Fatal("archived course in the catalog")
			}
		}
		if a, err := st.FindPublishedCourse(ctx, "flood-safety"); err != nil || !a.Archived {
			t.Fatal("archived course page lost")
		}
		if err := st.SetArchived(ctx, reviewer, "flood-safety", true); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal("archived twice")
		}

		entries, err := st.Audit(ctx, store.AuditFilter{ObjectType: "course", ObjectID: "flood-safety"})
		if err != nil || len(entries) < 10 {
			t.Fatalf("audit: %d %v", len(entries), err)
		}
		mine, _ := st.Audit(ctx, store.AuditFilter{Actor: "rev@example.org"})
		for _, e := range mine {
			if e.Actor != "rev@example.org" {
				t.Fatal("audit filter by actor")
			}
		}
		if len(mine) != 3 { // return, publish, archive
			t.Fatalf("reviewer audit entries: %d", len(mine))
		}
	})
}
