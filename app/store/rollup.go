package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
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

// rollupDeltas collects the rollup increments of one transaction (or of a
// batch of submissions) so that each rollup table is written once, at the
// end, in one statement per table with the keys in a fixed order: fewer
// statements than one upsert per event, identical keys summed first, and a
// lock order that concurrent writers on PostgreSQL share. Nothing in a
// transaction reads the rollups, so writing them last changes no answer.
type rollupDeltas struct {
	daily   map[dailyKey]int64    // daily_counts
	stats   map[StatKey]int64     // stat_rollups
	items   map[itemKey]itemDelta // item_stats
	choices map[choiceKey]int64   // item_choice_stats
}

// dailyKey names one daily_counts row.
type dailyKey struct {
	Day      string
	Metric   string
	CourseID int64
	Locale   string
	Guest    bool
}

func newRollupDeltas() *rollupDeltas {
	return &rollupDeltas{daily: map[dailyKey]int64{}, stats: map[StatKey]int64{},
		items: map[itemKey]itemDelta{}, choices: map[choiceKey]int64{}}
}

// bump adds n to a daily counter, as bumpBy does, when the deltas are flushed.
func (d *rollupDeltas) bump(at time.Time, metric string, courseID int64, locale string, guest bool, n int64) {
	d.daily[dailyKey{Day: at.UTC().Format("2006-01-02"), Metric: metric, CourseID: courseID, Locale: locale, Guest: guest}] += n
}

// merge adds o's increments to d.
func (d *rollupDeltas) merge(o *rollupDeltas) {
	for k, n := range o.daily {
		d.daily[k] += n
	}
	for k, n := range o.stats {
		d.stats[k] += n
	}
	for k, n := range o.items {
		m := d.items[k]
		m.Attempts += n.Attempts
		m.Right += n.Right
		m.PassAttempts += n.PassAttempts
		m.PassRight += n.PassRight
		m.FailAttempts += n.FailAttempts
		m.FailRight += n.FailRight
		d.items[k] = m
	}
	for k, n := range o.choices {
		d.choices[k] += n
	}
}

// flush writes the increments inside tx: daily counters first, then the
// statistics rollups, then the item rollups, each in key order.
func (d *rollupDeltas) flush(tx *gorm.DB) error {
	keys := make([]dailyKey, 0, len(d.daily))
	for k, n := range d.daily {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b dailyKey) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.CourseID, b.CourseID),
			cmp.Compare(a.Locale, b.Locale), boolCompare(a.Guest, b.Guest))
	})
	const chunk = 500
	for start := 0; start < len(keys); start += chunk {
		end := min(start+chunk, len(keys))
		var sb strings.Builder
		sb.WriteString(`INSERT INTO daily_counts (day, metric, course_id, locale, guest, value) VALUES `)
		args := make([]any, 0, 6*(end-start))
		for i, k := range keys[start:end] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?)")
			args = append(args, k.Day, k.Metric, k.CourseID, k.Locale, k.Guest, d.daily[k])
		}
		sb.WriteString(` ON CONFLICT (day, metric, course_id, locale, guest) DO UPDATE SET value = daily_counts.value + excluded.value`)
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("daily counts: %w", err)
		}
	}
	if err := applyStatDeltas(tx, d.stats); err != nil {
		return err
	}
	return applyItemDeltas(tx, d.items, d.choices)
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	default:
		return -1
	}
}
