package stats_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"beacon/app/stats"
)

var testKey = []byte("a test key, not a secret")

// grid is a tiny table: inner guests/registered counts per row; the "all"
// column and the totals row follow from them.
type grid [][2]int64

// release builds the release of g the way the dashboard does: columns
// guests, registered, all; a totals row; all = guests + registered in
// every row; each column adds up to its total.
func (g grid) release(k, d int64) (*stats.Release, [][]int) {
	rel := stats.NewRelease(k, d, testKey)
	var refs [][]int
	var tg, tr int64
	for i, row := range g {
		id := "row" + strconv.Itoa(i)
		a := rel.Figure(id+"/g", row[0])
		b := rel.Figure(id+"/r", row[1])
		c := rel.Figure(id+"/all", row[0]+row[1])
		rel.Sum(c, a, b)
		refs = append(refs, []int{a, b, c})
		tg, tr = tg+row[0], tr+row[1]
	}
	tot := []int{rel.Figure("total/g", tg), rel.Figure("total/r", tr), rel.Figure("total/all", tg+tr)}
	rel.Sum(tot[2], tot[0], tot[1])
	for j := range 3 {
		var col []int
		for _, r := range refs {
			col = append(col, r[j])
		}
		rel.Sum(tot[j], col...)
	}
	rel.Protect()
	return rel, append(refs, tot)
}

// bruteForce enumerates every table of whole, non-negative inner counts
// consistent with what rel published for g (a shown count v means the
// true count is in max(K, v-D)..v+D; a hidden one may be anything) and
// returns, per cell, the smallest and largest feasible value. It knows
// nothing of how Protect works.
func bruteForce(g grid, rel *stats.Release, refs [][]int, k, d, limit int64) (lo, hi [][]int64) {
	n := len(g)
	fits := func(i int, v int64) bool {
		c := rel.Cell(i)
		return c.Suppressed || (v >= max(k, c.N-d) && v <= c.N+d)
	}
	lo, hi = make([][]int64, n+1), make([][]int64, n+1)
	for i := range lo {
		lo[i], hi[i] = []int64{limit, limit, limit}, []int64{-1, -1, -1}
	}
	vals := make([][3]int64, n+1)
	var walk func(row int, sg, sr int64)
	walk = func(row int, sg, sr int64) {
		if row == n {
			if !fits(refs[n][0], sg) || !fits(refs[n][1], sr) || !fits(refs[n][2], sg+sr) {
				return
			}
			vals[n] = [3]int64{sg, sr, sg + sr}
			for i := range vals {
				for j, v := range vals[i] {
					lo[i][j], hi[i][j] = min(lo[i][j], v), max(hi[i][j], v)
				}
			}
			return
		}
		for a := int64(0); a <= limit; a++ {
			if !fits(refs[row][0], a) {
				continue
			}
			for b := int64(0); b <= limit; b++ {
				if fits(refs[row][1], b) && fits(refs[row][2], a+b) {
					vals[row] = [3]int64{a, b, a + b}
					walk(row+1, sg+a, sr+b)
				}
			}
		}
	}
	walk(0, 0, 0)
	return lo, hi
}

// TestRelease_BruteForceAttacker publishes random tiny tables and lets an
// attacker enumerate every table consistent with the publication: no
// hidden cell that may be a small group (its smallest solution under K)
// may be left with fewer than K possible values, and the true table must
// be among the solutions. Counts reach the enumeration's limit
// only in a hidden cell whose row or column is otherwise unbounded, which
// counts as wide.
func TestRelease_BruteForceAttacker(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 100
	}
	if os.Getenv("BEACON_STATS_ROUNDS") != "" {
		rounds, _ = strconv.Atoi(os.Getenv("BEACON_STATS_ROUNDS"))
	}
	rng := rand.New(rand.NewPCG(11, 11))
	for _, p := range []struct{ k, d int64 }{{5, 2}, {5, 0}, {3, 1}, {7, 2}} {
		t.Run(fmt.Sprintf("K=%d,D=%d", p.k, p.d), func(t *testing.T) {
			for round := 0; round < rounds/int(p.k*p.k/4+1); round++ {
				g := make(grid, 2)
				for i := range g {
					for j := range 2 {
						if rng.IntN(2) == 0 {
							g[i][j] = int64(rng.IntN(int(p.k)))
						} else {
							g[i][j] = int64(rng.IntN(int(3 * p.k)))
						}
					}
				}
				rel, refs := g.release(p.k, p.d)
				limit := 6*p.k + 4*p.d
				lo, hi := bruteForce(g, rel, refs, p.k, p.d, limit)
				for i, row := range refs {
					for j, f := range row {
						truth := rel.Count(f)
						if lo[i][j] > truth || hi[i][j] < truth {
							t.Fatalf("%v: the true count %d of cell %d,%d is not a solution [%d,%d]", g, truth, i, j, lo[i][j], hi[i][j])
						}
						if c := rel.Cell(f); c.Suppressed && hi[i][j] < limit && hi[i][j]-lo[i][j]+1 < p.k && lo[i][j] < p.k {
							t.Fatalf("%v published as %v: hidden cell %d,%d (%d) pinned to %d..%d", g, published(rel, refs), i, j, truth, lo[i][j], hi[i][j])
						}
					}
				}
			}
		})
	}
}

func published(rel *stats.Release, refs [][]int) [][]string {
	var out [][]string
	for _, row := range refs {
		var line []string
		for _, f := range row {
			line = append(line, rel.Cell(f).Text())
		}
		out = append(out, line)
	}
	return out
}

func TestRelease_Publication(t *testing.T) {
	g := grid{{0, 40}, {3, 60}, {30, 2}, {25, 25}}
	rel, refs := g.release(5, 2)
	for i, row := range refs {
		for j, f := range row {
			c, n := rel.Cell(f), rel.Count(f)
			switch {
			case n < 5 && !c.Suppressed:
				t.Errorf("cell %d,%d: %d under K published as %d", i, j, n, c.N)
			case !c.Suppressed && c.N < 5:
				t.Errorf("cell %d,%d: published %d under K", i, j, c.N)
			case !c.Suppressed && (c.N < n-2 || c.N > n+2):
				t.Errorf("cell %d,%d: published %d, more than D from %d", i, j, c.N, n)
			}
		}
	}
	// The same counts give the same publication; the noise depends on the
	// count, not on where it stands.
	again, refs2 := g.release(5, 2)
	for i := range refs {
		for j := range refs[i] {
			if rel.Cell(refs[i][j]) != again.Cell(refs2[i][j]) {
				t.Fatalf("cell %d,%d differs between two identical releases", i, j)
			}
		}
	}
	if a, b := rel.Cell(refs[0][1]), rel.Cell(refs[0][2]); !a.Suppressed && !b.Suppressed && a.N != b.N {
		t.Errorf("registered and all count the same 40 people but publish %d and %d", a.N, b.N)
	}
	// K = 1 shows everything, zeros as zeros.
	one, refs1 := g.release(1, 0)
	if c := one.Cell(refs1[0][0]); c.Suppressed || c.N != 0 {
		t.Errorf("K=1: zero published as %+v", c)
	}
	if c := one.Cell(refs1[1][0]); c.Suppressed || c.N != 3 {
		t.Errorf("K=1, D=0: 3 published as %+v", c)
	}
}

func TestRelease_StructuralAndForced(t *testing.T) {
	rel := stats.NewRelease(5, 2, testKey)
	zero := rel.Figure("guests in north", 0)
	rel.Structural(zero)
	notZero := rel.Figure("guests certified", 3) // the rule's assumption broke: protect it
	rel.Structural(notZero)
	big := rel.Figure("registered", 40)
	rel.Hide(big)
	rel.Protect()
	if c := rel.Cell(zero); c.Suppressed || c.N != 0 {
		t.Errorf("a structural zero published as %+v, want 0", c)
	}
	if c := rel.Cell(notZero); !c.Suppressed {
		t.Errorf("a structural figure that is not zero published as %+v", c)
	}
	if c := rel.Cell(big); !c.Suppressed {
		t.Errorf("a figure hidden by rule published as %+v", c)
	}
}

func TestNoise_ZeroMeanAndBounded(t *testing.T) {
	var sum int64
	seen := map[int64]int{}
	for n := int64(0); n < 20000; n++ {
		v := stats.Noise(testKey, n, 2)
		if v < -2 || v > 2 {
			t.Fatalf("noise %d out of -2..2", v)
		}
		sum += v
		seen[v]++
	}
	if len(seen) != 5 || sum > 400 || sum < -400 {
		t.Errorf("noise over 20,000 counts: values %v, sum %d", seen, sum)
	}
	if first, again := stats.Noise(testKey, 3000, 2), stats.Noise(testKey, 3000, 2); first != again {
		t.Errorf("the same count drew two noises: %d and %d", first, again)
	}
	if stats.Noise(testKey, 7, 0) != 0 {
		t.Error("D = 0 must add no noise")
	}
}

// BenchmarkRelease_Protect times the disclosure control alone on a
// release shaped like the site-wide dashboard over a month: a summary,
// five per-day tables of 30 days and four breakdowns of 40 values by four
// metrics, three "who" columns each, with many small cells.
func BenchmarkRelease_Protect(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	type split struct{ g, r int64 }
	count := func() split {
		if rng.IntN(4) == 0 {
			return split{int64(rng.IntN(6)), int64(rng.IntN(6))}
		}
		return split{int64(rng.IntN(300)), int64(rng.IntN(3000))}
	}
	type table struct {
		metric string
		rows   []split
	}
	// cut splits n into parts parts, some of them small.
	cut := func(n int64, parts int) []int64 {
		out := make([]int64, parts)
		for i := range out[:parts-1] {
			if rng.IntN(3) == 0 {
				out[i] = min(n, int64(rng.IntN(6)))
			} else {
				out[i] = min(n, int64(rng.IntN(int(2*n/int64(parts)+1))))
			}
			n -= out[i]
		}
		out[parts-1] = n
		return out
	}
	var tables []table
	for _, m := range []string{"visited", "started", "completed", "certified"} {
		base := table{metric: m}
		for range 30 {
			base.rows = append(base.rows, count())
		}
		tables = append(tables, base)
		var g, r int64
		for _, row := range base.rows {
			g, r = g+row.g, r+row.r
		}
		for range 4 {
			t := table{metric: m}
			gs, rs := cut(g, 40), cut(r, 40)
			for i := range gs {
				t.rows = append(t.rows, split{gs[i], rs[i]})
			}
			tables = append(tables, t)
		}
	}
	var cells, hidden int
	b.ReportAllocs()
	for b.Loop() {
		rel := stats.NewRelease(5, 2, testKey)
		totals := map[string]split{}
		for _, t := range tables {
			var s split
			for _, r := range t.rows {
				s.g, s.r = s.g+r.g, s.r+r.r
			}
			totals[t.metric] = s
		}
		for ti, t := range tables {
			s := totals[t.metric]
			tot := []int{rel.Figure(t.metric+"/g", s.g), rel.Figure(t.metric+"/r", s.r), rel.Figure(t.metric+"/a", s.g+s.r)}
			rel.Sum(tot[2], tot[0], tot[1])
			cols := make([][]int, 3)
			for i, r := range t.rows {
				id := strconv.Itoa(ti) + "/" + strconv.Itoa(i)
				row := []int{rel.Figure(id+"/g", r.g), rel.Figure(id+"/r", r.r), rel.Figure(id+"/a", r.g+r.r)}
				rel.Sum(row[2], row[0], row[1])
				for j := range cols {
					cols[j] = append(cols[j], row[j])
				}
			}
			for j := range cols {
				if !rel.Sum(tot[j], cols[j]...) {
					b.Fatal("a column does not add up")
				}
			}
		}
		rel.Protect()
		cells, hidden = rel.Len(), 0
		for i := range cells {
			if rel.Cell(i).Suppressed {
				hidden++
			}
		}
	}
	b.ReportMetric(float64(cells), "figures")
	b.ReportMetric(float64(hidden), "hidden")
}
