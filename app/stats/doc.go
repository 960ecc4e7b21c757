// Package stats holds the rules that turn participation counts into
// figures fit to publish: small-group suppression (with secondary
// suppression, so that a hidden cell cannot be worked out from totals or
// from other cells), rates and the funnel, and Table, which a dashboard
// renders as HTML and exports as CSV. It is pure: standard library only,
// no database and no web; the store supplies the counts (app/store
// StatsSummary, StatsByDay, StatsBreakdown).
package stats
