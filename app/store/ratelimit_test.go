package store_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beacon/app/testenv"
)

func TestStore_HitRateLimit(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			ctx := context.Background()
			t0 := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
			hit := func(bucket string, at time.Time) (int64, time.Time) {
				t.Helper()
				n, reset, err := st.HitRateLimit(ctx, bucket, time.Minute, at)
				if err != nil {
					t.Fatal(err)
				}
				return n, reset
			}

			t.Run("WindowRollover", func(t *testing.T) {
				if n, reset := hit("login_account:a", t0); n != 1 || !reset.Equal(t0.Add(time.Minute)) {
					t.Fatalf("first hit: %d, resets %v", n, reset)
				}
				if n, reset := hit("login_account:a", t0.Add(59*time.Second)); n != 2 || !reset.Equal(t0.Add(time.Minute)) {
					t.Fatalf("second hit: %d, resets %v", n, reset)
				}
				if n, _ := hit("login_account:b", t0.Add(59*time.Second)); n != 1 {
					t.Fatalf("another bucket counts on its own: %d", n)
				}
				if n, reset := hit("login_account:a", t0.Add(time.Minute)); n != 1 || !reset.Equal(t0.Add(2*time.Minute)) {
					t.Fatalf("hit at the window's end starts a new one: %d, resets %v", n, reset)
				}
				// At t0+1m bucket b's window (t0+59s .. t0+1m59s) is still open; a's is too.
				if n, err := st.DeleteExpiredRateLimits(ctx, t0.Add(time.Minute)); err != nil || n != 0 {
					t.Fatalf("sweep of open windows deleted %d (%v)", n, err)
				}
				if n, err := st.DeleteExpiredRateLimits(ctx, t0.Add(2*time.Minute)); err != nil || n != 2 {
					t.Fatalf("sweep deleted %d (%v), want 2", n, err)
				}
				if n, _ := hit("login_account:a", t0.Add(2*time.Minute)); n != 1 {
					t.Fatalf("after the sweep: %d", n)
				}
			})

			t.Run("ConcurrentHitsCountedExactly", func(t *testing.T) {
				const workers, each = 8, 40
				seen := make([]int, workers*each+1)
				var mu sync.Mutex
				var wg sync.WaitGroup
				errs := make(chan error, workers)
				for w := 0; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; i < each; i++ {
							n, _, err := st.HitRateLimit(ctx, "quiz_address:x", time.Hour, t0)
							if err != nil {
								errs <- err
								return
							}
							mu.Lock()
							if n >= 1 && int(n) < len(seen) {
								seen[n]++
							}
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatal(err)
				}
				for n := 1; n < len(seen); n++ {
					if seen[n] != 1 {
						t.Fatalf("count %d returned %d times; every hit must get its own count", n, seen[n])
					}
				}
				if n, _ := hit("quiz_address:x", t0); n != workers*each+1 {
					t.Fatalf("next hit counts %d, want %d", n, workers*each+1)
				}
			})
		})
	}
}

// BenchmarkHitRateLimit counts hits from parallel clients, each on its own
// bucket (per-learner limits) and all on one (a NAT address).
func BenchmarkHitRateLimit(b *testing.B) {
	for name, open := range testenv.Stores(b) {
		st := open(b)
		for _, shared := range []bool{false, true} {
			label := name + "/own-bucket"
			if shared {
				label = name + "/one-bucket"
			}
			b.Run(label, func(b *testing.B) {
				ctx := context.Background()
				var seq atomic.Int64
				b.RunParallel(func(pb *testing.PB) {
					bucket := "quiz_learner:" + strconv.FormatInt(seq.Add(1), 10)
					if shared {
						bucket = "quiz_address:nat"
					}
					for pb.Next() {
						if _, _, err := st.HitRateLimit(ctx, bucket, time.Minute, time.Now()); err != nil {
							b.Fatal(err)
						}
					}
				})
			})
		}
	}
}
