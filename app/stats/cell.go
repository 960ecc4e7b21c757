package stats

import "strconv"

// DefaultK is the smallest group size shown as a number when the
// "small_group_k" setting is unset.
const DefaultK = 5

// DefaultNoise is the largest noise, D, added to or taken from a published
// count when the "stats_noise" setting is unset.
const DefaultNoise = 2

// HiddenText is how a hidden count is written in CSV files. One mark
// serves every hidden count, whether it is a small group itself or hidden
// so that one cannot be worked out: two marks would tell an attacker
// which hidden counts are under K, which is exactly what they want.
const HiddenText = "*"

// Cell is one count as published: the perturbed count, or hidden.
type Cell struct {
	N          int64 // the published (perturbed) count; 0 when hidden
	Suppressed bool
}

// Text is the cell as written in a CSV file: the number or HiddenText.
func (c Cell) Text() string {
	if c.Suppressed {
		return HiddenText
	}
	return strconv.FormatInt(c.N, 10)
}

// Rate is num/den as published: ok is false when either is suppressed or
// den is zero, and the rate must then be shown as "–" or not at all. Rates
// are computed from the published counts, so they tell nothing the counts
// do not.
func Rate(num, den Cell) (rate float64, ok bool) {
	if num.Suppressed || den.Suppressed || den.N == 0 {
		return 0, false
	}
	return float64(num.N) / float64(den.N), true
}

// Row is one labelled line of a Table.
type Row struct {
	Label string
	Cells []Cell
}

// Table is a protected release's figures laid out as a table: rows of
// cells under Columns, and the totals row when the table has one.
type Table struct {
	Columns []string
	Rows    []Row
	Total   *Row
}
