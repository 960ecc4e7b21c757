package web_test

import (
	"net/url"
	"strings"
	"testing"

	"beacon/app"
)

// TestSettings_EnabledLocales: turning Chinese off hides it from visitors
// (404, no switcher link, negotiation skips it); turning it on restores it.
func TestSettings_EnabledLocales(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "loc-admin@example.org", app.RoleAdministrator)
	save := func(locales ...string) {
		page := admin.get("/en/admin/settings")
		admin.mustStatus(admin.postForm(page, "/en/admin/settings", url.Values{"four_eyes": {"on"}, "small_group_k": {"5"}, "locales": locales}), 303)
	}
	save("en")
	visitor := srv.client(t)
	visitor.lang = "zh-CN"
	if r := visitor.get("/"); r.Location != "/en/" {
		t.Fatalf("negotiation chose %q with zh-Hans off", r.Location)
	}
	visitor.mustStatus(visitor.get("/zh-Hans/courses"), 404)
	home := visitor.get("/en/")
	if home.Doc.Find(`.lang-switch a[hreflang="zh-Hans"]`).Length() != 0 || strings.Contains(home.Body, `hreflang="zh-Hans"`) {
		t.Fatal("a disabled language is still offered")
	}
	// The default cannot be turned off, and unknown locales are refused.
	page := admin.get("/en/admin/settings")
	r := admin.postForm(page, "/en/admin/settings", url.Values{"four_eyes": {"on"}, "small_group_k": {"5"}, "locales": {"xx"}})
	admin.mustStatus(r, 422)
	save("en", "zh-Hans")
	delete(visitor.cookies, "beacon_locale") // the visitor's earlier choice would win
	if r := visitor.get("/"); r.Location != "/zh-Hans/" {
		t.Fatalf("negotiation chose %q with zh-Hans back on", r.Location)
	}
	visitor.mustStatus(visitor.get("/zh-Hans/courses"), 200)
}
