package web_test

import (
	"context"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"beacon/app/config"
	"beacon/app/i18n"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"
)

// tryLoginAs tries to sign in as email with a wrong password.
func tryLoginAs(c *client, lang, email string) *response {
	c.tb.Helper()
	return c.postWith("/"+lang+"/login", url.Values{"email": {email}, "password": {"not the password"}}, nil)
}

func mustTooMany(t *testing.T, srv *testServer, r *response, lang string) {
	t.Helper()
	if r.Status != 429 {
		t.Fatalf("status %d, want 429; %.300s", r.Status, r.Body)
	}
	if want := srv.Bundle.Localizer(lang).T("error.too_many", nil); !strings.Contains(text(r, "main"), want) {
		t.Fatalf("429 page in %s lacks %q: %s", lang, want, text(r, "main"))
	}
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Fatalf("Retry-After %q, want 1..60 seconds", r.Header.Get("Retry-After"))
	}
}

// TestRateLimit_LoginPerAccount uses the default limits: the 11th sign-in
// for one account within a minute gets the localized 429, whatever the
// case of the address and whichever browser tries; other accounts from
// the same address go on, below login_address.
func TestRateLimit_LoginPerAccount(t *testing.T) {
	srv := MustOpenServer(t, func(o *web.Options) { o.Limits = config.DefaultRateLimits() })
	c := srv.client(t)
	for i := 0; i < 10; i++ {
		email := "lee@example.org"
		if i%2 == 1 {
			email = " LEE@Example.org"
		}
		c.mustStatus(tryLoginAs(c, "en", email), 422)
	}
	mustTooMany(t, srv, tryLoginAs(c, "fr", "Lee@example.org"), "fr")
	other := srv.client(t)
	mustTooMany(t, srv, tryLoginAs(other, "en", "lee@example.org"), "en")
	for i := 0; i < 12; i++ {
		other.mustStatus(tryLoginAs(other, "en", "someone-"+strconv.Itoa(i)+"@example.org"), 422)
	}

	t.Run("ZeroDisables", func(t *testing.T) {
		srv := MustOpenServer(t, func(o *web.Options) {
			o.Limits = config.DefaultRateLimits()
			o.Limits.LoginAccount.Max, o.Limits.LoginAddress.Max = 0, 0
		})
		c := srv.client(t)
		for i := 0; i < 12; i++ {
			c.mustStatus(c.postWith("/en/login", url.Values{"email": {"lee@example.org"}, "password": {""}}, nil), 422)
		}
	})
}

// TestRateLimit_QuizPerLearner: quiz submissions count per learner; a
// second learner at the same address is not held back by the first.
func TestRateLimit_QuizPerLearner(t *testing.T) {
	srv := MustOpenServer(t, func(o *web.Options) { o.Limits.QuizLearner.Max = 2 })
	pc := srv.course(t, "cyber-hygiene")
	submit := func(c *client) *response {
		quiz := c.get("/en/courses/cyber-hygiene/quiz")
		c.mustStatus(quiz, 200)
		return c.postForm(quiz, "/en/courses/cyber-hygiene/quiz", rightAnswers(t, quiz, pc, true))
	}
	a := srv.client(t)
	a.mustStatus(submit(a), 303)
	a.mustStatus(submit(a), 303)
	mustTooMany(t, srv, submit(a), "en")
	b := srv.client(t)
	b.mustStatus(submit(b), 303)
}

// serverOn builds a server over st (not seeded): one instance of several.
func serverOn(tb testing.TB, st *store.Store, tune ...func(*web.Options)) *testServer {
	tb.Helper()
	bundle, err := i18n.Load(testenv.Sub(tb, "content/locales"), "en")
	if err != nil {
		tb.Fatal(err)
	}
	opts := web.Options{Store: st, Bundle: bundle, Templates: testenv.Sub(tb, "templates"), Static: testenv.Sub(tb, "static"),
		Migrations: testenv.Sub(tb, "migrations"), Secret: []byte("test-secret-test-secret-test-secret!"),
		Logger: slog.New(slog.NewTextHandler(&testenv.LogBuffer{}, nil)), Limits: roomyLimits()}
	for _, f := range tune {
		f(&opts)
	}
	srv, err := web.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return &testServer{Server: srv, Store: st, Bundle: bundle}
}

// openPostgresInstances opens n stores, each with its own connections,
// on one fresh migrated PostgreSQL schema: n instances of one site.
func openPostgresInstances(t *testing.T, n int) []*store.Store {
	t.Helper()
	dsn := testenv.PostgresDSN(t)
	ctx := context.Background()
	out := make([]*store.Store, n)
	for i := range out {
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(ctx, testenv.Sub(t, "migrations")); err != nil {
			t.Fatal(err)
		}
		out[i] = st
	}
	return out
}

// TestRateLimit_SharedOnPostgres: two instances on one PostgreSQL database
// count against one limit: tries on A then on B reach it on both.
func TestRateLimit_SharedOnPostgres(t *testing.T) {
	stores := openPostgresInstances(t, 2)
	limit := func(o *web.Options) { o.Limits.LoginAccount.Max = 3 }
	a, b := serverOn(t, stores[0], limit), serverOn(t, stores[1], limit)
	ca, cb := a.client(t), b.client(t)
	cb.cookies = ca.cookies // one browser, sent to either instance by the balancer
	ca.mustStatus(tryLoginAs(ca, "en", "shared@example.org"), 422)
	ca.mustStatus(tryLoginAs(ca, "en", "shared@example.org"), 422)
	cb.mustStatus(tryLoginAs(cb, "en", "shared@example.org"), 422)
	mustTooMany(t, b, tryLoginAs(cb, "en", "shared@example.org"), "en")
	mustTooMany(t, a, tryLoginAs(ca, "en", "shared@example.org"), "en")
	ca.mustStatus(tryLoginAs(ca, "en", "another@example.org"), 422)
}

// TestRateLimit_FailsOpen: when the shared counter cannot be reached the
// request goes through (and the handler answers), with a warning logged.
func TestRateLimit_FailsOpen(t *testing.T) {
	stores := openPostgresInstances(t, 1)
	logs := &testenv.LogBuffer{}
	srv := serverOn(t, stores[0], func(o *web.Options) {
		o.Limits.LoginAccount.Max = 1
		o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	if err := stores[0].Exec(context.Background(), `DROP TABLE rate_limits`); err != nil {
		t.Fatal(err)
	}
	c := srv.client(t)
	for i := 0; i < 3; i++ {
		c.mustStatus(tryLoginAs(c, "en", "open@example.org"), 422)
	}
	if !strings.Contains(logs.String(), "rate limit not checked") {
		t.Fatalf("no warning logged:\n%s", logs.String())
	}
}
