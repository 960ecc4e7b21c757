package store

import (
	"context"
	"fmt"
	"time"
)

// HitRateLimit counts one hit in bucket's fixed window of the given length
// and returns the hits counted so far in the current window and when it
// ends. The first hit, or the first after the window ended, starts a new
// window at now. One statement (INSERT ... ON CONFLICT ... DO UPDATE ...
// RETURNING) does it, so that concurrent hits from every instance are each
// counted exactly once.
func (s *Store) HitRateLimit(ctx context.Context, bucket string, window time.Duration, now time.Time) (int64, time.Time, error) {
	nowMS := now.UnixMilli()
	var (
		hits     int64
		resetsAt int64
	)
	err := s.db.WithContext(ctx).Raw(`INSERT INTO rate_limits (bucket, hits, resets_at) VALUES (?, 1, ?)
ON CONFLICT (bucket) DO UPDATE SET
    hits = CASE WHEN rate_limits.resets_at <= ? THEN 1 ELSE rate_limits.hits + 1 END,
    resets_at = CASE WHEN rate_limits.resets_at <= ? THEN excluded.resets_at ELSE rate_limits.resets_at END
RETURNING hits, resets_at`, bucket, nowMS+window.Milliseconds(), nowMS, nowMS).Row().Scan(&hits, &resetsAt)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("hit rate limit: %w", err)
	}
	return hits, time.UnixMilli(resetsAt).UTC(), nil
}

// DeleteExpiredRateLimits removes the windows that ended before now and
// reports how many; the hourly sweep calls it.
func (s *Store) DeleteExpiredRateLimits(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM rate_limits WHERE resets_at <= ?`, now.UnixMilli())
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired rate limits: %w", res.Error)
	}
	return res.RowsAffected, nil
}
