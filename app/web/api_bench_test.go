package web_test

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// BenchmarkAPI serves the public API's heaviest answers in process: the
// catalog, one course with its lessons' HTML, and a campaign with its
// protected figures (a statistics release per request).
func BenchmarkAPI(b *testing.B) {
	srv := MustOpenServer(b)
	for _, path := range []string{"/api/v1/courses?lang=fr", "/api/v1/courses/cyber-hygiene?lang=fr",
		"/api/v1/campaigns/security-education-day-2027", "/api/v1/alerts?region=north-riverside"} {
		b.Run(path, func(b *testing.B) {
			h := srv.Handler()
			var ctx fasthttp.RequestCtx
			b.ReportAllocs()
			for b.Loop() {
				if st := serveOnce(b, h, &ctx, "GET", path, nil, ""); st != 200 {
					b.Fatalf("status %d", st)
				}
			}
		})
	}
}
