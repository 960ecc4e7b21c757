package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/config"
	"beacon/app/mail"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"

	"github.com/alexedwards/argon2id"
)

// withMail points the server's mailer at the in-test SMTP server.
func withMail(tb testing.TB, srv *testenv.SMTPServer) func(*web.Options) {
	tb.Helper()
	cfg, err := config.ParseSMTP(srv.URL())
	if err != nil {
		tb.Fatal(err)
	}
	return func(o *web.Options) {
		o.Mailer = mail.New(mail.Options{Server: cfg, RootCAs: srv.RootCAs()})
	}
}

// withBaseURL sets the public URL that links in mail start with.
func withBaseURL(base string) func(*web.Options) {
	return func(o *web.Options) { o.BaseURL = base }
}

// account creates a learner with a password (cheap argon2 parameters).
func (s *testServer) account(tb testing.TB, email, password, locale string) *app.User {
	tb.Helper()
	hash, err := argon2id.CreateHash(password, &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if err != nil {
		tb.Fatal(err)
	}
	u := &app.User{Email: email, DisplayName: strings.Split(email, "@")[0], PasswordHash: hash, Roles: []string{app.RoleLearner}, Locale: locale}
	if err := s.Store.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return u
}

// login signs c in and returns the answer's status.
func (c *client) login(lang, email, password string) *response {
	c.tb.Helper()
	return c.postForm(c.get("/"+lang+"/login"), "/"+lang+"/login", url.Values{"email": {email}, "password": {password}})
}

// signedInNow reports whether c holds a live session (a page for accounts
// only answers 200 instead of sending to the login page).
func (c *client) signedInNow() bool {
	c.tb.Helper()
	return c.get("/en/me/delete").Status == 200
}

// linkIn finds the first link to base+path-prefix in a mail body and
// returns its path.
func linkIn(tb testing.TB, body, base, prefix string) string {
	tb.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(base+prefix) + `[A-Za-z0-9_-]{20,}`).FindString(body)
	if m == "" {
		tb.Fatalf("no link %s%s… in the mail:\n%s", base, prefix, body)
	}
	return strings.TrimPrefix(m, base)
}

// TestPasswordResetByEmail walks the reset by mail through HTTP, in two
// languages: the same answer for an unknown address (and no mail), the
// localized mail with an absolute link, the new password, every other
// session ended, the old password refused, the link single-use, and an
// expired link refused once the clock moves past its hour. On SQLite and,
// when BEACON_TEST_POSTGRES is set, PostgreSQL.
func TestPasswordResetByEmail(t *testing.T) {
	const base = "https://beacon.example"
	for _, tc := range []struct{ lang, subject, body string }{
		{"en", "Reset your password for Beacon", "To choose a new password, open this link within 60 minutes"},
		{"fr", "Réinitialiser votre mot de passe sur Beacon", "Pour choisir un nouveau mot de passe, ouvrez ce lien dans les 60 minutes"},
	} {
		for db, open := range testenv.Stores(t) {
			t.Run(db+"/"+tc.lang, func(t *testing.T) {
				smtp := testenv.MustStartSMTP(t)
				ts := mustOpenServerOn(t, open(t), withMail(t, smtp), withBaseURL(base))
				lang := tc.lang
				ts.account(t, "ana@example.org", "old password 123", "en")
				other := ts.client(t)
				other.mustStatus(other.login(lang, "ana@example.org", "old password 123"), 303)

				c := ts.client(t)
				login := c.get("/" + lang + "/login")
				if href := login.Doc.Find("a#forgot-link").AttrOr("href", ""); href != "/"+lang+"/password/forgot" {
					t.Fatalf("login page links %q for a forgotten password", href)
				}
				page := c.get("/" + lang + "/password/forgot")
				c.mustStatus(page, 200)

				// An unknown address first: same redirect, same page.
				unknown := c.postForm(page, "/"+lang+"/password/forgot", url.Values{"email": {"nobody@example.org"}})
				known := c.postForm(page, "/"+lang+"/password/forgot", url.Values{"email": {"Ana@Example.org"}})
				c.mustStatus(unknown, 303)
				c.mustStatus(known, 303)
				if unknown.Location != known.Location || unknown.Body != known.Body {
					t.Fatalf("answers differ: %q vs %q", unknown.Location, known.Location)
				}
				sentUnknown, sentKnown := c.get(unknown.Location), c.get(known.Location)
				if sentUnknown.Body != sentKnown.Body || text(sentKnown, "#sent-text") == "" {
					t.Fatal("the page after asking differs between an unknown and a known address")
				}
				if want := ts.Bundle.Localizer(lang).T("password.sent.text", map[string]any{"Minutes": 60}); text(sentKnown, "#sent-text") != want {
					t.Fatalf("sent page says %q, want %q", text(sentKnown, "#sent-text"), want)
				}

				// The outbox runs jobs in order: the first mail to arrive is
				// the known address's, so the unknown one got none.
				m := smtp.Next(t)
				if len(m.To) != 1 || m.To[0] != "ana@example.org" {
					t.Fatalf("mail went to %v", m.To)
				}
				if m.Subject != tc.subject || !strings.Contains(m.Body, tc.body) {
					t.Fatalf("mail in the wrong language: %q\n%s", m.Subject, m.Body)
				}
				link := linkIn(t, m.Body, base, "/"+lang+"/password/reset/")

				form := c.get(link)
				c.mustStatus(form, 200)
				if !strings.Contains(form.Header.Get("Cache-Control"), "no-store") || form.Header.Get("Referrer-Policy") != "no-referrer" {
					t.Errorf("reset page headers: Cache-Control %q, Referrer-Policy %q", form.Header.Get("Cache-Control"), form.Header.Get("Referrer-Policy"))
				}
				c.mustStatus(c.postForm(form, link, url.Values{"password": {"new password 456"}, "password_confirm": {"new password 457"}}), 422)
				c.mustStatus(c.postForm(form, link, url.Values{"password": {"short"}, "password_confirm": {"short"}}), 422)
				done := c.postForm(form, link, url.Values{"password": {"new password 456"}, "password_confirm": {"new password 456"}})
				c.mustStatus(done, 303)
				if done.Location != "/"+lang+"/me" || !c.signedInNow() {
					t.Fatalf("not signed in after the reset (to %q)", done.Location)
				}
				if other.signedInNow() {
					t.Fatal("another device stayed signed in after the reset")
				}
				fresh := ts.client(t)
				fresh.mustStatus(fresh.login(lang, "ana@example.org", "old password 123"), 422)
				fresh.mustStatus(fresh.login(lang, "ana@example.org", "new password 456"), 303)

				again := ts.client(t)
				used := again.get(link)
				again.mustStatus(used, 404)
				if text(used, "#reset-invalid") == "" {
					t.Fatal("a used link shows no explanation")
				}
				again.mustStatus(again.post(link, url.Values{"password": {"third password 789"}, "password_confirm": {"third password 789"}}), 404)

				// A new link, opened after its hour.
				c.mustStatus(c.post("/"+lang+"/password/forgot", url.Values{"email": {"ana@example.org"}}), 303)
				late := linkIn(t, smtp.Next(t).Body, base, "/"+lang+"/password/reset/")
				ts.Store.SetClock(func() time.Time { return time.Now().UTC().Add(61 * time.Minute) })
				again.mustStatus(again.get(late), 404)
				again.mustStatus(again.post(late, url.Values{"password": {"third password 789"}, "password_confirm": {"third password 789"}}), 404)
				ts.Store.SetClock(func() time.Time { return time.Now().UTC() })
				if n := smtp.Received(); n != 2 {
					t.Fatalf("%d mails sent, want 2", n)
				}
				entries, err := ts.Store.Audit(context.Background(), store.AuditFilter{ObjectType: "user"})
				if err != nil || len(entries) == 0 || entries[0].Action != "user:password_reset" {
					t.Fatalf("audit: %v %v", entries, err)
				}
			})
		}
	}
	t.Run("rate limited per address", func(t *testing.T) {
		smtp := testenv.MustStartSMTP(t)
		ts := MustOpenServer(t, withMail(t, smtp), func(o *web.Options) {
			o.Limits = roomyLimits()
			o.Limits.ResetAccount = config.Rate{Max: 2, Window: time.Hour}
			o.Limits.ResetAddress = config.Rate{Max: 1000, Window: time.Hour}
		})
		c := ts.client(t)
		for i := 0; i < 2; i++ {
			c.mustStatus(c.post("/en/password/forgot", url.Values{"email": {"someone@example.org"}}), 303)
		}
		r := c.post("/en/password/forgot", url.Values{"email": {"SOMEONE@example.org"}})
		c.mustStatus(r, 429)
		c.mustStatus(c.post("/en/password/forgot", url.Values{"email": {"another@example.org"}}), 303)
	})
}

// TestResetNoSMTPAdminLink checks the way back in without mail: the
// forgot page says whom to ask, an administrator issues a one-time link
// (shown once, audited, administrators only), and the link works once.
func TestResetNoSMTPAdminLink(t *testing.T) {
	ts := MustOpenServer(t)
	ctx := context.Background()
	l := ts.Bundle.Localizer("en")
	c := ts.client(t)
	page := c.get("/en/password/forgot")
	c.mustStatus(page, 200)
	if got := text(page, "#forgot-help"); got != l.T("password.forgot.no_mail", nil) {
		t.Fatalf("forgot page says %q", got)
	}
	if page.Doc.Find(`form[action="/en/password/forgot"]`).Length() != 0 {
		t.Fatal("the forgot page offers a form though no mail can be sent")
	}
	c.mustStatus(c.post("/en/password/forgot", url.Values{"email": {"ana@example.org"}}), 200)

	ana := ts.account(t, "ana@example.org", "old password 123", "es")
	anaDevice := ts.client(t)
	anaDevice.mustStatus(anaDevice.login("en", "ana@example.org", "old password 123"), 303)
	admin := ts.signedIn(t, "root@example.org", app.RoleAdministrator)
	userPage := "/en/admin/users/" + strconv.FormatInt(ana.ID, 10)
	edit := admin.get(userPage)
	admin.mustStatus(edit, 200)
	action := userPage + "/reset-link"
	if edit.Doc.Find("#reset-link").Length() != 0 {
		t.Fatal("a link is shown before one was asked for")
	}
	issued := admin.postForm(edit, action, nil)
	admin.mustStatus(issued, 200)
	link := issued.Doc.Find("input#reset-link").AttrOr("value", "")
	if !strings.HasPrefix(link, "http://localhost/es/password/reset/") {
		t.Fatalf("link %q: want an absolute link in the person's language", link)
	}
	if !strings.Contains(issued.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("the page showing the link may be cached: %q", issued.Header.Get("Cache-Control"))
	}
	if admin.get(userPage).Doc.Find("#reset-link").Length() != 0 {
		t.Fatal("the link is shown again")
	}
	entries, err := ts.Store.Audit(ctx, store.AuditFilter{ObjectType: "user", ObjectID: strconv.FormatInt(ana.ID, 10)})
	if err != nil || len(entries) != 1 || entries[0].Action != "user:reset_link" || entries[0].Actor != "root@example.org" {
		t.Fatalf("audit: %+v %v", entries, err)
	}

	educator := ts.signedIn(t, "edu@example.org", app.RoleEducator)
	educator.mustStatus(educator.post(action, url.Values{"_csrf": {educator.csrf()}}), 403)

	path := strings.TrimPrefix(link, "http://localhost")
	guest := ts.client(t)
	form := guest.get(path)
	guest.mustStatus(form, 200)
	done := guest.postForm(form, path, url.Values{"password": {"chosen again 123"}, "password_confirm": {"chosen again 123"}})
	guest.mustStatus(done, 303)
	if !guest.signedInNow() || anaDevice.signedInNow() {
		t.Fatal("after the reset: this browser signed in, Ana's other device signed out")
	}
	guest.mustStatus(ts.client(t).get(path), 404)
	fresh := ts.client(t)
	fresh.mustStatus(fresh.login("en", "ana@example.org", "chosen again 123"), 303)
}

// TestRegisterDoesNotRevealAccounts checks that with mail on, registering
// an address that has an account and one that has none get the same
// answer; the first gets a "you already have an account" mail, the second
// a confirmation link that makes the account (with the guest's progress)
// once. Sign-in answers a wrong password and an unknown address alike.
// Without mail registration is immediate, as before (a known limit).
func TestRegisterDoesNotRevealAccounts(t *testing.T) {
	const base = "https://beacon.example"
	smtp := testenv.MustStartSMTP(t)
	ts := MustOpenServer(t, withMail(t, smtp), withBaseURL(base))
	ctx := context.Background()
	ts.account(t, "ana@example.org", "ana password 123", "en")

	register := func(c *client, email string) *response {
		t.Helper()
		page := c.get("/en/register")
		return c.postForm(page, "/en/register", url.Values{"email": {email}, "display_name": {"Someone"}, "password": {"a long password 1"}})
	}
	existing := ts.client(t)
	r1 := register(existing, "ana@example.org")
	newcomer := ts.client(t)
	pc := ts.course(t, "cyber-hygiene")
	lesson := "/en/courses/" + pc.Slug + "/lessons/" + pc.Lessons[0].Slug
	newcomer.mustStatus(newcomer.postForm(newcomer.get(lesson), lesson+"/complete", nil), 303)
	guest := newcomer.cookies["beacon_learner"]
	r2 := register(newcomer, "bo@example.org")
	existing.mustStatus(r1, 303)
	newcomer.mustStatus(r2, 303)
	if r1.Location != "/en/register/sent" || r2.Location != r1.Location {
		t.Fatalf("answers: %q and %q", r1.Location, r2.Location)
	}
	if a, b := existing.get(r1.Location), newcomer.get(r2.Location); text(a, "main") != text(b, "main") {
		t.Fatal("the pages after registering differ")
	}
	if existing.signedInNow() || newcomer.signedInNow() {
		t.Fatal("signed in before confirming")
	}

	m := smtp.Next(t)
	if m.To[0] != "ana@example.org" || m.Subject != "You already have an account on Beacon" ||
		!strings.Contains(m.Body, base+"/en/login") || !strings.Contains(m.Body, base+"/en/password/forgot") {
		t.Fatalf("mail to the existing address: %v %q\n%s", m.To, m.Subject, m.Body)
	}
	m = smtp.Next(t)
	if m.To[0] != "bo@example.org" || m.Subject != "Confirm your email address for Beacon" {
		t.Fatalf("mail to the new address: %v %q", m.To, m.Subject)
	}
	if _, err := ts.Store.FindUserByEmail(ctx, "bo@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("account exists before confirming: %v", err)
	}
	// Unconfirmed, unknown, and wrong password: one answer.
	answers := map[string]string{}
	for _, try := range [][2]string{{"bo@example.org", "a long password 1"}, {"nobody@example.org", "whatever 12345"}, {"ana@example.org", "wrong password 1"}} {
		c := ts.client(t)
		r := c.login("en", try[0], try[1])
		c.mustStatus(r, 422)
		answers[text(r, ".error-summary")+"|"+text(r, "#email-error")] = try[0]
	}
	want := ts.Bundle.Localizer("en").T("account.error.login_failed", nil)
	if len(answers) != 1 || !strings.Contains(strings.Join(mapKeys(answers), ""), want) {
		t.Fatalf("sign-in answers differ: %v", answers)
	}

	link := linkIn(t, m.Body, base, "/en/register/confirm/")
	confirm := newcomer.get(link)
	newcomer.mustStatus(confirm, 200)
	if _, err := ts.Store.FindUserByEmail(ctx, "bo@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatal("opening the link made the account: a mail scanner would use it up")
	}
	done := newcomer.postForm(confirm, link, nil)
	newcomer.mustStatus(done, 303)
	if !newcomer.signedInNow() {
		t.Fatal("not signed in after confirming")
	}
	bo, err := ts.Store.FindUserByEmail(ctx, "bo@example.org")
	if err != nil || bo.LearnerID != guest {
		t.Fatalf("account %+v (%v): want the guest's learner %s", bo, err, guest)
	}
	newcomer.mustStatus(ts.client(t).get(link), 404)
	fresh := ts.client(t)
	fresh.mustStatus(fresh.login("en", "bo@example.org", "a long password 1"), 303)
	if n := smtp.Received(); n != 2 {
		t.Fatalf("%d mails, want 2", n)
	}

	t.Run("without mail registration is immediate", func(t *testing.T) {
		ts := MustOpenServer(t)
		c := ts.client(t)
		page := c.get("/en/register")
		r := c.postForm(page, "/en/register", url.Values{"email": {"cy@example.org"}, "display_name": {"Cy"}, "password": {"a long password 1"}})
		c.mustStatus(r, 303)
		if !c.signedInNow() {
			t.Fatal("not signed in")
		}
	})
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// BenchmarkPasswordForgot measures the answer to a reset request for an
// address with an account and one without: the lookup and the mail run
// after the answer, so both should cost the same.
func BenchmarkPasswordForgot(b *testing.B) {
	smtp := testenv.MustStartSMTP(b)
	ts := MustOpenServer(b, withMail(b, smtp))
	ts.account(b, "ana@example.org", "a password 1234", "en")
	for _, email := range []string{"ana@example.org", "nobody@example.org"} {
		b.Run(strings.Split(email, "@")[0], func(b *testing.B) {
			c := ts.client(b)
			form := url.Values{"email": {email}}
			for b.Loop() {
				if r := c.post("/en/password/forgot", form); r.Status != 303 {
					b.Fatalf("status %d", r.Status)
				}
			}
		})
	}
}
