package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"time"

	"beacon/app/config"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// rateCounter counts hits per bucket in fixed windows and returns the
// count so far in the current window and when it ends.
type rateCounter interface {
	HitRateLimit(ctx context.Context, bucket string, window time.Duration, now time.Time) (int64, time.Time, error)
}

// newRateCounter picks where the counts live. On PostgreSQL, the store's
// rate_limits table, so that every instance behind the load balancer
// counts against the same limit. On SQLite, memory: a SQLite site is one
// instance by nature, and a table would add a database write to every hot
// quiz submission for nothing.
func newRateCounter(st *store.Store) rateCounter {
	if st != nil && st.Dialect() == store.DialectPostgres {
		return st
	}
	return &memoryRates{buckets: map[string]memoryWindow{}}
}

// rateRule is one named limit and what it counts by. key returns "" when
// the request has nothing to count by (no e-mail typed, no learner yet);
// the request is then not counted under this rule.
type rateRule struct {
	name string
	rate config.Rate
	key  func(*fiber.Ctx) string
}

// limit builds a handler that counts the request under each rule in turn
// and answers with the localized 429 page, and Retry-After, at the first
// rule whose count passes its limit. Rules with a zero Max are left out.
func (s *Server) limit(rules ...rateRule) fiber.Handler {
	var on []rateRule
	for _, r := range rules {
		if r.rate.Max > 0 && r.rate.Window > 0 {
			on = append(on, r)
		}
	}
	return func(c *fiber.Ctx) error {
		for _, r := range on {
			k := r.key(c)
			if k == "" {
				continue
			}
			now := s.now()
			hits, resetsAt, err := s.rates.HitRateLimit(c.UserContext(), s.rateBucket(r.name, k), r.rate.Window, now)
			if err != nil {
				// Fail open: the limits slow down guessing and flooding,
				// while refusing every sign-in and quiz because the counter
				// stumbled would turn a database hiccup into an outage for
				// every citizen. The handler behind needs the database too,
				// and answers for itself if it is really gone.
				s.log.Warn("rate limit not checked; request let through", "limit", r.name, "err", err, "request_id", requestID(c))
				continue
			}
			if hits > int64(r.rate.Max) {
				wait := int((resetsAt.Sub(now) + time.Second - 1) / time.Second)
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(wait, 1)))
				return s.handleError(c, &fiberTooMany)
			}
		}
		return c.Next()
	}
}

// rateBucket names a counter: the limit's name and a keyed hash of what it
// counts, so that the shared table holds neither e-mail addresses nor
// client addresses, and every key has the same short length.
func (s *Server) rateBucket(name, key string) string {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte("rate:" + name + "\x00" + key))
	return name + ":" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// memoryRates counts in this process's memory (SQLite sites).
type memoryRates struct {
	mu      sync.Mutex
	buckets map[string]memoryWindow
	sweepAt time.Time
}

type memoryWindow struct {
	hits     int64
	resetsAt time.Time
}

// HitRateLimit counts like store.HitRateLimit. Ended windows are dropped
// once a minute, so that memory follows the visitors of the last window.
func (m *memoryRates) HitRateLimit(_ context.Context, bucket string, window time.Duration, now time.Time) (int64, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !now.Before(m.sweepAt) {
		for k, w := range m.buckets {
			if !now.Before(w.resetsAt) {
				delete(m.buckets, k)
			}
		}
		m.sweepAt = now.Add(time.Minute)
	}
	w, ok := m.buckets[bucket]
	if !ok || !now.Before(w.resetsAt) {
		w = memoryWindow{resetsAt: now.Add(window)}
	}
	w.hits++
	m.buckets[bucket] = w
	return w.hits, w.resetsAt, nil
}
