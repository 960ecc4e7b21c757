package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"beacon/app/cli"
	"beacon/app/store"
	"beacon/app/testenv"
)

// demoDB returns a store over a SQLite file of n demo learners, built once
// and cached in the temp dir (BEACON_BENCH_DIR overrides) across runs.
func demoDB(b *testing.B, n int) *store.Store {
	b.Helper()
	ctx := context.Background()
	dir := os.Getenv("BEACON_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "beacon-bench")
	}
	path := filepath.Join(dir, "demo-"+strconv.Itoa(n)+".db")
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".building"
		os.Remove(tmp)
		st, err := store.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Migrate(ctx, testenv.Sub(b, "migrations")); err != nil {
			b.Fatal(err)
		}
		if _, err := cli.ImportFS(ctx, st, testenv.Sub(b, "content"), []string{"en", "zh-Hans"}); err != nil {
			b.Fatal(err)
		}
		if err := cli.GenerateDemo(ctx, st, n, 1, nil); err != nil {
			b.Fatal(err)
		}
		st.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkStatsDashboard measures what one dashboard page asks of the
// store: the summary, the per-day series of started learners and a
// breakdown by region, over the whole campaign window, site-wide.
func BenchmarkStatsDashboard(b *testing.B) {
	for _, n := range []int{2000, 200000} {
		b.Run("learners="+strconv.Itoa(n), func(b *testing.B) {
			st := demoDB(b, n)
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
