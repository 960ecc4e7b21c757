package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// kindStats is what one kind of request did: every latency, the failures
// by reason, and the proxy's cache status of each answer.
type kindStats struct {
	lat   []uint32 // microseconds
	fails map[string]int
	cache map[string]int // X-Cache-Status value → count
}

// recorder holds one worker's figures; workers merge theirs at the end,
// so recording takes no lock.
type recorder struct {
	kinds map[string]*kindStats
}

func newRecorder() *recorder { return &recorder{kinds: map[string]*kindStats{}} }

func (r *recorder) stats(kind string) *kindStats {
	k := r.kinds[kind]
	if k == nil {
		k = &kindStats{fails: map[string]int{}, cache: map[string]int{}}
		r.kinds[kind] = k
	}
	return k
}

// record notes one answered (or failed) request; failure "" is success.
func (r *recorder) record(kind string, d time.Duration, cache, failure string) {
	k := r.stats(kind)
	us := d.Microseconds()
	if us > 1<<32-1 {
		us = 1<<32 - 1
	}
	k.lat = append(k.lat, uint32(us))
	if failure != "" {
		k.fails[failure]++
	}
	if cache != "" {
		k.cache[cache]++
	}
}

// fail notes a failure found in an answer that had a good status (a form
// without its fields, a redirect to the wrong place).
func (r *recorder) fail(kind, why string) { r.stats(kind).fails[why]++ }

// merge adds o's figures to r.
func (r *recorder) merge(o *recorder) {
	for name, k := range o.kinds {
		m := r.stats(name)
		m.lat = append(m.lat, k.lat...)
		for f, n := range k.fails {
			m.fails[f] += n
		}
		for c, n := range k.cache {
			m.cache[c] += n
		}
	}
}

// percentile returns the p-th percentile (0–100) of sorted microseconds, in ms.
func percentile(sorted []uint32, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return float64(sorted[i]) / 1000
}

// servedFromCache are the X-Cache-Status values of answers that nginx
// gave from its cache (REVALIDATED: after a 304 from Beacon).
var servedFromCache = map[string]bool{"HIT": true, "STALE": true, "UPDATING": true, "REVALIDATED": true}

// report prints the table of kinds in order (others after, by name), the
// cache hit ratio and the failures, over elapsed.
func (r *recorder) report(w io.Writer, order []string, elapsed time.Duration) {
	names := append([]string(nil), order...)
	var rest []string
	for n := range r.kinds {
		found := false
		for _, o := range order {
			found = found || o == n
		}
		if !found {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	names = append(names, rest...)
	total, totalFail, cached, withCache := 0, 0, 0, 0
	fmt.Fprintf(w, "%-14s %9s %9s %9s %9s %9s %8s  %s\n", "kind", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "failed", "nginx cache (X-Cache-Status)")
	for _, n := range names {
		k := r.kinds[n]
		if k == nil || len(k.lat) == 0 {
			continue
		}
		sort.Slice(k.lat, func(i, j int) bool { return k.lat[i] < k.lat[j] })
		failed := 0
		for _, c := range k.fails {
			failed += c
		}
		total += len(k.lat)
		totalFail += failed
		var cs []string
		kc, kw := 0, 0
		for _, c := range sortedKeys(k.cache) {
			cs = append(cs, fmt.Sprintf("%s %d", c, k.cache[c]))
			kw += k.cache[c]
			if servedFromCache[c] {
				kc += k.cache[c]
			}
		}
		cached += kc
		withCache += kw
		cacheText := strings.Join(cs, ", ")
		if kw > 0 {
			cacheText = fmt.Sprintf("%5.1f%% from cache: %s", 100*float64(kc)/float64(kw), cacheText)
		}
		fmt.Fprintf(w, "%-14s %9d %9.1f %9.2f %9.2f %9.1f %8d  %s\n", n, len(k.lat), float64(len(k.lat))/elapsed.Seconds(),
			percentile(k.lat, 50), percentile(k.lat, 99), float64(k.lat[len(k.lat)-1])/1000, failed, cacheText)
	}
	fmt.Fprintf(w, "%-14s %9d %9.1f %39d\n", "all", total, float64(total)/elapsed.Seconds(), totalFail)
	if withCache > 0 {
		fmt.Fprintf(w, "nginx cache hit ratio, all requests through the proxy: %.1f%% (%d of %d answered from the cache)\n",
			100*float64(cached)/float64(withCache), cached, withCache)
		fmt.Fprintf(w, "requests that reached Beacon: %.1f/s\n", float64(total-cached)/elapsed.Seconds())
	}
	if totalFail == 0 {
		fmt.Fprintln(w, "failures: none")
		return
	}
	fmt.Fprintln(w, "failures by kind:")
	for _, n := range names {
		k := r.kinds[n]
		if k == nil {
			continue
		}
		for _, f := range sortedKeys(k.fails) {
			fmt.Fprintf(w, "  %-14s %-44s %d\n", n, f, k.fails[f])
		}
	}
}

// cacheRatio is the share of answers to kinds that nginx gave from its
// cache, and how many answers carried a cache status.
func (r *recorder) cacheRatio(kinds ...string) (float64, int) {
	cached, all := 0, 0
	for _, n := range kinds {
		k := r.kinds[n]
		if k == nil {
			continue
		}
		for c, v := range k.cache {
			all += v
			if servedFromCache[c] {
				cached += v
			}
		}
	}
	if all == 0 {
		return 0, 0
	}
	return float64(cached) / float64(all), all
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
