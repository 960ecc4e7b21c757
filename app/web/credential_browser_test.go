package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCertificateBrowser walks the certificate lookup in Chromium with
// JavaScript off, in en and ar: the /certificates form takes a code typed
// in lower case with a dash to the certificate page, which offers the
// signed credential; /me offers it too; axe finds nothing on any page.
func TestCertificateBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	for _, w := range []struct{ lang, accept string }{{"en", "en-GB,en"}, {"ar", "ar"}} {
		t.Run(w.lang, func(t *testing.T) {
			_, cert := certifiedLearner(t, srv, "browser-"+w.lang+"@example.org")
			b := newBrowser(t, base, w.accept)
			b.lang = w.lang

			b.do(chromedp.Navigate(base + "/certificates"))
			if b.count(`form[action="/certificates"] input#code`) != 1 {
				t.Fatal("no lookup form")
			}
			b.check("lookup")
			b.click(`form[action="/certificates"] button[type=submit]`)
			if b.count(".error-summary li") != 1 {
				t.Fatal("an empty code shows no error summary")
			}
			b.check("lookup-error")
			typed := strings.ToLower(cert.Code[:6] + "-" + cert.Code[6:])
			b.do(chromedp.SendKeys(chromedp.CSS("#code"), typed))
			b.click(`form[action="/certificates"] button[type=submit]`)
			if got := b.location(); got != "/certificates/"+cert.Code {
				t.Fatalf("lookup went to %q", got)
			}
			if got := b.attrs("#credential-download", "href"); len(got) != 1 || got[0] != "/certificates/"+cert.Code+"/credential.jwt" {
				t.Fatalf("download link %v", got)
			}
			b.check("certificate")

			// The learner's own page lists the download too.
			b.do(chromedp.Navigate(base + "/" + w.lang + "/login"))
			b.do(chromedp.SendKeys(chromedp.CSS("#email"), "browser-"+w.lang+"@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), "a test password"))
			b.click(`form[action="/` + w.lang + `/login"] button[type=submit]`)
			b.do(chromedp.Navigate(base + "/" + w.lang + "/me"))
			if got := b.attrs(".certificate-list a.credential-download", "href"); len(got) != 1 || got[0] != "/certificates/"+cert.Code+"/credential.jwt" {
				t.Fatalf("/me download links %v", got)
			}
			b.check("me")
		})
	}
}
