package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// bump adds one to a daily counter inside the caller's transaction, so the
// rollup and the event it counts commit together.
func bump(tx *gorm.DB, at time.Time, metric string, courseID int64, locale string, guest bool) error {
	return bumpBy(tx, at, metric, courseID, locale, guest, 1)
}

func bumpBy(tx *gorm.DB, at time.Time, metric string, courseID int64, locale string, guest bool, n int64) error {
	err := tx.Exec(`INSERT INTO daily_counts (day, metric, course_id, locale, guest, value) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (day, metric, course_id, locale, guest) DO UPDATE SET value = daily_counts.value + excluded.value`,
		at.UTC().Format("2006-01-02"), metric, courseID, locale, guest, n).Error
	if err != nil {
		return fmt.Errorf("count %s: %w", metric, err)
	}
	return nil
}

// ensureLearner records a learner id the first time it acts.
func ensureLearner(tx *gorm.DB, id string, at time.Time) error {
	return tx.Exec(`INSERT INTO learners (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`, id, at).Error
}

// CountTotals sums the daily counters of each metric over all days; courseID
// 0 sums every course. It reads rollups only, never raw events.
func (s *Store) CountTotals(ctx context.Context, courseID int64) (map[string]int64, error) {
	type row struct {
		Metric string
		Total  int64
	}
	var rows []row
	q := s.db.WithContext(ctx).Table("daily_counts").Select("metric, SUM(value) AS total").Group("metric")
	if courseID != 0 {
		q = q.Where("course_id = ?", courseID)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count totals: %w", err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Metric] = r.Total
	}
	return out, nil
}
