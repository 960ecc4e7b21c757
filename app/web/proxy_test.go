package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"beacon/app/web"
)

// The peer of every app.Test request is 0.0.0.0: tests trust it, or a
// range without it, to play a request from a trusted proxy or from anyone.
var (
	testPeer  = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}
	otherLAN  = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	loopback  = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	listenURL = "http://localhost:8080"
)

// forged are the headers anyone may send to move a site's links elsewhere.
var forged = map[string]string{"Host": "evil.example", "X-Forwarded-Host": "evil.example",
	"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}

// getWith fetches target with extra headers ("Host" sets the Host header).
func (c *client) getWith(target string, hdr map[string]string) *response {
	c.tb.Helper()
	req := httptest.NewRequest("GET", target, nil)
	setHeaders(req, hdr)
	return c.send(req)
}

func setHeaders(req *http.Request, hdr map[string]string) {
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
}

// linkPages publishes an alert and earns a certificate, and returns the
// pages whose absolute links must never follow a forged header: the Atom
// feed, a CAP document, a page with hreflang alternates, an alert page and
// a certificate.
func linkPages(t *testing.T, srv *testServer) []string {
	t.Helper()
	srv.publishAlert(t, alertFixture("proxy-links"))
	c := srv.signedIn(t, "cert@proxy.example.org")
	pc := srv.course(t, "cyber-hygiene")
	c.completeCourse("en", pc)
	cert := c.get("/en/courses/cyber-hygiene").Doc.Find(`a[href^="/certificates/"]`).AttrOr("href", "")
	if cert == "" {
		t.Fatal("no certificate earned")
	}
	return []string{"/feeds/alerts.atom", "/alerts/proxy-links.cap", "/en/courses", "/en/alerts/proxy-links", cert}
}

var absoluteURL = regexp.MustCompile(`https?://[^\s"'<>]+`)

// links lists the absolute URLs of a page that point at the site itself
// (XML namespaces and schema locations left out).
func links(body string) []string {
	var out []string
	for _, u := range absoluteURL.FindAllString(body, -1) {
		if !strings.Contains(u, "www.w3.org/") && !strings.Contains(u, "oasis-open.org/") {
			out = append(out, u)
		}
	}
	return out
}

// TestProxy_LinksIgnoreForgedHeaders: without a trusted proxy, neither a
// forged Host nor X-Forwarded-* moves the links of feeds, CAP documents,
// hreflang alternates or certificates; they follow BEACON_BASE_URL, else
// the listener's address.
func TestProxy_LinksIgnoreForgedHeaders(t *testing.T) {
	tests := []struct {
		name    string
		tune    func(*web.Options)
		headers map[string]string
		want    string // base of every link
	}{
		{name: "no base URL, untrusted peer", tune: func(*web.Options) {}, headers: forged, want: listenURL},
		{name: "peer outside the trusted ranges", tune: func(o *web.Options) { o.TrustedProxies = otherLAN }, headers: forged, want: listenURL},
		{name: "base URL set, untrusted peer", tune: func(o *web.Options) { o.BaseURL = "https://beacon.example.org" }, headers: forged, want: "https://beacon.example.org"},
		{name: "base URL wins over a trusted proxy", tune: func(o *web.Options) { o.BaseURL, o.TrustedProxies = "https://beacon.example.org", testPeer },
			headers: map[string]string{"X-Forwarded-Host": "learn.example.org", "X-Forwarded-Proto": "http"}, want: "https://beacon.example.org"},
		{name: "trusted proxy forwards scheme and host", tune: func(o *web.Options) { o.TrustedProxies = testPeer },
			headers: map[string]string{"Host": "evil.example", "X-Forwarded-Host": "Learn.Example.org:8443", "X-Forwarded-Proto": "https"}, want: "https://learn.example.org:8443"},
		{name: "trusted proxy, last value of a list", tune: func(o *web.Options) { o.TrustedProxies = testPeer },
			headers: map[string]string{"X-Forwarded-Host": "evil.example, learn.example.org", "X-Forwarded-Proto": "http, https"}, want: "https://learn.example.org"},
		{name: "trusted proxy, IPv6 host", tune: func(o *web.Options) { o.TrustedProxies = testPeer },
			headers: map[string]string{"X-Forwarded-Host": "[2001:db8::1]:8080"}, want: "http://[2001:db8::1]:8080"},
		{name: "trusted proxy, no forwarded host", tune: func(o *web.Options) { o.TrustedProxies = testPeer },
			headers: map[string]string{"Host": "evil.example", "X-Forwarded-Proto": "https"}, want: listenURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := MustOpenServer(t, func(o *web.Options) { o.ListenURL = listenURL }, tt.tune)
			c := srv.client(t)
			for _, p := range linkPages(t, srv) {
				r := c.getWith(p, tt.headers)
				c.mustStatus(r, 200)
				got := links(r.Body)
				if len(got) == 0 {
					t.Fatalf("%s has no absolute links", p)
				}
				for _, u := range got {
					if !strings.HasPrefix(u, tt.want+"/") {
						t.Errorf("%s links %s, want it under %s", p, u, tt.want)
					}
				}
				if strings.Contains(r.Body, "evil.example") {
					t.Errorf("%s carries the forged host", p)
				}
			}
		})
	}

	t.Run("bad forwarded hosts fall back to the listener", func(t *testing.T) {
		srv := MustOpenServer(t, func(o *web.Options) { o.ListenURL, o.TrustedProxies = listenURL, testPeer })
		c := srv.client(t)
		pages := linkPages(t, srv)
		for _, host := range []string{"evil.example/x", "user@evil.example", "evil.example:99999", "evil example", `"><script>`,
			"evil.example:80:80", "[::1", ".evil.example", "evil..example", "evil.example:0", "[fe80::1%25eth0]", "evil_example.org"} {
			for _, p := range pages {
				r := c.getWith(p, map[string]string{"X-Forwarded-Host": host, "X-Forwarded-Proto": "javascript"})
				c.mustStatus(r, 200)
				for _, u := range links(r.Body) {
					if !strings.HasPrefix(u, listenURL+"/") {
						t.Errorf("X-Forwarded-Host %q: %s links %s", host, p, u)
					}
				}
			}
		}
	})
}

// TestProxy_RealPeers runs the server on a loopback socket, where the peer
// is 127.0.0.1: trusted, its X-Forwarded-Host makes the links; not
// trusted, the listener's address does.
func TestProxy_RealPeers(t *testing.T) {
	for _, tt := range []struct {
		name    string
		trusted []netip.Prefix
		want    string
	}{
		{"loopback trusted", loopback, "https://learn.example.org/feeds/alerts.atom"},
		{"loopback not trusted", otherLAN, listenURL + "/feeds/alerts.atom"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := MustOpenServer(t, func(o *web.Options) { o.ListenURL, o.TrustedProxies = listenURL, tt.trusted })
			base := srv.listen(t)
			req, err := http.NewRequest("GET", base+"/feeds/alerts.atom", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = "evil.example"
			req.Header.Set("X-Forwarded-Host", "learn.example.org")
			req.Header.Set("X-Forwarded-Proto", "https")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !slices.Contains(links(string(body)), tt.want) {
				t.Fatalf("feed links %v, want %s among them", links(string(body)), tt.want)
			}
		})
	}
}

// TestProxy_SecureCookies: a trusted proxy's X-Forwarded-Proto: https
// marks cookies Secure; the same header from anyone else does not.
func TestProxy_SecureCookies(t *testing.T) {
	for _, tt := range []struct {
		name    string
		trusted []netip.Prefix
		proto   string
		want    bool
	}{
		{"trusted proxy, https", testPeer, "https", true},
		{"trusted proxy, http", testPeer, "http", false},
		{"untrusted peer, https", otherLAN, "https", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := MustOpenServer(t, func(o *web.Options) { o.TrustedProxies = tt.trusted })
			// The visit pixel sets cookies (pages shared by caches set none).
			req := httptest.NewRequest("GET", "/visit.gif?l=en", nil)
			req.Header.Set("X-Forwarded-Proto", tt.proto)
			resp, err := srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cookies := resp.Cookies()
			if len(cookies) == 0 {
				t.Fatal("no cookies set")
			}
			for _, ck := range cookies {
				if ck.Secure != tt.want {
					t.Errorf("cookie %s Secure = %v, want %v", ck.Name, ck.Secure, tt.want)
				}
			}
		})
	}
}

// postWith posts a form with the client's CSRF token and extra headers.
func (c *client) postWith(target string, form url.Values, hdr map[string]string) *response {
	c.tb.Helper()
	form.Set("_csrf", c.csrf())
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	setHeaders(req, hdr)
	return c.send(req)
}

// TestProxy_ClientAddressForRateLimits: the per-address limit counts the
// rightmost X-Forwarded-For entry that is not a trusted proxy, and only
// when the peer is a trusted proxy; a client's own entries on the left
// change nothing. An IPv6 client counts by its /64.
func TestProxy_ClientAddressForRateLimits(t *testing.T) {
	const limit = 3
	// tryLogin signs in with no password: refused at once (no hashing),
	// but counted by the limiter in front.
	tryLogin := func(c *client, xff string) int {
		return c.postWith("/en/login", url.Values{"email": {"someone@example.org"}, "password": {""}},
			map[string]string{"X-Forwarded-For": xff}).Status
	}
	fill := func(t *testing.T, c *client, xff string) {
		t.Helper()
		for i := 0; i < limit; i++ {
			if st := tryLogin(c, xff); st != 422 {
				t.Fatalf("try %d from %s: status %d, want 422", i+1, xff, st)
			}
		}
	}
	tune := func(trusted []netip.Prefix) func(*web.Options) {
		return func(o *web.Options) {
			o.TrustedProxies = trusted
			o.Limits.LoginAddress.Max = limit
		}
	}

	t.Run("behind trusted proxies", func(t *testing.T) {
		srv := MustOpenServer(t, tune(append(slices.Clone(testPeer), otherLAN...)))
		c := srv.client(t)
		fill(t, c, "198.51.100.7, 10.0.0.2")
		if st := tryLogin(c, "198.51.100.7"); st != 429 {
			t.Fatalf("4th try from one client: %d, want 429", st)
		}
		if st := tryLogin(c, "1.2.3.4, 198.51.100.7, 10.0.0.2"); st != 429 {
			t.Fatalf("a spoofed leftmost entry escaped the limit: %d", st)
		}
		if st := tryLogin(c, "198.51.100.7, 10.9.9.9"); st != 429 {
			t.Fatalf("another trusted hop escaped the limit: %d", st)
		}
		if st := tryLogin(c, "198.51.100.8, 10.0.0.2"); st != 422 {
			t.Fatalf("another client behind the same proxy: %d, want 422", st)
		}
		fill(t, c, "2001:db8:1:2::1")
		if st := tryLogin(c, "2001:db8:1:2:ffff::9"); st != 429 {
			t.Fatalf("same IPv6 /64: %d, want 429", st)
		}
		if st := tryLogin(c, "2001:db8:1:3::1"); st != 422 {
			t.Fatalf("another IPv6 /64: %d, want 422", st)
		}
	})

	t.Run("untrusted peer", func(t *testing.T) {
		for _, trusted := range [][]netip.Prefix{nil, otherLAN} {
			srv := MustOpenServer(t, tune(trusted))
			c := srv.client(t)
			for i := 0; i < limit; i++ {
				if st := tryLogin(c, "198.51.100."+string(rune('1'+i))); st != 422 {
					t.Fatalf("try %d: %d", i+1, st)
				}
			}
			if st := tryLogin(c, "198.51.100.200"); st != 429 {
				t.Fatalf("trusted %v: X-Forwarded-For from an untrusted peer changed the key: %d, want 429", trusted, st)
			}
		}
	})
}

// TestProxy_RedirectsStayRelative: redirects name a path on this site,
// never a host taken from the request.
func TestProxy_RedirectsStayRelative(t *testing.T) {
	srv := MustOpenServer(t, func(o *web.Options) { o.TrustedProxies = otherLAN })
	c := srv.client(t)
	for _, p := range []string{"/", "/en/me/export", "/en/admin/"} {
		r := c.getWith(p, forged)
		if r.Status < 300 || r.Status > 399 || !strings.HasPrefix(r.Location, "/") || strings.HasPrefix(r.Location, "//") {
			t.Errorf("%s: %d to %q, want a redirect to a path", p, r.Status, r.Location)
		}
	}
}
