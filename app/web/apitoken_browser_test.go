package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAPITokensBrowser walks the tokens page in Chromium with JavaScript
// off, in English and Arabic: sign in, follow the link from /me, create a
// token without a name (the error), then with one; the token is shown
// once, works on the API, and stops working once revoked. axe-core checks
// every page.
func TestAPITokensBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			l := srv.Bundle.Localizer(lang)
			email := "tokens-" + lang + "@example.org"
			srv.account(t, email, "a test password", lang)
			b := newBrowser(t, base, lang)
			b.lang = lang

			b.do(chromedp.Navigate(base + "/" + lang + "/login"))
			b.do(chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), "a test password"))
			b.click(`form[action="/` + lang + `/login"] button[type=submit]`)
			b.waitLocation("/" + lang + "/me")
			b.click(`a[href="/` + lang + `/me/tokens"]`)
			b.waitLocation("/" + lang + "/me/tokens")
			if b.count(".token-none") != 1 {
				t.Fatalf("a new account lists tokens: %q", b.text("main"))
			}
			b.check("tokens")

			// No name: the error, in the page's language.
			b.click(`form[action="/` + lang + `/me/tokens"] button[type=submit]`)
			b.waitLocation("/" + lang + "/me/tokens")
			if got := b.text("#name-error"); !strings.Contains(got, l.T("tokens.error.name_required", nil)) {
				t.Fatalf("name error %q", got)
			}
			b.check("tokens-error")

			b.do(chromedp.SendKeys(chromedp.CSS("#name"), "Spreadsheet "+lang))
			b.click(`form[action="/` + lang + `/me/tokens"] button[type=submit]`)
			b.waitLocation("/" + lang + "/me/tokens")
			got := b.attrs("#new-token", "value")
			if len(got) != 1 || !tokenShape.MatchString(got[0]) {
				t.Fatalf("token shown: %v", got)
			}
			tok := got[0]
			if !strings.Contains(b.text(".token-created"), l.T("tokens.created", nil)) {
				t.Fatalf("notice %q", b.text(".token-created"))
			}
			if b.text(".token-prefix") != tok[:12]+"…" {
				t.Fatalf("prefix %q", b.text(".token-prefix"))
			}
			b.check("tokens-created")

			api := srv.client(t)
			var me struct{ Email string }
			mustJSON(t, api.api("/api/v1/me", tok), &me)
			if me.Email != email {
				t.Fatalf("me %+v", me)
			}

			// Seen once: the page again does not show it.
			b.do(chromedp.Navigate(base + "/" + lang + "/me/tokens"))
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			if b.count("#new-token") != 0 {
				t.Fatal("the token is shown again")
			}
			b.click(`form[action^="/` + lang + `/me/tokens/"] button[type=submit]`)
			b.waitLocation("/" + lang + "/me/tokens")
			if got := b.text(".notification"); !strings.Contains(got, l.T("tokens.revoked", nil)) {
				t.Fatalf("confirmation %q", got)
			}
			if b.count(".token-row") != 0 {
				t.Fatal("the revoked token is still listed")
			}
			b.check("tokens-revoked")
			mustProblem(t, api.api("/api/v1/me", tok), 401)
		})
	}
}
