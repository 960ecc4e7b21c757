package web

import (
	"sync"
	"sync/atomic"
	"time"
)

// ttlCache keeps one loaded value for a while, so that pages do not query
// the database on every request: the settings, the active alerts, the
// page stamp. One request loads for all (the others go on with the last
// value meanwhile, or wait for the first load), and a failed load keeps
// the last value for another while.
type ttlCache[T any] struct {
	mu   sync.Mutex // held while loading
	snap atomic.Pointer[ttlEntry[T]]
}

// ttlEntry is one load and when it happened.
type ttlEntry[T any] struct {
	at  time.Time
	val T
}

// invalidate makes the next get load again (after a change on this
// instance).
func (tc *ttlCache[T]) invalidate() { tc.snap.Store(nil) }

// get returns the value at most ttl old, calling load when it is older.
// When load fails, onErr hears of it and the last value is kept (or, with
// none yet, what load returned beside its error).
func (tc *ttlCache[T]) get(ttl time.Duration, load func() (T, error), onErr func(error)) T {
	fresh := func(e *ttlEntry[T]) bool { return e != nil && time.Since(e.at) < ttl }
	e := tc.snap.Load()
	if fresh(e) {
		return e.val
	}
	if e != nil {
		// While one request loads, the others go on with the last value
		// rather than queue behind the database.
		if !tc.mu.TryLock() {
			return e.val
		}
	} else {
		tc.mu.Lock()
	}
	defer tc.mu.Unlock()
	prev := tc.snap.Load()
	if fresh(prev) {
		return prev.val
	}
	val, err := load()
	if err != nil {
		onErr(err)
		if prev != nil {
			val = prev.val
		}
	}
	tc.snap.Store(&ttlEntry[T]{at: time.Now(), val: val})
	return val
}
