package web_test

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// BenchmarkAPIMe answers GET /api/v1/me with a bearer token: the cost of
// token authentication (one indexed query; the last-use write happens at
// most every 5 minutes) plus a small JSON answer.
func BenchmarkAPIMe(b *testing.B) {
	srv := MustOpenServer(b)
	tok := srv.signedIn(b, "bench@example.org").createToken("bench", "30")
	h := srv.Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.Header.SetMethod("GET")
		ctx.Request.SetRequestURI("/api/v1/me")
		ctx.Request.Header.Set("Authorization", "Bearer "+tok)
		h(&ctx)
		if st := ctx.Response.StatusCode(); st != 200 {
			b.Fatalf("status %d", st)
		}
	}
}
