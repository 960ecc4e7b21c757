package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"beacon/app/web"
)

// TestSecurityHeaders_EveryKindOfResponse checks the headers ASVS 14.4 asks
// for on each kind of answer Beacon gives (a shared page, a private page,
// a 404, a static asset, a CAP document, a feed, the visit pixel): a CSP
// without inline or eval script that forbids framing, nosniff, DENY,
// a referrer policy, a permissions policy, a charset on text, and no
// header naming the server software. Over HTTPS (a trusted proxy's word)
// HSTS is sent too. Every cookie Beacon sets, the session's included, is
// HttpOnly and SameSite=Lax (ASVS 3.4.2, 3.4.3).
func TestSecurityHeaders_EveryKindOfResponse(t *testing.T) {
	srv := MustOpenServer(t, func(o *web.Options) { o.TrustedProxies = testPeer })
	c := srv.client(t)
	// Behind a TLS proxy every request says https; the page cache keeps the
	// headers of the render, so mixing schemes would test the cache instead.
	https := map[string]string{"X-Forwarded-Proto": "https"}
	home := c.getWith("/en/", https)
	c.mustStatus(home, 200)
	css := home.Doc.Find(`link[rel=stylesheet]`).AttrOr("href", "")
	paths := map[string]int{"/en/": 200, "/en/login": 200, "/en/no-such-page": 404, css: 200,
		"/alerts/drill-2026-emergency-warnings.cap": 200, "/feeds/alerts.atom": 200, "/visit.gif?l=en": 200}
	for p, status := range paths {
		t.Run(p, func(t *testing.T) {
			r := c.getWith(p, https)
			c.mustStatus(r, status)
			h := r.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows inline or eval script", csp)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
				"Referrer-Policy": "strict-origin-when-cross-origin"} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
				t.Errorf("Permissions-Policy %q", pp)
			}
			if hsts := h.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=31536000") {
				t.Errorf("over HTTPS, Strict-Transport-Security = %q", hsts)
			}
			for _, k := range []string{"Server", "X-Powered-By"} {
				if v := h.Get(k); v != "" {
					t.Errorf("%s: %q names the software", k, v)
				}
			}
			if ct := h.Get("Content-Type"); ct == "" || (strings.HasPrefix(ct, "text/html") && !strings.Contains(ct, "charset=utf-8")) {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}

	t.Run("Cookies", func(t *testing.T) {
		srv.signedIn(t, "headers@example.org")
		form := url.Values{"email": {"headers@example.org"}, "password": {"a test password"}}
		var set []*http.Cookie
		for _, req := range []*http.Request{httptest.NewRequest("GET", "/visit.gif?l=en", nil),
			httptest.NewRequest("POST", "/en/login", strings.NewReader(form.Encode()))} {
			if req.Method == "POST" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			set = append(set, resp.Cookies()...)
		}
		names := map[string]bool{}
		for _, ck := range set {
			names[ck.Name] = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie %s: HttpOnly %v, SameSite %v; want HttpOnly, Lax", ck.Name, ck.HttpOnly, ck.SameSite)
			}
		}
		if !names["beacon_session"] {
			t.Fatalf("signing in set no session cookie (got %v)", names)
		}
	})
}
