package web

import (
	"sort"
	"time"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/campaign"

	"github.com/gofiber/fiber/v2"
)

// Campaign statuses of the API (?status=): the pages' phases in the words
// integrators expect.
var apiCampaignStatus = map[string]string{
	campaign.PhaseRunning:  "active",
	campaign.PhaseUpcoming: "upcoming",
	campaign.PhaseEnded:    "past",
}

// apiCampaign is a campaign as its landing page presents it.
type apiCampaign struct {
	Slug        string    `json:"slug"`
	Lang        string    `json:"lang"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Status      string    `json:"status"`
	Starts      time.Time `json:"starts"`
	Ends        time.Time `json:"ends"`
	TimeZone    string    `json:"time_zone"`
	Closed      bool      `json:"closed"`
	Goal        int       `json:"goal"`
	Regions     []string  `json:"regions"`
	Courses     []string  `json:"courses"`
	URL         string    `json:"url"`
	ResultsURL  string    `json:"results_url,omitempty"`
	APIResults  string    `json:"results,omitempty"`
}

// apiCampaignDetail adds the progress toward the goal and the regions'
// leaderboard, published exactly as on the landing page.
type apiCampaignDetail struct {
	apiCampaign
	Progress    apiGoal        `json:"progress"`
	Leaderboard []apiRegionRow `json:"leaderboard"`
}

// apiGoal is the goal progress as published: a count hidden by the
// small-group protection is null, and so is any figure that would reveal
// it.
type apiGoal struct {
	Goal        int    `json:"goal"`
	Completions *int   `json:"completions"`
	Percent     *int   `json:"percent"`
	State       string `json:"state"`
	K           int64  `json:"k"`
}

// apiRegionRow is one row of a published region table; hidden counts are
// null.
type apiRegionRow struct {
	Region         string `json:"region,omitempty"`
	Name           string `json:"name,omitempty"`
	Lang           string `json:"lang,omitempty"`
	NotGiven       bool   `json:"not_given,omitempty"`
	Total          bool   `json:"total,omitempty"`
	Participants   *int   `json:"participants"`
	Completed      *int   `json:"completed"`
	CompletionRate *int   `json:"completion_rate"`
}

// apiResults are a campaign's open results, as the results page shows them.
type apiResults struct {
	Campaign string         `json:"campaign"`
	Lang     string         `json:"lang"`
	Final    bool           `json:"final"`
	K        int64          `json:"k"`
	Progress apiGoal        `json:"progress"`
	Funnel   []apiStep      `json:"funnel"`
	Regions  []apiRegionRow `json:"regions"`
	URL      string         `json:"url"`
}

// apiStep is one funnel step with its share of the step before.
type apiStep struct {
	Step  string `json:"step"`
	Count *int   `json:"count"`
	Share *int   `json:"share_percent"`
}

// apiCampaigns lists the campaigns, optionally of one status: running and
// upcoming first (soonest start first), then past ones (latest end first),
// as the campaigns page orders them.
func (s *Server) apiCampaigns(c *fiber.Ctx) error {
	limit, offset, err := apiPaging(c)
	if err != nil {
		return err
	}
	want := c.Query("status")
	switch want {
	case "", "active", "upcoming", "past":
	default:
		return app.Errorf(app.EMALFORMED, "api.problem.status")
	}
	lang := s.apiLang(c)
	ctx := c.UserContext()
	all, err := s.store.AllCampaigns(ctx)
	if err != nil {
		return err
	}
	var current, past []apiCampaign
	for _, cp := range all {
		v, err := s.apiCampaignOf(c, cp, lang)
		if err != nil {
			return err
		}
		if want != "" && v.Status != want {
			continue
		}
		if v.Status == "past" {
			past = append(past, v)
		} else {
			current = append(current, v)
		}
	}
	sort.SliceStable(past, func(i, j int) bool { return past[i].Ends.After(past[j].Ends) })
	return s.apiSend(c, apiPage(s, c, append(current, past...), limit, offset))
}

// apiCampaignFor loads the campaign named in the path.
func (s *Server) apiCampaignFor(c *fiber.Ctx) (*app.Campaign, error) {
	slug := c.Params("slug")
	if !authoring.ValidSlug(slug) {
		return nil, app.Errorf(app.ENOTFOUND, "api.problem.campaign_not_found")
	}
	cp, err := s.store.FindCampaign(c.UserContext(), slug)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.ENOTFOUND, "api.problem.campaign_not_found")
	}
	return cp, err
}

// apiCampaignShow is one campaign with its progress toward the goal and
// its leaderboard, from the same statistics release as the landing page.
func (s *Server) apiCampaignShow(c *fiber.Ctx) error {
	lang := s.apiLang(c)
	cp, err := s.apiCampaignFor(c)
	if err != nil {
		return err
	}
	v, err := s.apiCampaignOf(c, cp, lang)
	if err != nil {
		return err
	}
	f, p, err := s.campaignPage(c.UserContext(), cp, lang, false)
	if err != nil {
		return err
	}
	return s.apiSend(c, apiCampaignDetail{apiCampaign: v, Progress: apiGoalOf(p.Goal, f.K), Leaderboard: apiRegionRows(p.Regions)})
}

// apiCampaignResults are the open results, only when the campaign
// publishes them (404 otherwise, as the results page).
func (s *Server) apiCampaignResults(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.apiLang(c)
	cp, err := s.apiCampaignFor(c)
	if err != nil {
		return err
	}
	f, p, err := s.openResults(ctx, cp, lang)
	if err != nil {
		return err
	}
	r := apiResults{Campaign: cp.Slug, Lang: lang, Final: campaign.Phase(cp, s.now()) == campaign.PhaseEnded, K: f.K,
		Progress: apiGoalOf(p.Goal, f.K), Regions: apiRegionRows(p.Regions), Funnel: make([]apiStep, 0, len(p.Funnel)),
		URL: s.baseURL(c) + "/" + lang + "/campaigns/" + cp.Slug + "/results"}
	for i, st := range p.Funnel {
		step := apiStep{Step: st.Kind, Count: shownCount(st.Count)}
		if i > 0 {
			step.Share = shownRate(st.Share)
		}
		r.Funnel = append(r.Funnel, step)
	}
	return s.apiSend(c, r)
}

// apiCampaignOf is the API view of a campaign in lang.
func (s *Server) apiCampaignOf(c *fiber.Ctx, cp *app.Campaign, lang string) (apiCampaign, error) {
	tl := textsLang(lang, cp.SourceLocale, cp.Title, cp.Description)
	title, _ := cp.Title.Get(tl, cp.SourceLocale)
	desc, _ := cp.Description.Get(tl, cp.SourceLocale)
	loc := campaign.Location(cp)
	v := apiCampaign{Slug: cp.Slug, Lang: tl, Title: title, Description: desc,
		Status: apiCampaignStatus[campaign.Phase(cp, s.now())], Starts: cp.Starts.In(loc), Ends: cp.Ends.In(loc),
		TimeZone: cp.TimeZone, Closed: cp.ClosedAt != nil, Goal: cp.GoalCompletions, Regions: cp.Regions, Courses: cp.Courses,
		URL: s.baseURL(c) + "/" + lang + "/campaigns/" + cp.Slug}
	if v.TimeZone == "" {
		v.TimeZone = loc.String()
	}
	if v.Regions == nil {
		v.Regions = []string{}
	}
	if v.Courses == nil {
		v.Courses = []string{}
	}
	on, err := s.store.CampaignResultsPublished(c.UserContext(), cp.ID)
	if err != nil {
		return v, err
	}
	if on {
		v.ResultsURL = v.URL + "/results"
		v.APIResults = s.baseURL(c) + apiPrefix + "/campaigns/" + cp.Slug + "/results"
	}
	return v, nil
}

// apiGoalOf is the published goal progress.
func apiGoalOf(g crGoal, k int64) apiGoal {
	return apiGoal{Goal: g.Goal, Completions: shownCount(g.Done), Percent: shownRate(g.Percent), State: g.State, K: k}
}

// apiRegionRows are a published region table's rows, the total last.
func apiRegionRows(rows []crRow) []apiRegionRow {
	out := make([]apiRegionRow, 0, len(rows))
	for _, r := range rows {
		row := apiRegionRow{Region: r.Code, Name: r.Name, Lang: r.Lang, NotGiven: r.None, Total: r.Total,
			Participants: shownCount(r.Cells[crRegStarted]), Completed: shownCount(r.Cells[crRegCompleted]),
			CompletionRate: shownRate(r.Rate)}
		out = append(out, row)
	}
	return out
}

// shownCount is a published count, or nil when it is hidden.
func shownCount(c crCell) *int {
	if !c.Shown {
		return nil
	}
	n := c.N
	return &n
}

// shownRate is a published percentage, or nil when it is hidden.
func shownRate(r crRate) *int {
	if !r.Shown {
		return nil
	}
	n := r.Value
	return &n
}
