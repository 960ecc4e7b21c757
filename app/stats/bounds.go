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
	if f.p == 0 { // K = 1 shows nobody exactly
		b.lo[i], b.hi[i] = 0, 0
	}
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
	for len(b.queue) > 0 {
		s := b.queue[0]
		b.queue = b.queue[1:]
		b.queued[s] = false
		b.narrow(b.r.sums[s])
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
	changed := false
	if l > b.lo[i] {
		b.lo[i], changed = l, true
	}
	if h < b.hi[i] {
		b.hi[i], changed = h, true
	}
	if !changed || b.lo[i] > b.hi[i] {
		// lo > hi cannot happen with true relations and honest bounds;
		// stop rather than loop.
		return
	}
	for _, s := range b.memberOf[i] {
		if !b.queued[s] {
			b.queued[s] = true
			b.queue = append(b.queue, s)
		}
	}
}
