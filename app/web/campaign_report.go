package web

import (
	"context"
	"html/template"
	"sort"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/i18n"
	"beacon/app/stats"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Campaign figures: the landing page's goal progress and leaderboard, the
// organizers' close-out report (page and CSV) and the open results page.
//
// Every figure comes from the statistics rollups in the campaign's scope
// (scope = campaign id), never from raw rows:
//
//   - Goal progress ("course completions") is StatCompleted keyed by course
//     (DimCourse), summed over the featured courses: one per learner and
//     course, so a learner who completes two featured courses counts twice,
//     as the goal is set in completions. StatCompleted with course 0 is
//     "completed any featured course" and counts people; it is the funnel's
//     and the tables' "completed".
//   - The engine keeps no participants rollup, and StatVisited in a campaign
//     scope also counts people who only followed a tracked link. So a
//     region's participants are its learners who started a featured course
//     in the window (StatStarted, course 0), and its completion rate is
//     completed / started. Someone who pressed Join but never started a
//     course is not counted, nor a learner's learning before they joined.
//   - Channels count people too: visited (StatVisited), started, completed
//     by the channel the learner first came by; "none" for the others.
//
// Disclosure control: these figures are part of the statistics release
// of the campaign over its window (stats_release.go), the same release as
// the campaign dashboard's default filter, so the report, its table files, the
// open results, the landing page and the dashboard all hide the same
// cells and show the same perturbed counts. Goal progress is hidden when
// its count is; whether the goal is reached is said on the true count
// when the count is shown (see goalState).

// Columns of the region table.
const (
	crRegStarted = iota
	crRegCompleted
	crRegNotCompleted
)

// Columns of the channel table.
const (
	crChVisited = iota
	crChStarted
	crChCompleted
)

// crFigures are a campaign's published figures, protected.
type crFigures struct {
	K, D     int64
	Goal     int
	Done     stats.Cell // course completions toward the goal, as published
	done     int64      // the true count, for goalState only
	Regions  *stats.Table
	Channels *stats.Table
	Funnel   *stats.Table // one row per StatFunnel step, one column
	regions  []string     // region code of each Regions row
	channels []int64      // channel id of each Channels row (0 = none)
}

// campaignFigures reads the campaign's figures over its window, protected
// in the statistics release of that filter.
func (s *Server) campaignFigures(ctx context.Context, cp *app.Campaign) (*crFigures, error) {
	from, to := statsWindow(cp)
	r, err := s.statsReport(ctx, cp.ID, cp, from, to)
	if err != nil {
		return nil, err
	}
	return r.Campaign, nil
}

// Goal states of a campaign.
const (
	crGoalNone       = "none"        // no goal was set
	crGoalReached    = "reached"     // completions ≥ goal
	crGoalNotReached = "not_reached" // completions < goal
	crGoalHidden     = "hidden"      // the count is hidden and could be either
)

// goalState says whether the goal is reached. When the count is shown, the
// state follows the true count, not the perturbed one: an organizer must
// not read "reached" at 998 of 1,000, and the state narrows only a count
// of K or more, by no more than the noise. A hidden count gives no state.
func (f *crFigures) goalState() string {
	switch {
	case f.Goal <= 0:
		return crGoalNone
	case f.Done.Suppressed:
		return crGoalHidden
	case f.done >= int64(f.Goal):
		return crGoalReached
	}
	return crGoalNotReached
}

// percent is the goal progress in whole percent, capped at 100; ok is
// false when there is no goal or the count is hidden.
func (f *crFigures) percent() (int, bool) {
	if f.Goal <= 0 || f.Done.Suppressed {
		return 0, false
	}
	return int(min(f.Done.N*100/int64(f.Goal), 100)), true
}

// ---- Views ----

// crCell is one published count: a number, or hidden (a small group, or
// a figure that would give one away: the two look alike on purpose).
type crCell struct {
	N     int
	Shown bool
}

func crCellOf(c stats.Cell) crCell {
	return crCell{N: int(c.N), Shown: !c.Suppressed}
}

// crRate is a published percentage; Shown is false when it would reveal a
// hidden count.
type crRate struct {
	Value int
	Shown bool
}

func crRateOf(num, den stats.Cell) crRate {
	r, ok := stats.Rate(num, den)
	if !ok {
		return crRate{}
	}
	return crRate{Value: int(r*100 + 0.5), Shown: true}
}

// crRow is one line of a published table.
type crRow struct {
	Name, Lang string // the label, and its language when it differs
	Code       string // the region's code (region tables only)
	None       bool   // "region not given" or "no channel"
	Total      bool
	Cells      []crCell
	Rate       crRate
}

// crGoal is the goal progress as published.
type crGoal struct {
	Goal    int
	Done    crCell
	Percent crRate
	State   string
}

func (f *crFigures) goalView() crGoal {
	p, ok := f.percent()
	return crGoal{Goal: f.Goal, Done: crCellOf(f.Done), Percent: crRate{Value: p, Shown: ok}, State: f.goalState()}
}

// regionRows are the region table's rows, shown counts first (most
// participants first), then hidden ones by name (their order would tell
// their size), then the total.
func (s *Server) regionRows(ctx context.Context, f *crFigures, lang string) ([]crRow, error) {
	out := make([]crRow, 0, len(f.Regions.Rows)+1)
	for i, r := range f.Regions.Rows {
		row := crRow{None: f.regions[i] == "", Cells: make([]crCell, 0, 2)}
		if !row.None {
			row.Name, row.Code = f.regions[i], f.regions[i]
			if reg, err := s.store.FindRegion(ctx, f.regions[i]); err == nil {
				row.Name, row.Lang = s.localName(reg.Name, reg.Code, lang)
			} else if app.ErrorCode(err) != app.ENOTFOUND {
				return nil, err
			}
			if row.Lang == lang {
				row.Lang = ""
			}
		}
		row.Cells = append(row.Cells, crCellOf(r.Cells[crRegStarted]), crCellOf(r.Cells[crRegCompleted]))
		row.Rate = crRateOf(r.Cells[crRegCompleted], r.Cells[crRegStarted])
		out = append(out, row)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Cells[0], out[j].Cells[0]
		if a.Shown != b.Shown {
			return a.Shown
		}
		if a.Shown && a.N != b.N {
			return a.N > b.N
		}
		if out[i].None != out[j].None {
			return out[j].None
		}
		return out[i].Name < out[j].Name
	})
	if len(out) == 0 {
		return out, nil
	}
	t := f.Regions.Total
	out = append(out, crRow{Total: true, Cells: []crCell{crCellOf(t.Cells[crRegStarted]), crCellOf(t.Cells[crRegCompleted])},
		Rate: crRateOf(t.Cells[crRegCompleted], t.Cells[crRegStarted])})
	return out, nil
}

// channelRows are the channel table's rows in channel order, then the total.
func (f *crFigures) channelRows() []crRow {
	out := make([]crRow, 0, len(f.Channels.Rows)+1)
	add := func(r stats.Row, row crRow) {
		for _, c := range r.Cells {
			row.Cells = append(row.Cells, crCellOf(c))
		}
		row.Rate = crRateOf(r.Cells[crChCompleted], r.Cells[crChStarted])
		out = append(out, row)
	}
	for i, r := range f.Channels.Rows {
		add(r, crRow{Name: r.Label, None: f.channels[i] == 0})
	}
	add(*f.Channels.Total, crRow{Total: true})
	return out
}

// crStep is one funnel step as published, with its share of the step before.
type crStep struct {
	Kind       string
	Count      crCell
	Share      crRate // of the previous step; not shown for the first
	ShareFirst crRate // of the first step; not shown for the first
}

func (f *crFigures) funnelSteps() []crStep {
	out := make([]crStep, 0, len(store.StatFunnel))
	for i, m := range store.StatFunnel {
		c := f.Funnel.Rows[i].Cells[0]
		st := crStep{Kind: m, Count: crCellOf(c)}
		if i > 0 {
			st.Share = crRateOf(c, f.Funnel.Rows[i-1].Cells[0])
			st.ShareFirst = crRateOf(c, f.Funnel.Rows[0].Cells[0])
		}
		out = append(out, st)
	}
	return out
}

// crPage is what the report and results pages show.
type crPage struct {
	Goal     crGoal
	Funnel   []crStep
	Regions  []crRow
	Channels []crRow
	// Charts of the funnel, the regions and (report only) the channels,
	// and the goal beside the funnel when their counts differ.
	FunnelChart, RegionChart, ChannelChart crChart
	GoalVsFunnel                           *crGoalVsFunnel
}

// crChart is a drawn chart and its summary in words.
type crChart struct {
	SVG     template.HTML
	Summary string
}

// crGoalVsFunnel is the goal's count of course completions beside the
// funnel's count of people who completed a course, both published.
type crGoalVsFunnel struct {
	Completions, People int
}

// charts draws the page's charts; hidden counts are never drawn.
func (p *crPage) charts(l *i18n.Localizer, f *crFigures) {
	text := func(c crCell) string {
		if !c.Shown {
			return l.T("admin.stats.hidden", nil)
		}
		return l.Number(c.N)
	}
	bar := func(label string, c crCell) stats.Bar {
		return stats.Bar{Label: label, Value: int64(c.N), Hidden: !c.Shown, Text: text(c)}
	}
	steps := make([]funnelStep, 0, len(p.Funnel))
	cells := make([]stats.Cell, 0, len(p.Funnel))
	for i, st := range p.Funnel {
		fs := funnelStep{Label: l.T("admin.campaigns.report.step."+st.Kind, nil), Count: statsCell{Text: text(st.Count), Hidden: !st.Count.Shown}}
		if st.Share.Shown {
			fs.OfPrevious = l.Percent(st.Share.Value)
		}
		if st.ShareFirst.Shown {
			fs.OfFirst = l.Percent(st.ShareFirst.Value)
		}
		steps = append(steps, fs)
		cells = append(cells, f.Funnel.Rows[i].Cells[0])
	}
	p.FunnelChart.SVG, p.FunnelChart.Summary = funnelChart(l, "chart-campaign-funnel", steps, cells)

	regions := chartOf(l, "chart-campaign-regions", l.T("admin.campaigns.report.chart.regions", nil))
	for _, r := range p.Regions {
		if r.Total {
			continue
		}
		name := r.Name
		if r.None {
			name = l.T("admin.campaigns.report.no_region", nil)
		}
		b := bar(name, r.Cells[0])
		b.Lang = r.Lang
		regions.Bars = append(regions.Bars, b)
	}
	regions.Desc = chartSummaryWithout(l, regions, func(i int) bool { return p.Regions[i].None }, "admin.campaigns.report.summary.regions")
	p.RegionChart = crChart{SVG: template.HTML(stats.HorizontalBars(regions)), Summary: regions.Desc}

	if len(p.Channels) == 0 {
		return
	}
	channels := chartOf(l, "chart-campaign-channels", l.T("admin.campaigns.report.chart.channels", nil))
	for _, m := range []struct {
		col  int
		name string
	}{{crChVisited, "admin.campaigns.report.col.visited"}, {crChCompleted, "admin.campaigns.report.col.completed"}} {
		sr := stats.Series{Name: l.T(m.name, nil)}
		for _, r := range p.Channels {
			if r.Total {
				continue
			}
			name := r.Name
			if r.None {
				name = l.T("admin.campaigns.report.no_channel", nil)
			}
			sr.Bars = append(sr.Bars, bar(name, r.Cells[m.col]))
		}
		channels.Series = append(channels.Series, sr)
	}
	channels.Desc = chartSummaryWithout(l, channels, func(i int) bool { return p.Channels[i].None }, "admin.campaigns.report.summary.channels")
	p.ChannelChart = crChart{SVG: template.HTML(stats.HorizontalBars(channels)), Summary: channels.Desc}
}

func (s *Server) campaignPage(ctx context.Context, cp *app.Campaign, lang string, withChannels bool) (*crFigures, *crPage, error) {
	f, err := s.campaignFigures(ctx, cp)
	if err != nil {
		return nil, nil, err
	}
	regions, err := s.regionRows(ctx, f, lang)
	if err != nil {
		return nil, nil, err
	}
	p := &crPage{Goal: f.goalView(), Funnel: f.funnelSteps(), Regions: regions}
	if withChannels {
		p.Channels = f.channelRows()
	}
	l := s.bundle.Localizer(lang)
	p.charts(l, f)
	if done, people := p.Goal.Done, p.Funnel[indexOf(store.StatFunnel, store.StatCompleted)].Count; f.Goal > 0 && done.Shown && people.Shown && done.N != people.N {
		p.GoalVsFunnel = &crGoalVsFunnel{Completions: done.N, People: people.N}
	}
	return f, p, nil
}

// ---- Organizers: the close-out report ----

// adminCampaignReport is the close-out report: final once the window has
// ended (or the campaign was closed), figures so far before that.
func (s *Server) adminCampaignReport(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	cp, v, err := s.campaignInPath(c)
	if err != nil {
		return err
	}
	f, p, err := s.campaignPage(ctx, cp, lang, true)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	m, err := s.reportRegionMap(ctx, l, p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.adminRender(c, "admin/campaign/report", fiber.Map{
		"Title":    l.T("admin.campaigns.report.title", map[string]any{"Title": v.Title}),
		"Campaign": v, "Final": v.Phase == campaign.PhaseEnded, "Report": p, "K": f.K, "D": f.D, "Map": m})
}

// ---- Public: open results ----

// campaignResults is the open results page: aggregates only (goal
// progress, funnel, regions), suppressed; 404 unless the organizers
// publish the campaign's results.
func (s *Server) campaignResults(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	f, p, err := s.openResults(ctx, cp, lang)
	if err != nil {
		return err
	}
	v, err := s.campaignView(ctx, cp, lang)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	return s.render(c, "campaign/results", fiber.Map{
		"Title":    l.T("campaign.results.title", map[string]any{"Title": v.Title}),
		"Campaign": v, "Final": v.Phase == campaign.PhaseEnded, "Report": p, "K": f.K, "D": f.D,
		"Meta": shareMeta(&pageMeta{Description: l.T("seo.description.results", map[string]any{"Title": v.Title})},
			shareCampaign, cp.Slug, s.campaignShare(ctx, cp, lang))})
}

// openResults are the campaign's open results in lang (goal progress,
// funnel and regions, without channels), for the results page and the
// API alike: ENOTFOUND unless the organizers publish them.
func (s *Server) openResults(ctx context.Context, cp *app.Campaign, lang string) (*crFigures, *crPage, error) {
	on, err := s.store.CampaignResultsPublished(ctx, cp.ID)
	if err != nil {
		return nil, nil, err
	}
	if !on {
		return nil, nil, app.Errorf(app.ENOTFOUND, "api.problem.results_not_published")
	}
	return s.campaignPage(ctx, cp, lang, false)
}
