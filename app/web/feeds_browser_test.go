package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// value reads a form field's current value.
func (b *browser) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// TestCancelAllClearBrowser: an organizer starts a Cancel of a published
// alert, finds the form prefilled with a cancellation text in the alert's
// language (not the alert's words), ticks All clear and sends the Cancel
// to review (four-eyes on) — in Chromium with JavaScript off, axe-checked,
// in English and in Arabic (an alert written in Arabic, pages right to left).
func TestCancelAllClearBrowser(t *testing.T) {
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
	srv.publishAlert(t, alertFixture("flood-en"))
	srv.publishAlert(t, alertFixture("flood-ar", func(a *app.Alert) {
		a.SourceLocale = "ar"
		a.Event = app.Text{"ar": "فيضان"}
		a.Headline = app.Text{"ar": "فيضان في الحي الشمالي: ابقوا في منازلكم"}
		a.Description = app.Text{"ar": "النهر يرتفع بسرعة."}
		a.Instruction = app.Text{"ar": "انتقلوا إلى مكان مرتفع."}
	}))
	org := newBrowser(t, base, "en")
	org.lang = "cancel-organizer"
	org.signIn("organizer@example.org", "a browser password")
	for _, tc := range []struct{ lang, id, headline, description, oldWords string }{
		{"en", "flood-en", "Cancelled: Headline of flood-en", "This warning has been withdrawn.", "bank"},
		{"ar", "flood-ar", "أُلغي: فيضان في الحي الشمالي: ابقوا في منازلكم", "سُحب هذا التحذير.", "النهر"},
	} {
		admin := "/" + tc.lang + "/admin/alerts/"
		org.do(chromedp.Navigate(base + admin + tc.id))
		org.check(tc.lang + "-alert-admin")
		org.click(`form[action="` + admin + tc.id + `/cancel"] button[type=submit]`)
		if got := org.location(); got != admin+tc.id+"-cancel/edit" {
			t.Fatalf("%s: starting the cancel went to %q", tc.lang, got)
		}
		if tc.lang == "ar" {
			if dir := org.attrs("html", "dir"); len(dir) != 1 || dir[0] != "rtl" {
				t.Errorf("ar form html dir %v", dir)
			}
		}
		if got := org.value("#headline"); got != tc.headline {
			t.Errorf("%s: prefilled headline %q, want %q", tc.lang, got, tc.headline)
		}
		if got := org.value("#description"); got != tc.description {
			t.Errorf("%s: prefilled description %q, want %q", tc.lang, got, tc.description)
		}
		if got := org.value("#instruction"); got == "" || strings.Contains(got, tc.oldWords) {
			t.Errorf("%s: prefilled instruction %q", tc.lang, got)
		}
		if org.count("#new-message-note") != 1 {
			t.Errorf("%s: the form does not say it writes a new message", tc.lang)
		}
		org.check(tc.lang + "-cancel-form")
		org.do(chromedp.Click(chromedp.CSS("#all_clear")))
		org.click(`form[action="` + admin + tc.id + `-cancel/edit"] button[type=submit]`)
		if got := org.location(); got != admin+tc.id+"-cancel" {
			t.Fatalf("%s: saving the cancel went to %q", tc.lang, got)
		}
		if org.count(".meta .alert-all-clear") != 1 {
			t.Errorf("%s: the cancel's page does not say all clear", tc.lang)
		}
		org.check(tc.lang + "-cancel-admin")
		org.click(`form[action="` + admin + tc.id + `-cancel/submit"] button[type=submit]`)
		if got := org.location(); got != admin+tc.id+"-cancel" {
			t.Fatalf("%s: sending to review went to %q", tc.lang, got)
		}
		org.check(tc.lang + "-cancel-in-review")
		a, err := srv.Store.FindAlert(ctx, tc.id+"-cancel")
		if err != nil {
			t.Fatal(err)
		}
		if a.State != app.AlertInReview || !a.AllClear || a.MsgType != "Cancel" || a.Headline[a.SourceLocale] != tc.headline {
			t.Errorf("%s: stored cancel state %s all clear %v type %s headline %q", tc.lang, a.State, a.AllClear, a.MsgType, a.Headline[a.SourceLocale])
		}
	}

	// A second organizer publishes both; a guest reads the cancelled alerts.
	for _, id := range []string{"flood-en-cancel", "flood-ar-cancel"} {
		if err := srv.Store.PublishAlert(ctx, srv.organizer(t), id, true, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	srv.InvalidateAlerts()
	g := newBrowser(t, base, "ar")
	g.lang = "cancel-guest"
	for _, tc := range []struct{ lang, id, heading string }{
		{"en", "flood-en", "This alert has been cancelled: all clear"},
		{"ar", "flood-ar", "أُلغي هذا التنبيه: زال الخطر"},
	} {
		g.do(chromedp.Navigate(base + "/" + tc.lang + "/alerts/" + tc.id))
		if got := g.text(".alert-cancel-notice h2"); got != tc.heading {
			t.Errorf("%s: cancelled page heading %q", tc.lang, got)
		}
		g.check(tc.lang + "-cancelled-page")
		g.do(chromedp.Navigate(base + "/" + tc.lang + "/alerts/" + tc.id + "-cancel"))
		g.check(tc.lang + "-cancel-page")
	}
}
