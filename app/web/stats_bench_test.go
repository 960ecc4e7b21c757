package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/i18n"
	"beacon/app/testenv"
	"beacon/app/web"

	"github.com/alexedwards/argon2id"
	"github.com/valyala/fasthttp"
)

// demoServer is a server over the demo store with an organizer signed in.
func demoServer(b *testing.B, n int) (*testServer, *client) {
	b.Helper()
	st := testenv.DemoStore(b, n)
	bundle, err := i18n.Load(testenv.Sub(b, "content/locales"), "en")
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(web.Options{Store: st, Bundle: bundle, Templates: testenv.Sub(b, "templates"), Static: testenv.Sub(b, "static"),
		Migrations: testenv.Sub(b, "migrations"), Secret: []byte("test-secret-test-secret-test-secret!"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: roomyLimits()})
	if err != nil {
		b.Fatal(err)
	}
	ts := &testServer{Server: srv, Store: st, Bundle: bundle}
	const email = "bench-organizer@stats.example.org"
	ctx := context.Background()
	if _, err := st.FindUserByEmail(ctx, email); app.ErrorCode(err) == app.ENOTFOUND {
		hash, err := argon2id.CreateHash("a test password", &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.CreateUser(ctx, &app.User{Email: email, DisplayName: "Bench", PasswordHash: hash, Roles: []string{app.RoleOrganizer}, Locale: "en"}); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}
	c := ts.client(b)
	c.mustStatus(c.postForm(c.get("/en/login"), "/en/login", url.Values{"email": {email}, "password": {"a test password"}}), 303)
	return ts, c
}

// BenchmarkStatsDashboardPage renders the whole site-wide dashboard (every
// figure, chart and table, suppression included) in process over the demo
// campaign's month, at 2,000 and 200,000 demo learners, and reports the
// median and the 95th percentile of the per-request times as p50-ms and
// p95-ms.
func BenchmarkStatsDashboardPage(b *testing.B) {
	benchDemoPage(b, "/en/admin/stats?from=2027-04-01&to=2027-04-30&who=all")
}

// BenchmarkCampaignReportPage renders the demo campaign's close-out report
// (goal, funnel chart, channels chart, regions chart and map, tables) the
// same way, at 2,000 and 200,000 demo learners.
func BenchmarkCampaignReportPage(b *testing.B) {
	benchDemoPage(b, "/en/admin/campaigns/security-education-day-2027/report")
}

// benchDemoPage serves uri in process to a signed-in organizer over
// 2,000 and 200,000 demo learners and reports the median and the 95th
// percentile of the per-request times as p50-ms and p95-ms.
func benchDemoPage(b *testing.B, uri string) {
	for _, n := range []int{2000, 200000} {
		b.Run("learners="+strconv.Itoa(n), func(b *testing.B) {
			srv, c := demoServer(b, n)
			h := srv.Handler()
			var ctx fasthttp.RequestCtx
			if st := serveOnce(b, h, &ctx, "GET", uri, c.cookies, ""); st != 200 { // warm up
				b.Fatalf("status %d: %.300s", st, ctx.Response.Body())
			}
			var times []time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				if st := serveOnce(b, h, &ctx, "GET", uri, c.cookies, ""); st != 200 {
					b.Fatalf("status %d", st)
				}
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(times)
			p50, p95 := times[len(times)/2], times[min(len(times)-1, len(times)*95/100)]
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
		})
	}
}
