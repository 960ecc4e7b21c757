package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/cli"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// sweepDemoLearners is how many demo learners the sweeps load: enough that
// charts and tables show figures past small-group suppression, few enough
// that the data is written in a second or two.
const sweepDemoLearners = 500

// TestBrowser_AdminSweep opens every admin page (every GET route of the
// admin area) as an administrator in Chromium, in every locale, on a site
// with demo data, and runs axe-core on each: the whole admin area meets
// WCAG 2.1 A/AA and 2.2 AA (target size), not only the pages of the
// journeys, with charts and tables holding figures.
func TestBrowser_AdminSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("browser sweep skipped in -short mode")
	}
	t.Parallel() // with the other sweep and Lighthouse, while each waits on Chromium
	srv, base, pages := sweepSite(t)
	for _, lang := range srv.Bundle.Locales() {
		t.Run(lang, func(t *testing.T) {
			sweep(t, base, pages, lang, false)
		})
	}
}

// TestBrowser_AdminSweepPhone opens every admin page at phone size
// (390×844, a touch screen) in English and Arabic on a site with demo data:
// axe finds nothing and no page scrolls sideways as a whole (wide tables
// scroll inside their own box).
func TestBrowser_AdminSweepPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser sweep skipped in -short mode")
	}
	t.Parallel()
	_, base, pages := sweepSite(t)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			sweep(t, base, pages, lang, true)
		})
	}
}

// sweepSite serves a seeded site with demo learners and the sweep's
// administrator, and returns it with its base URL and admin pages.
func sweepSite(t *testing.T) (*testServer, string, []string) {
	t.Helper()
	srv := MustOpenServer(t)
	if err := cli.GenerateDemo(context.Background(), srv.Store, sweepDemoLearners, 1, nil); err != nil {
		t.Fatal(err)
	}
	base := srv.listen(t)
	pages := adminPages(t, srv, "sweep@example.org", "a sweeping password")
	return srv, base, pages
}

// sweep signs the administrator in and checks every page in lang: axe,
// one h1, sized inputs as wide as their values; phone sweeps also prove
// the page fits the screen's width.
func sweep(t *testing.T, base string, pages []string, lang string, phone bool) {
	t.Helper()
	b := newBrowser(t, base, "en")
	b.lang = "sweep-" + lang
	if phone {
		b.phone()
		b.lang = "phone-" + lang
	}
	b.signIn("sweep@example.org", "a sweeping password")
	for _, p := range pages {
		path := strings.Replace(p, ":lang", lang, 1)
		b.do(chromedp.Navigate(base + path))
		if got := b.location(); !strings.HasPrefix(got, "/"+lang+"/admin") {
			t.Fatalf("%s ended at %s", path, got)
		}
		if n := b.count("h1"); n != 1 {
			t.Errorf("%s has %d h1", path, n)
		}
		if phone {
			b.fitsWidth(path)
		}
		b.inputsFit(path)
		b.check(strings.NewReplacer("/", "_", ":", "").Replace(strings.TrimPrefix(path, "/"+lang+"/admin")))
	}
}

// adminPages gives the administrator email (with password) something in
// every state (a draft in review, an organization, an image) and returns
// the path of every admin page (GET routes but downloads), with ":lang"
// left for the caller.
func adminPages(t *testing.T, srv *testServer, email, password string) []string {
	t.Helper()
	ctx := context.Background()
	hash, _ := argon2id.CreateHash(password, argon2id.DefaultParams)
	admin := &app.User{Email: email, DisplayName: "Sweep", PasswordHash: hash, Roles: []string{app.RoleAdministrator}, Locale: "en"}
	if err := srv.Store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	pc := srv.course(t, "cyber-hygiene")
	author := srv.signedInUser(t, "sweep-author@example.org", app.RoleEducator)
	if err := srv.Store.EditDraft(ctx, author, pc.Slug, "lesson:update", func(c *app.Course) error {
		c.Lessons[0].Body["en"] += "\n\nOne more line."
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.SubmitForReview(ctx, author, pc.Slug); err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.CreateOrganization(ctx, admin, &app.Organization{Code: "city-school", Name: app.Text{"en": "City school", "zh-Hans": "市立学校"}}); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	if _, err := srv.Store.CreateMedia(ctx, admin, "dot.png", "image/png", buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	ch, err := srv.Store.CreateChannel(ctx, admin, "security-education-day-2027", "Sweep flyers", campaign.NewCode)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Minute)
	alert := &app.Alert{Identifier: "sweep-alert", SourceLocale: "en", Status: "Actual", MsgType: "Alert", Scope: "Public",
		Categories: []string{"Safety"}, Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
		Event: app.Text{"en": "Sweep"}, Headline: app.Text{"en": "A draft alert for the sweep"}, Effective: now, Expires: now.Add(24 * time.Hour),
		Lesson: &app.AlertLesson{Course: pc.Slug, Lesson: pc.Lessons[0].Slug}}
	if err := srv.Store.CreateAlert(ctx, admin, alert); err != nil {
		t.Fatal(err)
	}
	params := strings.NewReplacer(":course", pc.Slug, ":lesson", pc.Lessons[0].Slug, ":question", pc.Quiz.Questions[0].ID,
		":locale", "zh-Hans", ":identifier", alert.Identifier, ":id", "1", ":code", "north", ":name", "dot.png", ":number", "1", ":slug", "security-education-day-2027")
	var pages []string
	for _, r := range srv.Routes() {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/:lang/admin") || strings.HasSuffix(r.Path, ".zip") || strings.HasSuffix(r.Path, ".csv") ||
			strings.HasSuffix(r.Path, ".png") || strings.HasSuffix(r.Path, ".svg") { // downloads
			continue
		}
		p := params.Replace(r.Path)
		p = strings.Replace(p, "/organizations/north", "/organizations/city-school", 1)
		p = strings.Replace(p, "/channels/north", "/channels/"+ch.Code, 1)
		pages = append(pages, p)
	}
	return pages
}
