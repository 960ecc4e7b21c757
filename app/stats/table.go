package stats

import (
	"encoding/csv"
	"io"
	"math"
	"sort"
	"strconv"
)

// DefaultK is the smallest group size shown as a number when the
// "small_group_k" setting is unset.
const DefaultK = 5

// Cell is one count of a Table. A suppressed cell is shown as "<K" when it
// is itself a small group (Primary) and as "*" when it was hidden only so
// that a small group elsewhere cannot be recovered by subtraction.
type Cell struct {
	N          int64
	Suppressed bool
	Primary    bool
}

// Text is the cell as published: the number, "<K" or "*".
func (c Cell) Text(k int64) string {
	switch {
	case c.Primary:
		return "<" + strconv.FormatInt(k, 10)
	case c.Suppressed:
		return "*"
	}
	return strconv.FormatInt(c.N, 10)
}

// Row is one labelled line of a Table.
type Row struct {
	Label string
	Cells []Cell
}

// Sum says that, in every row, column Total is the sum of columns Parts
// (for example all = guests + registered).
type Sum struct {
	Total int
	Parts []int
}

// Table is a table of counts of people or events. Rows are the values of a
// breakdown (which add up to Total, when Total is set: every learner is in
// exactly one row); Sums are the additive relations between columns.
// Call Suppress before publishing it in any form.
type Table struct {
	Columns []string
	Rows    []Row
	Total   *Row
	Sums    []Sum
	K       int64
}

// NewTable returns a table with the given column headers and rows of
// counts, one []int64 per row label, with a totals row computed from them
// when withTotal is set.
func NewTable(columns []string, labels []string, counts [][]int64, withTotal bool, sums ...Sum) *Table {
	t := &Table{Columns: columns, Sums: sums}
	var total []Cell
	if withTotal {
		total = make([]Cell, len(columns))
	}
	for i, l := range labels {
		r := Row{Label: l, Cells: make([]Cell, len(columns))}
		for j := range columns {
			r.Cells[j].N = counts[i][j]
			if total != nil {
				total[j].N += counts[i][j]
			}
		}
		t.Rows = append(t.Rows, r)
	}
	if total != nil {
		t.Total = &Row{Label: "Total", Cells: total}
	}
	return t
}

// cellRef addresses a cell: row -1 is the totals row.
type cellRef struct{ row, col int }

func (t *Table) cell(r cellRef) *Cell {
	if r.row < 0 {
		return &t.Total.Cells[r.col]
	}
	return &t.Rows[r.row].Cells[r.col]
}

// constraint: cells[0] = sum of cells[1:].
type constraint []cellRef

func (t *Table) constraints() []constraint {
	var out []constraint
	rows := make([]int, 0, len(t.Rows)+1)
	for i := range t.Rows {
		rows = append(rows, i)
	}
	if t.Total != nil {
		rows = append(rows, -1)
		for j := range t.Columns {
			c := constraint{{-1, j}}
			for i := range t.Rows {
				c = append(c, cellRef{i, j})
			}
			out = append(out, c)
		}
	}
	for _, s := range t.Sums {
		for _, i := range rows {
			c := constraint{{i, s.Total}}
			for _, p := range s.Parts {
				c = append(c, cellRef{i, p})
			}
			out = append(out, c)
		}
	}
	return out
}

// Suppress hides every count under k, zero included ("nobody" is a small
// group too, and showing zeros would narrow the others), and then, while an attacker who knows the published cells, that a
// "<K" cell lies in 0..k-1 and that hidden cells are not negative could
// still pin a hidden cell to one value through the table's sums (bounds
// propagation over every row, column and Sum), hides one more cell of the
// sum that leaks: the smallest shown non-zero part, else any shown part,
// else the sum's total. k < 1 counts as DefaultK.
func (t *Table) Suppress(k int64) {
	if k < 1 {
		k = DefaultK
	}
	t.K = k
	all := t.refs()
	for _, r := range all {
		if c := t.cell(r); c.N < k {
			c.Suppressed, c.Primary = true, true
		}
	}
	cons := t.constraints()
	for guard := 0; guard < 4*len(all)+4; guard++ {
		leak, found := t.leak(all, cons)
		if !found {
			return
		}
		// Hide the smallest shown cell that, alone, stops the leak.
		var best *Cell
		for _, r := range all {
			c := t.cell(r)
			if c.Suppressed || (best != nil && !better(c.N, best.N)) {
				continue
			}
			c.Suppressed = true
			lo, hi := t.bounds(all, cons)
			c.Suppressed = false
			if lo[leak] < hi[leak] {
				best = c
			}
		}
		if best != nil {
			best.Suppressed = true
			continue
		}
		// No single cell does: widen the sums around the leaking cell,
		// those with the fewest hidden cells first, and look again.
		var mine []constraint
		for _, c := range cons {
			for _, r := range c {
				if r == leak {
					mine = append(mine, c)
					break
				}
			}
		}
		sort.SliceStable(mine, func(i, j int) bool { return t.hiddenIn(mine[i]) < t.hiddenIn(mine[j]) })
		hid := false
		for _, c := range mine {
			if hid = t.hideAnother(c); hid {
				break
			}
		}
		if !hid {
			return // everything around it is hidden already
		}
	}
}

// leak returns a "<K" cell whose value an attacker can pin down.
func (t *Table) leak(all []cellRef, cons []constraint) (cellRef, bool) {
	lo, hi := t.bounds(all, cons)
	for _, r := range all {
		if t.cell(r).Primary && lo[r] == hi[r] {
			return r, true
		}
	}
	return cellRef{}, false
}

func (t *Table) hiddenIn(c constraint) int {
	n := 0
	for _, r := range c {
		if t.cell(r).Suppressed {
			n++
		}
	}
	return n
}

func (t *Table) refs() []cellRef {
	var out []cellRef
	for i := range t.Rows {
		for j := range t.Columns {
			out = append(out, cellRef{i, j})
		}
	}
	if t.Total != nil {
		for j := range t.Columns {
			out = append(out, cellRef{-1, j})
		}
	}
	return out
}

// hideAnother hides one shown cell of c, preferring small non-zero parts,
// and reports whether it found one.
func (t *Table) hideAnother(c constraint) bool {
	hidden := 0
	for _, r := range c {
		if t.cell(r).Suppressed {
			hidden++
		}
	}
	if hidden == 0 {
		return false
	}
	best := -1
	for i, r := range c[1:] {
		cl := t.cell(r)
		if cl.Suppressed {
			continue
		}
		if best < 0 || better(cl.N, t.cell(c[1+best]).N) {
			best = i
		}
	}
	if best >= 0 {
		t.cell(c[1+best]).Suppressed = true
		return true
	}
	if tot := t.cell(c[0]); !tot.Suppressed {
		tot.Suppressed = true
		return true
	}
	return false
}

// better orders candidates for secondary suppression: non-zero before
// zero (a hidden zero adds no uncertainty), then smaller first.
func better(a, b int64) bool {
	if (a == 0) != (b == 0) {
		return b == 0
	}
	return a < b
}

// bounds computes what an attacker can infer about every cell: shown cells
// are exact, "<K" cells lie in 0..K-1, other hidden cells in 0..∞, and
// every sum narrows its members until nothing changes.
func (t *Table) bounds(all []cellRef, cons []constraint) (lo, hi map[cellRef]int64) {
	const inf = math.MaxInt64 / 4
	lo, hi = map[cellRef]int64{}, map[cellRef]int64{}
	for _, r := range all {
		c := t.cell(r)
		switch {
		case !c.Suppressed:
			lo[r], hi[r] = c.N, c.N
		case c.Primary:
			lo[r], hi[r] = 0, t.K-1
		default:
			lo[r], hi[r] = 0, inf
		}
	}
	for changed, round := true, 0; changed && round < 100; round++ {
		changed = false
		set := func(r cellRef, l, h int64) {
			if l > lo[r] {
				lo[r], changed = l, true
			}
			if h < hi[r] {
				hi[r], changed = h, true
			}
		}
		for _, c := range cons {
			// Sums of the parts' bounds, counting unbounded parts apart.
			var sl, sh int64
			unbounded := 0
			for _, r := range c[1:] {
				sl += lo[r]
				if hi[r] >= inf {
					unbounded++
				} else {
					sh += hi[r]
				}
			}
			if unbounded == 0 {
				set(c[0], sl, sh)
			} else {
				set(c[0], sl, inf)
			}
			for _, r := range c[1:] {
				ol := sl - lo[r]
				l, h := int64(0), int64(inf)
				if hi[r] >= inf && unbounded == 1 {
					l = lo[c[0]] - sh
				} else if hi[r] < inf && unbounded == 0 {
					l = lo[c[0]] - (sh - hi[r])
				}
				if hi[c[0]] < inf {
					h = hi[c[0]] - ol
				}
				set(r, l, h)
			}
		}
	}
	return lo, hi
}

// WriteCSV writes the table as published (suppressed cells as "<K" and
// "*"), with a header line and the totals row last.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{""}, t.Columns...)); err != nil {
		return err
	}
	rows := t.Rows
	if t.Total != nil {
		rows = append(append([]Row{}, rows...), *t.Total)
	}
	for _, r := range rows {
		line := []string{r.Label}
		for _, c := range r.Cells {
			line = append(line, c.Text(t.K))
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Rate is num/den as published: ok is false when either is suppressed or
// den is zero, and the rate must then be shown as "–" or not at all.
func Rate(num, den Cell) (rate float64, ok bool) {
	if num.Suppressed || den.Suppressed || den.N == 0 {
		return 0, false
	}
	return float64(num.N) / float64(den.N), true
}

// FunnelStep is one step of a funnel: its count and its share of the
// previous step and of the first.
type FunnelStep struct {
	Count      int64
	OfPrevious float64 // 1 for the first step; 0 when the previous is 0
	OfFirst    float64
}

// Funnel computes the shares of counts given in funnel order (visited,
// started, completed, certified). Suppress the counts before publishing.
func Funnel(counts []int64) []FunnelStep {
	out := make([]FunnelStep, len(counts))
	for i, n := range counts {
		out[i].Count = n
		if i == 0 {
			if n > 0 {
				out[i].OfPrevious, out[i].OfFirst = 1, 1
			}
			continue
		}
		if p := counts[i-1]; p > 0 {
			out[i].OfPrevious = float64(n) / float64(p)
		}
		if f := counts[0]; f > 0 {
			out[i].OfFirst = float64(n) / float64(f)
		}
	}
	return out
}
