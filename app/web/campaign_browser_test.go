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

// TestBrowser_CampaignJourney: an organizer creates a campaign and a
// channel; a guest arrives through the channel's link and joins — in
// Chromium with JavaScript off, axe-checked.
func TestBrowser_CampaignJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	hash, _ := argon2id.CreateHash("an organizing password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(context.Background(), &app.User{Email: "organizer@example.org", DisplayName: "Organizer",
		PasswordHash: hash, Roles: []string{app.RoleOrganizer}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, base, "en")
	b.lang = "campaign-en"
	b.signIn("organizer@example.org", "an organizing password")
	b.do(chromedp.Navigate(base + "/en/admin/campaigns"))
	b.check("campaigns")
	b.click(`a[href="/en/admin/campaigns/new"]`)
	b.check("campaign-new")
	// Submitting empty shows the errors.
	b.click(`form[action="/en/admin/campaigns/new"] button[type=submit]`)
	if b.count(".error-summary li") < 2 {
		t.Fatal("empty campaign form shows no errors")
	}
	b.check("campaign-errors")
	b.fill("#slug", "fire-safety-week")
	b.fill("#title", "Fire safety week")
	b.fill("#description", "Learn what to do before a fire starts.")
	loc := time.UTC
	start := time.Now().In(loc).Add(-time.Hour)
	b.do(chromedp.SetValue(chromedp.CSS("#starts"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#ends"), start.Add(7*24*time.Hour).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#time_zone"), "UTC"))
	b.do(chromedp.Click(chromedp.CSS("#course-emergency-preparedness")))
	b.click(`form[action="/en/admin/campaigns/new"] button[type=submit]`)
	if got := b.location(); got != "/en/admin/campaigns/fire-safety-week" {
		t.Fatalf("after create: %q", got)
	}
	b.check("campaign-admin")
	b.fill("#channel-name", "School talks")
	b.click(`form[action="/en/admin/campaigns/fire-safety-week/channels"] button[type=submit]`)
	if !strings.HasPrefix(b.location(), "/en/admin/campaigns/fire-safety-week/channels/") {
		t.Fatalf("after adding a channel: %q", b.location())
	}
	b.check("channel")
	link := b.text(".channel-link")
	code := link[strings.LastIndex(link, "/")+1:]

	// The guest, in Chinese, scans the poster.
	g := newBrowser(t, base, "zh-CN,zh")
	g.lang = "campaign-guest"
	g.do(chromedp.Navigate(base + "/c/" + code))
	if got := g.location(); got != "/zh-Hans/campaigns/fire-safety-week" {
		t.Fatalf("link went to %q", got)
	}
	g.check("landing")
	g.click(`form.campaign-join button[type=submit]`)
	if g.count(".campaign-joined") != 1 {
		t.Fatal("the page does not say the guest joined")
	}
	g.check("joined")
	cp, err := srv.Store.FindCampaign(context.Background(), "fire-safety-week")
	if err != nil {
		t.Fatal(err)
	}
	chans, _ := srv.Store.Channels(context.Background(), cp.ID)
	if len(chans) != 1 || chans[0].Participants != 1 {
		t.Fatalf("channel %+v", chans)
	}
	g.do(chromedp.Navigate(base + "/zh-Hans/campaigns"))
	g.check("campaigns-index")
}
