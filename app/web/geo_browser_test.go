package web_test

import (
	"context"
	"strings"
	"testing"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// TestRegionBoundaryBrowser: in Chromium with JavaScript off, in English
// and Arabic, an administrator pastes a GeoJSON Feature that is not valid
// into the new-region form, reads the error, pastes a good one with a
// geocode and saves; every page is axe-clean.
func TestRegionBoundaryBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	hash, _ := argon2id.CreateHash("a browser password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(context.Background(), &app.User{Email: "geo-browser@example.org", DisplayName: "Admin", PasswordHash: hash,
		Roles: []string{app.RoleAdministrator}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	open := `{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[10.3,50.1],[10.35,50.1],[10.35,50.12]]]}}`
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			b := newBrowser(t, base, lang)
			b.lang = "geo-" + lang
			b.signIn("geo-browser@example.org", "a browser password")
			form := "/" + lang + "/admin/regions/new"
			b.do(chromedp.Navigate(base + form + "?parent=east"))
			b.check("region-new")
			code := "east-docks-" + lang
			b.fill("#code", code)
			b.fill("#name-en", "Docks")
			b.fill("#boundary", open)
			b.fill("#geocode_name-0", "XX-LAU")
			b.fill("#geocode_value-0", "0303")
			b.click(`form[action="` + form + `"] button[type=submit]`)
			l := srv.Bundle.Localizer(lang)
			if got, want := b.text("#boundary-error"), l.T("admin.regions.error.boundary_ring_short", nil); !strings.Contains(got, want) {
				t.Fatalf("error %q, want %q", got, want)
			}
			b.check("region-boundary-error")
			if _, err := srv.Store.FindRegion(context.Background(), code); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("a refused form saved the region: %v", err)
			}
			feature := `{"type":"Feature","properties":{"name":"Docks"},"geometry":{"type":"Polygon","coordinates":[[[10.3,50.1],[10.35,50.1],[10.35,50.12],[10.3,50.1]]]}}`
			b.do(chromedp.Clear(chromedp.CSS("#boundary")))
			b.fill("#boundary", feature)
			b.click(`form[action="` + form + `"] button[type=submit]`)
			b.waitLocation("/" + lang + "/admin/regions")
			b.check("regions-saved")
			r, err := srv.Store.FindRegion(context.Background(), code)
			if err != nil {
				t.Fatal(err)
			}
			if r.Boundary == nil || len(r.Boundary.Polygons[0][0]) != 4 || r.ParentCode != "east" || len(r.Geocodes) != 1 || r.Geocodes[0].Value != "0303" {
				t.Fatalf("saved %+v", r)
			}
			b.do(chromedp.Navigate(base + "/" + lang + "/admin/regions/" + code))
			b.check("region-edit")
			shown, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#boundary")))
			if err != nil || !strings.Contains(shown, "10.35") {
				t.Errorf("the edit form does not show the boundary: %q %v", shown, err)
			}
		})
	}
}
