package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"beacon/app/store"
	"beacon/app/testenv"
)

// BenchmarkStatsDashboard measures what one dashboard page asks of the
// store: the summary, the per-day series of started learners and a
// breakdown by region, over the whole campaign window, site-wide.
func BenchmarkStatsDashboard(b *testing.B) {
	for _, n := range []int{2000, 200000} {
		b.Run("learners="+strconv.Itoa(n), func(b *testing.B) {
			st := testenv.DemoStore(b, n)
			ctx := context.Background()
			from := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(2027, 4, 30, 0, 0, 0, 0, time.UTC)
			b.ResetTimer()
			for b.Loop() {
				if _, err := st.StatsSummary(ctx, 0, from, to); err != nil {
					b.Fatal(err)
				}
				if _, err := st.StatsByDay(ctx, 0, store.StatStarted, from, to); err != nil {
					b.Fatal(err)
				}
				if _, err := st.StatsBreakdown(ctx, 0, store.DimRegion, from, to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
