package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// TestBrowser_AdminSweep opens every admin page (every GET route of the
// admin area) as an administrator in Chromium, in en and zh-Hans, and runs
// axe-core on each: the whole admin area meets WCAG 2.1 A/AA, not only the
// pages of the journeys.
func TestBrowser_AdminSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("browser sweep skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	ctx := context.Background()
	hash, _ := argon2id.CreateHash("a sweeping password", argon2id.DefaultParams)
	admin := &app.User{Email: "sweep@example.org", DisplayName: "Sweep", PasswordHash: hash, Roles: []string{app.RoleAdministrator}, Locale: "en"}
	if err := srv.Store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	// Something in every state: a draft in review, an organization, an image.
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
	params := strings.NewReplacer(":course", pc.Slug, ":lesson", pc.Lessons[0].Slug, ":question", pc.Quiz.Questions[0].ID,
		":locale", "zh-Hans", ":id", "1", ":code", "north", ":name", "dot.png", ":number", "1", ":slug", "security-education-day-2027")
	var pages []string
	for _, r := range srv.Routes() {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/:lang/admin") || strings.HasSuffix(r.Path, ".zip") || strings.HasSuffix(r.Path, ".csv") { // downloads
			continue
		}
		p := params.Replace(r.Path)
		if strings.Contains(p, "/organizations/north") {
			p = strings.Replace(p, "/organizations/north", "/organizations/city-school", 1)
		}
		pages = append(pages, p)
	}
	for _, lang := range []string{"en", "zh-Hans"} {
		t.Run(lang, func(t *testing.T) {
			b := newBrowser(t, base, "en")
			b.lang = "sweep-" + lang
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
				b.check(strings.NewReplacer("/", "_", ":", "").Replace(strings.TrimPrefix(path, "/"+lang+"/admin")))
			}
		})
	}
}
