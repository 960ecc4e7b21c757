package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/quiz"
	"beacon/app/web"

	"github.com/valyala/fasthttp"
)

// serveOnce runs one request through the server's handler in process: it
// measures server time (routing, middleware, store, templates), not the network.
func serveOnce(tb testing.TB, h fasthttp.RequestHandler, ctx *fasthttp.RequestCtx, method, uri string, cookies map[string]string, body string) int {
	ctx.Request.Reset()
	ctx.Response.Reset()
	ctx.Request.Header.SetMethod(method)
	ctx.Request.SetRequestURI(uri)
	for k, v := range cookies {
		ctx.Request.Header.SetCookie(k, v)
	}
	if body != "" {
		ctx.Request.Header.SetContentType("application/x-www-form-urlencoded")
		ctx.Request.SetBodyString(body)
	}
	h(ctx)
	return ctx.Response.StatusCode()
}

// BenchmarkLessonPage renders a lesson in full for a returning guest
// (progress lookup included), with the page cache off: what a page costs
// when it is not kept.
func BenchmarkLessonPage(b *testing.B) {
	srv := MustOpenServer(b, func(o *web.Options) { o.NoPageCache = true })
	c := srv.client(b)
	page := c.get("/en/courses/cyber-hygiene/lessons/passwords")
	c.mustStatus(c.postForm(page, "/en/courses/cyber-hygiene/lessons/passwords/complete", nil), 303)
	h := srv.Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := serveOnce(b, h, &ctx, "GET", "/en/courses/cyber-hygiene/lessons/phishing", c.cookies, ""); st != 200 {
			b.Fatalf("status %d", st)
		}
	}
}

// BenchmarkQuizSubmit scores and stores one quiz attempt (a write
// transaction with its rollups) and redirects to the result.
func BenchmarkQuizSubmit(b *testing.B) {
	srv := MustOpenServer(b, func(o *web.Options) { o.Limits.QuizAddress.Max, o.Limits.QuizLearner.Max = 1<<30, 1<<30 })
	pc := srv.course(b, "cyber-hygiene")
	c := srv.client(b)
	page := c.get("/en/courses/cyber-hygiene/quiz")
	csrf := page.Doc.Find("input[name=_csrf]").AttrOr("value", "")
	learner := c.cookies["beacon_learner"]
	rng := rand.New(rand.NewPCG(1, 2))
	bodies := make([]string, b.N)
	for i := range bodies {
		drawn := quiz.Draw(pc.Quiz, rng)
		form := url.Values{"_csrf": {csrf}}
		form.Set("attempt", quiz.Seal(quiz.Ticket{Course: pc.Slug, RevisionID: pc.RevisionID, LearnerID: learner,
			Nonce: "bench-" + strconv.Itoa(i), Questions: drawn, IssuedAt: time.Now().Unix()}, []byte("test-secret-test-secret-test-secret!")))
		for _, d := range drawn {
			q, _ := pc.Quiz.Question(d.QuestionID)
			for _, ch := range q.Choices {
				if ch.Correct {
					form.Add("q."+q.ID, ch.ID)
				}
			}
		}
		bodies[i] = form.Encode()
	}
	h := srv.Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := serveOnce(b, h, &ctx, "POST", "/en/courses/cyber-hygiene/quiz", c.cookies, bodies[i]); st != 303 {
			b.Fatalf("status %d: %s", st, ctx.Response.Body())
		}
	}
}

// BenchmarkCatalogSearch searches every course's text for two words, for a
// returning visitor (a first visit also writes its visit count once).
func BenchmarkCatalogSearch(b *testing.B) {
	srv := MustOpenServer(b)
	c := srv.client(b)
	c.get("/en/")
	h := srv.Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := serveOnce(b, h, &ctx, "GET", "/en/courses?q=phishing+message", c.cookies, ""); st != 200 {
			b.Fatalf("status %d", st)
		}
	}
}

// BenchmarkHomeAlertBanner renders the home page for a returning guest with
// no alert in force, and with four (three everyone-alerts and one for a
// region), and for a signed-in learner of a sub-region of that region: the
// banner reads the cache of active alerts, so it adds no database query.
func BenchmarkHomeAlertBanner(b *testing.B) {
	run := func(b *testing.B, srv *testServer, c *client, want int) {
		h := srv.Handler()
		var ctx fasthttp.RequestCtx
		if got := len(bannerIDs(c.get("/en/"))); got != want {
			b.Fatalf("banner holds %d alerts, want %d", got, want)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if st := serveOnce(b, h, &ctx, "GET", "/en/", c.cookies, ""); st != 200 {
				b.Fatalf("status %d", st)
			}
		}
	}
	b.Run("none", func(b *testing.B) {
		srv := MustOpenServer(b)
		active, err := srv.Store.ActiveAlerts(context.Background(), time.Now())
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range active { // the seed pack's drill, while it runs
			srv.followUp(b, a.Identifier, "Cancel", a.Identifier+"-cancel", nil)
		}
		run(b, srv, srv.client(b), 0)
	})
	withAlerts := func(b *testing.B) *testServer {
		srv := MustOpenServer(b)
		active, err := srv.Store.ActiveAlerts(context.Background(), time.Now())
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range active {
			srv.followUp(b, a.Identifier, "Cancel", a.Identifier+"-cancel", nil)
		}
		for i, sev := range []string{"Extreme", "Severe", "Minor"} {
			srv.publishAlert(b, alertFixture(fmt.Sprintf("bench-%d", i), func(a *app.Alert) { a.Severity = sev }))
		}
		srv.publishAlert(b, alertFixture("bench-north", func(a *app.Alert) { a.Regions = []string{"north"} }))
		return srv
	}
	b.Run("banner-guest", func(b *testing.B) {
		srv := withAlerts(b)
		run(b, srv, srv.client(b), 3)
	})
	b.Run("banner-region", func(b *testing.B) {
		srv := withAlerts(b)
		run(b, srv, srv.signedInAt(b, "bench@alerts.example.org", "north-hillside"), 4)
	})
}

// BenchmarkLessonPage_Anonymous serves a lesson to a visitor who carries
// nothing personal: a hit in the page cache.
func BenchmarkLessonPage_Anonymous(b *testing.B) {
	srv := MustOpenServer(b)
	h := srv.Handler()
	var ctx fasthttp.RequestCtx
	serveOnce(b, h, &ctx, "GET", "/en/courses/cyber-hygiene/lessons/phishing", nil, "")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := serveOnce(b, h, &ctx, "GET", "/en/courses/cyber-hygiene/lessons/phishing", nil, ""); st != 200 {
			b.Fatalf("status %d", st)
		}
	}
}

// BenchmarkLessonPage_SignedIn serves a lesson to a signed-in learner with
// progress: the kept page with the header, banner and lesson state filled in.
func BenchmarkLessonPage_SignedIn(b *testing.B) {
	srv := MustOpenServer(b)
	c := srv.signedIn(b, "bench-signed@example.org")
	c.mustStatus(c.postForm(c.get("/en/courses/cyber-hygiene/lessons/passwords"), "/en/courses/cyber-hygiene/lessons/passwords/complete", nil), 303)
	c.get("/en/me")
	h := srv.Handler()
	var ctx fasthttp.RequestCtx
	serveOnce(b, h, &ctx, "GET", "/en/courses/cyber-hygiene/lessons/phishing", nil, "") // keeps the page
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := serveOnce(b, h, &ctx, "GET", "/en/courses/cyber-hygiene/lessons/phishing", c.cookies, ""); st != 200 {
			b.Fatalf("status %d", st)
		}
	}
}
