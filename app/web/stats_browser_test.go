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

// TestBrowser_StatsJourney: an organizer creates a campaign featuring a
// seed course with a channel; a guest follows the channel's link, joins,
// completes every lesson and passes the quiz; the campaign's dashboard
// then shows one completion under that channel — in Chromium with
// JavaScript off, axe-checked.
func TestBrowser_StatsJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	ctx := context.Background()
	// One person is a group big enough to show (small-group protection and
	// noise off).
	exact(t, srv)
	hash, _ := argon2id.CreateHash("an organizing password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(ctx, &app.User{Email: "stats-organizer@example.org", DisplayName: "Organizer",
		PasswordHash: hash, Roles: []string{app.RoleOrganizer}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	pc := srv.course(t, "emergency-preparedness")

	b := newBrowser(t, base, "en")
	b.lang = "stats-en"
	b.signIn("stats-organizer@example.org", "an organizing password")
	b.do(chromedp.Navigate(base + "/en/admin/campaigns/new"))
	b.fill("#slug", "stats-week")
	b.fill("#title", "Preparedness week")
	b.fill("#description", "Get ready before an emergency.")
	start := time.Now().UTC().Add(-time.Hour)
	b.do(chromedp.SetValue(chromedp.CSS("#starts"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#ends"), start.Add(7*24*time.Hour).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#time_zone"), "UTC"))
	b.do(chromedp.Click(chromedp.CSS("#course-" + pc.Slug)))
	b.click(`form[action="/en/admin/campaigns/new"] button[type=submit]`)
	if got := b.location(); got != "/en/admin/campaigns/stats-week" {
		t.Fatalf("after create: %q", got)
	}
	b.fill("#channel-name", "Library posters")
	b.click(`form[action="/en/admin/campaigns/stats-week/channels"] button[type=submit]`)
	link := b.text(".channel-link")
	code := link[strings.LastIndex(link, "/")+1:]
	if code == "" {
		t.Fatal("no channel link")
	}

	// The guest scans the poster, joins, learns and passes.
	g := newBrowser(t, base, "en")
	g.lang = "stats-guest"
	g.do(chromedp.Navigate(base + "/c/" + code))
	if got := g.location(); got != "/en/campaigns/stats-week" {
		t.Fatalf("link went to %q", got)
	}
	g.click(`form.campaign-join button[type=submit]`)
	g.do(chromedp.Navigate(base + "/en/courses/" + pc.Slug))
	g.click(`#lessons-heading ~ p a.button`)
	for i := range pc.Lessons {
		if got := g.location(); got != "/en/courses/"+pc.Slug+"/lessons/"+pc.Lessons[i].Slug {
			t.Fatalf("lesson %d at %q", i+1, got)
		}
		g.click(`.lesson-complete button[type=submit]`)
	}
	g.click(`#quiz-heading ~ p a.button`)
	g.answerRight(pc)
	g.click(`.quiz-form button[type=submit]`)
	if g.count(".result-verdict") != 1 {
		t.Fatal("no quiz result")
	}

	// The organizer opens the campaign's statistics from its page.
	b.do(chromedp.Navigate(base + "/en/admin/campaigns/stats-week"))
	b.click(`a.campaign-stats-link`)
	if got := b.location(); got != "/en/admin/campaigns/stats-week/stats" {
		t.Fatalf("statistics link went to %q", got)
	}
	b.check("stats-campaign")
	if got := b.text(`#by-channel-table tr[data-label="Library posters"] td:nth-of-type(3)`); got != "1" {
		t.Errorf("completions under the channel = %q, want 1", got)
	}
	if got := b.text(`.stats-figure[data-key="completed"] dd`); got != "1" {
		t.Errorf("campaign completions = %q, want 1", got)
	}
	// The site-wide dashboard, too, passes axe.
	b.do(chromedp.Navigate(base + "/en/admin/stats"))
	b.check("stats-site")
	// A filter Beacon does not know is said so, beside the field, never
	// answered with everyone's figures.
	b.do(chromedp.Navigate(base + "/en/admin/stats?who=xyz"))
	if got := b.text("#who-error"); !strings.Contains(got, "Choose whom to count") || b.count(".stats-figure") != 0 {
		t.Errorf("unknown who: error %q, %d figures", got, b.count(".stats-figure"))
	}
	b.check("stats-bad-filter")

	// Close-out: the organizer ends the campaign early and reads the final report.
	b.do(chromedp.Navigate(base + "/en/admin/campaigns/stats-week/close"))
	b.check("campaign-close")
	b.click(`form[action="/en/admin/campaigns/stats-week/close"] button[type=submit]`)
	b.do(chromedp.Navigate(base + "/en/admin/campaigns/stats-week/report"))
	if b.count(".report-final") != 1 {
		t.Fatalf("the report is not final after closing: %s", b.text("main"))
	}
	b.check("campaign-report")
}
