package store_test

import (
	"context"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/i18n"
	"beacon/app/store"
	"beacon/app/testenv"
)

// seed imports the project's content/ pack and returns the published courses.
func seed(t testing.TB, st *store.Store) []*app.PublishedCourse {
	t.Helper()
	ctx := context.Background()
	b, err := i18n.Load(testenv.Sub(t, "content/locales"), "en")
	if err != nil {
		t.Fatal(err)
	}
	pack, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: b.Locales()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportPack(ctx, pack); err != nil {
		t.Fatal(err)
	}
	courses, err := st.PublishedCourses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return courses
}

func course(t *testing.T, courses []*app.PublishedCourse, slug string) *app.PublishedCourse {
	t.Helper()
	for _, c := range courses {
		if c.Slug == slug {
			return c
		}
	}
	t.Fatalf("no course %s", slug)
	return nil
}

// forEachStore runs fn on a fresh SQLite store and, when configured, a fresh PostgreSQL one.
func forEachStore(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) { fn(t, open(t)) })
	}
}

func TestStore_ImportPack(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		if len(courses) < 4 {
			t.Fatalf("seed has %d courses, want 4+", len(courses))
		}
		// Importing the same pack again changes nothing.
		b, _ := i18n.Load(testenv.Sub(t, "content/locales"), "en")
		pack, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: b.Locales()})
		if err != nil {
			t.Fatal(err)
		}
		res, err := st.ImportPack(ctx, pack)
		if err != nil {
			t.Fatal(err)
		}
		if res.CoursesCreated+res.CoursesUpdated+res.CampaignsCreated+res.CampaignsUpdated != 0 || res.CoursesUnchanged != len(courses) {
			t.Fatalf("second import changed things: %+v", res)
		}
		again, _ := st.PublishedCourses(ctx)
		for i := range again {
			if again[i].RevisionID != courses[i].RevisionID {
				t.Fatalf("course %s got a new revision on re-import", again[i].Slug)
			}
		}
		// A changed course gets a new published revision.
		pack.Courses[0].Title["en"] = "Changed title"
		res, err = st.ImportPack(ctx, pack)
		if err != nil || res.CoursesUpdated != 1 {
			t.Fatalf("changed import: %+v, %v", res, err)
		}
		c, err := st.FindPublishedCourse(ctx, pack.Courses[0].Slug)
		if err != nil || c.Title["en"] != "Changed title" {
			t.Fatalf("republished course not served: %v", err)
		}
		if _, err := st.FindPublishedCourse(ctx, "no-such-course"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown course: want ENOTFOUND, got %v", err)
		}
		camps, err := st.Campaigns(ctx, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || len(camps) != 1 {
			t.Fatalf("campaigns: %d, %v", len(camps), err)
		}
		regions, err := st.Regions(ctx)
		if err != nil || len(regions) < 4 {
			t.Fatalf("regions: %d, %v", len(regions), err)
		}
	})
}

func newUser(t *testing.T, st *store.Store, email, learner string) *app.User {
	t.Helper()
	u := &app.User{Email: email, DisplayName: "Test Person", PasswordHash: "x", LearnerID: learner, Locale: "en"}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestStore_Users(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u := newUser(t, st, "Ana@Example.org", "")
		if u.ID == 0 || u.LearnerID == "" || u.Email != "ana@example.org" {
			t.Fatalf("created user %+v", u)
		}
		err := st.CreateUser(ctx, &app.User{Email: "ana@example.org ", DisplayName: "Other", PasswordHash: "x"})
		if app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("duplicate email: want ECONFLICT, got %v", err)
		}
		token, err := st.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.FindSessionUser(ctx, token)
		if err != nil || got.ID != u.ID {
			t.Fatalf("session user: %v %v", got, err)
		}
		if _, err := st.FindSessionUser(ctx, "forged"); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("forged session: %v", err)
		}
		if err := st.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := st.FindSessionUser(ctx, token); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("ended session still works: %v", err)
		}
	})
}

func TestStore_LearningJourney(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		c := course(t, courses, "cyber-hygiene")
		guest := app.NewID()
		actor := store.Actor{LearnerID: guest, Locale: "en"}

		t.Run("ErrUnknownLesson", func(t *testing.T) {
			if _, err := st.CompleteLesson(ctx, actor, c, "nope"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("want ENOTFOUND, got %v", err)
			}
		})
		for _, l := range c.Lessons {
			for i := 0; i < 2; i++ { // twice: counts once
				if _, err := st.CompleteLesson(ctx, actor, c, l.Slug); err != nil {
					t.Fatal(err)
				}
			}
		}
		done, _ := st.LessonsDone(ctx, guest, c.ID)
		if len(done) != len(c.Lessons) {
			t.Fatalf("done %d of %d", len(done), len(c.Lessons))
		}
		// A failing then a passing attempt; the same nonce twice counts once.
		fail := &app.Attempt{Nonce: "n1", Locale: "en", Total: 6, Correct: 1, Score: 16, Answers: []app.AnsweredQuestion{}}
		if _, dup, out, err := st.SubmitAttempt(ctx, actor, c, fail, 0); err != nil || dup || out.CourseCompleted {
			t.Fatalf("failing attempt: dup=%v out=%+v err=%v", dup, out, err)
		}
		pass := &app.Attempt{Nonce: "n2", Locale: "en", Total: 6, Correct: 6, Score: 100, Passed: true, Answers: []app.AnsweredQuestion{}}
		first, dup, out, err := st.SubmitAttempt(ctx, actor, c, pass, 0)
		if err != nil || dup || !out.CourseCompleted || out.Certificate != nil {
			t.Fatalf("passing attempt: dup=%v out=%+v err=%v", dup, out, err)
		}
		again, dup, _, err := st.SubmitAttempt(ctx, actor, c, pass, 0)
		if err != nil || !dup || again.ID != first.ID {
			t.Fatalf("double submit: dup=%v id=%d/%d err=%v", dup, again.ID, first.ID, err)
		}
		attempts, _ := st.Attempts(ctx, guest, c.ID)
		if len(attempts) != 2 {
			t.Fatalf("attempts = %d, want 2", len(attempts))
		}
		totals, _ := st.CountTotals(ctx, c.ID)
		if totals[app.MetricQuizAttempt] != 2 || totals[app.MetricCourseCompleted] != 1 || totals[app.MetricLearnerStarted] != 1 ||
			totals[app.MetricLessonCompleted] != int64(len(c.Lessons)) {
			t.Fatalf("rollups %v", totals)
		}

		// Registering adopts the guest learner; the sync issues the certificate.
		u := newUser(t, st, "guest@example.org", guest)
		if u.LearnerID != guest {
			t.Fatalf("account did not adopt the guest learner")
		}
		certs, err := st.SyncCompletions(ctx, store.Actor{LearnerID: u.LearnerID, User: u, Locale: "en"}, courses)
		if err != nil || len(certs) != 1 || certs[0].HolderName != "Test Person" {
			t.Fatalf("certificates issued: %v, %v", certs, err)
		}
		found, err := st.FindCertificateByCode(ctx, certs[0].Code)
		if err != nil || found.CourseSlug != "cyber-hygiene" {
			t.Fatalf("certificate lookup: %v %v", found, err)
		}
		// Syncing again issues nothing more.
		if more, _ := st.SyncCompletions(ctx, store.Actor{LearnerID: u.LearnerID, User: u}, courses); len(more) != 0 {
			t.Fatalf("second sync issued %d", len(more))
		}
		// Max attempts: with a limit of 2 used, the next is refused.
		third := &app.Attempt{Nonce: "n3", Locale: "en", Total: 6, Answers: []app.AnsweredQuestion{}}
		if _, _, _, err := st.SubmitAttempt(ctx, store.Actor{LearnerID: u.LearnerID, User: u}, c, third, 2); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("max attempts: want EFORBIDDEN, got %v", err)
		}

		// Deleting the account erases personal data and keeps counts.
		if err := st.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		// The certificate stays as a revoked tombstone: no name, no account.
		if tomb, err := st.FindCertificateByCode(ctx, certs[0].Code); err != nil || !tomb.Revoked() || tomb.HolderName != "" || tomb.UserID != 0 {
			t.Fatalf("certificate after deletion: %+v, %v", tomb, err)
		}
		if a, _ := st.Attempts(ctx, guest, 0); len(a) != 0 {
			t.Fatalf("attempts survived deletion")
		}
		if d, _ := st.LessonsDone(ctx, guest, c.ID); len(d) != 0 {
			t.Fatalf("progress survived deletion")
		}
		if _, err := st.FindUserByID(ctx, u.ID); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("user survived deletion")
		}
		after, _ := st.CountTotals(ctx, c.ID)
		if after[app.MetricQuizAttempt] != 2 || after[app.MetricCertificate] != 1 {
			t.Fatalf("counts lost on deletion: %v", after)
		}
	})
}

func TestStore_ClaimLearnerMerges(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		c := course(t, courses, "emergency-preparedness")
		u := newUser(t, st, "merge@example.org", "")
		own := store.Actor{LearnerID: u.LearnerID, User: u}
		if _, err := st.CompleteLesson(ctx, own, c, c.Lessons[0].Slug); err != nil {
			t.Fatal(err)
		}
		guest := app.NewID()
		for _, l := range c.Lessons[:2] { // overlaps lesson 0
			if _, err := st.CompleteLesson(ctx, store.Actor{LearnerID: guest}, c, l.Slug); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.ClaimLearner(ctx, u.ID, guest); err != nil {
			t.Fatal(err)
		}
		done, _ := st.LessonsDone(ctx, u.LearnerID, c.ID)
		if len(done) != 2 {
			t.Fatalf("merged progress has %d lessons, want 2", len(done))
		}
		if g, _ := st.LessonsDone(ctx, guest, c.ID); len(g) != 0 {
			t.Fatalf("guest rows left behind")
		}
		// Another account's learner is never merged.
		other := newUser(t, st, "other@example.org", "")
		if _, err := st.CompleteLesson(ctx, store.Actor{LearnerID: other.LearnerID, User: other}, c, c.Lessons[2].Slug); err != nil {
			t.Fatal(err)
		}
		if err := st.ClaimLearner(ctx, u.ID, other.LearnerID); err != nil {
			t.Fatal(err)
		}
		if d, _ := st.LessonsDone(ctx, other.LearnerID, c.ID); len(d) != 1 {
			t.Fatalf("claimed another account's progress")
		}
	})
}
