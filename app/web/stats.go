package web

import (
	"context"
	"html/template"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"beacon/app"
	"beacon/app/i18n"
	"beacon/app/stats"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Limits of the statistics pages.
const (
	statsDefaultDays = 30  // the site-wide default range, ending today
	statsMaxDays     = 366 // the longest range a page or export shows
)

// statsRoutes are the organizers' statistics pages and exports.
func (s *Server) statsRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/admin/stats", accessOrganize, h(s.statsPage)},
		{"GET", "/:lang/admin/stats.csv", accessOrganize, h(s.statsCSV)},
		{"GET", "/:lang/admin/campaigns/:slug/stats", accessOrganize, h(s.statsPage)},
		{"GET", "/:lang/admin/campaigns/:slug/stats.csv", accessOrganize, h(s.statsCSV)},
		{"GET", "/:lang/admin/stats/definitions", accessOrganize, h(s.statsDefinitions)},
	}
}

// Who a figure counts: columns of every statistics table, in this order.
const (
	whoGuests     = "guests"
	whoRegistered = "registered"
	whoAll        = "all"
)

var statsWho = []string{whoAll, whoGuests, whoRegistered}

func whoColumn(who string) int {
	switch who {
	case whoGuests:
		return 0
	case whoRegistered:
		return 1
	}
	return 2 // whoAll: statsFilter refuses any other value
}

// Tables a page shows and exports, by their CSV name; the site-wide page
// also has the alerts table (statsTablesOf).
var statsTables = []string{"summary", "daily", store.DimRegion, store.DimOrganization, store.DimLocale, store.DimCourse, store.DimChannel}

// statsTablesOf lists the tables of scope: alerts are site-wide, so only
// the site-wide page has their table.
func statsTablesOf(scope int64) []string {
	if scope != 0 {
		return statsTables
	}
	return append(slices.Clip(statsTables), store.DimAlert)
}

// Metrics of the per-day table and of the breakdowns (counts of people or
// of attempts, which add up over days and over a breakdown's values).
var (
	dailyMetrics     = []string{store.StatVisited, store.StatStarted, store.StatCompleted, store.StatCertified, store.StatAttempts}
	breakdownMetrics = []string{store.StatVisited, store.StatStarted, store.StatCompleted, store.StatCertified}
	// A learner counts once per course, so course rows add up to nothing
	// published, and visits are not per course.
	courseMetrics  = []string{store.StatStarted, store.StatCompleted, store.StatCertified}
	summaryMetrics = []string{store.StatVisited, store.StatStarted, store.StatCompleted, store.StatCertified, store.StatAttempts, store.StatPassed}
	// People who saw an alert and who followed its "learn what to do"
	// link, per alert; a person counts once per alert, so the rows add up
	// to nothing published, like the course rows.
	alertMetrics = store.StatAlertKinds
)

// breakdownMetricsOf lists the metrics of a breakdown table.
func breakdownMetricsOf(dim string) []string {
	switch dim {
	case store.DimCourse:
		return courseMetrics
	case store.DimAlert:
		return alertMetrics
	}
	return breakdownMetrics
}

// statsRowsOf keeps the breakdown rows that belong in dim's table: alert
// events count in the region, organization and locale rollups too, but a
// value that only alerts reached has no row in the learning tables.
func statsRowsOf(dim string, rows []store.StatBreakdownRow) []store.StatBreakdownRow {
	if dim == store.DimAlert {
		// Newest alerts first (ids grow).
		sort.SliceStable(rows, func(i, j int) bool {
			a, _ := strconv.ParseInt(rows[i].Value, 10, 64)
			b, _ := strconv.ParseInt(rows[j].Value, 10, 64)
			return a > b
		})
		return rows
	}
	out := rows[:0]
	for _, r := range rows {
		for m := range r.Metrics {
			if !slices.Contains(store.StatAlertKinds, m) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// statsForm is the filter as typed.
type statsForm struct {
	From, To, Who string
}

// statsScope is what a statistics page is about: the whole site or one campaign.
type statsScope struct {
	ID       int64 // 0: site-wide
	Campaign *campaignView
	Base     string // the page's path
	Slug     string
}

// statsFilter reads and checks the filter; the range is inclusive UTC days.
func (s *Server) statsFilter(c *fiber.Ctx, sc statsScope, cp *app.Campaign) (statsForm, time.Time, time.Time, app.FieldErrors) {
	form := statsForm{From: clip(c.Query("from"), 20), To: clip(c.Query("to"), 20), Who: c.Query("who")}
	var errs app.FieldErrors
	switch {
	case form.Who == "":
		form.Who = whoAll
	case !slices.Contains(statsWho, form.Who):
		// Never a silent default: "who=xyz" showing everyone would look
		// like an answer about xyz.
		errs = append(errs, app.FieldError("who", "admin.stats.error.who"))
		form.Who = whoAll
	}
	today := s.now().Truncate(24 * time.Hour)
	from, to := today.AddDate(0, 0, 1-statsDefaultDays), today
	if cp != nil {
		from, to = statsWindow(cp)
	}
	if form.From != "" {
		t, err := time.Parse(time.DateOnly, form.From)
		if err != nil {
			errs = append(errs, app.FieldError("from", "admin.stats.error.date"))
		}
		from = t
	}
	if form.To != "" {
		t, err := time.Parse(time.DateOnly, form.To)
		if err != nil {
			errs = append(errs, app.FieldError("to", "admin.stats.error.date"))
		}
		to = t
	}
	switch {
	case len(errs) > 0:
	case to.Before(from):
		errs = append(errs, app.FieldError("to", "admin.stats.error.range"))
	case to.Sub(from) >= statsMaxDays*24*time.Hour:
		errs = append(errs, app.FieldError("to", "admin.stats.error.too_long"))
	}
	if form.From == "" {
		form.From = from.Format(time.DateOnly)
	}
	if form.To == "" {
		form.To = to.Format(time.DateOnly)
	}
	return form, from, to, errs
}

// statsScopeOf reads the scope from the path: a campaign when it names one.
func (s *Server) statsScopeOf(c *fiber.Ctx) (statsScope, *app.Campaign, error) {
	lang := s.localeOf(c)
	if c.Params("slug") == "" {
		return statsScope{Base: "/" + lang + "/admin/stats"}, nil, nil
	}
	cp, v, err := s.campaignInPath(c)
	if err != nil {
		return statsScope{}, nil, err
	}
	return statsScope{ID: cp.ID, Campaign: &v, Slug: cp.Slug, Base: "/" + lang + "/admin/campaigns/" + cp.Slug + "/stats"}, cp, nil
}

// ---- Views ----

// statsCell is one published figure.
type statsCell struct {
	Text   string
	Raw    string // as exported: digits without grouping or stats.HiddenText (Text when empty)
	Hidden bool   // suppressed
}

type statsRowView struct {
	Label, Lang string
	Total       bool
	Cells       []statsCell
}

// statsTableView is one table of the page with its CSV link and, maybe, its chart.
type statsTableView struct {
	ID      string
	Caption string
	Head    string // the label column's header
	Columns []string
	Rows    []statsRowView
	CSV     string
	Chart   template.HTML
	Hidden  bool // some cell is suppressed: the note explains it
	Charted bool
	Note    string   // what the figures count, when the caption does not say
	Summary string   // the chart in words (#13 part 3)
	Defs    []string // per column, the anchor of its definition ("" for none)

	// Map is the region table's map (stats_map.go), nil for the others.
	Map *participationMap
}

// figure is one headline figure.
type figure struct {
	Key   string
	Label string
	statsCell
}

type funnelStep struct {
	Label      string
	Def        string // anchor of its definition
	Count      statsCell
	OfPrevious string // "" when it cannot be shown
	OfFirst    string
}

// statsNames are the localized names of breakdown values, looked up once a page.
type statsNames struct {
	regions, orgs map[string]placeName
	courses       map[string]placeName
	channels      map[string]string
	alerts        map[string]placeName // by alert id; drills say so
}

// statsNames looks the names up; alertIDs are the alerts the page counts
// (site-wide only), named with one query.
func (s *Server) statsNames(ctx context.Context, lang string, scope int64, alertIDs []string) (*statsNames, error) {
	n := &statsNames{regions: map[string]placeName{}, orgs: map[string]placeName{}, courses: map[string]placeName{},
		channels: map[string]string{}, alerts: map[string]placeName{}}
	if len(alertIDs) > 0 {
		ids := make([]int64, 0, len(alertIDs))
		for _, v := range alertIDs {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		heads, err := s.store.AlertHeadlines(ctx, ids)
		if err != nil {
			return nil, err
		}
		l := s.bundle.Localizer(lang)
		for id, h := range heads {
			p := placeName{Code: h.Identifier}
			var fb bool
			if p.Name, fb = h.Headline.Get(lang, h.SourceLocale); fb {
				p.Lang = h.SourceLocale
			}
			if p.Name == "" {
				p.Name, p.Lang = h.Identifier, ""
			}
			if h.Status == "Exercise" {
				p.Name = l.T("admin.stats.alerts.drill", map[string]any{"Headline": p.Name})
			}
			n.alerts[strconv.FormatInt(id, 10)] = p
		}
	}
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		p := placeName{Code: r.Code}
		p.Name, p.Lang = s.localName(r.Name, r.Code, lang)
		n.regions[r.Code] = p
	}
	orgs, err := s.store.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		p := placeName{Code: o.Code}
		p.Name, p.Lang = s.localName(o.Name, o.Code, lang)
		n.orgs[o.Code] = p
	}
	slugs, err := s.store.CourseSlugs(ctx)
	if err != nil {
		return nil, err
	}
	for id, slug := range slugs {
		n.courses[strconv.FormatInt(id, 10)] = placeName{Code: slug, Name: slug}
	}
	courses, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return nil, err
	}
	for _, pc := range courses {
		p := placeName{Code: pc.Slug}
		var fb bool
		p.Name, fb = pc.Title.Get(lang, pc.SourceLocale)
		if fb {
			p.Lang = pc.SourceLocale
		}
		n.courses[strconv.FormatInt(pc.ID, 10)] = p
	}
	var camps []*app.Campaign
	if scope != 0 {
		camps = []*app.Campaign{{ID: scope}}
	} else if camps, err = s.store.AllCampaigns(ctx); err != nil {
		return nil, err
	}
	for _, cp := range camps {
		chs, err := s.store.CampaignChannelList(ctx, cp.ID)
		if err != nil {
			return nil, err
		}
		for _, ch := range chs {
			name := ch.Name
			if scope == 0 {
				name = s.bundle.Localizer(lang).T("admin.stats.channel_of", map[string]any{"Channel": ch.Name, "Campaign": cp.Slug})
			}
			n.channels[strconv.FormatInt(ch.ID, 10)] = name
		}
	}
	return n, nil
}

// label names a breakdown value in the reader's language.
func (n *statsNames) label(l *i18n.Localizer, b *i18n.Bundle, dim, value string) (string, string) {
	switch dim {
	case store.DimRegion, store.DimOrganization:
		m := n.regions
		if dim == store.DimOrganization {
			m = n.orgs
		}
		if value == "" {
			return l.T("admin.stats.not_stated", nil), ""
		}
		if p, ok := m[value]; ok {
			return p.Name, p.Lang
		}
	case store.DimLocale:
		if value == "" {
			return l.T("admin.stats.not_stated", nil), ""
		}
		if b.Enabled(value) {
			return b.Localizer(value).T("language.native", nil), value
		}
	case store.DimCourse:
		if p, ok := n.courses[value]; ok {
			return p.Name, p.Lang
		}
	case store.DimChannel:
		if value == "0" || value == "" {
			return l.T("admin.stats.no_channel", nil), ""
		}
		if name, ok := n.channels[value]; ok {
			return name, ""
		}
	case store.DimAlert:
		if p, ok := n.alerts[value]; ok {
			return p.Name, p.Lang
		}
		return l.T("admin.stats.alerts.unknown", map[string]any{"ID": value}), ""
	}
	return value, ""
}

func cellView(l *i18n.Localizer, c stats.Cell) statsCell {
	if c.Suppressed {
		return statsCell{Text: l.T("admin.stats.hidden", nil), Raw: c.Text(), Hidden: true}
	}
	return statsCell{Text: l.Number(int(c.N)), Raw: c.Text()}
}

func pctText(l *i18n.Localizer, rate float64) string {
	return l.Percent(int(math.Round(rate * 100)))
}

// statsPageData is everything the dashboard and the exports publish.
type statsPageData struct {
	Headline []figure
	Funnel   []funnelStep
	Tables   []statsTableView // summary, daily, then the breakdowns, in statsTables order
	// FunnelChart draws Funnel; FunnelSummary says it in words.
	FunnelChart   template.HTML
	FunnelSummary string
}

func (s *Server) statsViews(ctx context.Context, l *i18n.Localizer, sc statsScope, r *statsReport, form statsForm) (*statsPageData, error) {
	lang := l.Locale()
	col := whoColumn(form.Who)
	names, err := s.statsNames(ctx, lang, sc.ID, r.Values[store.DimAlert])
	if err != nil {
		return nil, err
	}
	metricName := func(m string) string { return l.T("admin.stats.metric."+m, nil) }
	csvHref := func(table string) string {
		return sc.Base + ".csv?" + "table=" + table + "&from=" + form.From + "&to=" + form.To + "&who=" + form.Who
	}
	row := func(m string) stats.Cell { return r.Summary.Rows[indexOf(summaryMetrics, m)].Cells[col] }
	out := &statsPageData{}

	// Headline figures, in the order the product names them.
	rate := func(num, den stats.Cell) statsCell {
		if v, ok := stats.Rate(num, den); ok {
			return statsCell{Text: pctText(l, v)}
		}
		return statsCell{Text: l.T("admin.stats.no_rate", nil), Hidden: num.Suppressed || den.Suppressed}
	}
	avg := statsCell{Text: l.T("admin.stats.no_rate", nil)}
	if att := row(store.StatAttempts); !att.Suppressed && att.N > 0 {
		// The average of the true scores over the true attempts: it is
		// not a count, and working a score out of two averages takes
		// the exact attempt counts, which are perturbed.
		scores, attempts := splitOf(r.ScoreSum)[col], splitOf(r.Attempts)[col]
		avg = statsCell{Text: pctText(l, float64(scores)/float64(attempts)/100)}
	} else if att.Suppressed {
		avg.Hidden = true
	}
	add := func(key string, c statsCell) {
		out.Headline = append(out.Headline, figure{Key: key, Label: l.T("admin.stats.figure."+key, nil), statsCell: c})
	}
	add("visitors", cellView(l, row(store.StatVisited)))
	add("started", cellView(l, row(store.StatStarted)))
	add("completed", cellView(l, row(store.StatCompleted)))
	add("completion_rate", rate(row(store.StatCompleted), row(store.StatStarted)))
	add("certified", cellView(l, row(store.StatCertified)))
	add("attempts", cellView(l, row(store.StatAttempts)))
	add("pass_rate", rate(row(store.StatPassed), row(store.StatAttempts)))
	add("average_score", avg)

	var funnelCells []stats.Cell
	for i, m := range store.StatFunnel {
		step := funnelStep{Label: metricName(m), Def: definitionOf(m), Count: cellView(l, row(m))}
		funnelCells = append(funnelCells, row(m))
		if i > 0 {
			if v, ok := stats.Rate(row(m), row(store.StatFunnel[i-1])); ok {
				step.OfPrevious = pctText(l, v)
			}
			if v, ok := stats.Rate(row(m), row(store.StatFunnel[0])); ok {
				step.OfFirst = pctText(l, v)
			}
		}
		out.Funnel = append(out.Funnel, step)
	}
	out.FunnelChart, out.FunnelSummary = funnelChart(l, "chart-funnel", out.Funnel, funnelCells)

	// Summary table: the headline figures as a table, for the export.
	summary := statsTableView{ID: "summary", Caption: l.T("admin.stats.summary_caption", nil), Head: l.T("admin.stats.col.figure", nil),
		Columns: []string{l.T("admin.stats.who."+form.Who, nil)}, CSV: csvHref("summary")}
	for _, f := range out.Headline {
		summary.Rows = append(summary.Rows, statsRowView{Label: f.Label, Cells: []statsCell{f.statsCell}})
		summary.Hidden = summary.Hidden || f.Hidden
	}
	out.Tables = append(out.Tables, summary)

	// Per day, with a chart of the learners who started.
	daily := statsTableView{ID: "daily", Caption: l.T("admin.stats.daily_caption", nil), Head: l.T("admin.stats.col.day", nil), CSV: csvHref("daily")}
	for _, m := range dailyMetrics {
		daily.Columns = append(daily.Columns, metricName(m))
		daily.Defs = append(daily.Defs, definitionOf(m))
	}
	for i, d := range r.Days {
		rv := statsRowView{Label: l.Date(d)}
		for _, m := range dailyMetrics {
			c := cellView(l, r.Daily[m].Rows[i].Cells[col])
			daily.Hidden = daily.Hidden || c.Hidden
			rv.Cells = append(rv.Cells, c)
		}
		daily.Rows = append(daily.Rows, rv)
	}
	total := statsRowView{Label: l.T("admin.stats.total", nil), Total: true}
	for _, m := range dailyMetrics {
		total.Cells = append(total.Cells, cellView(l, r.Daily[m].Total.Cells[col]))
	}
	daily.Rows = append(daily.Rows, total)
	daily.Chart, daily.Summary = dailyChart(l, r, col)
	daily.Charted = true
	out.Tables = append(out.Tables, daily)

	for _, dim := range statsTablesOf(sc.ID)[2:] {
		if dim == store.DimAlert {
			out.Tables = append(out.Tables, s.alertsTable(l, names, r, col, csvHref(dim)))
			continue
		}
		metrics := breakdownMetricsOf(dim)
		tv := statsTableView{ID: "by-" + dim, Caption: l.T("admin.stats.by."+dim, nil), Head: l.T("admin.stats.col."+dim, nil), CSV: csvHref(dim)}
		for _, m := range metrics {
			tv.Columns = append(tv.Columns, metricName(m))
			tv.Defs = append(tv.Defs, definitionOf(m))
		}
		var bars []stats.Bar
		for i, v := range r.Values[dim] {
			rv := statsRowView{}
			rv.Label, rv.Lang = names.label(l, s.bundle, dim, v)
			if rv.Lang == lang {
				rv.Lang = ""
			}
			for _, m := range metrics {
				c := cellView(l, r.Breakdowns[dim][m].Rows[i].Cells[col])
				tv.Hidden = tv.Hidden || c.Hidden
				rv.Cells = append(rv.Cells, c)
			}
			tv.Rows = append(tv.Rows, rv)
			c := r.Breakdowns[dim][store.StatStarted].Rows[i].Cells[col]
			bars = append(bars, stats.Bar{Label: rv.Label, Lang: rv.Lang, Value: c.N, Hidden: c.Suppressed, Text: rv.Cells[indexOf(metrics, store.StatStarted)].Text})
		}
		if dim != store.DimCourse && len(tv.Rows) > 0 {
			total := statsRowView{Label: l.T("admin.stats.total", nil), Total: true}
			for _, m := range metrics {
				total.Cells = append(total.Cells, cellView(l, r.Breakdowns[dim][m].Total.Cells[col]))
			}
			tv.Rows = append(tv.Rows, total)
		}
		if dim == store.DimRegion && len(bars) > 0 {
			c := chartOf(l, "chart-region", l.T("admin.stats.chart.region", nil))
			c.Bars = bars
			c.Desc = chartSummaryWithout(l, c, func(i int) bool { return r.Values[dim][i] == "" }, "admin.stats.summary.region")
			tv.Chart, tv.Summary = template.HTML(stats.HorizontalBars(c)), c.Desc
			tv.Charted = true
		}
		out.Tables = append(out.Tables, tv)
	}
	return out, nil
}

// alertsTable is the table of alerts that people saw: per alert, the people
// who saw it, those who followed its "learn what to do" link and their
// share, in the column of who.
func (s *Server) alertsTable(l *i18n.Localizer, names *statsNames, r *statsReport, col int, csvHref string) statsTableView {
	dim := store.DimAlert
	tv := statsTableView{ID: "by-" + dim, Caption: l.T("admin.stats.alerts.caption", nil), Head: l.T("admin.stats.alerts.col.alert", nil),
		Columns: []string{l.T("admin.stats.alerts.col.viewed", nil), l.T("admin.stats.alerts.col.learned", nil),
			l.T("admin.stats.alerts.col.share", nil)},
		CSV: csvHref, Note: l.T("admin.stats.alerts.note", nil)}
	for i, v := range r.Values[dim] {
		rv := statsRowView{}
		rv.Label, rv.Lang = names.label(l, s.bundle, dim, v)
		if rv.Lang == l.Locale() {
			rv.Lang = ""
		}
		viewed := r.Breakdowns[dim][store.StatAlertViewed].Rows[i].Cells[col]
		learned := r.Breakdowns[dim][store.StatAlertLearned].Rows[i].Cells[col]
		share := statsCell{Text: l.T("admin.stats.no_rate", nil), Hidden: viewed.Suppressed || learned.Suppressed}
		if v, ok := stats.Rate(learned, viewed); ok {
			share = statsCell{Text: pctText(l, v)}
		}
		rv.Cells = []statsCell{cellView(l, viewed), cellView(l, learned), share}
		for _, c := range rv.Cells {
			tv.Hidden = tv.Hidden || c.Hidden
		}
		tv.Rows = append(tv.Rows, rv)
	}
	return tv
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// ---- Handlers ----

// statsPage is the dashboard, site-wide or of the campaign in the path.
func (s *Server) statsPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	l := s.bundle.Localizer(s.localeOf(c))
	sc, cp, err := s.statsScopeOf(c)
	if err != nil {
		return err
	}
	form, from, to, errs := s.statsFilter(c, sc, cp)
	title := l.T("admin.stats.title", nil)
	if sc.Campaign != nil {
		title = l.T("admin.stats.campaign_title", map[string]any{"Campaign": sc.Campaign.Title})
	}
	var whoChoices []choice
	for _, w := range statsWho {
		whoChoices = append(whoChoices, choice{Value: w, Label: l.T("admin.stats.who."+w, nil), Checked: w == form.Who})
	}
	data := fiber.Map{"Title": title, "Scope": sc, "Form": form, "Errors": errs, "Who": whoChoices}
	if len(errs) > 0 {
		// A filter Beacon does not know is refused, never read as another.
		c.Status(fiber.StatusBadRequest)
		return s.adminRender(c, "admin/stats/index", data)
	}
	r, err := s.statsReport(ctx, sc.ID, cp, from, to)
	if err != nil {
		return err
	}
	views, err := s.statsViews(ctx, l, sc, r, form)
	if err != nil {
		return err
	}
	if err := s.statsRegionMap(ctx, l, r, form.Who, views); err != nil {
		return err
	}
	data["K"], data["D"] = int(r.K), int(r.D)
	data["NoSplit"] = r.NoSplit && form.Who != whoAll
	data["From"], data["To"] = from, to
	data["Headline"] = views.Headline
	data["Funnel"] = views.Funnel
	data["FunnelChart"], data["FunnelSummary"] = views.FunnelChart, views.FunnelSummary
	data["Tables"] = views.Tables
	return s.adminRender(c, "admin/stats/index", data)
}

// statsCSV exports one table of the dashboard as published (the same
// release as the page), with a header row in the reader's language. A
// filter or table it does not know is 400 with the reasons as text.
func (s *Server) statsCSV(c *fiber.Ctx) error {
	ctx := c.UserContext()
	l := s.bundle.Localizer(s.localeOf(c))
	sc, cp, err := s.statsScopeOf(c)
	if err != nil {
		return err
	}
	form, from, to, errs := s.statsFilter(c, sc, cp)
	table := c.Query("table", "summary")
	if indexOf(statsTablesOf(sc.ID), table) < 0 {
		errs = append(errs, app.FieldError("table", "admin.stats.error.table"))
	}
	if len(errs) > 0 {
		msg := ""
		for _, e := range errs {
			msg += l.T(e.MessageID, nil) + "\n"
		}
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusBadRequest).SendString(msg)
	}
	r, err := s.statsReport(ctx, sc.ID, cp, from, to)
	if err != nil {
		return err
	}
	views, err := s.statsViews(ctx, l, sc, r, form)
	if err != nil {
		return err
	}
	tv := views.Tables[indexOf(statsTablesOf(sc.ID), table)]
	name := "beacon-stats"
	if sc.Slug != "" {
		name += "-" + sc.Slug
	}
	name += "-" + table + "-" + form.From + "-" + form.To + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if _, err := c.WriteString(utf8BOM); err != nil {
		return err
	}
	w := stats.NewCSVWriter(c)
	if err := w.Write(append([]string{tv.Head}, tv.Columns...)); err != nil {
		return err
	}
	for i, rv := range tv.Rows {
		label := rv.Label
		if table == "daily" && !rv.Total {
			label = r.Days[i].Format(time.DateOnly) // machine-readable days
		}
		line := []string{label}
		for _, cell := range rv.Cells {
			v := cell.Raw
			if v == "" {
				v = cell.Text
			}
			line = append(line, v)
		}
		if err := w.Write(line); err != nil {
			return err
		}
	}
	return w.Flush()
}

// utf8BOM starts every CSV download: spreadsheet programs read the file as
// UTF-8 only with it, and headers in Arabic, Chinese or Russian need that.
const utf8BOM = "\ufeff"
