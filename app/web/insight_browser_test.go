package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/testenv"
	"beacon/app/web"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// TestBrowser_InsightJourney is #13's "done when": on a fresh database
// with demo data, an educator and an organizer do their insight work in
// Chromium with JavaScript off, in English and Arabic, at desktop and
// phone widths. The educator sees what is due for review, which question
// misleads people and which lesson readers found less useful, and opens
// the one translation editor; the organizer reads the dashboard's charts
// and map, opens a figure's definition in one click, reads the close-out
// report (funnel chart, map, regions table with its count column, goal
// beside the funnel), goes from the campaign to its course's item
// analysis, saves the campaign form unchanged and opens its translation.
// Every page is axe-checked (WCAG 2.2 AA), and on phones no page scrolls
// sideways.
func TestBrowser_InsightJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	t.Setenv("BEACON_BENCH_DIR", t.TempDir()) // a fresh demo database for this test alone
	// Mid-September 2027: the seed courses cyber-hygiene and
	// personal-data-protection are due for review on 30 September, and the
	// demo campaign (April 2027) is over, so its report is final.
	now := time.Date(2027, 9, 15, 9, 0, 0, 0, time.UTC)
	srv := mustOpenServerOn(t, testenv.DemoStore(t, 2000), func(o *web.Options) { o.Clock = func() time.Time { return now } })
	cp := demoCampaign(t, srv)
	ctx := context.Background()
	for _, u := range []struct{ email, role string }{{"insight-educator@example.org", app.RoleEducator}, {"insight-organizer@example.org", app.RoleOrganizer}} {
		hash, _ := argon2id.CreateHash("an insightful password", argon2id.DefaultParams)
		if err := srv.Store.CreateUser(ctx, &app.User{Email: u.email, DisplayName: u.role, PasswordHash: hash, Roles: []string{u.role}, Locale: "en"}); err != nil {
			t.Fatal(err)
		}
	}
	base := srv.listen(t)
	for _, lang := range []string{"en", "ar"} {
		for _, phone := range []bool{false, true} {
			name := lang + "-desktop"
			if phone {
				name = lang + "-phone"
			}
			t.Run(name, func(t *testing.T) {
				open := func(role string) *browser {
					b := newBrowser(t, base, lang)
					b.lang = "insight-" + name + "-" + role
					b.signIn("insight-"+role+"@example.org", "an insightful password")
					if phone {
						b.phone()
					}
					return b
				}
				// visit opens path, checks that it is where it should be,
				// runs axe (saving a screenshot) and, on a phone, that the
				// page does not scroll sideways.
				visit := func(b *browser, shot, path string) {
					t.Helper()
					resp, err := chromedp.RunResponse(b.ctx, chromedp.Navigate(base+path))
					if err != nil {
						t.Fatalf("open %s: %v", path, err)
					}
					if resp.Status != 200 {
						t.Fatalf("%s answered %d", path, resp.Status)
					}
					b.seen(shot, path, phone)
				}
				educatorJourney(t, open("educator"), lang, visit)
				organizerJourney(t, open("organizer"), lang, cp, srv.Bundle.Localizer(lang).T("admin.campaigns.saved", nil), visit)
			})
		}
	}
}

// seen checks the page the browser is on: at want, axe-clean, and on a
// phone no wider than the screen.
func (b *browser) seen(shot, want string, phone bool) {
	b.t.Helper()
	if got := b.location(); got != want {
		b.t.Fatalf("ended at %s, want %s", got, want)
	}
	if b.count("h1") != 1 {
		b.t.Errorf("%s: %d h1", want, b.count("h1"))
	}
	b.check(shot)
	if phone {
		b.fitsWidth(shot)
	}
}

func educatorJourney(t *testing.T, b *browser, lang string, visit func(*browser, string, string)) {
	t.Helper()
	admin := "/" + lang + "/admin"
	// Due for review, on the admin home.
	visit(b, "home", admin+"/")
	due := b.attrs("#due-list tbody tr", "data-course")
	if strings.Join(due, ",") != "cyber-hygiene,personal-data-protection" {
		t.Errorf("due for review: %v", due)
	}
	// From the due list to the course's settings, in one click.
	b.click(`#due-list tr[data-course="cyber-hygiene"] a[href$="/settings"]`)
	b.seen("settings", admin+"/courses/cyber-hygiene/settings", false)

	// Item analysis: the seed quiz's misleading first question is flagged.
	visit(b, "items", admin+"/courses/cyber-hygiene/items")
	if b.count("li.item") < 3 {
		t.Errorf("item analysis lists %d questions", b.count("li.item"))
	}
	if b.count("li.item .tag-warning") == 0 {
		t.Error("no question is flagged on the demo site")
	}
	if b.count(`a[href*="/items.csv"]`) != 1 {
		t.Error("no CSV of the item analysis")
	}

	// What readers think: per lesson and language, with a CSV.
	visit(b, "feedback", admin+"/courses/cyber-hygiene/feedback")
	if n := b.count("#feedback tbody tr"); n < 2 {
		t.Errorf("feedback table has %d rows", n)
	}
	if b.count("a.feedback-csv") != 1 {
		t.Error("no feedback CSV link")
	}

	// The one translation editor, filtered to what needs work.
	to := map[string]string{"en": "fr", "ar": "es"}[lang]
	visit(b, "translate", admin+"/courses/cyber-hygiene/translations/"+to)
	if b.count(".translate-row") == 0 || b.count(".translate-row .source-text") != b.count(".translate-row") {
		t.Error("the translation editor shows no source beside its fields")
	}
}

func organizerJourney(t *testing.T, b *browser, lang string, cp *app.Campaign, saved string, visit func(*browser, string, string)) {
	t.Helper()
	admin := "/" + lang + "/admin"
	camp := admin + "/campaigns/" + cp.Slug

	// The campaign dashboard: charts with summaries, the map, the tables.
	visit(b, "campaign-stats", camp+"/stats")
	if n := b.count("svg.chart"); n < 3 {
		t.Errorf("dashboard draws %d charts", n)
	}
	if b.count(".chart-summary") < b.count("svg.chart") {
		t.Error("a chart without its summary in words")
	}
	if b.count(".choropleth-map path") == 0 {
		t.Error("no participation map")
	}
	if b.count(".chart-tick") == 0 {
		t.Error("charts without a value axis")
	}
	// A figure's definition is one click away.
	b.click(`.stats-figure a[href*="/admin/stats/definitions#"]`)
	if got := b.location(); !strings.HasPrefix(got, admin+"/stats/definitions#") {
		t.Fatalf("definition link went to %s", got)
	}
	_, anchor, _ := strings.Cut(b.location(), "#")
	if b.count("#"+anchor) != 1 {
		t.Errorf("definitions page has no #%s", anchor)
	}
	b.check("definitions")

	// The close-out report.
	visit(b, "report", camp+"/report")
	if b.count(".report-final") != 1 {
		t.Error("the report of a finished campaign is not final")
	}
	for _, sel := range []string{"#chart-campaign-funnel-title", ".choropleth-map", "a.report-zip", ".report-table-csv a"} {
		if b.count(sel) == 0 {
			t.Errorf("report lacks %s", sel)
		}
	}
	if n := b.count("table.campaign-board thead th"); n != 4 {
		t.Errorf("regions table has %d columns, want region, count, completed, share", n)
	}

	// From the campaign to its course's item analysis.
	visit(b, "campaign", camp)
	if b.count("a.campaign-items-link") == 0 {
		t.Fatal("no item analysis link on the campaign")
	}
	b.click("a.campaign-items-link")
	if got := b.location(); !strings.HasSuffix(got, "/items") {
		t.Fatalf("item analysis link went to %s", got)
	}
	if n := b.count(`.breadcrumbs a[href="` + admin + `/courses"]`); n != 0 {
		t.Error("an organizer's breadcrumbs lead to the course list they may not open")
	}
	b.check("campaign-items")

	// The campaign form saves unchanged: what imports also saves.
	visit(b, "campaign-edit", camp+"/edit")
	b.click(`form[action="` + camp + `/edit"] button[type=submit]`)
	if got := b.location(); got != camp {
		t.Fatalf("saving the campaign unchanged ended at %s (errors: %q)", got, b.textOr(".error-summary"))
	}
	if got := b.textOr(".notification-success"); got != saved {
		t.Errorf("after saving unchanged the page says %q, want %q", got, saved)
	}
	b.check("campaign-saved")

	// The campaign's translation, in the same editor as courses.
	to := map[string]string{"en": "fr", "ar": "es"}[lang]
	visit(b, "campaign-translate", camp+"/translate/"+to)
	if b.count(".translate-row") == 0 {
		t.Error("the campaign translation shows no rows")
	}
}

// textOr is the text of the first element sel matches, or "" when none does.
func (b *browser) textOr(sel string) string {
	b.t.Helper()
	if b.count(sel) == 0 {
		return ""
	}
	return b.text(sel)
}
