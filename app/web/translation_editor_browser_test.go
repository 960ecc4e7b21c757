package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// TestTranslationEditorBrowser: in Chromium with JavaScript off, in
// English and Arabic, 1280 and 390 pixels wide, a translator fills a
// course field, a campaign title and an alert headline into Arabic in the
// one editor and saves; every editor page is axe-clean. On the wide
// screen the source sits beside the target (at its right in Arabic), on
// the phone above it.
func TestTranslationEditorBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	ctx := context.Background()
	base := srv.listen(t)
	hash, _ := argon2id.CreateHash("a browser password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(ctx, &app.User{Email: "tr-browser@example.org", DisplayName: "Translator", PasswordHash: hash,
		Roles: []string{app.RoleEducator, app.RoleOrganizer}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	org := srv.signedIn(t, "tr-org@example.org", app.RoleOrganizer)
	newCampaign(t, org, "flood-week", time.Now().Add(-time.Hour), time.Now().Add(72*time.Hour), "emergency-preparedness")
	adminAlertCreate(t, srv, org, adminAlertValidForm("flood-b"))

	for _, lang := range []string{"en", "ar"} {
		for _, width := range []int64{1280, 390} {
			t.Run(fmt.Sprintf("%s-%d", lang, width), func(t *testing.T) {
				b := newBrowser(t, base, lang)
				b.lang = fmt.Sprintf("translate-%s-%d", lang, width)
				b.signIn("tr-browser@example.org", "a browser password")
				b.do(chromedp.EmulateViewport(width, 900))
				tag := fmt.Sprintf(" %s %d", lang, width)

				// translate opens the editor at page, checks it, types value
				// into the field and saves.
				translate := func(name, page, field, value string) {
					t.Helper()
					b.do(chromedp.Navigate(base + page))
					b.check(name)
					if name == "course" {
						editorLayout(t, b, lang, width, field)
					}
					b.do(chromedp.Clear(chromedp.CSS("#" + field)))
					b.fill("#"+field, value+tag)
					b.click(`form[action="` + page + `"] button[type=submit]`)
				}
				course := "/" + lang + "/admin/courses/cyber-hygiene/translations/ar"
				translate("course", course, "f0", "النظافة الرقمية")
				if got := b.attrs(".translate-row", "data-state"); len(got) == 0 || got[0] != app.TranslationUpToDate {
					t.Errorf("course title after saving: %v", got)
				}
				if cs, err := srv.Store.FindCourseState(ctx, "cyber-hygiene"); err != nil || cs.Working().Title["ar"] != "النظافة الرقمية"+tag {
					t.Errorf("course title stored: %v", err)
				}
				translate("campaign", "/"+lang+"/admin/campaigns/flood-week/translate/ar", "title", "أسبوع الفيضانات")
				if cp, err := srv.Store.FindCampaign(ctx, "flood-week"); err != nil || cp.Title["ar"] != "أسبوع الفيضانات"+tag {
					t.Errorf("campaign title stored: %v", err)
				}
				alert := "/" + lang + "/admin/alerts/flood-b/translate/ar"
				translate("alert", alert, "headline", "تحذير من الفيضانات")
				if a, err := srv.Store.FindAlert(ctx, "flood-b"); err != nil || a.Headline["ar"] != "تحذير من الفيضانات"+tag {
					t.Errorf("alert headline stored: %v", err)
				}
				// The needs-work view of the alert: the headline is done.
				b.do(chromedp.Navigate(base + alert + "?show=todo"))
				b.check("alert-todo")
				if n := b.count("#headline"); n != 0 {
					t.Error("the translated headline is still in the needs-work view")
				}
			})
		}
	}
}

// editorLayout checks where the first source text stands against the
// field: beside it on a wide screen (left in English, right in Arabic),
// above it on a phone.
func editorLayout(t *testing.T, b *browser, lang string, width int64, field string) {
	t.Helper()
	src, target := b.rect(".translate-row .source-text"), b.rect("#"+field)
	switch {
	case width >= 1000 && lang == "en" && !(src.Right <= target.Left):
		t.Errorf("wide English: source %+v is not left of the target %+v", src, target)
	case width >= 1000 && lang == "ar" && !(target.Right <= src.Left):
		t.Errorf("wide Arabic: source %+v is not right of the target %+v", src, target)
	case width < 1000 && !(src.Top < target.Top):
		t.Errorf("phone: source %+v is not above the target %+v", src, target)
	}
}
