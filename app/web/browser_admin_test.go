package web_test

import (
	"context"
	"strings"
	"testing"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// signInBrowser signs b in through the login form.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + "/en/login"))
	b.do(chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.click(`form[action="/en/login"] button[type=submit]`)
	if got := b.location(); got != "/en/me" {
		b.t.Fatalf("sign in as %s ended at %q", email, got)
	}
}

func (b *browser) fill(sel, value string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS(sel), value)) // the forms it fills start empty
}

// TestBrowser_AuthoringJourney: an educator writes a course with a lesson
// and a quiz question, a reviewer publishes it, and a guest reads and
// answers it — in Chromium with JavaScript off, axe-checked.
func TestBrowser_AuthoringJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	for _, u := range []struct{ email, role string }{{"educator@example.org", app.RoleEducator}, {"reviewer@example.org", app.RoleReviewer}} {
		hash, _ := argon2id.CreateHash("a browser password", argon2id.DefaultParams)
		if err := srv.Store.CreateUser(context.Background(), &app.User{Email: u.email, DisplayName: u.role, PasswordHash: hash, Roles: []string{u.role}, Locale: "en"}); err != nil {
			t.Fatal(err)
		}
	}

	// Educator.
	b := newBrowser(t, base, "en")
	b.lang = "admin-en"
	b.signIn("educator@example.org", "a browser password")
	b.do(chromedp.Navigate(base + "/en/admin/"))
	b.check("admin-home")
	b.click(`a[href="/en/admin/courses/new"]`)
	b.check("course-new")
	b.fill("#slug", "storm-ready")
	b.fill("#title", "Storm ready")
	b.fill("#summary", "Get ready before a storm arrives.")
	b.fill("#topic", "emergency")
	b.do(chromedp.Click(chromedp.CSS("#cat-Met")))
	b.click(`form[action="/en/admin/courses"] button[type=submit]`)
	if got := b.location(); got != "/en/admin/courses/storm-ready" {
		t.Fatalf("after create: %q", got)
	}
	b.check("course-admin")
	b.click(`a[href="/en/admin/courses/storm-ready/lessons/new"]`)
	b.fill("#slug", "prepare")
	b.fill("#title", "Prepare your home")
	b.fill("#body", "## What to do now\n\n1. Bring loose things inside.\n2. Charge your phone.\n\n**Stay indoors when the storm hits.**")
	b.click(`button[name=action][value=preview]`)
	if b.count(".preview .prose ol li") != 2 {
		t.Fatal("server preview did not render the Markdown")
	}
	b.check("lesson-preview")
	b.click(`button[name=action][value=save]`)
	b.do(chromedp.Navigate(base + "/en/admin/courses/storm-ready/quiz/questions/new"))
	b.check("question-new")
	b.fill("#prompt", "A storm is coming. What do you bring inside?")
	b.fill("#choice_0", "Garden chairs and bins")
	b.do(chromedp.Click(chromedp.CSS("#choice_0_right")))
	b.fill("#choice_1", "Nothing, they are heavy enough")
	b.fill("#explanation", "Strong winds throw loose things; inside, they cannot hurt anyone.")
	b.click(`form.editor-form button[type=submit]`)
	if got := b.location(); !strings.HasPrefix(got, "/en/admin/courses/storm-ready") {
		t.Fatalf("after question: %q", got)
	}
	// Translator: the title into Chinese, side by side with the source.
	b.do(chromedp.Navigate(base + "/en/admin/courses/storm-ready/translations/zh-Hans"))
	b.check("translate")
	b.fill("#f0", "防范风暴")
	b.click(`form[action="/en/admin/courses/storm-ready/translations/zh-Hans"] button[type=submit]`)
	if !strings.Contains(b.text(".translate-row"), "Up to date") {
		t.Fatalf("translated title not up to date: %s", b.text(".translate-row"))
	}
	b.do(chromedp.Navigate(base + "/en/admin/courses/storm-ready"))
	b.click(`form[action="/en/admin/courses/storm-ready/submit"] button[type=submit]`)
	if !strings.Contains(b.text("main"), "waits for review") {
		t.Fatalf("not in review: %s", b.text("main"))
	}

	// Reviewer.
	r := newBrowser(t, base, "en")
	r.lang = "admin-en-reviewer"
	r.signIn("reviewer@example.org", "a browser password")
	r.do(chromedp.Navigate(base + "/en/admin/reviews"))
	r.check("reviews")
	r.click(`a[href="/en/admin/courses/storm-ready/review"]`)
	if r.count(".diff") == 0 {
		t.Fatal("no changes to review")
	}
	r.check("review")
	r.click(`form[action="/en/admin/courses/storm-ready/publish"] button[type=submit]`)

	// Guest.
	g := newBrowser(t, base, "en")
	g.lang = "guest-en"
	g.do(chromedp.Navigate(base + "/en/courses/storm-ready/lessons/prepare"))
	if g.text("h1") != "Prepare your home" || g.count(".prose ol li") != 2 {
		t.Fatal("published lesson not shown")
	}
	g.click(`.lesson-complete button[type=submit]`)
	g.do(chromedp.Navigate(base + "/en/courses/storm-ready/quiz"))
	pc := srv.course(t, "storm-ready")
	g.answerRight(pc)
	g.click(`.quiz-form button[type=submit]`)
	if got := g.text(".result-verdict"); got != "Passed" {
		t.Fatalf("verdict %q", got)
	}
	if !strings.Contains(g.text(".explanation"), "Strong winds") {
		t.Fatal("the educator's explanation is not shown")
	}
	// In Chinese: the translated title, the untranslated lesson with its notice.
	g.do(chromedp.Navigate(base + "/zh-Hans/courses/storm-ready"))
	if got := g.text("h1"); got != "防范风暴" {
		t.Fatalf("zh-Hans title %q", got)
	}
	g.do(chromedp.Navigate(base + "/zh-Hans/courses/storm-ready/lessons/prepare"))
	if !strings.Contains(g.text(".notice"), "尚未翻译") {
		t.Fatal("no fallback notice in Chinese")
	}
}
