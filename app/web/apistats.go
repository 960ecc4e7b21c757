package web

import (
	"strconv"
	"time"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/campaign"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Organizers' statistics over the API. Every table is built from the same
// protected release (statsReport) and the same views (statsViews) as the
// dashboard and its CSV files, so a cell hidden there is null here, and a
// shown count is the same perturbed number: never a second computation.

// apiStatsScope reads ?scope=: empty or "site" for site-wide figures,
// else a campaign's slug (ENOTFOUND when there is none), as the dashboard
// has one page per campaign.
func (s *Server) apiStatsScope(c *fiber.Ctx) (statsScope, *app.Campaign, error) {
	lang := s.apiLang(c)
	slug := c.Query("scope")
	if slug == "" || slug == "site" {
		return statsScope{Base: "/" + lang + "/admin/stats"}, nil, nil
	}
	if !authoring.ValidSlug(slug) {
		return statsScope{}, nil, app.Errorf(app.ENOTFOUND, "campaign.not_found")
	}
	cp, err := s.store.FindCampaign(c.UserContext(), slug)
	if err != nil {
		return statsScope{}, nil, err
	}
	return statsScope{ID: cp.ID, Slug: cp.Slug, Base: "/" + lang + "/admin/campaigns/" + cp.Slug + "/stats"}, cp, nil
}

// apiStatsFilter is the dashboard's filter (statsFilter); a bad one is a
// 400 problem naming the first fault.
func (s *Server) apiStatsFilter(c *fiber.Ctx, sc statsScope, cp *app.Campaign) (statsForm, time.Time, time.Time, error) {
	form, from, to, errs := s.statsFilter(c, sc, cp)
	if len(errs) > 0 {
		return form, from, to, app.Errorf(app.EMALFORMED, errs[0].MessageID)
	}
	return form, from, to, nil
}

// apiStatsFilterEcho is the filter an answer was computed for.
type apiStatsFilterEcho struct {
	Scope string `json:"scope"` // "site" or a campaign's slug
	From  string `json:"from"`
	To    string `json:"to"`
	Who   string `json:"who"`
}

func filterEcho(sc statsScope, form statsForm) apiStatsFilterEcho {
	scope := sc.Slug
	if scope == "" {
		scope = "site"
	}
	return apiStatsFilterEcho{Scope: scope, From: form.From, To: form.To, Who: form.Who}
}

// apiStatsIndexBody lists the tables of a scope.
type apiStatsIndexBody struct {
	apiStatsFilterEcho
	Tables []apiStatsTableRef `json:"tables"`
}

type apiStatsTableRef struct {
	Table   string `json:"table"`
	Caption string `json:"caption"`
	URL     string `json:"url"`
}

// apiStatsIndex lists the tables the dashboard of the scope shows, each
// with its URL under the same filter.
func (s *Server) apiStatsIndex(c *fiber.Ctx) error {
	sc, cp, err := s.apiStatsScope(c)
	if err != nil {
		return err
	}
	form, _, _, err := s.apiStatsFilter(c, sc, cp)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(s.apiLang(c))
	echo := filterEcho(sc, form)
	body := apiStatsIndexBody{apiStatsFilterEcho: echo}
	base := s.baseURL(c) + apiPrefix + "/stats/"
	for _, t := range statsTablesOf(sc.ID) {
		q := "?scope=" + echo.Scope + "&from=" + form.From + "&to=" + form.To + "&who=" + form.Who
		body.Tables = append(body.Tables, apiStatsTableRef{Table: t, Caption: statsCaption(l.T, t), URL: base + t + q})
	}
	return s.apiSend(c, body)
}

// statsCaption is the caption the dashboard gives table t.
func statsCaption(T func(string, map[string]any) string, t string) string {
	switch t {
	case "summary":
		return T("admin.stats.summary_caption", nil)
	case "daily":
		return T("admin.stats.daily_caption", nil)
	case store.DimAlert:
		return T("admin.stats.alerts.caption", nil)
	}
	return T("admin.stats.by."+t, nil)
}

// apiStatsTableBody is one dashboard table, cell for cell as its CSV.
type apiStatsTableBody struct {
	apiStatsFilterEcho
	Table      string        `json:"table"`
	Lang       string        `json:"lang"`
	Caption    string        `json:"caption"`
	K          int64         `json:"k"`
	Noise      int64         `json:"noise"`
	Head       string        `json:"head"`
	Columns    []string      `json:"columns"`
	ColumnKeys []string      `json:"column_keys"`
	Rows       []apiStatsRow `json:"rows"`
}

// apiStatsRow is one row: key is the machine name (a day, a region or
// organization code, a locale, a course, channel or alert id, a summary
// figure; "total" for the total row), label its name as the CSV shows it.
type apiStatsRow struct {
	Key   string         `json:"key"`
	Label string         `json:"label"`
	Total bool           `json:"total"`
	Cells []apiStatsCell `json:"cells"`
}

// apiStatsCell is one published figure. Text is the CSV's cell exactly
// ("*" for a hidden count, a localized percentage for a rate); value is
// the count, or null when it is hidden or the cell is not a count.
type apiStatsCell struct {
	Value      *int64 `json:"value"`
	Text       string `json:"text"`
	Suppressed bool   `json:"suppressed"`
}

// apiStatsTable answers one table of the dashboard of ?scope= under the
// dashboard's filter (?from=, ?to=, ?who=), in ?lang='s labels.
func (s *Server) apiStatsTable(c *fiber.Ctx) error {
	ctx := c.UserContext()
	sc, cp, err := s.apiStatsScope(c)
	if err != nil {
		return err
	}
	table := c.Params("table")
	ti := indexOf(statsTablesOf(sc.ID), table)
	if ti < 0 {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	form, from, to, err := s.apiStatsFilter(c, sc, cp)
	if err != nil {
		return err
	}
	lang := s.apiLang(c)
	l := s.bundle.Localizer(lang)
	r, err := s.statsReport(ctx, sc.ID, cp, from, to)
	if err != nil {
		return err
	}
	views, err := s.statsViews(ctx, l, sc, r, form)
	if err != nil {
		return err
	}
	tv := views.Tables[ti]
	body := apiStatsTableBody{apiStatsFilterEcho: filterEcho(sc, form), Table: table, Lang: lang, Caption: tv.Caption,
		K: r.K, Noise: r.D, Head: tv.Head, Columns: tv.Columns, ColumnKeys: statsColumnKeys(table, form.Who), Rows: []apiStatsRow{}}
	for i, rv := range tv.Rows {
		row := apiStatsRow{Label: rv.Label, Total: rv.Total, Cells: make([]apiStatsCell, 0, len(rv.Cells))}
		switch {
		case rv.Total:
			row.Key = "total"
		case table == "summary":
			row.Key = views.Headline[i].Key
		case table == "daily":
			row.Key = r.Days[i].Format(time.DateOnly)
			row.Label = row.Key // as the CSV writes days
		default:
			row.Key = r.Values[table][i]
		}
		for _, cell := range rv.Cells {
			v := apiStatsCell{Text: cell.Raw, Suppressed: cell.Hidden}
			if v.Text == "" {
				v.Text = cell.Text
			}
			if cell.Raw != "" && !cell.Hidden {
				if n, err := strconv.ParseInt(cell.Raw, 10, 64); err == nil {
					v.Value = &n
				}
			}
			row.Cells = append(row.Cells, v)
		}
		body.Rows = append(body.Rows, row)
	}
	return s.apiSend(c, body)
}

// statsColumnKeys names a table's columns for programs.
func statsColumnKeys(table, who string) []string {
	switch table {
	case "summary":
		return []string{who}
	case "daily":
		return dailyMetrics
	case store.DimAlert:
		return []string{store.StatAlertViewed, store.StatAlertLearned, "share"}
	}
	return breakdownMetricsOf(table)
}

// ---- The close-out report ----

// apiCount is a published count: null when hidden.
type apiCount struct {
	Value      *int `json:"value"`
	Suppressed bool `json:"suppressed"`
}

func apiCountOf(c crCell) apiCount {
	if !c.Shown {
		return apiCount{Suppressed: true}
	}
	n := c.N
	return apiCount{Value: &n}
}

// apiRateOf is a published percentage, null when it would reveal a hidden count.
func apiRateOf(r crRate) *int {
	if !r.Shown {
		return nil
	}
	v := r.Value
	return &v
}

type apiReportBody struct {
	Campaign string           `json:"campaign"`
	Title    string           `json:"title"`
	Lang     string           `json:"lang"`
	Starts   time.Time        `json:"starts"`
	Ends     time.Time        `json:"ends"`
	Final    bool             `json:"final"`
	K        int64            `json:"k"`
	Noise    int64            `json:"noise"`
	Goal     apiReportGoal    `json:"goal"`
	Funnel   []apiReportStep  `json:"funnel"`
	Channels []apiReportTable `json:"channels"`
	Regions  []apiReportTable `json:"regions"`
}

type apiReportGoal struct {
	Goal        int      `json:"goal"`
	Completions apiCount `json:"completions"`
	Percent     *int     `json:"percent"`
	State       string   `json:"state"`
}

type apiReportStep struct {
	Step          string   `json:"step"`
	Learners      apiCount `json:"learners"`
	SharePrevious *int     `json:"share_of_previous"`
}

// apiReportTable is a row of the channels or regions table: name is
// empty on the total row and on the "no channel"/"no region" row (none).
type apiReportTable struct {
	Name      string    `json:"name"`
	None      bool      `json:"none"`
	Total     bool      `json:"total"`
	Visited   *apiCount `json:"visited,omitempty"`
	Started   apiCount  `json:"started"`
	Completed apiCount  `json:"completed"`
	Rate      *int      `json:"completion_rate"`
}

// apiCampaignReport is the close-out report of a campaign, the same
// figures as its page and table files (campaignPage).
func (s *Server) apiCampaignReport(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.apiLang(c)
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	v, err := s.campaignView(ctx, cp, lang)
	if err != nil {
		return err
	}
	f, p, err := s.campaignPage(ctx, cp, lang, true)
	if err != nil {
		return err
	}
	titleLang := lang
	if v.TitleLang != "" {
		titleLang = v.TitleLang
	}
	body := apiReportBody{Campaign: cp.Slug, Title: v.Title, Lang: titleLang, Starts: cp.Starts.UTC(), Ends: cp.Ends.UTC(),
		Final: v.Phase == campaign.PhaseEnded, K: f.K, Noise: f.D,
		Goal:   apiReportGoal{Goal: p.Goal.Goal, Completions: apiCountOf(p.Goal.Done), Percent: apiRateOf(p.Goal.Percent), State: p.Goal.State},
		Funnel: []apiReportStep{}, Channels: []apiReportTable{}, Regions: []apiReportTable{}}
	for i, st := range p.Funnel {
		step := apiReportStep{Step: st.Kind, Learners: apiCountOf(st.Count)}
		if i > 0 {
			step.SharePrevious = apiRateOf(st.Share)
		}
		body.Funnel = append(body.Funnel, step)
	}
	for _, r := range p.Channels {
		visited := apiCountOf(r.Cells[0])
		row := apiReportTable{None: r.None, Total: r.Total, Visited: &visited, Started: apiCountOf(r.Cells[1]),
			Completed: apiCountOf(r.Cells[2]), Rate: apiRateOf(r.Rate)}
		if !r.None && !r.Total {
			row.Name = r.Name
		}
		body.Channels = append(body.Channels, row)
	}
	for _, r := range p.Regions {
		row := apiReportTable{None: r.None, Total: r.Total, Started: apiCountOf(r.Cells[0]), Completed: apiCountOf(r.Cells[1]),
			Rate: apiRateOf(r.Rate)}
		if !r.None && !r.Total {
			row.Name = r.Name
		}
		body.Regions = append(body.Regions, row)
	}
	return s.apiSend(c, body)
}
