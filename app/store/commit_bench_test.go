package store_test

import (
	"context"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
)

// BenchmarkSubmitAttempt measures quiz submissions through the store alone
// (no HTTP): 64 callers at once, each submission by a guest new to the
// course, on SQLite and on PostgreSQL (BEACON_TEST_POSTGRES). It reports
// submissions per second: the ceiling of the committer on this machine.
func BenchmarkSubmitAttempt(b *testing.B) {
	stores := testenv.Stores(b)
	names := make([]string, 0, len(stores))
	for name := range stores {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			st := stores[name](b)
			c := seed(b, st)[0]
			var n atomic.Int64
			b.SetParallelism(32)
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					a := store.Actor{LearnerID: app.NewID(), Locale: "en"}
					if _, _, _, err := st.SubmitAttempt(context.Background(), a, c, scoredAttempt("bench-"+strconv.FormatInt(i, 10), 80), 3); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "subs/s")
		})
	}
}
