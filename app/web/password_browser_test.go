package web_test

import (
	"net"
	"strings"
	"testing"

	"beacon/app/testenv"

	"github.com/chromedp/chromedp"
)

// TestPasswordResetBrowser walks the reset as a person would, in Chromium
// with JavaScript off, in French and Arabic: the login page's "forgot"
// link, the form, the mail arriving at the in-test SMTP server, its link
// opened in the browser, a mistyped second password, then the new
// password and a signed-in account page. axe-core checks every page.
func TestPasswordResetBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	smtp := testenv.MustStartSMTP(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	srv := MustOpenServer(t, withMail(t, smtp), withBaseURL(base))
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().Shutdown() })

	for _, tc := range []struct{ lang, accept, subject string }{
		{"fr", "fr-FR,fr", "Réinitialiser votre mot de passe sur Beacon"},
		{"ar", "ar", "إعادة تعيين كلمة المرور على Beacon"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			lang := tc.lang
			l := srv.Bundle.Localizer(lang)
			email := lang + "@example.org"
			srv.account(t, email, "forgotten password 1", lang)
			b := newBrowser(t, base, tc.accept)
			b.lang = lang

			b.do(chromedp.Navigate(base + "/" + lang + "/login"))
			b.check("login")
			b.click("#forgot-link")
			if got := b.location(); got != "/"+lang+"/password/forgot" {
				t.Fatalf("forgot link went to %q", got)
			}
			b.check("forgot")
			b.do(chromedp.SendKeys(chromedp.CSS("#email"), email))
			b.click(`form[action="/` + lang + `/password/forgot"] button[type=submit]`)
			if got := b.location(); got != "/"+lang+"/password/sent" {
				t.Fatalf("after asking: %q", got)
			}
			if got := b.text("#sent-text"); got != l.T("password.sent.text", map[string]any{"Minutes": 60}) {
				t.Fatalf("sent page says %q", got)
			}
			b.check("sent")

			m := smtp.Next(t)
			if m.To[0] != email || m.Subject != tc.subject {
				t.Fatalf("mail to %v: %q", m.To, m.Subject)
			}
			link := base + linkIn(t, m.Body, base, "/"+lang+"/password/reset/")
			b.do(chromedp.Navigate(link))
			b.check("reset")
			b.do(chromedp.SendKeys(chromedp.CSS("#password"), "a brand new passphrase"),
				chromedp.SendKeys(chromedp.CSS("#password_confirm"), "a brand new passphrasf"))
			b.click(`form[action^="/` + lang + `/password/reset/"] button[type=submit]`)
			if got := b.text("#password_confirm-error"); !strings.Contains(got, l.T("password.reset.error.mismatch", nil)) {
				t.Fatalf("mismatch error %q", got)
			}
			b.check("reset-errors")
			b.do(chromedp.SendKeys(chromedp.CSS("#password"), "a brand new passphrase"),
				chromedp.SendKeys(chromedp.CSS("#password_confirm"), "a brand new passphrase"))
			b.click(`form[action^="/` + lang + `/password/reset/"] button[type=submit]`)
			if got := b.location(); got != "/"+lang+"/me" {
				t.Fatalf("after the new password: %q", got)
			}
			if got := b.text(".notification-success"); got != l.T("flash.password_reset", nil) {
				t.Fatalf("flash %q", got)
			}
			if b.count(`form[action="/`+lang+`/logout"]`) == 0 {
				t.Fatal("not signed in after the reset")
			}
			b.check("signed-in")

			// The link is spent.
			b.do(chromedp.Navigate(link))
			if b.count("#reset-invalid") != 1 {
				t.Fatal("the used link still shows the form")
			}
			b.check("reset-used")
		})
	}
}
