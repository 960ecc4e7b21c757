package web_test

import (
	"os"
	"runtime/pprof"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beacon/app/testenv"
	"beacon/app/web"
)

// quizBenchClients is how many browsers post at once in
// BenchmarkQuizSubmitHTTP: enough to keep the store's committer busy.
const quizBenchClients = 48

// BenchmarkQuizSubmitHTTP measures acknowledged quiz submissions over real
// HTTP on a loopback listener: b.N guests, each with a form fetched
// beforehand (a real quiz page, its ticket and cookies), post their answers
// from quizBenchClients concurrent clients; every answer must be the 303 to
// the result page. It reports submissions per second and the p50 and p99
// latency of one POST, on SQLite and on PostgreSQL (BEACON_TEST_POSTGRES).
// Client and server share the machine's cores. Run it with a fixed count:
//
//	go test -run XXX -bench QuizSubmitHTTP -benchtime 20000x ./app/web/
//
// With BEACON_BENCH_CPUPROFILE=file it writes a CPU profile of the posting
// phase alone (not of fetching the forms) to file.<database>.
func BenchmarkQuizSubmitHTTP(b *testing.B) {
	stores := testenv.Stores(b)
	names := make([]string, 0, len(stores))
	for name := range stores {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			srv := mustOpenServerOn(b, stores[name](b), func(o *web.Options) {
				o.Limits.QuizAddress.Max, o.Limits.QuizLearner.Max = 1<<30, 1<<30
			})
			base := srv.listen(b)
			pc := srv.course(b, "cyber-hygiene")
			hc := newLoadClient(quizBenchClients)
			defer hc.CloseIdleConnections()
			forms := fetchQuizForms(b, hc, base, pc, b.N, 1, 8)
			lat := make([]time.Duration, b.N)
			var next, failed atomic.Int64
			var wg sync.WaitGroup
			stopProfile := startBenchProfile(b, name)
			b.ResetTimer()
			start := time.Now()
			for range quizBenchClients {
				wg.Go(func() {
					for {
						i := int(next.Add(1) - 1)
						if i >= b.N {
							return
						}
						t0 := time.Now()
						st, _, err := postQuizForm(hc, base, pc.Slug, forms[i])
						lat[i] = time.Since(t0)
						if err != nil || st != 303 {
							if failed.Add(1) == 1 {
								b.Errorf("POST quiz: status %d, %v", st, err)
							}
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			stopProfile()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d of %d submissions were not acknowledged", n, b.N)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "subs/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		})
	}
}

// startBenchProfile starts a CPU profile to $BEACON_BENCH_CPUPROFILE.name
// when that variable is set, and returns what stops it.
func startBenchProfile(b *testing.B, name string) func() {
	path := os.Getenv("BEACON_BENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path + "." + name)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
