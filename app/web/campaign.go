package web

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/campaign"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Limits of the campaign form.
const (
	maxCampaignTitle       = 200
	maxCampaignDescription = 2000
	maxChannelName         = 80
	maxCampaignGoal        = 1_000_000_000
	qrPNGSize              = 1024 // pixels: sharp on an A4 poster at 150 dpi
)

func init() {
	for _, id := range []string{"admin.campaigns.saved", "admin.campaigns.created", "admin.campaigns.closed",
		"admin.campaigns.translated", "admin.campaigns.channel_added", "campaign.joined", "campaign.already_joined"} {
		flashes[id] = true
	}
}

// campaignRoutes are the public campaign pages and the organizers' campaign admin.
func (s *Server) campaignRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	const admin = "/:lang/admin/campaigns"
	return []route{
		{"GET", "/:lang/campaigns", accessPublic, h(shared, fillable, s.campaignIndex)},
		{"GET", "/:lang/campaigns/:slug", accessPublic, h(shared, s.campaignShow)},
		{"POST", "/:lang/campaigns/:slug/join", accessPublic, h(s.campaignJoin)},
		{"GET", "/c/:code", accessPublic, h(s.channelFollow)},

		{"GET", admin, accessOrganize, h(s.adminCampaigns)},
		{"GET", admin + "/new", accessOrganize, h(s.adminCampaignNew)},
		{"POST", admin + "/new", accessOrganize, h(s.adminCampaignCreate)},
		{"GET", admin + "/:slug", accessOrganize, h(s.adminCampaignShow)},
		{"GET", admin + "/:slug/edit", accessOrganize, h(s.adminCampaignEdit)},
		{"POST", admin + "/:slug/edit", accessOrganize, h(s.adminCampaignUpdate)},
		{"GET", admin + "/:slug/translate/:locale", accessOrganize, h(s.adminCampaignTranslate)},
		{"POST", admin + "/:slug/translate/:locale", accessOrganize, h(s.adminCampaignTranslateSave)},
		{"GET", admin + "/:slug/close", accessOrganize, h(s.adminCampaignCloseForm)},
		{"POST", admin + "/:slug/close", accessOrganize, h(s.adminCampaignClose)},
		{"POST", admin + "/:slug/channels", accessOrganize, h(s.adminChannelCreate)},
		// The image routes come before the channel page: ":code" alone would match "x.png".
		{"GET", admin + "/:slug/channels/:code.png", accessOrganize, h(s.adminChannelPNG)},
		{"GET", admin + "/:slug/channels/:code.svg", accessOrganize, h(s.adminChannelSVG)},
		{"GET", admin + "/:slug/channels/:code", accessOrganize, h(s.adminChannelShow)},
		// The close-out report and the open results (campaign_report.go).
		{"GET", admin + "/:slug/report", accessOrganize, h(s.adminCampaignReport)},
		{"GET", admin + "/:slug/report.csv", accessOrganize, h(s.adminCampaignReportCSV)},
		{"GET", "/:lang/campaigns/:slug/results", accessPublic, h(shared, s.campaignResults)},
	}
}

// ---- Shared ----

// findCampaign loads the campaign named in the path (404 for a forged slug).
func (s *Server) findCampaign(c *fiber.Ctx) (*app.Campaign, error) {
	slug := c.Params("slug")
	if !authoring.ValidSlug(slug) {
		return nil, app.Errorf(app.ENOTFOUND, "campaign.not_found")
	}
	return s.store.FindCampaign(c.UserContext(), slug)
}

// campaignView is a campaign as pages show it, in the reader's language
// and in the campaign's own time zone.
type campaignView struct {
	Slug        string
	Title       string
	TitleLang   string
	Description string
	DescLang    string
	Fallback    bool
	Phase       string
	Starts      time.Time // in the campaign's zone
	Ends        time.Time
	Zone        string // IANA name, or the offset for campaigns from packs
	Goal        int
	Closed      bool
	Regions     []placeName // whom it is for; empty = everyone
}

// placeName is a region's name in the reader's language (Lang differs on fallback).
type placeName struct {
	Code, Name, Lang string
}

func (s *Server) campaignView(ctx context.Context, cp *app.Campaign, lang string) (campaignView, error) {
	v := campaignView{Slug: cp.Slug, Goal: cp.GoalCompletions, Phase: campaign.Phase(cp, s.now()), Closed: cp.ClosedAt != nil}
	var fb1, fb2 bool
	v.Title, fb1 = cp.Title.Get(lang, cp.SourceLocale)
	v.Description, fb2 = cp.Description.Get(lang, cp.SourceLocale)
	v.TitleLang, v.DescLang = lang, lang
	if fb1 {
		v.TitleLang = cp.SourceLocale
	}
	if fb2 {
		v.DescLang = cp.SourceLocale
	}
	v.Fallback = fb1 || fb2
	loc := campaign.Location(cp)
	v.Starts, v.Ends = cp.Starts.In(loc), cp.Ends.In(loc)
	v.Zone = cp.TimeZone
	if v.Zone == "" {
		v.Zone = loc.String()
	}
	for _, code := range cp.Regions {
		p := placeName{Code: code, Name: code}
		if r, err := s.store.FindRegion(ctx, code); err == nil {
			p.Name, p.Lang = s.localName(r.Name, r.Code, lang)
		} else if app.ErrorCode(err) != app.ENOTFOUND {
			return v, err
		}
		v.Regions = append(v.Regions, p)
	}
	return v, nil
}

// ---- Public pages ----

// campaignIndex lists every campaign: running and upcoming first (soonest
// start first), then ended ones (most recent end first).
func (s *Server) campaignIndex(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	all, err := s.store.AllCampaigns(c.UserContext())
	if err != nil {
		return err
	}
	var current, ended []campaignView
	for _, cp := range all {
		v, err := s.campaignView(c.UserContext(), cp, lang)
		if err != nil {
			return err
		}
		if v.Phase == campaign.PhaseEnded {
			ended = append(ended, v)
		} else {
			current = append(current, v)
		}
	}
	sort.SliceStable(ended, func(i, j int) bool { return ended[i].Ends.After(ended[j].Ends) })
	return s.render(c, "campaign/index", fiber.Map{"Title": s.bundle.Localizer(lang).T("campaign.index.title", nil),
		"Current": current, "Ended": ended})
}

// campaignInPath loads the campaign named in the path and its view in
// the request's language.
func (s *Server) campaignInPath(c *fiber.Ctx) (*app.Campaign, campaignView, error) {
	cp, err := s.findCampaign(c)
	if err != nil {
		return nil, campaignView{}, err
	}
	v, err := s.campaignView(c.UserContext(), cp, s.localeOf(c))
	return cp, v, err
}

// campaignShow is the landing page: what it is, when, for whom, the
// featured courses, progress toward the goal, the Join button and the
// leaderboard of regions.
func (s *Server) campaignShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	cp, v, err := s.campaignInPath(c)
	if err != nil {
		return err
	}
	var featured []*app.PublishedCourse
	for _, slug := range cp.Courses {
		pc, err := s.store.FindPublishedCourse(ctx, slug)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		if !pc.Archived {
			featured = append(featured, pc)
		}
	}
	cards, err := s.cards(c, featured)
	if err != nil {
		return err
	}
	// A view of the landing page is the campaign's "visited" step, counted
	// by the page's visit pixel (visit.go) so that the page can be kept by
	// caches.
	joined := false
	if id := s.learnerID(c); id != "" {
		_, err := s.store.FindParticipant(ctx, cp.ID, id)
		switch app.ErrorCode(err) {
		case app.ENOTFOUND:
		case app.EINTERNAL:
			if err != nil {
				return err
			}
			joined = true
		default:
			return err
		}
	}
	// Goal progress and the leaderboard come from the rollups, suppressed
	// (see campaign_report.go).
	f, fig, err := s.campaignPage(ctx, cp, lang, false)
	if err != nil {
		return err
	}
	published, err := s.store.CampaignResultsPublished(ctx, cp.ID)
	if err != nil {
		return err
	}
	return s.render(c, "campaign/show", fiber.Map{"Title": v.Title, "Campaign": v, "Courses": cards,
		"Goal": fig.Goal, "Joined": joined, "Board": fig.Regions, "K": f.K, "D": f.D, "Results": published, "VisitCampaign": cp.Slug})
}

// campaignJoin adds the visitor (a guest by their learner cookie) to the
// campaign; joining twice changes nothing.
func (s *Server) campaignJoin(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	joined, err := s.store.JoinCampaign(c.UserContext(), cp.Slug, s.ensureLearnerID(c))
	if err != nil {
		return err
	}
	if joined {
		s.flash(c, "campaign.joined")
	} else {
		s.flash(c, "campaign.already_joined")
	}
	return c.Redirect("/"+s.localeOf(c)+"/campaigns/"+cp.Slug, fiber.StatusSeeOther)
}

// channelFollow is a channel's tracked link (/c/{code}, printed on posters
// as a QR code): it sends the visitor to the landing page in their
// language with the code in a cookie; the landing page's visit pixel
// counts the visit for the channel (visit.go). A link preview or a
// prefetching scanner follows the link but loads no pixel, so it counts
// nothing; the landing page itself stays shareable by caches.
func (s *Server) channelFollow(c *fiber.Ctx) error {
	code := c.Params("code")
	if !campaign.ValidCode(code) {
		return app.Errorf(app.ENOTFOUND, "campaign.channel_not_found")
	}
	ch, err := s.store.FindChannel(c.UserContext(), code)
	if err != nil {
		return err
	}
	s.setCookie(c, cookieChannel, code, channelTTL)
	c.Set(fiber.HeaderCacheControl, privateCacheControl)
	return c.Redirect("/"+s.localeOf(c)+"/campaigns/"+ch.CampaignSlug, fiber.StatusSeeOther)
}

// recordChannelVisit attributes the visitor to the channel with code (the
// first channel a learner comes by wins), counts the visit, and hands the
// visit and the channel to the statistics (scope = the campaign). It is
// the one place where a tracked link meets the statistics.
func (s *Server) recordChannelVisit(c *fiber.Ctx, code string) (*store.Channel, error) {
	ctx, learner := c.UserContext(), s.ensureLearnerID(c)
	ch, err := s.store.RecordChannelVisit(ctx, code, learner)
	if err != nil {
		return nil, err
	}
	if err := s.store.RecordVisit(ctx, learner, ch.CampaignID, ch.ID, s.localeOf(c)); err != nil {
		return nil, err
	}
	return ch, nil
}

// ---- Organizers: list ----

// adminCampaignRow is one line of the organizers' list.
type adminCampaignRow struct {
	campaignView
	Done string // completions toward the goal, "<K" when under K
}

// progressText is a campaign's goal progress as organizers see it: the
// course completions as the campaign's statistics release publishes them
// (perturbed, or the hidden mark), the same number as on its report.
func (s *Server) progressText(ctx context.Context, cp *app.Campaign, lang string) (string, error) {
	f, err := s.campaignFigures(ctx, cp)
	if err != nil {
		return "", err
	}
	l := s.bundle.Localizer(lang)
	if f.Done.Suppressed {
		return l.T("admin.stats.hidden", nil), nil
	}
	return l.Number(int(f.Done.N)), nil
}

func (s *Server) adminCampaigns(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	all, err := s.store.AllCampaigns(ctx)
	if err != nil {
		return err
	}
	groups := map[string][]adminCampaignRow{}
	for _, cp := range all {
		v, err := s.campaignView(ctx, cp, lang)
		if err != nil {
			return err
		}
		done, err := s.progressText(ctx, cp, lang)
		if err != nil {
			return err
		}
		groups[v.Phase] = append(groups[v.Phase], adminCampaignRow{campaignView: v, Done: done})
	}
	type group struct {
		Phase string
		Rows  []adminCampaignRow
	}
	var out []group
	for _, p := range []string{campaign.PhaseRunning, campaign.PhaseUpcoming, campaign.PhaseEnded} {
		out = append(out, group{Phase: p, Rows: groups[p]})
	}
	return s.adminRender(c, "admin/campaign/index", fiber.Map{"Title": s.bundle.Localizer(lang).T("admin.campaigns.title", nil), "Groups": out})
}

// ---- Organizers: create and edit ----

// campaignForm is the campaign form as typed.
type campaignForm struct {
	New          bool
	Slug         string
	Title        string
	Description  string
	Starts, Ends string // datetime-local values in Zone
	Zone         string // IANA name; "" keeps a pack campaign's fixed offset
	Offset       string // the fixed offset's name, when Zone may be ""
	Goal         string
	SourceLocale string
	Courses      map[string]bool
	Regions      map[string]bool
	// PublishResults opens /{lang}/campaigns/{slug}/results (kept apart from
	// the campaign document; see SetCampaignResults).
	PublishResults bool
}

// choice is one checkbox or option.
type choice struct {
	Value, Label, Lang string
	Checked            bool
}

// formFor fills the form from a stored campaign.
func formFor(cp *app.Campaign) campaignForm {
	loc := campaign.Location(cp)
	f := campaignForm{Slug: cp.Slug, Title: cp.Title[cp.SourceLocale], Description: cp.Description[cp.SourceLocale],
		Starts: campaign.FormatLocal(cp.Starts, loc), Ends: campaign.FormatLocal(cp.Ends, loc), Zone: cp.TimeZone,
		Goal: strconv.Itoa(cp.GoalCompletions), SourceLocale: cp.SourceLocale, Courses: map[string]bool{}, Regions: map[string]bool{}}
	if cp.TimeZone == "" {
		f.Offset = loc.String()
	}
	for _, s := range cp.Courses {
		f.Courses[s] = true
	}
	for _, r := range cp.Regions {
		f.Regions[r] = true
	}
	return f
}

// readCampaignForm reads and checks the posted form. The stored campaign
// (nil when creating) supplies the slug and a pack campaign's offset. It
// returns the campaign to save when there are no errors.
func (s *Server) readCampaignForm(c *fiber.Ctx, stored *app.Campaign) (campaignForm, *app.Campaign, app.FieldErrors, error) {
	ctx := c.UserContext()
	f := campaignForm{New: stored == nil, Title: clip(c.FormValue("title"), maxCampaignTitle*2),
		Description: clip(c.FormValue("description"), maxCampaignDescription*2), Starts: clip(c.FormValue("starts"), 40),
		Ends: clip(c.FormValue("ends"), 40), Zone: clip(c.FormValue("time_zone"), 64), Goal: clip(c.FormValue("goal"), 20),
		Courses: map[string]bool{}, Regions: map[string]bool{}, PublishResults: c.FormValue("publish_results") == "on"}
	var errs app.FieldErrors
	add := func(field, id string) { errs = append(errs, app.FieldError(field, "admin.campaigns.error."+id)) }
	if stored == nil {
		f.Slug = clip(c.FormValue("slug"), 100)
		f.SourceLocale = s.bundle.Default()
		switch {
		case f.Slug == "":
			add("slug", "slug_required")
		case !authoring.ValidSlug(f.Slug) || len(f.Slug) > 80:
			add("slug", "slug_format")
		case f.Slug == "new":
			add("slug", "slug_taken")
		}
	} else {
		f.Slug, f.SourceLocale = stored.Slug, stored.SourceLocale
		if stored.TimeZone == "" {
			f.Offset = campaign.Location(stored).String()
		}
	}
	textErr := func(field, v string, max int, required bool) {
		switch {
		case v == "" && required:
			add(field, field+"_required")
		case utf8.RuneCountInString(v) > max:
			add(field, field+"_long")
		case !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
			add(field, "text_invalid")
		}
	}
	textErr("title", f.Title, maxCampaignTitle, true)
	textErr("description", f.Description, maxCampaignDescription, false)

	var loc *time.Location
	if f.Zone == "" && f.Offset != "" {
		loc = campaign.Location(stored)
	} else if l, err := campaign.LoadZone(f.Zone); err == nil {
		loc = l
	} else {
		add("time_zone", "zone_unknown")
	}
	var starts, ends time.Time
	okS, okE := false, false
	if loc != nil {
		starts, okS = campaign.ParseLocal(f.Starts, loc)
		ends, okE = campaign.ParseLocal(f.Ends, loc)
		if !okS {
			add("starts", "starts_format")
		}
		if !okE {
			add("ends", "ends_format")
		}
		if okS && okE && !ends.After(starts) {
			add("ends", "ends_before_starts")
		}
	}
	goal, err := strconv.Atoi(f.Goal)
	if err != nil || goal < 0 || goal > maxCampaignGoal {
		add("goal", "goal_format")
	}

	published, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return f, nil, nil, err
	}
	known := map[string]bool{}
	for _, pc := range published {
		known[pc.Slug] = true
	}
	if stored != nil { // a featured course archived since stays choosable
		for _, slug := range stored.Courses {
			known[slug] = true
		}
	}
	var courses []string
	unknownCourse := false
	for _, slug := range formValues(c, "courses") {
		slug = clip(slug, 100)
		if !known[slug] {
			unknownCourse = true
			continue
		}
		if !f.Courses[slug] {
			f.Courses[slug] = true
			courses = append(courses, slug)
		}
	}
	switch {
	case unknownCourse:
		add("courses", "course_unknown")
	case len(courses) == 0:
		add("courses", "courses_required")
	}
	regions, unknownRegion, err := s.formRegions(ctx, c, f.Regions, nil)
	if err != nil {
		return f, nil, nil, err
	}
	if unknownRegion {
		add("regions", "region_unknown")
	}
	if len(errs) > 0 {
		return f, nil, errs, nil
	}
	cp := &app.Campaign{Slug: f.Slug, SourceLocale: f.SourceLocale, Starts: starts, Ends: ends, GoalCompletions: goal,
		Courses: courses, Regions: regions, TimeZone: f.Zone, Title: app.Text{}, Description: app.Text{}}
	if stored != nil {
		cp.Title, cp.Description, cp.ClosedAt = stored.Title, stored.Description, stored.ClosedAt
		if cp.Title == nil {
			cp.Title = app.Text{}
		}
		if cp.Description == nil {
			cp.Description = app.Text{}
		}
	}
	cp.Title[f.SourceLocale] = f.Title
	if f.Description == "" {
		delete(cp.Description, f.SourceLocale)
	} else {
		cp.Description[f.SourceLocale] = f.Description
	}
	return f, cp, nil, nil
}

// campaignFormPage renders the new or edit form (422 with errors).
func (s *Server) campaignFormPage(c *fiber.Ctx, f campaignForm, errs app.FieldErrors) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	now := s.now()
	var zones []choice
	if f.Offset != "" {
		zones = append(zones, choice{Value: "", Label: l.T("admin.campaigns.zone_offset", map[string]any{"Offset": f.Offset}), Checked: f.Zone == ""})
	}
	zone := f.Zone
	if zone == "" && f.Offset == "" {
		zone = "UTC"
	}
	for _, z := range campaign.Zones(zone) {
		if _, err := campaign.LoadZone(z); err != nil {
			continue // a forged value is not offered back
		}
		zones = append(zones, choice{Value: z, Label: campaign.ZoneLabel(z, now), Checked: z == zone})
	}
	published, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	var courses []choice
	for _, pc := range published {
		title, fb := pc.Title.Get(lang, pc.SourceLocale)
		ch := choice{Value: pc.Slug, Label: title, Checked: f.Courses[pc.Slug]}
		if fb {
			ch.Lang = pc.SourceLocale
		}
		courses = append(courses, ch)
	}
	nodes, err := s.regionDepths(ctx)
	if err != nil {
		return err
	}
	var regions []choice
	for _, n := range nodes {
		name, nl := s.localName(n.Name, n.Code, lang)
		if nl == lang {
			nl = ""
		}
		regions = append(regions, choice{Value: n.Code, Label: indent(n.Depth) + name, Lang: nl, Checked: f.Regions[n.Code]})
	}
	title := l.T("admin.campaigns.new", nil)
	if !f.New {
		title = l.T("admin.campaigns.edit_title", map[string]any{"Slug": f.Slug})
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.adminRender(c, "admin/campaign/form", fiber.Map{"Title": title, "Form": f, "Errors": errs, "Zones": zones,
		"Courses": courses, "Regions": regions, "SourceName": s.bundle.Localizer(f.SourceLocale).T("language.native", nil),
		"MaxTitle": maxCampaignTitle, "MaxDescription": maxCampaignDescription})
}

func (s *Server) adminCampaignNew(c *fiber.Ctx) error {
	now := s.now().Truncate(time.Hour).Add(24 * time.Hour)
	f := campaignForm{New: true, Zone: "UTC", Goal: "0", Starts: now.Format(campaign.LocalLayout),
		Ends: now.Add(14 * 24 * time.Hour).Format(campaign.LocalLayout), Courses: map[string]bool{}, Regions: map[string]bool{}}
	return s.campaignFormPage(c, f, nil)
}

func (s *Server) adminCampaignCreate(c *fiber.Ctx) error {
	f, cp, errs, err := s.readCampaignForm(c, nil)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		err := s.store.CreateCampaign(c.UserContext(), currentUser(c), cp)
		if err == nil && f.PublishResults {
			err = s.store.SetCampaignResults(c.UserContext(), currentUser(c), cp.Slug, true)
		}
		if err == nil {
			s.flash(c, "admin.campaigns.created")
			return c.Redirect("/"+s.localeOf(c)+"/admin/campaigns/"+cp.Slug, fiber.StatusSeeOther)
		}
		var fe app.FieldErrors
		if !errors.As(err, &fe) {
			return err
		}
		errs = fe
	}
	return s.campaignFormPage(c, f, errs)
}

func (s *Server) adminCampaignEdit(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	f := formFor(cp)
	if f.PublishResults, err = s.store.CampaignResultsPublished(c.UserContext(), cp.ID); err != nil {
		return err
	}
	return s.campaignFormPage(c, f, nil)
}

func (s *Server) adminCampaignUpdate(c *fiber.Ctx) error {
	stored, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	f, cp, errs, err := s.readCampaignForm(c, stored)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.campaignFormPage(c, f, errs)
	}
	err = s.store.UpdateCampaign(c.UserContext(), currentUser(c), stored.Slug, "campaign:update", func(w *app.Campaign, _ time.Time) error {
		*w = *cp
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.store.SetCampaignResults(c.UserContext(), currentUser(c), stored.Slug, f.PublishResults); err != nil {
		return err
	}
	s.flash(c, "admin.campaigns.saved")
	return c.Redirect("/"+s.localeOf(c)+"/admin/campaigns/"+stored.Slug, fiber.StatusSeeOther)
}

// ---- Organizers: one campaign, translations, close ----

// translationState is one enabled locale's translation of the campaign.
type translationState struct {
	Lang, Name string
	Source     bool
	Has        bool
}

func (s *Server) adminCampaignShow(c *fiber.Ctx) error {
	cp, v, err := s.campaignInPath(c)
	if err != nil {
		return err
	}
	return s.campaignAdminPage(c, cp, v, "", nil)
}

// campaignAdminPage renders the campaign's admin page, with the channel
// form as typed and its errors (422) when a channel was refused.
func (s *Server) campaignAdminPage(c *fiber.Ctx, cp *app.Campaign, v campaignView, channelName string, errs app.FieldErrors) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	channels, err := s.store.CampaignChannelList(ctx, cp.ID)
	if err != nil {
		return err
	}
	done, err := s.progressText(ctx, cp, lang)
	if err != nil {
		return err
	}
	var langs []translationState
	for _, l := range s.enabledLocales(ctx) {
		langs = append(langs, translationState{Lang: l, Name: s.bundle.Localizer(l).T("language.native", nil),
			Source: l == cp.SourceLocale, Has: cp.Title[l] != ""})
	}
	var courses []choice
	for _, slug := range cp.Courses {
		ch := choice{Value: slug, Label: slug}
		if pc, err := s.store.FindPublishedCourse(ctx, slug); err == nil {
			var fb bool
			ch.Label, fb = pc.Title.Get(lang, pc.SourceLocale)
			if fb {
				ch.Lang = pc.SourceLocale
			}
		}
		courses = append(courses, ch)
	}
	published, err := s.store.CampaignResultsPublished(ctx, cp.ID)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.adminRender(c, "admin/campaign/show", fiber.Map{"Title": v.Title, "Campaign": v, "Channels": channels, "Done": done,
		"Translations": langs, "Courses": courses, "Base": s.baseURL(c), "ChannelName": channelName, "Errors": errs,
		"MaxChannel": maxChannelName, "Results": published})
}

// campaignTranslationLocale reads the :locale of a translation route: an enabled
// locale other than the campaign's source (404 otherwise).
func (s *Server) campaignTranslationLocale(c *fiber.Ctx, cp *app.Campaign) (string, error) {
	l := c.Params("locale")
	for _, on := range s.enabledLocales(c.UserContext()) {
		if on == l && l != cp.SourceLocale {
			return l, nil
		}
	}
	return "", app.Errorf(app.ENOTFOUND, "error.not_found")
}

// campaignTranslatePage renders the translation form: the source text
// beside the fields of one locale.
func (s *Server) campaignTranslatePage(c *fiber.Ctx, cp *app.Campaign, to, title, desc string, errs app.FieldErrors) error {
	l := s.bundle.Localizer(s.localeOf(c))
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	toName := s.bundle.Localizer(to).T("language.native", nil)
	return s.adminRender(c, "admin/campaign/translate", fiber.Map{
		"Title": l.T("admin.campaigns.translate_title", map[string]any{"Language": toName}), "Slug": cp.Slug,
		"To": to, "ToName": toName, "Source": cp.SourceLocale, "SourceTitle": cp.Title[cp.SourceLocale],
		"SourceDescription": cp.Description[cp.SourceLocale], "Form": fiber.Map{"Title": title, "Description": desc},
		"Errors": errs, "MaxTitle": maxCampaignTitle, "MaxDescription": maxCampaignDescription})
}

func (s *Server) adminCampaignTranslate(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	to, err := s.campaignTranslationLocale(c, cp)
	if err != nil {
		return err
	}
	return s.campaignTranslatePage(c, cp, to, cp.Title[to], cp.Description[to], nil)
}

// adminCampaignTranslateSave stores one locale's title and description;
// both empty removes the translation (readers then see the source).
func (s *Server) adminCampaignTranslateSave(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	to, err := s.campaignTranslationLocale(c, cp)
	if err != nil {
		return err
	}
	title := clip(c.FormValue("title"), maxCampaignTitle*2)
	desc := clip(c.FormValue("description"), maxCampaignDescription*2)
	var errs app.FieldErrors
	bad := func(v string) bool {
		return !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0
	}
	switch {
	case title == "" && desc != "":
		errs = append(errs, app.FieldError("title", "admin.campaigns.error.title_required"))
	case utf8.RuneCountInString(title) > maxCampaignTitle:
		errs = append(errs, app.FieldError("title", "admin.campaigns.error.title_long"))
	case bad(title):
		errs = append(errs, app.FieldError("title", "admin.campaigns.error.text_invalid"))
	}
	switch {
	case utf8.RuneCountInString(desc) > maxCampaignDescription:
		errs = append(errs, app.FieldError("description", "admin.campaigns.error.description_long"))
	case bad(desc):
		errs = append(errs, app.FieldError("description", "admin.campaigns.error.text_invalid"))
	}
	if len(errs) > 0 {
		return s.campaignTranslatePage(c, cp, to, title, desc, errs)
	}
	err = s.store.UpdateCampaign(c.UserContext(), currentUser(c), cp.Slug, "campaign:translate", func(w *app.Campaign, _ time.Time) error {
		if w.Title == nil {
			w.Title = app.Text{}
		}
		if w.Description == nil {
			w.Description = app.Text{}
		}
		for _, set := range []struct {
			t app.Text
			v string
		}{{w.Title, title}, {w.Description, desc}} {
			if set.v == "" {
				delete(set.t, to)
			} else {
				set.t[to] = set.v
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.flash(c, "admin.campaigns.translated")
	return c.Redirect("/"+s.localeOf(c)+"/admin/campaigns/"+cp.Slug, fiber.StatusSeeOther)
}

func (s *Server) adminCampaignCloseForm(c *fiber.Ctx) error {
	_, v, err := s.campaignInPath(c)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(s.localeOf(c))
	return s.adminRender(c, "admin/campaign/close", fiber.Map{"Title": l.T("admin.campaigns.close_title", map[string]any{"Title": v.Title}),
		"Campaign": v})
}

// adminCampaignClose ends the campaign now (409 when it has already ended).
func (s *Server) adminCampaignClose(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	if err := s.store.CloseCampaign(c.UserContext(), currentUser(c), cp.Slug); err != nil {
		return err
	}
	s.flash(c, "admin.campaigns.closed")
	return c.Redirect("/"+s.localeOf(c)+"/admin/campaigns/"+cp.Slug, fiber.StatusSeeOther)
}

// ---- Organizers: channels and their QR codes ----

// adminChannelCreate adds a named channel with a fresh tracked link.
func (s *Server) adminChannelCreate(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	name := clip(c.FormValue("name"), maxChannelName*2)
	var errs app.FieldErrors
	switch {
	case name == "":
		errs = append(errs, app.FieldError("channel-name", "admin.campaigns.error.channel_required"))
	case utf8.RuneCountInString(name) > maxChannelName:
		errs = append(errs, app.FieldError("channel-name", "admin.campaigns.error.channel_long"))
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		errs = append(errs, app.FieldError("channel-name", "admin.campaigns.error.text_invalid"))
	}
	if len(errs) == 0 {
		ch, err := s.store.CreateChannel(c.UserContext(), currentUser(c), cp.Slug, name, campaign.NewCode)
		if err == nil {
			s.flash(c, "admin.campaigns.channel_added")
			return c.Redirect("/"+s.localeOf(c)+"/admin/campaigns/"+cp.Slug+"/channels/"+ch.Code, fiber.StatusSeeOther)
		}
		if !errors.As(err, &errs) {
			return err
		}
	}
	v, err := s.campaignView(c.UserContext(), cp, s.localeOf(c))
	if err != nil {
		return err
	}
	return s.campaignAdminPage(c, cp, v, name, errs)
}

// findChannel loads the channel in the path, which must belong to the
// campaign in the path (404 otherwise).
func (s *Server) findChannel(c *fiber.Ctx) (*store.Channel, error) {
	slug, code := c.Params("slug"), c.Params("code")
	if !authoring.ValidSlug(slug) || !campaign.ValidCode(code) {
		return nil, app.Errorf(app.ENOTFOUND, "campaign.channel_not_found")
	}
	ch, err := s.store.FindChannel(c.UserContext(), code)
	if err != nil {
		return nil, err
	}
	if ch.CampaignSlug != slug {
		return nil, app.Errorf(app.ENOTFOUND, "campaign.channel_not_found")
	}
	return ch, nil
}

// channelURL is the tracked link a channel hands out.
func (s *Server) channelURL(c *fiber.Ctx, code string) string { return s.baseURL(c) + "/c/" + code }

// adminChannelShow is the printable page of one channel: its QR code, its
// link and the downloads.
func (s *Server) adminChannelShow(c *fiber.Ctx) error {
	ch, err := s.findChannel(c)
	if err != nil {
		return err
	}
	cp, err := s.store.FindCampaign(c.UserContext(), ch.CampaignSlug)
	if err != nil {
		return err
	}
	v, err := s.campaignView(c.UserContext(), cp, s.localeOf(c))
	if err != nil {
		return err
	}
	return s.adminRender(c, "admin/campaign/channel", fiber.Map{"Title": ch.Name, "Channel": ch, "Campaign": v,
		"Link": s.channelURL(c, ch.Code)})
}

// adminChannelPNG serves the channel's QR code as a PNG (for print shops
// and messaging apps).
func (s *Server) adminChannelPNG(c *fiber.Ctx) error {
	ch, err := s.findChannel(c)
	if err != nil {
		return err
	}
	png, err := campaign.QRPNG(s.channelURL(c, ch.Code), qrPNGSize)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+ch.CampaignSlug+"-"+ch.Code+`.png"`)
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(png)
}

// adminChannelSVG serves the channel's QR code as an SVG (for posters:
// sharp at any size).
func (s *Server) adminChannelSVG(c *fiber.Ctx) error {
	ch, err := s.findChannel(c)
	if err != nil {
		return err
	}
	svg, err := campaign.QRSVG(s.channelURL(c, ch.Code), ch.Name)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+ch.CampaignSlug+"-"+ch.Code+`.svg"`)
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(svg)
}
