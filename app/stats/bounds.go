package stats

import "math"

// inf stands for "no upper bound"; sums of bounds count unbounded terms
// apart, so it never overflows.
const inf = math.MaxInt64 / 4

// bounds is what the attacker of Release can infer about every figure:
// an interval per figure, narrowed through the sums until nothing
// changes (interval propagation, also called bounds consistency).
type bounds struct {
	r        *Release
	lo, hi   []int64
	memberOf [][]int
	queued   []bool
	queue    []int
	journal  []change // while trying or probing: what to undo
	depth    int      // nested trials; the journal runs while > 0
	conflict bool     // some interval became empty: the trial is impossible
	budget   int      // sums a probe may still apply; 0: no limit
}

type change struct {
	i      int
	lo, hi int64
}

func newBounds(r *Release, memberOf [][]int) *bounds {
	b := &bounds{r: r, lo: make([]int64, len(r.figs)), hi: make([]int64, len(r.figs)), memberOf: memberOf,
		queued: make([]bool, len(r.sums))}
	for i := range r.figs {
		b.init(i)
	}
	return b
}

// init sets what publication alone says about figure i: a shown count is
// at least K and within D of its true value; a hidden one is any count.
func (b *bounds) init(i int) {
	f := b.r.figs[i]
	if f.hidden {
		b.lo[i], b.hi[i] = 0, inf
		return
	}
	b.lo[i], b.hi[i] = max(b.r.k, f.p-b.r.d, 0), f.p+b.r.d
	if f.p == 0 { // K = 1 and structural zeros show nobody exactly
		b.lo[i], b.hi[i] = 0, 0
	}
}

// begin starts a trial; undo ends it, restoring every interval.
func (b *bounds) begin() int {
	b.depth++
	return len(b.journal)
}

func (b *bounds) undo(mark int) {
	for j := len(b.journal) - 1; j >= mark; j-- {
		ch := b.journal[j]
		b.lo[ch.i], b.hi[ch.i] = ch.lo, ch.hi
	}
	b.journal = b.journal[:mark]
	b.depth--
	b.conflict = false
}

// try reports whether hiding figure c would leave figure leak secure,
// recomputing the sums ss (c's connected part) from scratch, and leaves
// everything as it was.
func (b *bounds) try(leak, c int, ss []int) bool {
	mark := b.begin()
	b.r.figs[c].hidden = true
	for _, s := range ss {
		for _, f := range b.r.sums[s] {
			b.journal = append(b.journal, change{f, b.lo[f], b.hi[f]})
			b.init(f)
		}
	}
	b.propagate(ss)
	ok := b.secure(leak)
	b.r.figs[c].hidden = false
	b.undo(mark)
	return ok
}

// secure reports whether hidden figure i is safe: it can take at least K
// values (its interval is that wide, and its ends are each possible as far
// as propagation can tell: probing the ends catches the cycles of sums
// that propagation alone misses), or it is known to be K or more, which
// is no small group.
func (b *bounds) secure(i int) bool {
	if b.lo[i] >= b.r.k {
		return true // known to be K or more: no small group
	}
	if !b.wide(i) {
		return false
	}
	if b.hi[i] >= inf || b.hi[i]-b.lo[i]+1 >= b.r.k+probeMargin*(b.r.d+1) {
		// Probing is the costly part of the protection; an interval this
		// much wider than K is not shaved down to K by a cycle of sums
		// (each sum of the cycle gives back at most its own slack).
		return true
	}
	lo, hi, k := b.lo[i], b.hi[i], b.r.k
	for hi-lo+1 >= k && !b.possible(i, hi) {
		hi--
	}
	for hi-lo+1 >= k && lo < k && !b.possible(i, lo) {
		lo++
	}
	return hi-lo+1 >= k || lo >= k
}

// probeBudget bounds the sums one probe applies. The cycles that shave an
// interval end are short (a cell, its column's total, the total's row);
// a probe that spreads over a whole year of days costs more than it can
// find.
const probeBudget = 256

// probeMargin is how much wider than K, in steps of D+1, an interval must
// be to go unprobed.
const probeMargin = 2

// possible reports whether figure i may be v, as far as propagation can tell.
func (b *bounds) possible(i int, v int64) bool {
	mark := b.begin()
	b.journal = append(b.journal, change{i, b.lo[i], b.hi[i]})
	b.lo[i], b.hi[i] = v, v
	b.budget = probeBudget
	b.propagate(b.memberOf[i])
	b.budget = 0
	ok := !b.conflict
	b.undo(mark)
	return ok
}

// reset forgets what was inferred about the figures of sums ss.
func (b *bounds) reset(ss []int) {
	for _, s := range ss {
		for _, f := range b.r.sums[s] {
			b.init(f)
		}
	}
}

// wide reports whether figure i can still take at least K values.
func (b *bounds) wide(i int) bool { return b.hi[i]-b.lo[i]+1 >= b.r.k }

// propagate narrows the intervals through sums ss (and the sums their
// figures are in) until no interval changes.
func (b *bounds) propagate(ss []int) {
	for _, s := range ss {
		if !b.queued[s] {
			b.queued[s] = true
			b.queue = append(b.queue, s)
		}
	}
	for len(b.queue) > 0 && !b.conflict {
		if b.budget > 0 {
			if b.budget == 1 {
				break // the probe could not refute the value: it stands
			}
			b.budget--
		}
		s := b.queue[0]
		b.queue = b.queue[1:]
		b.queued[s] = false
		b.narrow(b.r.sums[s])
	}
	for _, s := range b.queue { // left by a conflict
		b.queued[s] = false
	}
	b.queue = b.queue[:0]
}

// narrow applies one sum: total = parts.
func (b *bounds) narrow(sum []int) {
	t, parts := sum[0], sum[1:]
	var sl, sh int64
	unbounded := 0
	for _, p := range parts {
		sl += b.lo[p]
		if b.hi[p] >= inf {
			unbounded++
		} else {
			sh += b.hi[p]
		}
	}
	th := int64(inf)
	if unbounded == 0 {
		th = sh
	}
	b.set(t, sl, th)
	for _, p := range parts {
		l := int64(0)
		switch {
		case unbounded == 0:
			l = b.lo[t] - (sh - b.hi[p])
		case unbounded == 1 && b.hi[p] >= inf:
			l = b.lo[t] - sh
		}
		h := int64(inf)
		if b.hi[t] < inf {
			h = b.hi[t] - (sl - b.lo[p])
		}
		b.set(p, l, h)
	}
}

// set narrows figure i to [l, h] and queues its sums when it changed.
func (b *bounds) set(i int, l, h int64) {
	if b.depth > 0 && (l > b.lo[i] || h < b.hi[i]) {
		b.journal = append(b.journal, change{i, b.lo[i], b.hi[i]})
	}
	changed := false
	if l > b.lo[i] {
		b.lo[i], changed = l, true
	}
	if h < b.hi[i] {
		b.hi[i], changed = h, true
	}
	if !changed {
		return
	}
	if b.lo[i] > b.hi[i] {
		// Only a trial value can empty an interval (true relations and
		// honest bounds always hold the true counts): it is impossible.
		b.conflict = true
		return
	}
	for _, s := range b.memberOf[i] {
		if !b.queued[s] {
			b.queued[s] = true
			b.queue = append(b.queue, s)
		}
	}
}
