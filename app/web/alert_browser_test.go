package web_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// TestBrowser_AlertJourney: an organizer writes and publishes an alert
// through the admin pages; a guest sees it in the banner, follows "learn
// what to do" to the lesson, sees the banner right to left in Arabic and
// hides the alert — in Chromium with JavaScript off, axe-checked.
func TestBrowser_AlertJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	ctx := context.Background()
	hash, _ := argon2id.CreateHash("a browser password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(ctx, &app.User{Email: "organizer@example.org", DisplayName: "Organizer", PasswordHash: hash,
		Roles: []string{app.RoleOrganizer}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	// One organizer publishes alone here; four-eyes has its own tests.
	if err := srv.Store.SetSetting(ctx, "four_eyes", "off"); err != nil {
		t.Fatal(err)
	}
	const (
		id       = "browser-storm"
		headline = "Severe storm tonight: stay indoors"
	)

	// Organizer.
	org := newBrowser(t, base, "en")
	org.lang = "alert-organizer"
	org.signIn("organizer@example.org", "a browser password")
	org.do(chromedp.Navigate(base + "/en/admin/alerts"))
	org.check("admin-alerts")
	org.click(`a[href="/en/admin/alerts/new"]`)
	org.check("alert-new")
	org.do(chromedp.SetValue(chromedp.CSS("#identifier"), id))
	for _, sel := range []string{"#status-Actual", "#scope-Public", "#category-Met", "#urgency-Immediate", "#severity-Severe", "#certainty-Likely"} {
		org.do(chromedp.Click(chromedp.CSS(sel)))
	}
	org.fill("#event", "Storm")
	org.fill("#headline", headline)
	org.fill("#instruction", "Stay indoors and away from windows until the morning.")
	org.do(chromedp.SetValue(chromedp.CSS("#lesson"), "emergency-preparedness/warnings"))
	org.click(`form[action="/en/admin/alerts/new"] button[type=submit]`)
	if got := org.location(); got != "/en/admin/alerts/"+id {
		t.Fatalf("after create: %q", got)
	}
	org.check("alert-admin")
	org.click(`form[action="/en/admin/alerts/` + id + `/publish"] button[type=submit]`)
	if got := org.location(); got != "/en/admin/alerts/"+id {
		t.Fatalf("after publish: %q", got)
	}
	if a, err := srv.Store.FindAlert(ctx, id); err != nil || a.State != app.AlertPublished {
		t.Fatalf("alert not published: %v", err)
	}

	// Guest: the banner, the lesson, right to left, hide.
	g := newBrowser(t, base, "en")
	g.lang = "alert-guest"
	g.do(chromedp.Navigate(base + "/en/"))
	banner := `.alert-banner:has(a[href="/en/alerts/` + id + `"])`
	if got := g.text(banner + " .alert-banner-headline"); got != headline {
		t.Fatalf("banner headline %q", got)
	}
	if got := g.text(banner + " .alert-banner-severity"); !strings.EqualFold(got, "Severe") {
		t.Errorf("severity word %q", got)
	}
	g.check("home-banner")
	g.click(banner + " .alert-banner-learn")
	if got := g.location(); got != "/en/courses/emergency-preparedness/lessons/warnings" {
		t.Fatalf("learn what to do went to %q", got)
	}
	if g.count(".prose h2") == 0 {
		t.Fatal("lesson body not rendered")
	}
	g.check("lesson-from-alert")

	g.do(chromedp.Navigate(base + "/ar/"))
	arBanner := `.alert-banner:has(a[href="/ar/alerts/` + id + `"])`
	if dir := g.attrs("html", "dir"); len(dir) != 1 || dir[0] != "rtl" {
		t.Fatalf("html dir %v", dir)
	}
	if got := g.attrs(arBanner+" .alert-banner-headline", "lang"); len(got) != 1 || got[0] != "en" {
		t.Errorf("untranslated headline marked lang %v, want en", got)
	}
	box, tag := g.rect(arBanner), g.rect(arBanner+" .alert-banner-severity")
	if math.Abs(box.Right-tag.Right) > 40 || tag.Left-box.Left < 40 {
		t.Errorf("severity tag at %+v in banner %+v: not set from the right edge", tag, box)
	}
	if w := g.style(arBanner, "border-right-width"); w != "10px" {
		t.Errorf("thick edge on the right is %q, want 10px (border-inline-start)", w)
	}
	g.check("ar-banner")
	g.click(arBanner + " .alert-banner-hide-button")
	if got := g.location(); got != "/ar/" {
		t.Fatalf("hide went to %q", got)
	}
	if g.count(`.alert-banner-details[href="/ar/alerts/`+id+`"]`) != 0 {
		t.Fatal("hidden alert still in the banner")
	}
	g.do(chromedp.Navigate(base + "/en/courses"))
	if g.count(`.alert-banner-details[href="/en/alerts/`+id+`"]`) != 0 {
		t.Fatal("hidden alert shows again in another language")
	}
	g.do(chromedp.Navigate(base + "/en/alerts"))
	if g.count(`.alert-item-title a[href="/en/alerts/`+id+`"]`) != 1 {
		t.Fatal("hidden alert missing from the alerts page")
	}
	g.check("alerts")
	g.click(`.alert-item-title a[href="/en/alerts/` + id + `"]`)
	if got := g.text("h1"); got != headline {
		t.Fatalf("alert page headline %q", got)
	}
	g.check("alert-page")
}
