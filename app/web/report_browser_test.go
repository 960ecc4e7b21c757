package web_test

import (
	"context"
	"testing"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// phoneWidth sets the browser's viewport to a phone's width (390 CSS px)
// or back to the desktop's (0 clears the override).
func (b *browser) phoneWidth(on bool) {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if !on {
			_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 1, Mobile: true})
		return err
	}))
}

// TestBrowser_ReportDownloads: an organizer sees the close-out report
// with a download link beside each table and one for the ZIP, the
// campaign page with item analysis and reader feedback for its course,
// and the feedback page with its CSV link, in English and Arabic, at
// desktop and phone widths, axe-checked (screenshots with
// BEACON_TEST_SCREENSHOTS).
func TestBrowser_ReportDownloads(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	reportScenario(t, srv, "report-week")
	feedbackScenario(t, srv)
	hash, _ := argon2id.CreateHash("an organizing password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(context.Background(), &app.User{Email: "report-organizer@example.org", DisplayName: "Organizer",
		PasswordHash: hash, Roles: []string{app.RoleOrganizer}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, base, "en")
	b.signIn("report-organizer@example.org", "an organizing password")
	for _, lang := range []string{"en", "ar"} {
		for _, phone := range []bool{false, true} {
			b.lang = "report-" + lang
			if phone {
				b.lang += "-phone"
			}
			b.phoneWidth(phone)
			b.do(chromedp.Navigate(base + "/" + lang + "/admin/campaigns/report-week/report"))
			if n := b.count(".report-table-csv a"); n != 4 {
				t.Fatalf("%s: %d table links, want 4", lang, n)
			}
			if n := b.count("a.report-zip"); n != 1 {
				t.Fatalf("%s: %d ZIP links", lang, n)
			}
			b.check("report")
			b.do(chromedp.Navigate(base + "/" + lang + "/admin/campaigns/report-week"))
			if b.count("a.campaign-items-link") != 1 || b.count("a.campaign-feedback-link") != 1 {
				t.Fatalf("%s: campaign page lacks the course's statistics links", lang)
			}
			b.check("campaign")
			b.click("a.campaign-feedback-link")
			if b.count("a.feedback-csv") != 1 {
				t.Fatalf("%s: feedback page lacks its CSV link", lang)
			}
			b.check("feedback")
		}
	}
	b.phoneWidth(false)
}
