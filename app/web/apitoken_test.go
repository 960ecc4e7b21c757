package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/config"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"
)

var tokenShape = regexp.MustCompile(`^bcn_[A-Za-z0-9_-]{43}$`)

// createToken makes a token on the client's /me/tokens page and returns
// the text shown once.
func (c *client) createToken(name, expires string) string {
	c.tb.Helper()
	page := c.get("/en/me/tokens")
	c.mustStatus(page, 200)
	r := c.postForm(page, "/en/me/tokens", url.Values{"name": {name}, "expires": {expires}})
	c.mustStatus(r, 200)
	tok := r.Doc.Find("#new-token").AttrOr("value", "")
	if !tokenShape.MatchString(tok) {
		c.tb.Fatalf("token shown %q", tok)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		c.tb.Fatalf("the page showing a token has Cache-Control %q", cc)
	}
	return tok
}

// api sends GET path with the bearer token (none when ""), and the
// client's cookies.
func (c *client) api(path, token string) *response {
	c.tb.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.send(req)
}

// userID looks an account up by e-mail.
func (s *testServer) userID(tb testing.TB, email string) int64 {
	tb.Helper()
	u, err := s.Store.FindUserByEmail(context.Background(), email)
	if err != nil {
		tb.Fatal(err)
	}
	return u.ID
}

// TestAPITokens: a token is shown once, only its digest is stored, the
// list shows its prefix; it opens /api/v1/me until revoked or expired.
func TestAPITokens(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			st := open(t)
			srv := mustOpenServerOn(t, st)
			ctx := context.Background()
			owner := srv.signedIn(t, "owner@example.org")
			tok := owner.createToken("Reports sheet", "30")

			// Shown once: the list page does not show it again.
			list := owner.get("/en/me/tokens")
			owner.mustStatus(list, 200)
			if strings.Contains(list.Body, tok) || list.Doc.Find("#new-token").Length() != 0 {
				t.Fatal("the token is shown again")
			}
			if got := text(list, ".token-prefix"); got != tok[:12]+"…" {
				t.Fatalf("prefix shown %q, want %q…", got, tok[:12])
			}
			if got := text(list, ".token-name"); got != "Reports sheet" {
				t.Fatalf("name shown %q", got)
			}

			// Only the digest is stored.
			pool, err := st.Pool()
			if err != nil {
				t.Fatal(err)
			}
			rows, err := pool.QueryContext(ctx, "SELECT name, prefix, hash FROM api_tokens")
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var name, prefix, hash string
				if err := rows.Scan(&name, &prefix, &hash); err != nil {
					t.Fatal(err)
				}
				n++
				if strings.Contains(hash, tok[4:]) || len(hash) != 64 || prefix != tok[:12] {
					t.Fatalf("stored row %q %q %q", name, prefix, hash)
				}
			}
			rows.Close()
			if n != 1 {
				t.Fatalf("%d rows", n)
			}

			// The token opens the API, without any cookie.
			api := srv.client(t)
			var me struct {
				Email string   `json:"email"`
				Roles []string `json:"roles"`
			}
			mustJSON(t, api.api("/api/v1/me", tok), &me)
			if me.Email != "owner@example.org" || len(me.Roles) != 1 || me.Roles[0] != app.RoleLearner {
				t.Fatalf("me %+v", me)
			}
			toks, err := st.UserAPITokens(ctx, srv.userID(t, "owner@example.org"))
			if err != nil || len(toks) != 1 || toks[0].LastUsedAt == nil {
				t.Fatalf("last used not recorded: %+v %v", toks, err)
			}

			// Missing, malformed and unknown tokens.
			r := api.api("/api/v1/me", "")
			mustProblem(t, r, 401)
			if got := r.Header.Get("WWW-Authenticate"); got != "Bearer" {
				t.Fatalf("challenge %q", got)
			}
			for _, bad := range []string{"bcn_" + strings.Repeat("A", 43), "nonsense", tok + "x"} {
				r = api.api("/api/v1/me", bad)
				mustProblem(t, r, 401)
				if got := r.Header.Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
					t.Fatalf("challenge %q", got)
				}
			}

			// Expired: the store's clock moves past the 30 days.
			st.SetClock(func() time.Time { return time.Now().UTC().Add(31 * 24 * time.Hour) })
			mustProblem(t, api.api("/api/v1/me", tok), 401)
			st.SetClock(func() time.Time { return time.Now().UTC() })
			mustJSON(t, api.api("/api/v1/me", tok), &me)

			// Revoked by its owner: 401 at once, gone from the list, audited.
			list = owner.get("/en/me/tokens")
			id := list.Doc.Find(".token-row").AttrOr("data-token", "")
			r = owner.postForm(list, "/en/me/tokens/"+id+"/revoke", nil)
			owner.mustStatus(r, 303)
			r = api.api("/api/v1/me", tok)
			mustProblem(t, r, 401)
			if r.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
				t.Fatal("a revoked token is not invalid_token")
			}
			if owner.get("/en/me/tokens").Doc.Find(".token-row").Length() != 0 {
				t.Fatal("a revoked token is still listed")
			}
			entries, err := st.Audit(ctx, store.AuditFilter{ObjectType: "api_token", ObjectID: id})
			if err != nil {
				t.Fatal(err)
			}
			actions := map[string]bool{}
			for _, e := range entries {
				actions[e.Action] = true
				if strings.Contains(e.Before+e.After, tok[12:]) {
					t.Fatal("the audit log holds the token")
				}
			}
			if !actions["api_token:create"] || !actions["api_token:revoke"] {
				t.Fatalf("audit actions %v", actions)
			}

			// Another account cannot revoke it (or see it).
			tok2 := owner.createToken("Second", "0")
			other := srv.signedIn(t, "other@example.org")
			page := owner.get("/en/me/tokens")
			id2 := page.Doc.Find(".token-row").AttrOr("data-token", "")
			r = other.post("/en/me/tokens/"+id2+"/revoke", url.Values{"_csrf": {other.csrf()}})
			if r.Status != 404 {
				t.Fatalf("another account revoking: %d", r.Status)
			}
			mustJSON(t, api.api("/api/v1/me", tok2), &me)

			// Deleting the account deletes its tokens.
			if err := st.DeleteUser(ctx, srv.userID(t, "owner@example.org")); err != nil {
				t.Fatal(err)
			}
			mustProblem(t, api.api("/api/v1/me", tok2), 401)
		})
	}
}

// TestAPITokens_Form: the create form needs a name of at most 100
// characters and an offered expiry, with localized errors, and a CSRF token.
func TestAPITokens_Form(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.signedIn(t, "form@example.org")
	page := c.get("/en/me/tokens")
	for _, tc := range []struct{ name, expires, field string }{
		{"", "30", "name"},
		{strings.Repeat("n", 101), "30", "name"},
		{"ok", "7", "expires"},
		{"ok", "x", "expires"},
	} {
		r := c.postForm(page, "/en/me/tokens", url.Values{"name": {tc.name}, "expires": {tc.expires}})
		c.mustStatus(r, 422)
		if r.Doc.Find("#"+tc.field+"-error").Length() != 1 || r.Doc.Find("#new-token").Length() != 0 {
			t.Fatalf("%+v: no error on %s", tc, tc.field)
		}
	}
	r := c.post("/en/me/tokens", url.Values{"name": {"no csrf"}, "expires": {"30"}})
	if r.Status != 403 {
		t.Fatalf("without _csrf: %d", r.Status)
	}
	fr := c
	fr.lang = "fr"
	r = fr.postForm(fr.get("/fr/me/tokens"), "/fr/me/tokens", url.Values{"name": {""}})
	if !strings.Contains(text(r, "#name-error"), "Saisissez un nom") {
		t.Fatalf("French error %q", text(r, "#name-error"))
	}
	if anon := srv.client(t).get("/en/me/tokens"); anon.Status != 303 || !strings.Contains(anon.Location, "/en/login") {
		t.Fatalf("a guest gets %d %s", anon.Status, anon.Location)
	}
	if srv.client(t).get("/en/me").Doc.Find(`a[href="/en/me/tokens"]`).Length() != 0 {
		t.Fatal("a guest sees the tokens link")
	}
	if c.get("/en/me").Doc.Find(`a[href="/en/me/tokens"]`).Length() != 1 || c.get("/en/me/account").Doc.Find(`a[href="/en/me/tokens"]`).Length() != 1 {
		t.Fatal("no link from /me and the account page")
	}
}

// TestAPITokenScopes: a token acts with its owner's roles as they are at
// each request; a session cookie never opens the API.
func TestAPITokenScopes(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	learner := srv.signedIn(t, "learner@example.org")
	org := srv.signedIn(t, "org@example.org", app.RoleOrganizer)
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
	lt, ot, et := learner.createToken("l", "30"), org.createToken("o", "30"), edu.createToken("e", "30")
	api := srv.client(t)

	r := api.api("/api/v1/stats/summary", lt)
	mustProblem(t, r, 403)
	var table struct {
		Rows []struct{ Key string } `json:"rows"`
	}
	mustJSON(t, api.api("/api/v1/stats/summary", ot), &table)
	if len(table.Rows) == 0 {
		t.Fatal("no rows")
	}
	mustProblem(t, api.api("/api/v1/content/courses/cyber-hygiene", ot), 403)
	var doc struct{ Slug string }
	mustJSON(t, api.api("/api/v1/content/courses/cyber-hygiene", et), &doc)
	mustProblem(t, api.api("/api/v1/stats", et), 403)

	// A role removed is a permission lost at the next request.
	if err := srv.Store.SetUserRoles(ctx, srv.userID(t, "org@example.org"), []string{app.RoleLearner}); err != nil {
		t.Fatal(err)
	}
	mustProblem(t, api.api("/api/v1/stats/summary", ot), 403)
	var me struct{ Email string }
	mustJSON(t, api.api("/api/v1/me", ot), &me)

	// Cookies alone, even an administrator's, open nothing private.
	admin := srv.signedIn(t, "admin@example.org", app.RoleAdministrator)
	for _, p := range []string{"/api/v1/me", "/api/v1/stats", "/api/v1/content/courses/cyber-hygiene"} {
		r := admin.api(p, "")
		mustProblem(t, r, 401)
		if r.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Fatalf("%s: challenge %q", p, r.Header.Get("WWW-Authenticate"))
		}
	}
	// Every private API route says its access level in the route table.
	for _, rt := range srv.Routes() {
		if strings.HasPrefix(rt.Path, "/api/v1/me") && rt.Access == "" || strings.HasPrefix(rt.Path, "/api/v1/stats") && !strings.Contains(rt.Access, app.RoleOrganizer) {
			t.Fatalf("route %s %s has access %q", rt.Method, rt.Path, rt.Access)
		}
	}
}

// TestAPITokens_RateLimit: failed token attempts count per address.
func TestAPITokens_RateLimit(t *testing.T) {
	srv := MustOpenServer(t, func(o *web.Options) { o.Limits.TokenAddress = config.Rate{Max: 3, Window: time.Minute} })
	good := srv.signedIn(t, "rl@example.org").createToken("ok", "30")
	api := srv.client(t)
	for i := 0; i < 3; i++ {
		mustProblem(t, api.api("/api/v1/me", "bcn_"+strings.Repeat("B", 43)), 401)
	}
	r := api.api("/api/v1/me", "bcn_"+strings.Repeat("B", 43))
	mustProblem(t, r, 429)
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	var me struct{ Email string }
	mustJSON(t, api.api("/api/v1/me", good), &me) // a good token is not a failure
}
