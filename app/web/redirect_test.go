package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestLoginNextHeaderInjection: a next parameter carrying a line break or
// a tab cannot write headers nor leave the site after sign-in.
func TestLoginNextHeaderInjection(t *testing.T) {
	srv := MustOpenServer(t)
	srv.signedIn(t, "next@example.org") // creates the account
	for _, next := range []string{
		"/x\r\nSet-Cookie:evil=1",   // sent as /x%0D%0ASet-Cookie:evil=1
		"/x%0d%0aSet-Cookie:evil=1", // sent as /x%250d%250a…: decoded once more by a careless reader
		"/\t/evil.example",
		"/%09/evil.example",
		"/\\evil.example",
		"//evil.example",
	} {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			c := srv.client(t)
			page := c.get("/en/login?next=" + url.QueryEscape(next))
			c.mustStatus(page, 200)
			if v := page.Doc.Find(`form[action="/en/login"] input[name=next]`).AttrOr("value", ""); v != "" {
				t.Errorf("login form keeps next=%q", v)
			}
			r := c.postForm(page, "/en/login", url.Values{"email": {"next@example.org"}, "password": {"a test password"}, "next": {next}})
			c.mustStatus(r, 303)
			if r.Location != "/en/me" {
				t.Errorf("Location = %q, want /en/me", r.Location)
			}
			for _, sc := range r.Header.Values("Set-Cookie") {
				if strings.HasPrefix(sc, "evil") {
					t.Errorf("injected cookie: %q", sc)
				}
			}
			if _, ok := c.cookies["evil"]; ok {
				t.Error("the browser stored the injected cookie")
			}
		})
	}
	t.Run("SafePathKept", func(t *testing.T) {
		c := srv.client(t)
		page := c.get("/en/login")
		r := c.postForm(page, "/en/login", url.Values{"email": {"next@example.org"}, "password": {"a test password"}, "next": {"/en/courses?q=été"}})
		c.mustStatus(r, 303)
		if r.Location != "/en/courses?q=%C3%A9t%C3%A9" {
			t.Errorf("Location = %q, want the re-encoded path", r.Location)
		}
	})
}
