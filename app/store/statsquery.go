package store

import (
	"context"
	"fmt"
	"time"

	"beacon/app"
)

// Statistics queries: the read side of the rollups (stats.go writes
// them). Every query sums rollups over a range of UTC days and never
// scans raw events; protecting the figures is app/stats's.

// StatSplit is a figure for guests and registered learners apart.
type StatSplit struct {
	Guest      int64
	Registered int64
}

// Total is guests and registered learners together.
func (s StatSplit) Total() int64 { return s.Guest + s.Registered }

func (s *StatSplit) add(guest bool, n int64) {
	if guest {
		s.Guest += n
	} else {
		s.Registered += n
	}
}

// StatDay is one day's figure of a metric.
type StatDay struct {
	Day string // YYYY-MM-DD, UTC
	StatSplit
}

// StatBreakdownRow is the figures of one value of a breakdown dimension
// (a region code, organization code, locale, course id, channel id or
// alert id as text; "" or "0" is "not stated"/"none"), by metric.
type StatBreakdownRow struct {
	Value   string
	Metrics map[string]StatSplit
}

func dayRange(from, to time.Time) (string, string) {
	return from.UTC().Format(statDay), to.UTC().Format(statDay)
}

// StatsSummary returns the totals of every metric in scope over the UTC
// days from..to (inclusive), reading rollups only. Metrics with no events
// are absent. Small-group suppression is the caller's (app/stats).
func (s *Store) StatsSummary(ctx context.Context, scope int64, from, to time.Time) (map[string]StatSplit, error) {
	f, t := dayRange(from, to)
	var rows []struct {
		Metric string
		Guest  bool
		N      int64
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT metric, guest, SUM(n) AS n FROM stat_rollups
WHERE scope = ? AND dim = ? AND day >= ? AND day <= ? GROUP BY metric, guest`, scope, DimAll, f, t).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("stats summary: %w", err)
	}
	out := map[string]StatSplit{}
	for _, r := range rows {
		v := out[r.Metric]
		v.add(r.Guest, r.N)
		out[r.Metric] = v
	}
	return out, nil
}

// StatsByDay returns one metric in scope per UTC day from..to, oldest
// first; days without events are absent.
func (s *Store) StatsByDay(ctx context.Context, scope int64, metric string, from, to time.Time) ([]StatDay, error) {
	f, t := dayRange(from, to)
	var rows []struct {
		Day   string
		Guest bool
		N     int64
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT day, guest, SUM(n) AS n FROM stat_rollups
WHERE scope = ? AND dim = ? AND day >= ? AND day <= ? AND metric = ? GROUP BY day, guest ORDER BY day`,
		scope, DimAll, f, t, metric).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("stats by day: %w", err)
	}
	var out []StatDay
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Day != r.Day {
			out = append(out, StatDay{Day: r.Day})
		}
		out[len(out)-1].add(r.Guest, r.N)
	}
	return out, nil
}

// StatsBreakdown returns the figures of scope over the UTC days from..to
// broken down by dim (one of StatDims), one row per value in value order.
// An unknown dim is ENOTFOUND (it comes from a URL).
func (s *Store) StatsBreakdown(ctx context.Context, scope int64, dim string, from, to time.Time) ([]StatBreakdownRow, error) {
	known := false
	for _, d := range StatDims {
		known = known || d == dim
	}
	if !known {
		return nil, app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	f, t := dayRange(from, to)
	var rows []struct {
		Value  string
		Metric string
		Guest  bool
		N      int64
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT value, metric, guest, SUM(n) AS n FROM stat_rollups
WHERE scope = ? AND dim = ? AND day >= ? AND day <= ? GROUP BY value, metric, guest ORDER BY value`,
		scope, dim, f, t).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("stats breakdown: %w", err)
	}
	var out []StatBreakdownRow
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Value != r.Value {
			out = append(out, StatBreakdownRow{Value: r.Value, Metrics: map[string]StatSplit{}})
		}
		m := out[len(out)-1].Metrics
		v := m[r.Metric]
		v.add(r.Guest, r.N)
		m[r.Metric] = v
	}
	return out, nil
}

// StatEvents returns every raw statistics event, for recounts and checks
// (tests, tools); it scans the raw tables and is not for request paths.
func (s *Store) StatEvents(ctx context.Context) ([]StatEvent, error) {
	var firsts []statFirstRow
	if err := s.db.WithContext(ctx).Find(&firsts).Error; err != nil {
		return nil, fmt.Errorf("stat events: %w", err)
	}
	var attempts []statAttemptRow
	if err := s.db.WithContext(ctx).Find(&attempts).Error; err != nil {
		return nil, fmt.Errorf("stat events: %w", err)
	}
	out := make([]StatEvent, 0, len(firsts)+len(attempts))
	for _, r := range firsts {
		out = append(out, r.event())
	}
	for _, r := range attempts {
		out = append(out, StatEvent{Kind: StatAttempts, LearnerID: r.LearnerID, Scope: r.Scope, CourseID: r.CourseID, At: r.At,
			Guest: r.Guest, Region: r.Region, Organization: r.Organization, Locale: r.Locale, Channel: r.Channel, Passed: r.Passed, Score: r.Score})
	}
	return out, nil
}

// StatRollups returns every non-zero rollup counter, for checks.
func (s *Store) StatRollups(ctx context.Context) (map[StatKey]int64, error) {
	var rows []statRollupRow
	if err := s.db.WithContext(ctx).Where("n <> 0").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("stat rollups: %w", err)
	}
	out := make(map[StatKey]int64, len(rows))
	for _, r := range rows {
		out[StatKey{Scope: r.Scope, Dim: r.Dim, Day: r.Day, Value: r.Value, Guest: r.Guest, Metric: r.Metric}] = r.N
	}
	return out, nil
}
