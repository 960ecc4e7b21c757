package web

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"time"

	"beacon/app"
	"beacon/app/campaign"

	"github.com/gofiber/fiber/v2"
)

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
		if f.Slug == "new" { // the rest of the slug rules are Campaign.Validate's
			add("slug", "slug_taken")
		}
	} else {
		f.Slug, f.SourceLocale = stored.Slug, stored.SourceLocale
		if stored.TimeZone == "" {
			f.Offset = campaign.Location(stored).String()
		}
	}
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
	}
	goal, err := strconv.Atoi(f.Goal)
	if err != nil {
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
	if unknownCourse {
		add("courses", "course_unknown")
	}
	regions, unknownRegion, err := s.formRegions(ctx, c, f.Regions, nil)
	if err != nil {
		return f, nil, nil, err
	}
	if unknownRegion {
		add("regions", "region_unknown")
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
	for _, e := range cp.Validate() {
		// A field already refused above is not refused twice; without a
		// known zone the times could not be read at all.
		if errs.For(e.Field) == "" && (loc != nil || (e.Field != "starts" && e.Field != "ends")) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return campaignFieldOrder[errs[i].Field] < campaignFieldOrder[errs[j].Field] })
		return f, nil, errs, nil
	}
	return f, cp, nil, nil
}

// campaignFieldOrder is the campaign form's field order, for its error
// summary (the form's own errors and Campaign.Validate's are merged).
var campaignFieldOrder = map[string]int{"slug": 1, "title": 2, "description": 3, "time_zone": 4, "starts": 5, "ends": 6,
	"goal": 7, "courses": 8, "regions": 9}

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
	regions, err := s.regionChoices(ctx, lang, f.Regions)
	if err != nil {
		return err
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

// campaignTranslationEditor fills the translation editor with the
// campaign's title and description in locale to (or as typed in values).
func (s *Server) campaignTranslationEditor(c *fiber.Ctx, cp *app.Campaign, to string, values map[string]string, errs app.FieldErrors) translationEditor {
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	base := "/" + lang + "/admin/campaigns/" + cp.Slug
	ed := translationEditor{From: cp.SourceLocale, To: to, Action: base + "/translate/" + to, Cancel: base, Errors: errs,
		Hint:   "admin.campaigns.hint.translate",
		Crumbs: []translationCrumb{{Href: "/" + lang + "/admin/campaigns", Label: l.T("admin.campaigns.title", nil)}, {Href: base, Label: cp.Slug}}}
	for _, f := range []struct {
		name, kind string
		text       app.Text
		max        int
	}{{"title", "line", cp.Title, maxCampaignTitle}, {"description", "text", cp.Description, maxCampaignDescription}} {
		r := translationField{Key: f.name, Name: f.name, Label: l.T("admin.words."+f.name, nil), Kind: f.kind, Max: f.max,
			Source: f.text[cp.SourceLocale], Target: f.text[to], State: textState(f.text, to)}
		if v, ok := values[f.name]; ok {
			r.Target = v
		}
		ed.Rows = append(ed.Rows, r)
	}
	return ed
}

func (s *Server) adminCampaignTranslate(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	to, err := s.translationTarget(c, cp.SourceLocale)
	if err != nil {
		return err
	}
	return s.renderTranslationEditor(c, s.campaignTranslationEditor(c, cp, to, nil, nil))
}

// adminCampaignTranslateSave stores one locale's title and description,
// checked by Campaign.Validate; a description needs its title. Both empty
// removes the translation (readers then see the source).
func (s *Server) adminCampaignTranslateSave(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	to, err := s.translationTarget(c, cp.SourceLocale)
	if err != nil {
		return err
	}
	values := map[string]string{"title": cp.Title[to], "description": cp.Description[to]}
	for _, r := range s.campaignTranslationEditor(c, cp, to, nil, nil).Rows {
		if v, ok := postedText(c, r.Name); ok {
			values[r.Name] = clip(v, r.Max*2)
		}
	}
	check := *cp
	check.Title, check.Description = withTranslation(cp.Title, to, values["title"]), withTranslation(cp.Description, to, values["description"])
	var errs app.FieldErrors
	if values["title"] == "" && values["description"] != "" {
		errs = append(errs, app.FieldError("title", "admin.campaigns.error.title_required"))
	}
	for _, e := range check.Validate() {
		if (e.Field == "title" || e.Field == "description") && errs.For(e.Field) == "" {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return s.renderTranslationEditor(c, s.campaignTranslationEditor(c, cp, to, values, errs))
	}
	err = s.store.UpdateCampaign(c.UserContext(), currentUser(c), cp.Slug, "campaign:translate", func(w *app.Campaign, _ time.Time) error {
		w.Title, w.Description = withTranslation(w.Title, to, values["title"]), withTranslation(w.Description, to, values["description"])
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
