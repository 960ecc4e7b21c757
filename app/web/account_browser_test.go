package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAccountBrowser walks the account page in Chromium with JavaScript
// off: sign in, change the password with a wrong current password (the
// error summary shows, links the field and takes focus), then with the
// right one, then sign another device out. axe-core checks every page.
func TestAccountBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := MustOpenServer(t)
	srv.signedIn(t, "walker@example.org") // password "a test password"
	base := srv.listen(t)
	b := newBrowser(t, base, "en")
	b.lang = "en"

	b.do(chromedp.Navigate(base + "/en/login"))
	b.do(chromedp.SendKeys(chromedp.CSS("#email"), "walker@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), "a test password"))
	b.click(`form[action="/en/login"] button[type=submit]`)
	b.waitLocation("/en/me")
	b.click(`a[href="/en/me/account"]`)
	b.waitLocation("/en/me/account")
	b.check("account")
	if b.count("#session-list tbody tr") != 2 || !strings.Contains(b.text("#session-list tr.session-current"), "This device") {
		t.Fatalf("sessions: %q", b.text("#session-list"))
	}

	// Wrong current password.
	b.do(chromedp.SendKeys(chromedp.CSS("#current_password"), "not my password"), chromedp.SendKeys(chromedp.CSS("#new_password"), "violet cup kettle"))
	b.click(`form[action="/en/me/account/password"] button[type=submit]`)
	b.waitLocation("/en/me/account/password")
	if got := b.text(".error-summary"); !strings.Contains(got, "The password is not right") {
		t.Fatalf("error summary: %q", got)
	}
	if got := b.attrs(".error-summary", "tabindex"); len(got) != 1 || got[0] != "-1" {
		t.Fatalf("error summary tabindex %v, want -1 (focusable by the page script)", got)
	}
	b.do(chromedp.Focus(chromedp.CSS(".error-summary")))
	if got := b.attrs(".error-summary a", "href"); len(got) != 1 || got[0] != "#current_password" {
		t.Fatalf("summary links %v", got)
	}
	if got := b.text("#current_password-error"); !strings.Contains(got, "not right") {
		t.Fatalf("field error %q", got)
	}
	b.check("account-error")

	// The right one.
	b.do(chromedp.SendKeys(chromedp.CSS("#current_password"), "a test password"), chromedp.SendKeys(chromedp.CSS("#new_password"), "violet cup kettle"))
	b.click(`form[action="/en/me/account/password"] button[type=submit]`)
	b.waitLocation("/en/me/account")
	if got := b.text(".notification"); !strings.Contains(got, "password has been changed") {
		t.Fatalf("confirmation %q", got)
	}
	if n := b.count("#session-list tbody tr"); n != 1 {
		t.Fatalf("%d sessions after the change, want 1", n)
	}

	// Another device signs in with the new password; this one signs it out.
	other := srv.loginAs(t, "walker@example.org", "violet cup kettle", firefoxWindows)
	b.do(chromedp.Navigate(base + "/en/me/account"))
	b.do(chromedp.WaitReady(chromedp.CSS("footer")))
	if !strings.Contains(b.text("#session-list"), "Firefox on Windows") {
		t.Fatalf("other device not listed: %q", b.text("#session-list"))
	}
	b.click(`form[action="/en/me/account/sessions/end-others"] button[type=submit]`)
	b.waitLocation("/en/me/account")
	if got := b.text(".notification"); !strings.Contains(got, "Every other device has been signed out") {
		t.Fatalf("confirmation %q", got)
	}
	b.check("account-signed-out-others")
	if !signedOut(other) {
		t.Fatal("the other device is still signed in")
	}
}
