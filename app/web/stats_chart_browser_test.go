package web_test

import (
	"context"
	"fmt"
	"testing"

	"beacon/app"
	"beacon/app/testenv"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// TestStatsChartsBrowser opens the statistics dashboard, the close-out
// report, the definitions page and the public results of the demo
// campaign in Chromium with JavaScript off, in English and Arabic, at desktop and phone widths:
// every chart is drawn, mirrored in Arabic, and axe finds nothing.
func TestStatsChartsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	t.Setenv("BEACON_BENCH_DIR", t.TempDir())
	srv := mustOpenServerOn(t, testenv.DemoStore(t, 2000))
	cp := demoCampaign(t, srv)
	hash, _ := argon2id.CreateHash("a charting password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(context.Background(), &app.User{Email: "charts@example.org", DisplayName: "Charts",
		PasswordHash: hash, Roles: []string{app.RoleOrganizer}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.SetCampaignResults(context.Background(), srv.signedInUser(t, "charts-publisher@example.org", app.RoleOrganizer), cp.Slug, true); err != nil {
		t.Fatal(err)
	}
	base := srv.listen(t)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			b := newBrowser(t, base, lang)
			b.lang = "charts-" + lang
			b.signIn("charts@example.org", "a charting password")
			for _, width := range []int64{1280, 390} {
				b.do(chromedp.EmulateViewport(width, 900))
				for _, p := range []struct{ name, path, chart string }{
					{"stats", "/" + lang + "/admin/campaigns/" + cp.Slug + "/stats", "#chart-daily-title"},
					{"report", "/" + lang + "/admin/campaigns/" + cp.Slug + "/report", "#chart-campaign-funnel-title"},
					{"definitions", "/" + lang + "/admin/stats/definitions", ""},
					{"results", "/" + lang + "/campaigns/" + cp.Slug + "/results", "#chart-campaign-funnel-title"},
				} {
					b.do(chromedp.Navigate(base + p.path))
					if got := b.location(); got != p.path {
						t.Fatalf("%s ended at %s", p.path, got)
					}
					if p.chart != "" {
						if b.count(p.chart) != 1 {
							t.Errorf("%s: no chart %s", p.path, p.chart)
						}
						dirs := b.attrs("svg.chart", "direction")
						want := map[string]string{"en": "ltr", "ar": "rtl"}[lang]
						for _, d := range dirs {
							if d != want {
								t.Errorf("%s: a chart runs %s, want %s", p.path, d, want)
							}
						}
						if b.count(".chart-summary") < b.count("svg.chart") {
							t.Errorf("%s: charts without a summary in words", p.path)
						}
					}
					b.check(fmt.Sprintf("%s-%d", p.name, width))
				}
			}
		})
	}
}
