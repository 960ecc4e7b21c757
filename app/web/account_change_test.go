package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/auth"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"

	"github.com/PuerkitoBio/goquery"
)

// loginAs signs a new client in to an existing account through the login
// form, sending userAgent as its browser.
func (s *testServer) loginAs(tb testing.TB, email, password, userAgent string) *client {
	tb.Helper()
	c := s.client(tb)
	page := c.get("/en/login")
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {page.Doc.Find("form[action='/en/login'] input[name=_csrf]").AttrOr("value", "")}}
	req := httptest.NewRequest("POST", "/en/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", userAgent)
	r := c.send(req)
	c.mustStatus(r, 303)
	return c
}

// signedOut reports whether c's session is refused: its account page
// sends it to sign in.
func signedOut(c *client) bool {
	r := c.get("/en/me/account")
	return r.Status == 303 && strings.HasPrefix(r.Location, "/en/login")
}

const firefoxWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"

func TestChangePassword(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	c := srv.signedIn(t, "pw@example.org") // password "a test password"
	other := srv.loginAs(t, "pw@example.org", "a test password", firefoxWindows)

	me := c.get("/en/me")
	if me.Doc.Find(`a[href="/en/me/account"]`).Length() != 1 {
		t.Fatal("/en/me does not link the account page")
	}
	page := c.get("/en/me/account")
	c.mustStatus(page, 200)

	for _, tt := range []struct {
		name, current, next, field, message string
	}{
		{"WrongCurrent", "not my password", "violet cup kettle", "current_password", "password is not right"},
		{"NoCurrent", "", "violet cup kettle", "current_password", "Enter your current password"},
		{"Common", "a test password", "password12", "new_password", "most common"},
		{"Digits", "a test password", "1234567890", "new_password", "most common"},
		{"Repeated", "a test password", "aaaaaaaaaa", "new_password", "one character repeated"},
		{"Short", "a test password", "violet", "new_password", "at least 10"},
		{"OwnEmail", "a test password", "PW@example.org", "new_password", "cannot be your email"},
		{"Same", "a test password", "a test password", "new_password", "different"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.postForm(page, "/en/me/account/password", url.Values{"current_password": {tt.current}, "new_password": {tt.next}})
			c.mustStatus(r, 422)
			if r.Doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
				t.Fatalf("error summary does not link #%s: %s", tt.field, text(r, ".error-summary"))
			}
			if !strings.Contains(text(r, "#"+tt.field+"-error"), tt.message) {
				t.Fatalf("field error %q, want %q", text(r, "#"+tt.field+"-error"), tt.message)
			}
			if r.Doc.Find(`input[type=password][value]`).Length() != 0 {
				t.Fatal("a password was echoed back into the form")
			}
		})
	}
	u, err := srv.Store.FindUserByEmail(ctx, "pw@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.VerifyPassword("a test password", u.PasswordHash); !ok {
		t.Fatal("a refused change changed the password")
	}

	r := c.postForm(page, "/en/me/account/password", url.Values{"current_password": {"a test password"}, "new_password": {"violet cup kettle"}})
	c.mustStatus(r, 303)
	if r.Location != "/en/me/account" {
		t.Fatalf("redirect to %q", r.Location)
	}
	after := c.get(r.Location)
	c.mustStatus(after, 200)
	if !strings.Contains(text(after, ".notification"), "password has been changed") {
		t.Fatalf("no confirmation: %q", text(after, ".notification"))
	}
	u, _ = srv.Store.FindUserByEmail(ctx, "pw@example.org")
	if ok, _ := auth.VerifyPassword("violet cup kettle", u.PasswordHash); !ok {
		t.Fatal("new password not stored")
	}
	if !signedOut(other) {
		t.Fatal("the other device is still signed in after a password change")
	}
	if signedOut(c) {
		t.Fatal("the device that changed the password was signed out")
	}
	// The old password stops working, the new one works.
	fresh := srv.client(t)
	login := fresh.get("/en/login")
	fresh.mustStatus(fresh.postForm(login, "/en/login", url.Values{"email": {"pw@example.org"}, "password": {"a test password"}}), 422)
	srv.loginAs(t, "pw@example.org", "violet cup kettle", "")

	entries, err := srv.Store.Audit(ctx, store.AuditFilter{ObjectType: "user"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		if e.Action == "account:password" && e.UserID == u.ID {
			found = true
			if strings.Contains(e.After, "argon2") || strings.Contains(e.Before, "argon2") {
				t.Fatal("the audit log holds a hash")
			}
		}
	}
	if !found {
		t.Fatal("no audit entry for the password change")
	}
}

func TestChangeEmail(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	c := srv.signedIn(t, "old@example.org")
	srv.signedInUser(t, "taken@example.org", app.RoleLearner)
	page := c.get("/en/me/account")
	c.mustStatus(page, 200)
	if got := page.Doc.Find("#email").AttrOr("value", ""); got != "old@example.org" {
		t.Fatalf("e-mail field holds %q", got)
	}
	for _, tt := range []struct {
		name, email, password, field, message string
	}{
		{"WrongPassword", "new@example.org", "not my password", "email_password", "password is not right"},
		{"NoPassword", "new@example.org", "", "email_password", "Enter your current password"},
		{"Invalid", "not-an-address", "a test password", "email", "right format"},
		{"Taken", "Taken@example.org", "a test password", "email", "already exists"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.postForm(page, "/en/me/account/email", url.Values{"email": {tt.email}, "email_password": {tt.password}})
			c.mustStatus(r, 422)
			if r.Doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
				t.Fatalf("error summary does not link #%s: %s", tt.field, text(r, ".error-summary"))
			}
			if !strings.Contains(text(r, "#"+tt.field+"-error"), tt.message) {
				t.Fatalf("field error %q, want %q", text(r, "#"+tt.field+"-error"), tt.message)
			}
			if got := r.Doc.Find("#email").AttrOr("value", ""); got != strings.TrimSpace(tt.email) {
				t.Fatalf("typed address not kept: %q", got)
			}
			if _, err := srv.Store.FindUserByEmail(ctx, "old@example.org"); err != nil {
				t.Fatal("a refused change changed the address")
			}
		})
	}
	r := c.postForm(page, "/en/me/account/email", url.Values{"email": {" New@Example.org "}, "email_password": {"a test password"}})
	c.mustStatus(r, 303)
	after := c.get("/en/me/account")
	if !strings.Contains(text(after, ".notification"), "email address has been changed") ||
		!strings.Contains(text(after, ".lead"), "new@example.org") {
		t.Fatalf("after the change: %q / %q", text(after, ".notification"), text(after, ".lead"))
	}
	if _, err := srv.Store.FindUserByEmail(ctx, "old@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("old address still finds the account: %v", err)
	}
	u, err := srv.Store.FindUserByEmail(ctx, "new@example.org")
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := srv.Store.Audit(ctx, store.AuditFilter{ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	if len(entries) == 0 || entries[0].Action != "account:email" || !strings.Contains(entries[0].Before, "old@example.org") {
		t.Fatalf("audit entries %+v", entries)
	}
	srv.loginAs(t, "new@example.org", "a test password", "")
}

func TestSessionsSignOutOthers(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	c := srv.signedIn(t, "multi@example.org")
	b := srv.loginAs(t, "multi@example.org", "a test password", firefoxWindows)
	d := srv.loginAs(t, "multi@example.org", "a test password", "")
	stranger := srv.signedIn(t, "stranger@example.org")

	page := c.get("/en/me/account")
	c.mustStatus(page, 200)
	rows := page.Doc.Find("#session-list tbody tr")
	if rows.Length() != 3 {
		t.Fatalf("%d sessions listed, want 3", rows.Length())
	}
	if !strings.Contains(rows.First().Text(), "This device") || page.Doc.Find("#session-list tr.session-current").Length() != 1 {
		t.Fatal("this device is not listed first and marked")
	}
	if !strings.Contains(text(page, "#session-list"), "Firefox on Windows") {
		t.Fatalf("browser summary missing: %s", text(page, "#session-list"))
	}
	if page.Doc.Find("#session-list tr.session-current form").Length() != 0 {
		t.Fatal("this device offers to end its own session")
	}

	// Sign out one device (Firefox) by its row's form.
	var action string
	rows.Each(func(_ int, tr *goquery.Selection) {
		if strings.Contains(tr.Text(), "Firefox") {
			action = tr.Find("form").AttrOr("action", "")
		}
	})
	if action == "" {
		t.Fatal("no sign-out form for the Firefox session")
	}
	// Without the page's token, refused.
	c.mustStatus(c.post(action, url.Values{}), 403)
	c.mustStatus(c.postForm(page, action, nil), 303)
	if !signedOut(b) {
		t.Fatal("the ended session still works")
	}
	if signedOut(d) || signedOut(c) {
		t.Fatal("ending one session ended another")
	}
	// Another account cannot end this account's sessions.
	u, _ := srv.Store.FindUserByEmail(ctx, "multi@example.org")
	list, err := srv.Store.UserSessions(ctx, u.ID, 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("sessions after ending one: %d, %v", len(list), err)
	}
	token := stranger.get("/en/me/account").Doc.Find("input[name=_csrf]").First().AttrOr("value", "")
	for _, ss := range list {
		stranger.mustStatus(stranger.post("/en/me/account/sessions/"+ss.ID+"/end", url.Values{"_csrf": {token}}), 404)
	}

	page = c.get("/en/me/account")
	c.mustStatus(c.postForm(page, "/en/me/account/sessions/end-others", nil), 303)
	if !signedOut(d) {
		t.Fatal("sign out every other device left one signed in")
	}
	after := c.get("/en/me/account")
	c.mustStatus(after, 200)
	if n := after.Doc.Find("#session-list tbody tr").Length(); n != 1 {
		t.Fatalf("%d sessions listed after signing out the others", n)
	}
	if after.Doc.Find(`form[action="/en/me/account/sessions/end-others"]`).Length() != 0 {
		t.Fatal("offers to sign out others when there are none")
	}
	if list, _ := srv.Store.UserSessions(ctx, u.ID, 0); len(list) != 1 {
		t.Fatalf("%d session rows, want 1", len(list))
	}
	if signedOut(stranger) {
		t.Fatal("another account was signed out")
	}
}

// TestCSRFRotatedAtSignIn plants a CSRF cookie whose token an attacker
// knows (one they were given as a guest) in a victim's browser; once the
// victim signs in, that token is refused.
func TestCSRFRotatedAtSignIn(t *testing.T) {
	srv := MustOpenServer(t)
	slug := srv.course(t, "cyber-hygiene").Slug
	for _, how := range []string{"login", "register"} {
		t.Run(how, func(t *testing.T) {
			attacker := srv.client(t)
			quiz := attacker.get("/en/courses/" + slug + "/quiz")
			planted, token := attacker.cookies["beacon_csrf"], quiz.Doc.Find("input[name=_csrf]").AttrOr("value", "")
			if planted == "" || token == "" {
				t.Fatal("the guest got no CSRF cookie and token")
			}
			victim := srv.client(t)
			victim.cookies["beacon_csrf"] = planted
			email := how + "-victim@example.org"
			switch how {
			case "login":
				srv.signedInUser(t, email, app.RoleLearner)
				hash, _ := auth.HashPassword("victim password 1")
				u, _ := srv.Store.FindUserByEmail(context.Background(), email)
				if err := srv.Store.SetUserPassword(context.Background(), u.ID, hash); err != nil {
					t.Fatal(err)
				}
				victim.mustStatus(victim.post("/en/login", url.Values{"email": {email}, "password": {"victim password 1"}, "_csrf": {token}}), 303)
			case "register":
				victim.mustStatus(victim.post("/en/register", url.Values{"email": {email}, "display_name": {"Victim"},
					"password": {"victim password 1"}, "_csrf": {token}}), 303)
			}
			if victim.cookies["beacon_csrf"] == planted || victim.cookies["beacon_csrf"] == "" {
				t.Fatal("sign-in kept the CSRF cookie from before")
			}
			// The forged request with the planted token is refused.
			victim.mustStatus(victim.post("/en/me/account/sessions/end-others", url.Values{"_csrf": {token}}), 403)
			// The victim's own forms work.
			own := victim.get("/en/me/account").Doc.Find("input[name=_csrf]").First().AttrOr("value", "")
			if own == token {
				t.Fatal("the page still carries the planted token")
			}
			victim.mustStatus(victim.post("/en/me/account/sessions/end-others", url.Values{"_csrf": {own}}), 303)
		})
	}
}

// TestSessionIdleTimeout moves the store's clock. Each step is served by a
// new server on the same database, as another instance would, so that no
// in-memory session cache answers for the database.
func TestSessionIdleTimeout(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	now := time.Now().UTC()
	srv.Store.SetClock(func() time.Time { return now })
	if err := srv.Store.SetSetting(ctx, store.SettingSessionIdle, "1"); err != nil { // hours
		t.Fatal(err)
	}
	idle := srv.signedIn(t, "idle@example.org")
	busy := srv.loginAs(t, "idle@example.org", "a test password", "")

	now = now.Add(50 * time.Minute)
	busy.srv = srv.instance(t)
	if signedOut(busy) {
		t.Fatal("a session used within the idle timeout was refused")
	}
	now = now.Add(20 * time.Minute) // idle: 70 minutes unused; busy: 20
	idle.srv, busy.srv = srv.instance(t), srv.instance(t)
	if !signedOut(idle) {
		t.Fatal("a session idle past the timeout still works")
	}
	if _, ok := idle.cookies["beacon_session"]; ok {
		t.Fatal("the refused session's cookie was not cleared")
	}
	if signedOut(busy) {
		t.Fatal("the busy session was refused")
	}
	// Cleaned like an expired one.
	if _, err := srv.Store.DeleteExpiredSessions(ctx); err != nil {
		t.Fatal(err)
	}
	u, _ := srv.Store.FindUserByEmail(ctx, "idle@example.org")
	if list, _ := srv.Store.UserSessions(ctx, u.ID, 0); len(list) != 1 {
		t.Fatalf("%d session rows after cleaning, want 1", len(list))
	}
	// Idle timeout 0: none.
	if err := srv.Store.SetSetting(ctx, store.SettingSessionIdle, "0"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(20 * 24 * time.Hour)
	busy.srv = srv.instance(t)
	if signedOut(busy) {
		t.Fatal("with no idle timeout, a session within its 30 days was refused")
	}
}

// instance builds another server over the same store (another instance
// behind the load balancer): its caches start empty.
func (s *testServer) instance(tb testing.TB) *testServer {
	tb.Helper()
	srv, err := web.New(web.Options{Store: s.Store, Bundle: s.Bundle, Templates: testenv.Sub(tb, "templates"), Static: testenv.Sub(tb, "static"),
		Migrations: testenv.Sub(tb, "migrations"), Secret: []byte("test-secret-test-secret-test-secret!"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: roomyLimits()})
	if err != nil {
		tb.Fatal(err)
	}
	return &testServer{Server: srv, Store: s.Store, Bundle: s.Bundle}
}

func TestAdminSettings_SessionIdle(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	page := admin.get("/en/admin/settings")
	admin.mustStatus(page, 200)
	if got := page.Doc.Find("#session_idle_hours").AttrOr("value", ""); got != "168" {
		t.Fatalf("idle hours shown as %q, want the default 168", got)
	}
	for _, bad := range []string{"721", "-1", "a week", "1.5"} {
		r := admin.postForm(page, "/en/admin/settings", url.Values{"session_idle_hours": {bad}})
		admin.mustStatus(r, 422)
		if r.Doc.Find(`.error-summary a[href="#session_idle_hours"]`).Length() != 1 {
			t.Fatalf("%q: error summary %q", bad, text(r, ".error-summary"))
		}
	}
	if v, _ := srv.Store.Setting(ctx, store.SettingSessionIdle, "unset"); v != "unset" {
		t.Fatalf("a refused value was stored: %q", v)
	}
	admin.mustStatus(admin.postForm(page, "/en/admin/settings", url.Values{"session_idle_hours": {"0"}}), 303)
	if v, _ := srv.Store.Setting(ctx, store.SettingSessionIdle, "unset"); v != "0" {
		t.Fatalf("stored %q, want 0", v)
	}
	page = admin.get("/en/admin/settings")
	if got := page.Doc.Find("#session_idle_hours").AttrOr("value", ""); got != "0" {
		t.Fatalf("idle hours shown as %q after saving 0", got)
	}
	admin.mustStatus(admin.postForm(page, "/en/admin/settings", url.Values{"session_idle_hours": {""}}), 303)
	if v, _ := srv.Store.Setting(ctx, store.SettingSessionIdle, "unset"); v != "unset" {
		t.Fatalf("an empty field stored %q instead of going back to the default", v)
	}
}

// TestChangePassword_RateLimited: guesses at the current password on the
// account page count with sign-in attempts at the same account.
func TestChangePassword_RateLimited(t *testing.T) {
	srv := MustOpenServer(t, func(o *web.Options) { o.Limits.LoginAccount.Max = 3 })
	c := srv.signedIn(t, "guess@example.org") // one sign-in counted
	page := c.get("/en/me/account")
	for i := 0; i < 2; i++ {
		c.mustStatus(c.postForm(page, "/en/me/account/password", url.Values{"current_password": {"guess number " + strconv.Itoa(i)}, "new_password": {"violet cup kettle"}}), 422)
	}
	r := c.postForm(page, "/en/me/account/password", url.Values{"current_password": {"a test password"}, "new_password": {"violet cup kettle"}})
	c.mustStatus(r, 429)
	u, _ := srv.Store.FindUserByEmail(context.Background(), "guess@example.org")
	if ok, _ := auth.VerifyPassword("a test password", u.PasswordHash); !ok {
		t.Fatal("a refused request changed the password")
	}
}

// TestAccountChangeNotices: with SMTP, changing the password mails the
// account's address, and changing the address mails the OLD one, in the
// page's language, with the way to take the account back; a refused
// change mails nobody.
func TestAccountChangeNotices(t *testing.T) {
	smtp := testenv.MustStartSMTP(t)
	srv := mustOpenServerOn(t, testenv.MustOpenStore(t), withMail(t, smtp), withBaseURL("https://beacon.example"))
	c := srv.signedIn(t, "owner@example.org")
	page := c.get("/fr/me/account")
	c.mustStatus(page, 200)

	c.mustStatus(c.postForm(page, "/fr/me/account/password", url.Values{
		"current_password": {"not my password"}, "new_password": {"a brand new passphrase"}}), 422)
	r := c.postForm(page, "/fr/me/account/password", url.Values{
		"current_password": {"a test password"}, "new_password": {"a brand new passphrase"}})
	c.mustStatus(r, 303)
	m := smtp.Next(t)
	if len(m.To) != 1 || m.To[0] != "owner@example.org" {
		t.Fatalf("password notice went to %v", m.To)
	}
	if !strings.Contains(m.Subject, "mot de passe") || !strings.Contains(m.Body, "https://beacon.example/fr/password/forgot") {
		t.Fatalf("password notice: %q\n%s", m.Subject, m.Body)
	}

	page = c.get("/fr/me/account")
	r = c.postForm(page, "/fr/me/account/email", url.Values{"email": {"Moved@Example.org"}, "email_password": {"a brand new passphrase"}})
	c.mustStatus(r, 303)
	m = smtp.Next(t)
	if len(m.To) != 1 || m.To[0] != "owner@example.org" {
		t.Fatalf("address notice went to %v, want the old address", m.To)
	}
	if !strings.Contains(m.Subject, "adresse e-mail") || !strings.Contains(m.Body, "moved@example.org") {
		t.Fatalf("address notice: %q\n%s", m.Subject, m.Body)
	}
	if n := smtp.Received(); n != 2 {
		t.Fatalf("%d mails sent, want 2 (the refused change sends none)", n)
	}
}

// TestSignInLogged: every sign-in decision is logged with its outcome and
// the account's id, never the address or the password, while the visitor
// gets one answer whatever the reason.
func TestSignInLogged(t *testing.T) {
	var logs testenv.LogBuffer
	srv := mustOpenServerOn(t, testenv.MustOpenStore(t), func(o *web.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	u := srv.account(t, "guess@example.org", "the right password 1", "en")
	c := srv.client(t)
	wrong := c.login("en", "guess@example.org", "a wrong password 22")
	unknown := c.login("en", "nobody@example.org", "a wrong password 22")
	c.mustStatus(wrong, 422)
	c.mustStatus(unknown, 422)
	if text(wrong, ".error-summary") != text(unknown, ".error-summary") {
		t.Fatal("a wrong password and an unknown address answer differently")
	}
	c.mustStatus(c.login("en", "guess@example.org", "the right password 1"), 303)
	out := logs.String()
	id := strconv.FormatInt(u.ID, 10)
	for _, want := range []string{
		`"msg":"sign-in","outcome":"wrong_password","user_id":` + id,
		`"msg":"sign-in","outcome":"unknown_account","user_id":0`,
		`"msg":"sign-in","outcome":"ok","user_id":` + id,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	for _, secret := range []string{"guess@example.org", "nobody@example.org", "a wrong password 22", "the right password 1"} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q", secret)
		}
	}
}
