package web_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// BenchmarkItemAnalysisPage renders the item analysis of the seed course
// cyber-hygiene (its live revision, every question and choice, protection
// included) in process at 2,000 and 200,000 demo learners, as an
// organizer, and reports the median and 95th percentile request times as
// p50-ms and p95-ms. Target: under 50 ms at 200,000.
func BenchmarkItemAnalysisPage(b *testing.B) {
	for _, n := range []int{2000, 200000} {
		b.Run("learners="+strconv.Itoa(n), func(b *testing.B) {
			srv, c := demoServer(b, n)
			h := srv.Handler()
			var ctx fasthttp.RequestCtx
			const uri = "/en/admin/courses/cyber-hygiene/items"
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
