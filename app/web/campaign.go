package web

import (
	"context"
	"sort"
	"time"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/campaign"

	"github.com/gofiber/fiber/v2"
)

// Limits of the campaign form.
const (
	maxCampaignTitle       = app.MaxCampaignTitle
	maxCampaignDescription = app.MaxCampaignDescription
	maxChannelName         = 80
	qrPNGSize              = 1024 // pixels: sharp on an A4 poster at 150 dpi
)

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
	// NamedZone is set when Zone is an IANA name: a bare offset is already
	// printed beside each time, so pages do not print it a second time.
	NamedZone bool
	Goal      int
	Closed    bool
	Regions   []placeName // whom it is for; empty = everyone
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
	v.Zone, v.NamedZone = cp.TimeZone, cp.TimeZone != ""
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
	l := s.bundle.Localizer(lang)
	return s.render(c, "campaign/index", fiber.Map{"Title": l.T("campaign.index.title", nil),
		"Current": current, "Ended": ended, "Meta": &pageMeta{Description: l.T("seo.description.campaigns", nil)}})
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
		"Goal": fig.Goal, "Joined": joined, "Board": fig.Regions, "K": f.K, "D": f.D, "Results": published, "VisitCampaign": cp.Slug,
		"Meta": shareMeta(&pageMeta{Description: v.Description, Type: "article"}, shareCampaign, cp.Slug, s.campaignShare(ctx, cp, lang))})
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
