package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/web"
)

const (
	lessonPath = "/en/courses/cyber-hygiene/lessons/passwords"
	seedAlert  = "drill-2026-emergency-warnings"
	seedCamp   = "security-education-day-2027"
)

// publicPages are the pages a shared cache may keep for a visitor who
// carries nothing personal.
var publicPages = []string{
	"/en/", "/ar/", "/en/courses", "/en/courses?q=password", "/en/courses/cyber-hygiene", lessonPath,
	"/zh-Hans/courses/cyber-hygiene/lessons/phishing", "/en/campaigns", "/en/campaigns/" + seedCamp,
	"/en/alerts", "/en/alerts/" + seedAlert, "/alerts/" + seedAlert + ".cap", "/feeds/alerts.atom",
	"/feeds/alerts.atom?lang=fr", "/en/login", "/en/register",
}

// TestPageCache_Headers: what each kind of page tells caches, for each
// kind of visitor.
func TestPageCache_Headers(t *testing.T) {
	srv := MustOpenServer(t)
	isPublic := func(t *testing.T, r *response) {
		t.Helper()
		if r.Status != 200 {
			t.Fatalf("status %d", r.Status)
		}
		if cc := r.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public,") || !strings.Contains(cc, "s-maxage=") || !strings.Contains(cc, "stale-while-revalidate=") {
			t.Errorf("Cache-Control %q, want public with s-maxage and stale-while-revalidate", cc)
		}
		if et := r.Header.Get("ETag"); !strings.HasPrefix(et, `"`) {
			t.Errorf("ETag %q, want a strong tag", et)
		}
		if _, err := http.ParseTime(r.Header.Get("Last-Modified")); err != nil {
			t.Errorf("Last-Modified %q: %v", r.Header.Get("Last-Modified"), err)
		}
		if r.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Vary %q", r.Header.Get("Vary"))
		}
		if sc := r.Header.Values("Set-Cookie"); len(sc) != 0 {
			t.Errorf("a shared page sets cookies: %v", sc)
		}
		if r.Header.Get("Content-Security-Policy") == "" {
			t.Error("a kept page lost its security headers")
		}
	}
	isPrivate := func(t *testing.T, r *response) {
		t.Helper()
		if cc := r.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("Cache-Control %q, want private, no-store", cc)
		}
		if r.Header.Get("ETag") != "" {
			t.Errorf("a private page has an ETag")
		}
	}
	for _, p := range publicPages {
		t.Run("anonymous"+p, func(t *testing.T) {
			c := srv.client(t)
			c.noPixel = true
			first := c.get(p)
			isPublic(t, first)
			again := c.get(p) // now from the page cache
			isPublic(t, again)
			if again.Body != first.Body || again.Header.Get("ETag") != first.Header.Get("ETag") {
				t.Error("the kept page differs from the rendered one")
			}
			if strings.Contains(first.Body, `name="_csrf"`) {
				t.Error("a shared page carries a CSRF token")
			}
		})
	}
	t.Run("anonymous quiz form is private", func(t *testing.T) {
		r := srv.client(t).get("/en/courses/cyber-hygiene/quiz")
		isPrivate(t, r)
		if len(r.Header.Values("Set-Cookie")) == 0 {
			t.Error("the quiz form gave no learner cookie")
		}
	})
	t.Run("error pages are private", func(t *testing.T) {
		r := srv.client(t).get("/en/courses/no-such-course")
		if r.Status != 404 {
			t.Fatalf("status %d", r.Status)
		}
		isPrivate(t, r)
	})
	t.Run("pixel is never kept", func(t *testing.T) {
		r := srv.client(t).get("/visit.gif?l=en")
		if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Content-Type") != "image/gif" {
			t.Fatalf("pixel: %d %q %q", r.Status, r.Header.Get("Cache-Control"), r.Header.Get("Content-Type"))
		}
	})
	signedIn := srv.signedIn(t, "cache-headers@example.org")
	guest := srv.client(t)
	guest.mustStatus(guest.postForm(guest.get(lessonPath), lessonPath+"/complete", nil), 303)
	hider := srv.client(t)
	hider.cookies["beacon_hidden_alerts"] = seedAlert
	for name, c := range map[string]*client{"signed in": signedIn, "guest with progress": guest, "hidden alert": hider} {
		for _, p := range []string{"/en/", lessonPath, "/en/courses/cyber-hygiene", "/en/alerts"} {
			t.Run(name+p, func(t *testing.T) {
				r := c.get(p)
				c.mustStatus(r, 200)
				isPrivate(t, r)
			})
		}
	}
	if guest.cookies["beacon_private"] == "" {
		t.Error("progress did not mark the guest's pages private")
	}
}

// TestPageCache_Conditional: ETag and Last-Modified answer 304; a spoofed
// or stale tag gets the page.
func TestPageCache_Conditional(t *testing.T) {
	srv := MustOpenServer(t)
	get := func(hdr ...string) *http.Response {
		t.Helper()
		req := httptest.NewRequest("GET", lessonPath, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	body := func(r *http.Response) []byte {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return b
	}
	first := get()
	full := body(first)
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	cases := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"same tag", []string{"If-None-Match", etag}, 304},
		{"tag in a list", []string{"If-None-Match", `"nope", ` + etag}, 304},
		{"weak form of the tag", []string{"If-None-Match", "W/" + etag}, 304},
		{"any", []string{"If-None-Match", "*"}, 304},
		{"spoofed tag", []string{"If-None-Match", `"0123456789abcdef01234567"`}, 200},
		{"garbage tag", []string{"If-None-Match", `<script>`}, 200},
		{"not modified since", []string{"If-Modified-Since", lm}, 304},
		{"modified since", []string{"If-Modified-Since", time.Now().Add(-48 * time.Hour).UTC().Format(http.TimeFormat)}, 200},
		{"tag wins over date", []string{"If-None-Match", `"other"`, "If-Modified-Since", lm}, 200},
		{"bad date", []string{"If-Modified-Since", "yesterday"}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := get(tc.hdr...)
			b := body(r)
			if r.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", r.StatusCode, tc.status)
			}
			if tc.status == 304 {
				if len(b) != 0 || r.Header.Get("ETag") != etag || !strings.HasPrefix(r.Header.Get("Cache-Control"), "public") {
					t.Errorf("304 with body %d bytes, ETag %q, Cache-Control %q", len(b), r.Header.Get("ETag"), r.Header.Get("Cache-Control"))
				}
			} else if !bytes.Equal(b, full) {
				t.Error("the page differs")
			}
		})
	}
	t.Run("gzip variant", func(t *testing.T) {
		r := get("Accept-Encoding", "gzip, br")
		b := body(r)
		if r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("ETag") == etag {
			t.Fatalf("encoding %q, ETag %q (identity %q)", r.Header.Get("Content-Encoding"), r.Header.Get("ETag"), etag)
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if !bytes.Equal(plain, full) {
			t.Error("the gzip variant is another page")
		}
		if r := get("Accept-Encoding", "gzip", "If-None-Match", r.Header.Get("ETag")); r.StatusCode != 304 {
			t.Errorf("gzip tag: status %d", r.StatusCode)
		}
	})
}

// TestRoutes_HeadAndOptions: every GET route answers HEAD with the GET's
// headers and no body, and OPTIONS with the methods it allows.
func TestRoutes_HeadAndOptions(t *testing.T) {
	srv := MustOpenServer(t)
	css := srv.Doc(t, "/en/").Find(`link[rel=stylesheet]`).AttrOr("href", "")
	paths := append([]string{"/healthz", "/readyz", "/metrics", "/", "/en", css, "/visit.gif?l=en",
		"/en/courses/cyber-hygiene/quiz", "/en/me", "/en/admin/"}, publicPages...)
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			do := func(method string) (*http.Response, []byte) {
				resp, err := srv.App().Test(httptest.NewRequest(method, p, nil), -1)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp, b
			}
			g, gb := do("GET")
			h, hb := do("HEAD")
			if h.StatusCode != g.StatusCode {
				t.Fatalf("HEAD %d, GET %d", h.StatusCode, g.StatusCode)
			}
			if len(hb) != 0 {
				t.Errorf("HEAD has a body of %d bytes", len(hb))
			}
			for _, k := range []string{"Content-Type", "Cache-Control", "Location", "Content-Security-Policy", "ETag"} {
				if h.Header.Get(k) != g.Header.Get(k) {
					t.Errorf("%s: HEAD %q, GET %q", k, h.Header.Get(k), g.Header.Get(k))
				}
			}
			stable := g.Header.Get("ETag") != "" // a kept page; others (metrics, a quiz draw) change between requests
			if stable && h.Header.Get("Content-Length") != "" && h.Header.Get("Content-Length") != g.Header.Get("Content-Length") {
				t.Errorf("Content-Length: HEAD %q, GET %q (%d bytes)", h.Header.Get("Content-Length"), g.Header.Get("Content-Length"), len(gb))
			}
			o, _ := do("OPTIONS")
			if o.StatusCode != 204 || !strings.Contains(o.Header.Get("Allow"), "GET, HEAD") || !strings.Contains(o.Header.Get("Allow"), "OPTIONS") {
				t.Errorf("OPTIONS: %d Allow %q", o.StatusCode, o.Header.Get("Allow"))
			}
		})
	}
	resp, err := srv.App().Test(httptest.NewRequest("OPTIONS", lessonPath+"/complete", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 204 || resp.Header.Get("Allow") != "POST, OPTIONS" {
		t.Errorf("OPTIONS on a form action: %d %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// TestCSRF_OriginRules: forms on shared pages carry no token, so the
// browser's Sec-Fetch-Site and Origin decide; private forms keep their token.
func TestCSRF_OriginRules(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	pc := srv.course(t, "cyber-hygiene")
	cases := []struct {
		name   string
		hdr    map[string]string
		status int
	}{
		{"no browser headers", nil, 303},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}, 303},
		{"typed in by the user", map[string]string{"Sec-Fetch-Site": "none"}, 303},
		{"cross site", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403},
		{"sibling site", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://evil.example.com"}, 403},
		{"origin of this host", map[string]string{"Origin": "http://example.com"}, 303},
		{"origin of another host", map[string]string{"Origin": "https://evil.example"}, 403},
		{"null origin", map[string]string{"Origin": "null"}, 403},
		{"wrong token from this site", map[string]string{"_csrf": "forged"}, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := srv.client(t)
			c.get(lessonPath)
			learner := c.cookies["beacon_learner"]
			form := url.Values{}
			if v, ok := tc.hdr["_csrf"]; ok {
				form.Set("_csrf", v)
			}
			req := httptest.NewRequest("POST", lessonPath+"/complete", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.hdr {
				if k != "_csrf" {
					req.Header.Set(k, v)
				}
			}
			r := c.send(req)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d", r.Status, tc.status)
			}
			done, err := srv.Store.LessonsDone(ctx, learner, pc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if done["passwords"] != (tc.status == 303) {
				t.Errorf("lesson done = %v after status %d", done["passwords"], r.Status)
			}
			if tc.status == 403 && !strings.Contains(r.Body, "expired") && r.Doc.Find("h1").Length() == 0 {
				t.Errorf("the refusal does not explain itself: %.300s", r.Body)
			}
		})
	}
	t.Run("signed-in routes require the token", func(t *testing.T) {
		u := srv.signedIn(t, "origin-rules@example.org")
		r := u.post("/en/me/delete", url.Values{"confirm": {"yes"}})
		if r.Status != 403 {
			t.Fatalf("account deletion without a token: %d", r.Status)
		}
		if _, err := srv.Store.FindUserByEmail(ctx, "origin-rules@example.org"); err != nil {
			t.Fatal("a refused deletion deleted the account")
		}
	})
}

// TestPageCache_NeverCarriesAnotherVisitorsData: what one visitor sees is
// never served to another, through the page cache or around it.
func TestPageCache_NeverCarriesAnotherVisitorsData(t *testing.T) {
	srv := MustOpenServer(t)
	staff := srv.signedIn(t, "zoë-private@example.org", app.RoleAdministrator)
	guest := srv.client(t)
	guest.mustStatus(guest.postForm(guest.get(lessonPath), lessonPath+"/complete", nil), 303)
	joiner := srv.client(t)
	joiner.mustStatus(joiner.postForm(joiner.get("/en/campaigns/"+seedCamp), "/en/campaigns/"+seedCamp+"/join", nil), 303)
	hider := srv.client(t)
	hider.mustStatus(hider.postForm(hider.get("/en/"), "/en/alerts/"+seedAlert+"/hide", nil), 303)

	personal := []*client{staff, guest, joiner, hider}
	for round := 0; round < 2; round++ { // personal first, then anonymous; then the other way
		for _, p := range publicPages {
			var pages []*response
			anon := srv.client(t)
			anon.noPixel = true
			if round == 0 {
				for _, c := range personal {
					pages = append(pages, c.get(p))
				}
			}
			a := anon.get(p)
			if round == 1 {
				for _, c := range personal {
					pages = append(pages, c.get(p))
				}
			}
			for _, leak := range []string{"zoë-private", "/en/admin/", `name="_csrf"`, "lesson.completed_note", "campaign-joined"} {
				if strings.Contains(a.Body, leak) {
					t.Errorf("round %d: the anonymous %s carries %q", round, p, leak)
				}
			}
			if a.Doc != nil && a.Doc.Find(".lesson-complete .notification-success, .campaign-joined").Length() != 0 {
				t.Errorf("round %d: the anonymous %s shows someone's progress", round, p)
			}
			if p == lessonPath {
				if pages[1].Doc.Find(".lesson-complete .notification-success").Length() != 1 {
					t.Errorf("round %d: the guest's own progress is missing on %s", round, p)
				}
			}
			if p == "/en/" || p == lessonPath {
				if pages[0].Doc.Find(`a[href="/en/admin/"]`).Length() != 1 {
					t.Errorf("round %d: the administrator's own header is missing on %s", round, p)
				}
				if pages[3].Doc.Find("#alert-"+seedAlert+", .alert-banner").Length() != 0 {
					t.Errorf("round %d: the hidden alert shows on %s", round, p)
				}
			}
		}
	}
}

// TestPageCache_ReachesEveryInstance: a change made through another
// instance (here a second server on the same database) reaches this
// instance's kept pages without any call to it.
func TestPageCache_ReachesEveryInstance(t *testing.T) {
	a := MustOpenServer(t)
	b, err := web.New(a.Options())
	if err != nil {
		t.Fatal(err)
	}
	anon := func() *response {
		c := a.client(t)
		c.noPixel = true
		return c.get("/en/")
	}
	before := anon()
	if strings.Contains(before.Body, "Boil water before drinking") {
		t.Fatal("the alert shows before it exists")
	}
	// An organizer on instance b publishes an alert.
	bs := &testServer{Server: b, Store: a.Store, Bundle: a.Bundle}
	bs.publishAlert(t, &app.Alert{Identifier: "boil-water", Status: "Actual", MsgType: "Alert", Scope: "Public",
		Categories: []string{"Health"}, Event: app.Text{"en": "Water contamination"}, Urgency: "Immediate", Severity: "Severe",
		Certainty: "Observed", Headline: app.Text{"en": "Boil water before drinking"}, SourceLocale: "en",
		Effective: time.Now().Add(-time.Minute), Expires: time.Now().Add(time.Hour)})
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := anon()
		if strings.Contains(r.Body, "Boil water before drinking") {
			if r.Header.Get("ETag") == before.Header.Get("ETag") {
				t.Error("a changed page kept its ETag")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the alert published on another instance did not reach this one's kept pages in 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPageFill_SameAsFullRender: a personal page filled from the kept page
// is byte for byte the page a full render gives the same visitor.
func TestPageFill_SameAsFullRender(t *testing.T) {
	srv := MustOpenServer(t)
	fills := func() int {
		t.Helper()
		r := srv.client(t).get("/metrics")
		for _, line := range strings.Split(r.Body, "\n") {
			if strings.HasPrefix(line, `beacon_page_cache_total{outcome="fill"}`) {
				n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, `beacon_page_cache_total{outcome="fill"}`)))
				return n
			}
		}
		return 0
	}
	staff := srv.signedIn(t, "fill-staff@example.org", app.RoleOrganizer)
	learner := srv.signedIn(t, "fill-learner@example.org")
	learner.mustStatus(learner.postForm(learner.get(lessonPath), lessonPath+"/complete", nil), 303)
	guest := srv.client(t)
	guest.mustStatus(guest.postForm(guest.get(lessonPath), lessonPath+"/complete", nil), 303)
	guest.mustStatus(guest.postForm(guest.get("/en/"), "/en/alerts/"+seedAlert+"/hide", nil), 303)
	for _, c := range []*client{staff, learner, guest} {
		c.get("/en/me") // shows and clears the flash of the last action
	}
	pages := []string{lessonPath, "/ar/courses/cyber-hygiene/lessons/phishing", "/en/alerts", "/en/alerts/" + seedAlert, "/fr/campaigns"}
	for name, c := range map[string]*client{"organizer": staff, "learner": learner, "guest": guest} {
		for _, p := range pages {
			t.Run(name+p, func(t *testing.T) {
				srv.InvalidatePages()
				full := c.get(p) // rendered in full; warms the kept page
				c.mustStatus(full, 200)
				var filled *response
				for i := 0; i < 100; i++ {
					before := fills()
					filled = c.get(p)
					if fills() > before {
						break
					}
					filled = nil
					time.Sleep(20 * time.Millisecond)
				}
				if filled == nil {
					t.Fatal("no personal request was filled from the kept page")
				}
				if filled.Body != full.Body {
					t.Errorf("filled page differs from the full render:\nfull:   %.300s\nfilled: %.300s", diffAt(full.Body, filled.Body), diffAt(filled.Body, full.Body))
				}
				if filled.Header.Get("Cache-Control") != "private, no-store" || filled.Header.Get("Content-Security-Policy") == "" {
					t.Errorf("filled page headers: %v", filled.Header)
				}
			})
		}
	}
}

// diffAt returns a from a little before the first byte where a and b differ.
func diffAt(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-80):]
}
