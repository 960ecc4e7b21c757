package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"strconv"
	"time"

	"beacon/app"
	"beacon/app/stats"
	"beacon/app/store"
)

// The statistics release: every figure Beacon publishes for one filter
// (a scope, site-wide or a campaign, and a range of days) goes into one
// stats.Release with the relations between the figures, is protected
// once, and is then rendered by the dashboard, its CSV files and, for a
// campaign over its window, the close-out report and its table files, the open
// results and the landing page. So they all hide the same cells and show
// the same (perturbed) numbers, and none can undo another's protection.
//
// The release holds all three "who" columns (guests, registered, all)
// whatever the page shows, since the other two are a click away.

// statsReport holds every figure of one filter, protected.
type statsReport struct {
	K, D       int64
	Days       []time.Time
	Summary    *stats.Table            // rows: summaryMetrics
	Daily      map[string]*stats.Table // by metric; rows: Days
	Breakdowns map[string]map[string]*stats.Table
	Values     map[string][]string // breakdown values, by dimension
	ScoreSum   store.StatSplit     // true sums of scores and attempts, for the average score only
	Attempts   store.StatSplit
	Campaign   *crFigures // the report's figures, when the scope is a campaign
	NoSplit    bool       // guests and registered learners are not shown apart
}

// Settings of the statistics protection.
const (
	settingNoise = "stats_noise" // the largest noise D added to a published count
	maxNoise     = 10
)

// statsProtection reads K (small_group_k) and D (stats_noise), each its
// default when unset or bad, from the stored settings (not the cached
// copy: every page of one filter must use the same values).
func (s *Server) statsProtection(ctx context.Context) (k, d int64, err error) {
	vals, err := s.store.Settings(ctx)
	if err != nil {
		return 0, 0, err
	}
	k, err = strconv.ParseInt(vals[settingSmallGroup], 10, 64)
	if err != nil || k < 1 {
		k = stats.DefaultK
	}
	d, err = strconv.ParseInt(vals[settingNoise], 10, 64)
	if err != nil || d < 0 || d > maxNoise {
		d = stats.DefaultNoise
	}
	return k, d, nil
}

// statsKey is the noise key of scope (see stats.Noise): the server secret
// through HMAC, so that the key serves no other purpose and scopes draw
// apart.
func (s *Server) statsKey(scope int64) []byte {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte("stats-noise:" + strconv.FormatInt(scope, 10)))
	return m.Sum(nil)
}

// statsID names a figure of the release: scope, dimension and value,
// metric and who. Never the date range: a figure's name is the same in
// every query.
func statsID(scope int64, dim, value, metric, who string) string {
	return strconv.FormatInt(scope, 10) + "|" + dim + "=" + value + "|" + metric + "|" + who
}

// splitOf is v in the order of the "who" columns.
func splitOf(v store.StatSplit) []int64 { return []int64{v.Guest, v.Registered, v.Total()} }

// statsWindow is a campaign's window as the statistics count it: whole UTC days.
func statsWindow(cp *app.Campaign) (time.Time, time.Time) {
	return cp.Starts.UTC().Truncate(24 * time.Hour), cp.Ends.UTC().Truncate(24 * time.Hour)
}

// releaseBuilder adds figures of one scope to a release.
type releaseBuilder struct {
	rel   *stats.Release
	scope int64
	// noSplit hides guests and registered learners apart: fewer than K of
	// one of them came in the range, so every figure of the other would be
	// "everyone" minus a small group.
	noSplit bool
}

// split adds a figure for guests, registered learners and both, with the
// relation all = guests + registered.
func (b *releaseBuilder) split(dim, value, metric string, v store.StatSplit) []int {
	g := b.rel.Figure(statsID(b.scope, dim, value, metric, whoGuests), v.Guest)
	r := b.rel.Figure(statsID(b.scope, dim, value, metric, whoRegistered), v.Registered)
	a := b.rel.Figure(statsID(b.scope, dim, value, metric, whoAll), v.Total())
	b.rel.Sum(a, g, r)
	if b.noSplit {
		b.rel.Hide(g)
		b.rel.Hide(r)
	}
	if (dim == store.DimRegion || dim == store.DimOrganization) && value != "" || metric == store.StatCertified {
		// Guests have no account, so no region, no organization and no
		// certificate: a guest count there is zero by construction.
		b.rel.Structural(g)
	}
	return []int{g, r, a}
}

// columns records that, column by column, total is the sum of rows, and
// returns total; when the counts disagree (they should not) it adds a
// total of its own under dim, so that the table's total row is true.
func (b *releaseBuilder) columns(dim, metric string, total []int, rows [][]int) []int {
	if len(rows) == 0 {
		return total
	}
	ok := true
	for j := range total {
		col := make([]int, len(rows))
		for i, r := range rows {
			col[i] = r[j]
		}
		ok = ok && b.rel.Sum(total[j], col...)
	}
	if ok {
		return total
	}
	var v store.StatSplit
	for _, r := range rows {
		v.Guest += b.rel.Count(r[0])
		v.Registered += b.rel.Count(r[1])
	}
	own := b.split(dim, "(total)", metric, v)
	for j := range own {
		col := make([]int, len(rows))
		for i, r := range rows {
			col[i] = r[j]
		}
		b.rel.Sum(own[j], col...)
	}
	return own
}

// statsReport reads every figure of scope over the days from..to and
// protects them as one release. cp is the campaign when scope is one: its
// report's figures join the release.
func (s *Server) statsReport(ctx context.Context, scope int64, cp *app.Campaign, from, to time.Time) (*statsReport, error) {
	k, d, err := s.statsProtection(ctx)
	if err != nil {
		return nil, err
	}
	rel := stats.NewRelease(k, d, s.statsKey(scope))
	b := &releaseBuilder{rel: rel, scope: scope}
	r := &statsReport{K: k, D: d, Daily: map[string]*stats.Table{}, Breakdowns: map[string]map[string]*stats.Table{}, Values: map[string][]string{}}
	var layout []func() // fill the tables once the release is protected
	cols := []string{whoGuests, whoRegistered, whoAll}

	sum, err := s.store.StatsSummary(ctx, scope, from, to)
	if err != nil {
		return nil, err
	}
	r.ScoreSum, r.Attempts = sum[store.StatScoreSum], sum[store.StatAttempts]
	// None at all is no small group: then the other side is everyone,
	// the same count with the same noise.
	if v := sum[store.StatVisited]; k > 1 && ((v.Guest > 0 && v.Guest < k) || (v.Registered > 0 && v.Registered < k)) {
		b.noSplit, r.NoSplit = true, true
	}
	summary := map[string][]int{}
	summaryRefs := make([][]int, len(summaryMetrics))
	for i, m := range summaryMetrics {
		summary[m] = b.split(store.DimAll, "", m, sum[m])
		summaryRefs[i] = summary[m]
	}
	layout = append(layout, func() { r.Summary = rel.Table(cols, summaryMetrics, summaryRefs, nil) })

	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		r.Days = append(r.Days, d)
	}
	labels := make([]string, len(r.Days))
	index := make(map[string]int, len(r.Days))
	for i, d := range r.Days {
		labels[i] = d.Format(time.DateOnly)
		index[labels[i]] = i
	}
	for _, m := range dailyMetrics {
		series, err := s.store.StatsByDay(ctx, scope, m, from, to)
		if err != nil {
			return nil, err
		}
		days := make([]store.StatSplit, len(r.Days))
		for _, d := range series {
			if i, ok := index[d.Day]; ok {
				days[i] = d.StatSplit
			}
		}
		refs := make([][]int, len(days))
		for i, v := range days {
			refs[i] = b.split("day", labels[i], m, v)
		}
		total := b.columns("day", m, summary[m], refs)
		layout = append(layout, func() { r.Daily[m] = rel.Table(cols, labels, refs, total) })
	}

	breakdown := map[string]map[string][][]int{} // dim → metric → row → who
	totals := map[string]map[string][]int{}
	for _, dim := range statsTablesOf(scope)[2:] {
		rows, err := s.store.StatsBreakdown(ctx, scope, dim, from, to)
		if err != nil {
			return nil, err
		}
		rows = statsRowsOf(dim, rows)
		if (dim == store.DimRegion || dim == store.DimOrganization) && len(rows) > 0 && rows[0].Value != "" {
			// "Not stated" is always listed: guests are never anywhere
			// else, so without it the guests' column would add up to a
			// known zero, and its absence alone would say nobody came
			// without a region.
			rows = append([]store.StatBreakdownRow{{Value: "", Metrics: map[string]store.StatSplit{}}}, rows...)
		}
		values := make([]string, 0, len(rows))
		for _, row := range rows {
			values = append(values, row.Value)
		}
		r.Values[dim] = values
		r.Breakdowns[dim] = map[string]*stats.Table{}
		breakdown[dim], totals[dim] = map[string][][]int{}, map[string][]int{}
		withTotal := dim != store.DimCourse && dim != store.DimAlert
		for _, m := range breakdownMetricsOf(dim) {
			refs := make([][]int, len(rows))
			for i, row := range rows {
				refs[i] = b.split(dim, row.Value, m, row.Metrics[m])
			}
			var total []int
			if withTotal {
				total = b.columns(dim, m, summary[m], refs)
			}
			breakdown[dim][m], totals[dim][m] = refs, total
			layout = append(layout, func() { r.Breakdowns[dim][m] = rel.Table(cols, values, refs, total) })
		}
	}
	if cp != nil {
		cl, err := s.campaignRelease(ctx, b, cp, summary, breakdown, totals, r.Values)
		if err != nil {
			return nil, err
		}
		layout = append(layout, func() { r.Campaign = cl() })
	}
	rel.Protect()
	for _, f := range layout {
		f()
	}
	return r, nil
}

// campaignRelease adds a campaign's report figures to the release (see
// campaign_report.go for what they count) and returns the function that
// lays them out once the release is protected. Every figure the report
// shares with the dashboard is the dashboard's own figure.
func (s *Server) campaignRelease(ctx context.Context, b *releaseBuilder, cp *app.Campaign, summary map[string][]int,
	breakdown map[string]map[string][][]int, totals map[string]map[string][]int, values map[string][]string) (func() *crFigures, error) {
	rel := b.rel
	const all = 2 // the "who" column of everyone
	f := &crFigures{K: rel.K(), D: rel.D(), Goal: cp.GoalCompletions}

	// Goal progress: completions of each featured course.
	ids, err := s.store.CampaignCourseIDs(ctx, cp)
	if err != nil {
		return nil, err
	}
	featured := map[string]bool{}
	for _, id := range ids {
		featured[strconv.FormatInt(id, 10)] = true
	}
	var parts []int
	for i, v := range values[store.DimCourse] {
		if featured[v] {
			parts = append(parts, breakdown[store.DimCourse][store.StatCompleted][i][all])
		}
	}
	done := -1
	if len(parts) == 1 {
		done = parts[0]
	} else {
		var n int64
		for _, p := range parts {
			n += rel.Count(p)
		}
		done = rel.Figure(statsID(b.scope, "goal", "", "completions", whoAll), n)
		rel.Sum(done, parts...)
	}
	// With one featured course, completions and completers are the same
	// people: say so when it is true.
	rel.Sum(summary[store.StatCompleted][all], done)

	// Regions: participants (started) and completers, people once each,
	// and those who did not complete (started = completed + not completed).
	var regionRefs [][]int
	var notDone []int
	for i, v := range values[store.DimRegion] {
		st, co := breakdown[store.DimRegion][store.StatStarted][i][all], breakdown[store.DimRegion][store.StatCompleted][i][all]
		if rel.Count(st) == 0 && rel.Count(co) == 0 {
			continue // visitors only: not taking part
		}
		// Only a region changed between the two events can make completed
		// exceed started; nobody is "not completed" then.
		nc := rel.Figure(statsID(b.scope, store.DimRegion, v, "not_completed", whoAll), max(0, rel.Count(st)-rel.Count(co)))
		rel.Sum(st, co, nc)
		regionRefs = append(regionRefs, []int{st, co, nc})
		notDone = append(notDone, nc)
		f.regions = append(f.regions, v)
	}
	regionTotal := []int{totals[store.DimRegion][store.StatStarted][all], totals[store.DimRegion][store.StatCompleted][all], -1}
	var ncTotal int64
	for _, nc := range notDone {
		ncTotal += rel.Count(nc)
	}
	regionTotal[2] = rel.Figure(statsID(b.scope, store.DimAll, "", "not_completed", whoAll), ncTotal)
	rel.Sum(regionTotal[2], notDone...)
	rel.Sum(regionTotal[0], regionTotal[1], regionTotal[2])

	// Channels: every channel of the campaign, then "none" for people who
	// came by no channel or by one since deleted.
	chans, err := s.store.CampaignChannelList(ctx, cp.ID)
	if err != nil {
		return nil, err
	}
	metrics := []string{store.StatVisited, store.StatStarted, store.StatCompleted}
	row := map[string]int{}
	for i, v := range values[store.DimChannel] {
		row[v] = i
	}
	refsOf := func(i int) []int {
		out := make([]int, len(metrics))
		for j, m := range metrics {
			out[j] = breakdown[store.DimChannel][m][i][all]
		}
		return out
	}
	var chanRefs [][]int
	var chanLabels []string
	known := map[string]bool{}
	for _, ch := range chans {
		v := strconv.FormatInt(ch.ID, 10)
		known[v] = true
		refs := make([]int, len(metrics))
		if i, ok := row[v]; ok {
			refs = refsOf(i)
		} else {
			for j, m := range metrics {
				refs[j] = rel.Figure(statsID(b.scope, store.DimChannel, v, m, whoAll), 0)
			}
		}
		chanRefs = append(chanRefs, refs)
		chanLabels = append(chanLabels, ch.Name)
		f.channels = append(f.channels, ch.ID)
	}
	var none [][]int
	for i, v := range values[store.DimChannel] {
		if !known[v] {
			none = append(none, refsOf(i))
		}
	}
	switch {
	case len(none) == 1:
		chanRefs = append(chanRefs, none[0])
	case len(none) > 1:
		refs := make([]int, len(metrics))
		for j, m := range metrics {
			var n int64
			col := make([]int, len(none))
			for i, r := range none {
				n += rel.Count(r[j])
				col[i] = r[j]
			}
			refs[j] = rel.Figure(statsID(b.scope, store.DimChannel, "(none)", m, whoAll), n)
			rel.Sum(refs[j], col...)
		}
		chanRefs = append(chanRefs, refs)
	}
	if len(none) > 0 {
		chanLabels = append(chanLabels, "")
		f.channels = append(f.channels, 0)
	}
	chanTotal := make([]int, len(metrics))
	for j, m := range metrics {
		chanTotal[j] = totals[store.DimChannel][m][all]
	}

	var funnel [][]int
	for _, m := range store.StatFunnel {
		funnel = append(funnel, []int{summary[m][all]})
	}
	return func() *crFigures {
		f.Done, f.done = rel.Cell(done), rel.Count(done)
		f.Regions = rel.Table([]string{store.StatStarted, store.StatCompleted, "not_completed"}, f.regions, regionRefs, regionTotal)
		f.Channels = rel.Table(metrics, chanLabels, chanRefs, chanTotal)
		f.Funnel = rel.Table([]string{"learners"}, store.StatFunnel, funnel, nil)
		return f
	}, nil
}
