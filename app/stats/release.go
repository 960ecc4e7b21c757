package stats

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"slices"
	"strconv"
)

// Release is every figure published for one filter, with the linear
// relations between them, protected in one go: build it with Figure and
// Sum, call Protect once, then read the published cells with Cell or
// Table. Every page, CSV file and report of the filter renders the same
// release, so they hide the same cells and show the same numbers.
//
// The attacker Protect defends against (docs/PRIVACY.md) knows every
// relation given to Sum, that counts are whole and not negative, that a
// shown count is at least K and lies within D of its true value, and
// nothing about a hidden count beyond the relations. Protect hides
// counts until, with interval propagation over all the relations, every
// hidden count can still take at least K values (hi - lo + 1 >= K) or is
// known to be K or more (lo >= K): an attacker never knows more of a
// small group than "fewer than K" would have told, and a hidden count
// they can prove large is no small group (they learn of it what a shown
// count tells).
type Release struct {
	k, d  int64
	key   []byte
	ids   map[string]int
	figs  []figure
	sums  [][]int // sums[i][0] = the sum of sums[i][1:]
	ready bool
}

type figure struct {
	id     string
	n, p   int64 // true and published counts
	hidden bool
	forced bool // hidden by the caller's rule (Hide)
	zero   bool // zero by construction, which everyone knows (Structural)
}

// NewRelease starts a release protected for groups under k (k < 1 means
// DefaultK; k = 1 hides nothing) with noise up to ±d drawn with key (see
// Noise: the site's secret bound to the release's scope).
func NewRelease(k, d int64, key []byte) *Release {
	if k < 1 {
		k = DefaultK
	}
	return &Release{k: k, d: max(d, 0), key: key, ids: map[string]int{}}
}

// K is the smallest group shown.
func (r *Release) K() int64 { return r.k }

// D is the largest noise.
func (r *Release) D() int64 { return r.d }

// Figure adds the count n named id and returns its index; a figure named
// id already keeps its index (and its first count): the same figure shown
// in two tables is one figure, published once.
func (r *Release) Figure(id string, n int64) int {
	if i, ok := r.ids[id]; ok {
		return i
	}
	r.figs = append(r.figs, figure{id: id, n: max(n, 0)})
	r.ids[id] = len(r.figs) - 1
	return len(r.figs) - 1
}

// Hide marks figure i hidden whatever its count, for a rule of the caller
// (a breakdown whose every part is a small group).
func (r *Release) Hide(i int) { r.figs[i].forced = true }

// Structural marks figure i as zero by construction, which everyone can
// know (guests have no region): when its count is indeed zero it is shown
// as 0, exactly, rather than hidden and protected for nothing.
func (r *Release) Structural(i int) { r.figs[i].zero = true }

// Len is the number of figures.
func (r *Release) Len() int { return len(r.figs) }

// Count is the true count of figure i, for the few decisions made on true
// counts (a campaign's goal reached or not); never publish it.
func (r *Release) Count(i int) int64 { return r.figs[i].n }

// Sum records that figure total equals the sum of parts. It reports
// false, and records nothing, when the true counts disagree: a relation
// that does not hold would only mislead the protection.
func (r *Release) Sum(total int, parts ...int) bool {
	var s int64
	for _, p := range parts {
		s += r.figs[p].n
	}
	if s != r.figs[total].n || len(parts) == 0 {
		return false
	}
	r.sums = append(r.sums, append([]int{total}, parts...))
	return true
}

// Cell is figure i as published. Protect must have run.
func (r *Release) Cell(i int) Cell {
	if !r.ready {
		panic("stats: Release.Cell before Protect")
	}
	f := r.figs[i]
	if f.hidden {
		return Cell{Suppressed: true}
	}
	return Cell{N: f.p}
}

// Table lays figures out as a table: refs holds one row of figure indexes
// per label, total the totals row's (nil for none).
func (r *Release) Table(columns, labels []string, refs [][]int, total []int) *Table {
	t := &Table{Columns: columns, Rows: make([]Row, len(labels))}
	row := func(label string, idx []int) Row {
		out := Row{Label: label, Cells: make([]Cell, len(idx))}
		for j, i := range idx {
			out.Cells[j] = r.Cell(i)
		}
		return out
	}
	for i, l := range labels {
		t.Rows[i] = row(l, refs[i])
	}
	if total != nil {
		tr := row("Total", total)
		t.Total = &tr
	}
	return t
}

// Noise is the perturbation of a count n: a whole number in -d..d,
// uniform (so zero on average), drawn from HMAC-SHA256(key, n).
//
// The noise depends on the count and the key only, and the key is the
// site's secret bound to one scope: two figures of a scope that count the
// same people (a total and its only non-empty row; everyone and the
// registered learners when no guest came) are the same count, so they get
// the same noise and agree, and the empty cell beside them stays as
// uncertain as the noise allows. The same count always gets the same
// noise, so repeating or re-slicing a query learns nothing; two counts
// that differ (the same figure over two date ranges) get independent
// noise, so their difference is blurred. This is the aim of the cell-key
// perturbation of the Australian Bureau of Statistics (TableBuilder),
// whose cell key is the sum of its records' keys: the same people, the
// same noise.
func Noise(key []byte, n, d int64) int64 {
	return noise(hmac.New(sha256.New, key), n, d)
}

func noise(m hash.Hash, n, d int64) int64 {
	if d <= 0 {
		return 0
	}
	m.Reset()
	var b [32]byte
	m.Write(strconv.AppendInt(b[:0], n, 10))
	sum := m.Sum(b[:0])
	// 2^64 is so much larger than 2d+1 that the modulo's bias is nil.
	return int64(binary.BigEndian.Uint64(sum[:8])%uint64(2*d+1)) - d
}

// Protect perturbs, hides and secures every figure; see Release. It runs
// once; later calls do nothing.
func (r *Release) Protect() {
	if r.ready {
		return
	}
	r.ready = true
	m := hmac.New(sha256.New, r.key)
	for i := range r.figs {
		f := &r.figs[i]
		switch {
		case f.zero && f.n == 0 && !f.forced: // shown as nobody
		case r.k > 1 && f.n < r.k, f.forced:
			f.hidden = true
		case f.n == 0: // K = 1: nobody is shown as nobody
		default:
			// Never shown under K: a shown count says "at least K".
			f.p = max(r.k, f.n+noise(m, f.n, r.d))
		}
	}
	if r.k <= 1 {
		return
	}
	r.secure()
}

// secure is the secondary suppression: while some hidden figure's
// interval holds fewer than K values, hide one more shown figure near it,
// preferring the one that fixes it and, among those, the smallest count.
//
// Each trial recomputes the intervals of the figure's connected part
// (figures are linked only through sums): a trial that kept the intervals
// inferred with the candidate shown would refuse nearly every candidate,
// and the fallback would then hide far more than needed.
func (r *Release) secure() {
	n := len(r.figs)
	// Figures are linked only through sums: work per connected part.
	comp := components(n, r.sums)
	compSums := map[int][]int{}
	for i, s := range r.sums {
		c := comp[s[0]]
		compSums[c] = append(compSums[c], i)
	}
	memberOf := make([][]int, n) // figure → sums it is in
	for i, s := range r.sums {
		for _, f := range s {
			memberOf[f] = append(memberOf[f], i)
		}
	}
	b := newBounds(r, memberOf)
	for _, ss := range compSums {
		b.propagate(ss)
	}
	for i := 0; i < n; i++ {
		if !r.figs[i].hidden || b.secure(i) {
			continue
		}
		cands := r.candidates(i, memberOf)
		if len(cands) == 0 {
			// Nothing shown is linked to it: only hidden figures bound it,
			// and they say nothing.
			continue
		}
		ss := compSums[comp[i]]
		chosen := cands[0] // when no single figure does it: the smallest, then look again
		for j, c := range cands {
			if j == maxTries {
				break
			}
			if b.try(i, c, ss) {
				chosen = c
				break
			}
		}
		r.figs[chosen].hidden = true
		b.reset(ss)
		b.propagate(ss)
		// Look at this figure again, and at the newly hidden one: it
		// must not be pinned either.
		i = min(i, chosen) - 1
	}
}

// maxTries bounds the candidates tried for one leak, smallest first.
const maxTries = 4

// candidates are the shown figures nearest to leak through the sums, the
// smallest counts first: those in its own sums, else those in the sums of
// the hidden figures in its sums, and so on.
func (r *Release) candidates(leak int, memberOf [][]int) []int {
	seen := map[int]bool{leak: true}
	frontier := []int{leak}
	for len(frontier) > 0 {
		var shown, next []int
		for _, f := range frontier {
			for _, s := range memberOf[f] {
				for _, g := range r.sums[s] {
					if seen[g] {
						continue
					}
					seen[g] = true
					if f := r.figs[g]; f.zero && f.n == 0 && !f.hidden {
						continue // everyone knows it: hiding it would hide nothing
					}
					if r.figs[g].hidden {
						next = append(next, g)
					} else {
						shown = append(shown, g)
					}
				}
			}
		}
		if len(shown) > 0 {
			slices.SortStableFunc(shown, func(a, b int) int {
				return cmp.Or(cmp.Compare(r.figs[a].n, r.figs[b].n), cmp.Compare(a, b))
			})
			return shown
		}
		frontier = next
	}
	return nil
}

// components labels each figure with its connected part through sums.
func components(n int, sums [][]int) []int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, s := range sums {
		a := find(s[0])
		for _, f := range s[1:] {
			if b := find(f); b != a {
				parent[b] = a
			}
		}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = find(i)
	}
	return out
}
