package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// areaLeft is the left edge, in CSS pixels, of the map area whose tooltip
// starts with name.
func (b *browser) areaLeft(name string) float64 {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`[...document.querySelectorAll("svg.choropleth-map path.map-area")]
  .find(p => p.querySelector("title").textContent.startsWith(`+jsString(name)+`)).getBoundingClientRect().left`))
	if err != nil {
		b.t.Fatalf("area %s: %v", name, err)
	}
	return v
}

// TestParticipationMapBrowser: an organizer reads the participation map
// on the site dashboard and the close-out report, in English and Arabic,
// on a desktop (1280 px) and a phone (390 px), JavaScript off, axe clean.
// The legend follows the writing direction (beside the map on the right in
// English, on the left in Arabic, under it on a phone); the map is
// geography and never mirrors (Riverside stays west of Hillside).
func TestParticipationMapBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	mapScenario(t, srv, "map-browser")
	hash, _ := argon2id.CreateHash("a mapping password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(context.Background(), &app.User{Email: "map-organizer@example.org", DisplayName: "Organizer",
		PasswordHash: hash, Roles: []string{app.RoleOrganizer}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ar"} {
		b := newBrowser(t, base, lang)
		b.lang = "map-" + lang
		b.signIn("map-organizer@example.org", "a mapping password")
		for _, width := range []int64{1280, 390} {
			w := strconv.FormatInt(width, 10)
			b.do(chromedp.EmulateViewport(width, 900))
			for _, page := range []struct{ name, path, id string }{
				{"stats", "/" + lang + "/admin/stats", "#map-region"},
				{"report", "/" + lang + "/admin/campaigns/map-browser/report", "#map-report-region"},
			} {
				b.do(chromedp.Navigate(base + page.path))
				b.check(page.name + "-" + w)
				if n := b.count(page.id + " svg.choropleth-map path.map-area"); n != 7 {
					t.Errorf("%s %s %s: %d areas, want 7", lang, w, page.name, n)
				}
				svg, legend := b.rect(page.id+" svg.choropleth-map"), b.rect(page.id+" .map-legend")
				if b.shot != "" {
					// The map alone, to look at beside the whole page.
					if png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(page.id))); err == nil {
						_ = os.WriteFile(filepath.Join(b.shot, b.lang+"-"+page.name+"-"+w+"-map.png"), png, 0o644)
					}
				}
				if svg.Width < 250 || svg.Right > float64(width) {
					t.Errorf("%s %s %s: map box %+v", lang, w, page.name, svg)
				}
				switch {
				case width == 390:
					if legend.Top <= svg.Top {
						t.Errorf("%s phone %s: legend %+v not under the map %+v", lang, page.name, legend, svg)
					}
				case lang == "ar":
					if legend.Right > svg.Left {
						t.Errorf("ar desktop %s: legend %+v not left of the map %+v", page.name, legend, svg)
					}
				default:
					if legend.Left < svg.Right {
						t.Errorf("en desktop %s: legend %+v not right of the map %+v", page.name, legend, svg)
					}
				}
				if r, h := b.areaLeft("Riverside"), b.areaLeft("Hillside"); r >= h {
					t.Errorf("%s %s %s: the map is mirrored (Riverside at %.0f, Hillside at %.0f)", lang, w, page.name, r, h)
				}
			}
		}
	}
}
