package stats_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"beacon/app/stats"
)

// guestsRegisteredAll builds a table with columns guests, registered, all.
func guestsRegisteredAll(parts [][2]int64) *stats.Table {
	labels := make([]string, len(parts))
	counts := make([][]int64, len(parts))
	for i, p := range parts {
		labels[i] = string(rune('a' + i))
		counts[i] = []int64{p[0], p[1], p[0] + p[1]}
	}
	return stats.NewTable([]string{"guests", "registered", "all"}, labels, counts, true, stats.Sum{Total: 2, Parts: []int{0, 1}})
}

func TestTable_Suppress(t *testing.T) {
	tests := []struct {
		name  string
		parts [][2]int64
		want  []string // published rows, cells joined by ","
	}{
		{"NothingSmall", [][2]int64{{10, 20}, {30, 40}}, []string{"10,20,30", "30,40,70", "40,60,100"}},
		{"ZeroHidden", [][2]int64{{0, 20}, {30, 40}}, []string{"<5,*,20", "*,*,70", "30,60,90"}},
		// A single small cell in a row and in a column forces a second
		// hidden cell in each.
		{"SecondaryInRowAndColumn", [][2]int64{{3, 20}, {30, 40}, {50, 60}},
			[]string{"<5,*,23", "*,*,70", "50,60,110", "83,120,203"}},
		{"SmallTotalSuppressed", [][2]int64{{1, 2}, {30, 40}},
			[]string{"<5,<5,<5", "*,*,*", "31,42,73"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := guestsRegisteredAll(tc.parts)
			tab.Suppress(5)
			got := published(tab)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("published\n got %v\nwant %v", got, tc.want)
			}
			assertNotRecoverable(t, tab, 5)
		})
	}
}

func published(tab *stats.Table) []string {
	var out []string
	rows := append(append([]stats.Row{}, tab.Rows...), *tab.Total)
	for _, r := range rows {
		var cells []string
		for _, c := range r.Cells {
			cells = append(cells, c.Text(tab.K))
		}
		out = append(out, strings.Join(cells, ","))
	}
	return out
}

// assertNotRecoverable enumerates every table of inner guest/registered
// counts that is consistent with what was published (shown cells exact,
// "<K" cells in 0..K-1) and fails when some "<K" cell has only one
// possible value. Inner cells determine the rest, so enumerating them is
// complete; their range is bounded by the published grand total or, when
// hidden, generously.
func assertNotRecoverable(t *testing.T, tab *stats.Table, k int64) {
	t.Helper()
	n := len(tab.Rows)
	var maxV int64 = 3 * k
	for _, r := range tab.Rows {
		for _, c := range r.Cells[:2] {
			maxV = max(maxV, c.N+k)
		}
	}
	fits := func(c stats.Cell, v int64) bool {
		switch {
		case !c.Suppressed:
			return c.N == v
		case c.Primary:
			return v >= 0 && v < k
		}
		return v >= 0
	}
	seen := map[[2]int]map[int64]bool{} // hidden primary cell → feasible values
	inner := make([]int64, 2*n)
	var walk func(i int)
	walk = func(i int) {
		if i < 2*n {
			c := tab.Rows[i/2].Cells[i%2]
			lo, hi := int64(0), maxV
			if !c.Suppressed {
				lo, hi = c.N, c.N
			}
			for v := lo; v <= hi; v++ {
				if fits(c, v) {
					inner[i] = v
					walk(i + 1)
				}
			}
			return
		}
		var tg, tr int64
		vals := map[[2]int]int64{}
		for r := 0; r < n; r++ {
			g, reg := inner[2*r], inner[2*r+1]
			if !fits(tab.Rows[r].Cells[2], g+reg) {
				return
			}
			vals[[2]int{r, 0}], vals[[2]int{r, 1}], vals[[2]int{r, 2}] = g, reg, g+reg
			tg, tr = tg+g, tr+reg
		}
		tot := []int64{tg, tr, tg + tr}
		for j, v := range tot {
			if !fits(tab.Total.Cells[j], v) {
				return
			}
			vals[[2]int{-1, j}] = v
		}
		for ref, v := range vals {
			if seen[ref] == nil {
				seen[ref] = map[int64]bool{}
			}
			seen[ref][v] = true
		}
	}
	walk(0)
	check := func(ref [2]int, c stats.Cell) {
		if c.Primary && len(seen[ref]) < 2 {
			t.Errorf("cell %v (%d) is recoverable: feasible %v", ref, c.N, seen[ref])
		}
	}
	for r, row := range tab.Rows {
		for j, c := range row.Cells {
			check([2]int{r, j}, c)
		}
	}
	for j, c := range tab.Total.Cells {
		check([2]int{-1, j}, c)
	}
}

// TestTable_SuppressBruteForce checks random small tables: no "<K" cell can
// be pinned to one value by any combination of the published cells.
func TestTable_SuppressBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const k = 3
	for i := 0; i < 300; i++ {
		rows := 2 + rng.IntN(2)
		parts := make([][2]int64, rows)
		for r := range parts {
			for j := range 2 {
				if rng.IntN(2) == 0 {
					parts[r][j] = int64(rng.IntN(k + 1))
				} else {
					parts[r][j] = int64(rng.IntN(9))
				}
			}
		}
		tab := guestsRegisteredAll(parts)
		tab.Suppress(k)
		assertNotRecoverable(t, tab, k)
		if t.Failed() {
			t.Fatalf("table %v published as %v", parts, published(tab))
		}
	}
}

func TestTable_CSV(t *testing.T) {
	tab := guestsRegisteredAll([][2]int64{{3, 20}, {30, 40}, {50, 60}})
	tab.Suppress(5)
	var b bytes.Buffer
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := ",guests,registered,all\na,<5,*,23\nb,*,*,70\nc,50,60,110\nTotal,83,120,203\n"
	if b.String() != want {
		t.Fatalf("csv\n%s\nwant\n%s", b.String(), want)
	}
}

func TestRateAndFunnel(t *testing.T) {
	if r, ok := stats.Rate(stats.Cell{N: 5}, stats.Cell{N: 10}); !ok || r != 0.5 {
		t.Fatalf("rate %v %v", r, ok)
	}
	if _, ok := stats.Rate(stats.Cell{N: 3, Suppressed: true, Primary: true}, stats.Cell{N: 10}); ok {
		t.Fatal("rate over a suppressed cell published")
	}
	if _, ok := stats.Rate(stats.Cell{}, stats.Cell{}); ok {
		t.Fatal("rate over zero published")
	}
	f := stats.Funnel([]int64{100, 50, 25, 0})
	if f[0].OfFirst != 1 || f[1].OfPrevious != 0.5 || f[2].OfFirst != 0.25 || f[3].OfPrevious != 0 {
		t.Fatalf("funnel %+v", f)
	}
}
