package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/testenv"
	"beacon/app/web"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"
)

// feedbackOf returns the rollup of one lesson in one language.
func feedbackOf(t *testing.T, srv *testServer, courseID int64, lesson, locale string) app.LessonFeedback {
	t.Helper()
	fb, err := srv.Store.LessonFeedback(context.Background(), courseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fb {
		if f.LessonSlug == lesson && f.Locale == locale {
			return f
		}
	}
	return app.LessonFeedback{LessonSlug: lesson, Locale: locale}
}

// TestLessonUseful: "Was this lesson useful?" counts each visitor once per
// lesson and language (a changed answer moves the count), guests by their
// learner cookie and accounts by their learner; a cross-site post is
// refused; the educators' table shows the counts, hiding small ones; the
// per-visitor rows go with the account. On SQLite and PostgreSQL.
func TestLessonUseful(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv := mustOpenServerOn(t, open(t))
			pc := srv.course(t, "cyber-hygiene")
			lesson := pc.Lessons[0].Slug
			page := "/en/courses/" + pc.Slug + "/lessons/" + lesson
			action := page + "/useful"

			// The form is on the shared page, without a token.
			guest := srv.client(t)
			r := guest.get(page)
			guest.mustStatus(r, 200)
			if r.Doc.Find(`form[action="`+action+`"] button[name=answer][value=yes]`).Length() != 1 ||
				r.Doc.Find(`form[action="`+action+`"] button[name=answer][value=no]`).Length() != 1 {
				t.Fatalf("no Yes/No form on the lesson page")
			}
			if !strings.Contains(r.Header.Get("Cache-Control"), "public") {
				t.Fatalf("lesson page Cache-Control %q, want public (shareable)", r.Header.Get("Cache-Control"))
			}

			t.Run("YesThenNoCountsOnceAsNo", func(t *testing.T) {
				res := guest.postForm(r, action, url.Values{"answer": {"yes"}})
				guest.mustStatus(res, 303)
				if !strings.HasPrefix(res.Location, page) {
					t.Fatalf("redirect to %q, want the lesson", res.Location)
				}
				back := guest.get(res.Location)
				if got := text(back, ".notification-success"); !strings.Contains(got, "Thank you") {
					t.Fatalf("flash %q", got)
				}
				if strings.Contains(back.Header.Get("Cache-Control"), "public") {
					t.Fatalf("page with a flash is kept for everyone: %q", back.Header.Get("Cache-Control"))
				}
				if f := feedbackOf(t, srv, pc.ID, lesson, "en"); f.Yes != 1 || f.No != 0 {
					t.Fatalf("after yes: %+v", f)
				}
				guest.mustStatus(guest.post(action, url.Values{"answer": {"no"}}), 303)
				guest.mustStatus(guest.post(action, url.Values{"answer": {"no"}}), 303)
				if f := feedbackOf(t, srv, pc.ID, lesson, "en"); f.Yes != 0 || f.No != 1 {
					t.Fatalf("after yes, no, no from one guest: %+v, want 0 yes, 1 no", f)
				}
			})

			t.Run("AnotherGuestAndLanguageCount", func(t *testing.T) {
				other := srv.client(t)
				other.mustStatus(other.post(action, url.Values{"answer": {"yes"}}), 303)
				other.mustStatus(other.post("/fr/courses/"+pc.Slug+"/lessons/"+lesson+"/useful", url.Values{"answer": {"yes"}}), 303)
				if f := feedbackOf(t, srv, pc.ID, lesson, "en"); f.Yes != 1 || f.No != 1 {
					t.Fatalf("en after a second guest: %+v", f)
				}
				if f := feedbackOf(t, srv, pc.ID, lesson, "fr"); f.Yes != 1 || f.No != 0 {
					t.Fatalf("fr: %+v", f)
				}
			})

			t.Run("SignedInAndDeleted", func(t *testing.T) {
				u := srv.signedIn(t, "reader@example.org")
				u.mustStatus(u.post(action, url.Values{"answer": {"yes"}}), 303)
				if f := feedbackOf(t, srv, pc.ID, lesson, "en"); f.Yes != 2 || f.No != 1 {
					t.Fatalf("after the account's yes: %+v", f)
				}
				acct, err := srv.Store.FindUserByEmail(ctx, "reader@example.org")
				if err != nil {
					t.Fatal(err)
				}
				if a, err := srv.Store.LessonAnswer(ctx, acct.LearnerID, pc.ID, lesson, "en"); err != nil || a != "yes" {
					t.Fatalf("account's answer %q, %v", a, err)
				}
				if err := srv.Store.DeleteUser(ctx, acct.ID); err != nil {
					t.Fatal(err)
				}
				if a, err := srv.Store.LessonAnswer(ctx, acct.LearnerID, pc.ID, lesson, "en"); err != nil || a != "" {
					t.Fatalf("answer after deletion %q, %v; want none", a, err)
				}
				if f := feedbackOf(t, srv, pc.ID, lesson, "en"); f.Yes != 2 {
					t.Fatalf("anonymous counts after deletion: %+v, want kept", f)
				}
			})

			t.Run("GuestSignsInStillOnce", func(t *testing.T) {
				l1 := pc.Lessons[1].Slug
				act := "/en/courses/" + pc.Slug + "/lessons/" + l1 + "/useful"
				acct := srv.signedIn(t, "both@example.org")
				acct.mustStatus(acct.post(act, url.Values{"answer": {"yes"}}), 303)
				g := srv.client(t)
				g.mustStatus(g.post(act, url.Values{"answer": {"no"}}), 303)
				g.mustStatus(g.postForm(g.get("/en/login"), "/en/login", url.Values{"email": {"both@example.org"}, "password": {"a test password"}}), 303)
				if f := feedbackOf(t, srv, pc.ID, l1, "en"); f.Yes != 1 || f.No != 0 {
					t.Fatalf("after the guest signed in to an account that had answered: %+v, want the account's answer once", f)
				}
			})

			t.Run("Refused", func(t *testing.T) {
				c := srv.client(t)
				req := httptest.NewRequest(http.MethodPost, action, strings.NewReader("answer=yes"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "cross-site")
				c.mustStatus(c.send(req), 403)
				req = httptest.NewRequest(http.MethodPost, action, strings.NewReader("answer=yes"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", "https://evil.example")
				c.mustStatus(c.send(req), 403)
				c.mustStatus(c.post(action, url.Values{"answer": {"maybe"}}), 422)
				c.mustStatus(c.post("/en/courses/"+pc.Slug+"/lessons/no-such-lesson/useful", url.Values{"answer": {"yes"}}), 404)
				if f := feedbackOf(t, srv, pc.ID, lesson, "en"); f.Yes != 2 || f.No != 1 {
					t.Fatalf("refused posts counted: %+v", f)
				}
			})

			t.Run("EducatorTable", func(t *testing.T) {
				edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
				show := edu.get("/en/admin/courses/" + pc.Slug)
				edu.mustStatus(show, 200)
				if show.Doc.Find(`a[href="/en/admin/courses/`+pc.Slug+`/feedback"]`).Length() != 1 {
					t.Fatal("course admin page does not link the feedback table")
				}
				// Default K (5): every count here is a small group.
				fp := edu.get("/en/admin/courses/" + pc.Slug + "/feedback")
				edu.mustStatus(fp, 200)
				row := fp.Doc.Find(`#feedback tr[data-lesson="` + lesson + `"][data-locale="en"]`)
				if row.Length() != 1 || strings.TrimSpace(row.Find(".feedback-yes").Text()) != "*" ||
					strings.TrimSpace(row.Find(".feedback-no").Text()) != "*" || strings.TrimSpace(row.Find(".feedback-share").Text()) != "–" {
					t.Fatalf("small counts shown: %q", row.Text())
				}
				if got := strings.TrimSpace(row.Find("th").Text()); got != pc.Lessons[0].Title["en"] {
					t.Fatalf("row heading %q, want the lesson's title", got)
				}
				// K = 1 and no noise: the exact counts.
				for k, v := range map[string]string{"small_group_k": "1", "stats_noise": "0"} {
					if err := srv.Store.SetSetting(ctx, k, v); err != nil {
						t.Fatal(err)
					}
				}
				fp = edu.get("/en/admin/courses/" + pc.Slug + "/feedback")
				row = fp.Doc.Find(`#feedback tr[data-lesson="` + lesson + `"][data-locale="en"]`)
				if y, n, s := strings.TrimSpace(row.Find(".feedback-yes").Text()), strings.TrimSpace(row.Find(".feedback-no").Text()),
					strings.TrimSpace(row.Find(".feedback-share").Text()); y != "2" || n != "1" || s != "67%" {
					t.Fatalf("en row: yes %q no %q share %q", y, n, s)
				}
				fr := fp.Doc.Find(`#feedback tr[data-lesson="` + lesson + `"][data-locale="fr"]`)
				if strings.TrimSpace(fr.Find(".feedback-yes").Text()) != "1" || !strings.Contains(fr.Text(), "Français") {
					t.Fatalf("fr row: %q", fr.Text())
				}
				// A learner may not read it.
				learner := srv.signedIn(t, "learner@example.org")
				if r := learner.get("/en/admin/courses/" + pc.Slug + "/feedback"); r.Status != 403 {
					t.Fatalf("learner got the feedback table: %d", r.Status)
				}
			})
		})
	}
}

// TestLessonUsefulBrowser answers "Was this lesson useful?" in Chromium
// with JavaScript off, in English and Arabic, sees the thanks, and runs
// axe on the lesson page before and after.
func TestLessonUsefulBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	base := srv.listen(t)
	for _, tc := range []struct{ lang, thanks string }{{"en", "Thank you"}, {"ar", "شكرًا"}} {
		t.Run(tc.lang, func(t *testing.T) {
			b := newBrowser(t, base, tc.lang)
			b.lang = tc.lang
			page := "/" + tc.lang + "/courses/" + pc.Slug + "/lessons/" + pc.Lessons[1].Slug
			b.do(chromedp.Navigate(base + page))
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			b.check("lesson-useful")
			b.click(`form[action="` + page + `/useful"] button[value=no]`)
			b.waitLocation(page)
			if got := b.text(".notification-success"); !strings.Contains(got, tc.thanks) {
				t.Fatalf("thanks %q, want %q", got, tc.thanks)
			}
			b.check("lesson-useful-thanks")
			if f := feedbackOf(t, srv, pc.ID, pc.Lessons[1].Slug, tc.lang); f.No != 1 || f.Yes != 0 {
				t.Fatalf("counts %+v", f)
			}
			// The educator reads the table and the due list (axe-checked too).
			email := "edu-" + tc.lang + "@example.org"
			srv.signedIn(t, email, app.RoleEducator) // password "a test password"
			b.do(chromedp.Navigate(base + "/" + tc.lang + "/login"))
			b.do(chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), "a test password"))
			b.click(`form[action="/` + tc.lang + `/login"] button[type=submit]`)
			b.waitLocation("/" + tc.lang + "/")
			b.do(chromedp.Navigate(base + "/" + tc.lang + "/admin/courses/" + pc.Slug + "/feedback"))
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			if b.count(`#feedback tr[data-lesson="`+pc.Lessons[1].Slug+`"][data-locale="`+tc.lang+`"]`) != 1 {
				t.Fatalf("feedback table: %q", b.text("main"))
			}
			b.check("admin-feedback")
			b.do(chromedp.Navigate(base + "/" + tc.lang + "/admin/"))
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			if b.count("#due-for-review") != 1 {
				t.Fatal("no due-for-review section on the admin home")
			}
			b.check("admin-home")
		})
	}
}

// TestDueForReview: the admin home lists, for an educator, a course past
// its review date and one due within 30 days (earliest first, dates in
// the page's language, links to edit), and not one due later; a learner
// cannot open the admin home, and an organizer's has no list.
func TestDueForReview(t *testing.T) {
	now := time.Date(2027, 9, 10, 12, 0, 0, 0, time.UTC)
	srv := MustOpenServer(t, func(o *web.Options) { o.Clock = func() time.Time { return now } })
	past := app.Course{Slug: "old-facts", SourceLocale: "fr", Topic: "cyber", Categories: []string{}, ReviewBy: "2027-08-01",
		Title: app.Text{"fr": "Des faits anciens"}, Summary: app.Text{"fr": "À revoir."},
		Lessons: []app.Lesson{{Slug: "one", File: "01-one", Title: app.Text{"fr": "Leçon"}, Body: app.Text{"fr": "Lisez ceci."}}}}
	if _, err := srv.Store.ImportPack(context.Background(), &app.Pack{Courses: []app.Course{past}}); err != nil {
		t.Fatal(err)
	}
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
	home := edu.get("/fr/admin/")
	edu.mustStatus(home, 200)
	var slugs []string
	home.Doc.Find("#due-list tbody tr").Each(func(_ int, s *goquery.Selection) { slugs = append(slugs, s.AttrOr("data-course", "")) })
	// Seed: cyber-hygiene and personal-data-protection are due 2027-09-30
	// (within 30 days); the other two 2027-11-30 (later).
	if strings.Join(slugs, ",") != "old-facts,cyber-hygiene,personal-data-protection" {
		t.Fatalf("due list %v", slugs)
	}
	first := home.Doc.Find(`#due-list tr[data-course="old-facts"]`)
	if got := strings.TrimSpace(first.Find("time").Text()); got != "1 août 2027" {
		t.Fatalf("date in French %q", got)
	}
	if first.Find(".tag-warning").Length() != 1 || home.Doc.Find(`#due-list tr[data-course="cyber-hygiene"] .tag-warning`).Length() != 0 {
		t.Fatal("overdue tag on the wrong rows")
	}
	if first.Find(`a[href="/fr/admin/courses/old-facts/settings"]`).Length() != 1 {
		t.Fatal("no edit link")
	}
	if edu.get("/fr/admin/courses/old-facts/settings").Status != 200 {
		t.Fatal("edit link does not open")
	}

	org := srv.signedIn(t, "org@example.org", app.RoleOrganizer)
	oh := org.get("/fr/admin/")
	org.mustStatus(oh, 200)
	if oh.Doc.Find("#due-list, .due-for-review").Length() != 0 {
		t.Fatal("organizer sees the due list")
	}
	learner := srv.signedIn(t, "learner@example.org")
	if r := learner.get("/fr/admin/"); r.Status == 200 {
		t.Fatal("learner opened the admin home")
	}

	// Nothing due: the empty state.
	now = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	home = edu.get("/fr/admin/")
	if home.Doc.Find("#due-list").Length() != 0 || !strings.Contains(text(home, ".due-for-review .empty"), "30") {
		t.Fatalf("empty state: %q", text(home, ".due-for-review"))
	}
}
