package web

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// Phases of an alert in the organizers' list: where it stands in its life,
// from its state, its times and the messages that replaced it.
const (
	adminAlertPhaseDraft      = "draft"
	adminAlertPhaseInReview   = "in_review"
	adminAlertPhaseActive     = "active"     // published and in force now
	adminAlertPhaseScheduled  = "scheduled"  // published, effective later
	adminAlertPhaseExpired    = "expired"    // published, past its expiry
	adminAlertPhaseSuperseded = "superseded" // replaced by a published Update
	adminAlertPhaseCancelled  = "cancelled"  // withdrawn by a published Cancel
	adminAlertPhaseSent       = "sent"       // a published Cancel message itself
)

// alertAdminRoutes are the organizers' alert pages (/{lang}/admin/alerts):
// write, translate, review, publish, update and cancel CAP messages.
func (s *Server) alertAdminRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	const admin = "/:lang/admin/alerts"
	return []route{
		{"GET", admin, accessOrganize, h(s.adminAlerts)},
		{"GET", admin + "/new", accessOrganize, h(s.adminAlertNew)},
		{"POST", admin + "/new", accessOrganize, h(s.adminAlertCreate)},
		{"GET", admin + "/:identifier", accessOrganize, h(s.adminAlertShow)},
		{"GET", admin + "/:identifier/edit", accessOrganize, h(s.adminAlertEdit)},
		{"POST", admin + "/:identifier/edit", accessOrganize, h(s.adminAlertUpdate)},
		{"GET", admin + "/:identifier/translate/:locale", accessOrganize, h(s.adminAlertTranslate)},
		{"POST", admin + "/:identifier/translate/:locale", accessOrganize, h(s.adminAlertTranslateSave)},
		{"POST", admin + "/:identifier/submit", accessOrganize, h(s.adminAlertSubmit)},
		{"POST", admin + "/:identifier/publish", accessOrganize, h(s.adminAlertPublish)},
		{"POST", admin + "/:identifier/delete", accessOrganize, h(s.adminAlertDelete)},
		{"POST", admin + "/:identifier/update", accessOrganize, h(s.adminAlertFollowUp("Update"))},
		{"POST", admin + "/:identifier/cancel", accessOrganize, h(s.adminAlertFollowUp("Cancel"))},
	}
}

// ---- Shared ----

// findAdminAlert loads the alert named in the path, in any state (404 for
// a forged identifier).
func (s *Server) findAdminAlert(c *fiber.Ctx) (*app.Alert, error) {
	id := c.Params("identifier")
	if !app.ValidAlertIdentifier(id) {
		return nil, app.Errorf(app.ENOTFOUND, "alert.not_found")
	}
	return s.store.FindAlert(c.UserContext(), id)
}

// adminAlertURL is the organizers' page of one alert.
func (s *Server) adminAlertURL(c *fiber.Ctx, identifier string) string {
	return "/" + s.localeOf(c) + "/admin/alerts/" + identifier
}

// alertAdminPhase says where an alert stands at now; byID holds the other
// alerts (to tell a cancelled alert from a superseded one), may be nil.
func alertAdminPhase(a *app.Alert, byID map[string]*app.Alert, now time.Time) string {
	switch {
	case a.State == app.AlertDraft:
		return adminAlertPhaseDraft
	case a.State == app.AlertInReview:
		return adminAlertPhaseInReview
	case a.MsgType == "Cancel":
		return adminAlertPhaseSent
	case a.SupersededBy != "":
		if by := byID[a.SupersededBy]; by != nil && by.MsgType == "Cancel" {
			return adminAlertPhaseCancelled
		}
		return adminAlertPhaseSuperseded
	case !now.Before(a.Expires):
		return adminAlertPhaseExpired
	case now.Before(a.Effective):
		return adminAlertPhaseScheduled
	}
	return adminAlertPhaseActive
}

// alertAdminPhaseTag is the tag class of a phase.
func alertAdminPhaseTag(phase string) string {
	switch phase {
	case adminAlertPhaseActive:
		return "tag tag-done"
	case adminAlertPhaseInReview, adminAlertPhaseScheduled:
		return "tag tag-progress"
	case adminAlertPhaseDraft:
		return "tag tag-warning"
	}
	return "tag"
}

// alertAdminRow is an alert as the organizers' pages list it: its
// headline in the reader's language (or the source, with DisplayLang).
type alertAdminRow struct {
	*app.Alert
	Phase, PhaseTag      string
	Display, DisplayLang string // the headline shown
}

func alertAdminRowOf(a *app.Alert, byID map[string]*app.Alert, lang string, now time.Time) alertAdminRow {
	r := alertAdminRow{Alert: a, Phase: alertAdminPhase(a, byID, now)}
	r.PhaseTag = alertAdminPhaseTag(r.Phase)
	r.Display, r.DisplayLang = coverageText(a.Headline, lang, a.SourceLocale)
	if r.Display == "" {
		r.Display, r.DisplayLang = a.Identifier, lang
	}
	return r
}

// ---- List ----

// adminAlerts lists the alerts in three groups: being written (drafts and
// alerts in review), current (active or scheduled) and the archive
// (expired, superseded, cancelled, and the Cancel messages themselves),
// each newest change first.
func (s *Server) adminAlerts(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	all, err := s.store.AdminAlerts(c.UserContext())
	if err != nil {
		return err
	}
	byID := make(map[string]*app.Alert, len(all))
	for _, a := range all {
		byID[a.Identifier] = a
	}
	now := s.now()
	groups := map[string][]alertAdminRow{}
	for _, a := range all {
		r := alertAdminRowOf(a, byID, lang, now)
		g := "archive"
		switch r.Phase {
		case adminAlertPhaseDraft, adminAlertPhaseInReview:
			g = "work"
		case adminAlertPhaseActive, adminAlertPhaseScheduled:
			g = "current"
		}
		groups[g] = append(groups[g], r)
	}
	type group struct {
		Key  string
		Rows []alertAdminRow
	}
	var out []group
	for _, g := range []string{"work", "current", "archive"} {
		out = append(out, group{Key: g, Rows: groups[g]})
	}
	return s.adminRender(c, "admin/alert/index", fiber.Map{"Title": s.bundle.Localizer(lang).T("admin.alerts.title", nil), "Groups": out})
}

// ---- One alert ----

// alertAdminLesson is the lesson an alert links to, as its page names it.
type alertAdminLesson struct {
	Course, Lesson string // slugs
	Label, Lang    string // "Course — Lesson" in the reader's language ("" Lang when it is)
	Gone           bool   // the course or the lesson is no longer published
}

// adminAlertRegions names the regions an alert is for, in lang (a code
// the regions table no longer knows is shown as it is).
func (s *Server) adminAlertRegions(ctx context.Context, codes []string, lang string) ([]placeName, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	all, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]app.Text, len(all))
	for _, r := range all {
		names[r.Code] = r.Name
	}
	out := make([]placeName, 0, len(codes))
	for _, code := range codes {
		p := placeName{Code: code, Name: code}
		if n, ok := names[code]; ok {
			p.Name, p.Lang = s.localName(n, code, lang)
		}
		out = append(out, p)
	}
	return out, nil
}

// alertAdminTranslation is one enabled locale's translation of the alert.
type alertAdminTranslation struct {
	Lang, Name string
	Source     bool
	State      string // complete, partial or missing
}

// alertAdminLink is another alert of the chain, by identifier and headline.
type alertAdminLink struct {
	Identifier, Headline, HeadlineLang string
	Phase, PhaseTag                    string
	Missing                            bool // not in the database (an imported reference)
}

// alertAdminLessonOf names the alert's lesson in lang.
func (s *Server) alertAdminLessonOf(ctx context.Context, ls *app.AlertLesson, lang string) (*alertAdminLesson, error) {
	if ls == nil {
		return nil, nil
	}
	out := &alertAdminLesson{Course: ls.Course, Lesson: ls.Lesson, Label: ls.Course + " / " + ls.Lesson, Gone: true}
	pc, err := s.store.FindPublishedCourse(ctx, ls.Course)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, l := range pc.Lessons {
		if l.Slug == ls.Lesson {
			out.Label, out.Lang = s.alertAdminLessonLabel(pc, l, lang)
			out.Gone = pc.Archived
		}
	}
	return out, nil
}

// alertAdminLessonLabel is "Course — Lesson" in lang; labelLang is the
// source locale when both titles fell back to it.
func (s *Server) alertAdminLessonLabel(pc *app.PublishedCourse, l app.Lesson, lang string) (label, labelLang string) {
	course, fb1 := pc.Title.Get(lang, pc.SourceLocale)
	lesson, fb2 := l.Title.Get(lang, pc.SourceLocale)
	label = s.bundle.Localizer(lang).T("admin.alerts.lesson_option", map[string]any{"Course": course, "Lesson": lesson})
	if fb1 && fb2 {
		labelLang = pc.SourceLocale
	}
	return label, labelLang
}

// adminAlertTranslationState says how much of the alert's source text a locale
// has: every field, some, or none.
func adminAlertTranslationState(a *app.Alert, loc string) string {
	total, done := 0, 0
	for _, f := range a.AlertFields() {
		if strings.TrimSpace(f.Text[a.SourceLocale]) == "" {
			continue
		}
		total++
		if strings.TrimSpace(f.Text[loc]) != "" {
			done++
		}
	}
	switch {
	case done == 0:
		return "missing"
	case done < total:
		return "partial"
	}
	return "complete"
}

// adminAlertShow is the alert's page: every field, its chain, its
// translations and the actions its state allows.
func (s *Server) adminAlertShow(c *fiber.Ctx) error {
	a, err := s.findAdminAlert(c)
	if err != nil {
		return err
	}
	return s.alertAdminPage(c, a, nil)
}

// alertAdminPage renders the alert's page, with the error of a refused
// action (the status then follows its code).
func (s *Server) alertAdminPage(c *fiber.Ctx, a *app.Alert, actionErr *app.Error) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	now := s.now()
	linkTo := func(id string) (alertAdminLink, error) {
		other, err := s.store.FindAlert(ctx, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return alertAdminLink{Identifier: id, Headline: id, Missing: true}, nil
		}
		if err != nil {
			return alertAdminLink{}, err
		}
		r := alertAdminRowOf(other, nil, lang, now)
		return alertAdminLink{Identifier: id, Headline: r.Display, HeadlineLang: r.DisplayLang, Phase: r.Phase, PhaseTag: r.PhaseTag}, nil
	}
	var refs []alertAdminLink
	for _, id := range a.References {
		ln, err := linkTo(id)
		if err != nil {
			return err
		}
		refs = append(refs, ln)
	}
	byID := map[string]*app.Alert{}
	var replacedBy *alertAdminLink
	if a.SupersededBy != "" {
		ln, err := linkTo(a.SupersededBy)
		if err != nil {
			return err
		}
		replacedBy = &ln
		if by, err := s.store.FindAlert(ctx, a.SupersededBy); err == nil {
			byID[by.Identifier] = by
		}
	}
	row := alertAdminRowOf(a, byID, lang, now)
	regions, err := s.adminAlertRegions(ctx, a.Regions, lang)
	if err != nil {
		return err
	}
	lesson, err := s.alertAdminLessonOf(ctx, a.Lesson, lang)
	if err != nil {
		return err
	}
	unpublished := a.State != app.AlertPublished
	var langs []alertAdminTranslation
	for _, loc := range s.enabledLocales(ctx) {
		t := alertAdminTranslation{Lang: loc, Name: s.bundle.Localizer(loc).T("language.native", nil), Source: loc == a.SourceLocale}
		if !t.Source {
			t.State = adminAlertTranslationState(a, loc)
		}
		langs = append(langs, t)
	}
	fourEyes, err := s.fourEyes(c)
	if err != nil {
		return err
	}
	edited := false
	if unpublished && fourEyes {
		if edited, err = s.store.AlertEditedBy(ctx, a.Identifier, currentUser(c).ID); err != nil {
			return err
		}
	}
	data := fiber.Map{"Title": row.Display, "Alert": row, "Refs": refs, "ReplacedBy": replacedBy, "Regions": regions,
		"Lesson": lesson, "Translations": langs, "FourEyes": fourEyes,
		"Source":       s.bundle.Localizer(a.SourceLocale).T("language.native", nil),
		"CanEdit":      unpublished,
		"CanSubmit":    a.State == app.AlertDraft && fourEyes,
		"CanPublish":   unpublished && (!fourEyes || (a.State == app.AlertInReview && !edited)),
		"OwnChange":    unpublished && fourEyes && edited && a.State == app.AlertInReview,
		"CanFollowUp":  a.State == app.AlertPublished && a.SupersededBy == "" && a.MsgType != "Cancel",
		"IsPublic":     a.Public(),
		"NotPublicNow": a.State == app.AlertPublished && !a.Public(),
	}
	if actionErr != nil {
		c.Status(errorStatus(actionErr.Code))
		data["Errors"] = app.FieldErrors{app.FieldError("actions", actionErr.MessageID)}
	}
	return s.adminRender(c, "admin/alert/show", data)
}

// adminAlertActionFailed shows a refused action on the alert's page with its
// message (409 for a wrong state, 403 for four-eyes); other errors go to
// the error page.
func (s *Server) adminAlertActionFailed(c *fiber.Ctx, identifier string, err error) error {
	var fe app.FieldErrors
	var ae *app.Error
	switch {
	case errors.As(err, &fe):
		// The alert itself is incomplete (an imported or older draft):
		// editing it shows each field's error.
		ae = app.Errorf(app.EINVALID, "admin.alerts.error.incomplete")
	case errors.As(err, &ae) && ae.Code != app.ENOTFOUND && ae.Code != app.EINTERNAL:
	default:
		return err
	}
	a, ferr := s.store.FindAlert(c.UserContext(), identifier)
	if ferr != nil {
		return ferr
	}
	return s.alertAdminPage(c, a, ae)
}

// ---- Actions ----

// adminAlertSubmit sends a draft to review (four-eyes).
func (s *Server) adminAlertSubmit(c *fiber.Ctx) error {
	a, err := s.findAdminAlert(c)
	if err != nil {
		return err
	}
	if err := s.store.SubmitAlert(c.UserContext(), currentUser(c), a.Identifier); err != nil {
		return s.adminAlertActionFailed(c, a.Identifier, err)
	}
	s.flash(c, "admin.alerts.submitted")
	return c.Redirect(s.adminAlertURL(c, a.Identifier), fiber.StatusSeeOther)
}

// adminAlertPublish publishes the alert now. With four-eyes on, the alert
// must have been sent to review and the publisher must not have written or
// edited it (the store refuses them too).
func (s *Server) adminAlertPublish(c *fiber.Ctx) error {
	a, err := s.findAdminAlert(c)
	if err != nil {
		return err
	}
	fourEyes, err := s.fourEyes(c)
	if err != nil {
		return err
	}
	if fourEyes && a.State == app.AlertDraft {
		return s.adminAlertActionFailed(c, a.Identifier, app.Errorf(app.ECONFLICT, "admin.alerts.error.submit_first"))
	}
	if err := s.store.PublishAlertFrom(c.UserContext(), currentUser(c), a.Identifier, fourEyes, s.now(), s.alertOrigin(c.UserContext())); err != nil {
		return s.adminAlertActionFailed(c, a.Identifier, err)
	}
	s.alerts.invalidate()
	s.metrics.alertsPublished.Inc()
	s.flash(c, "admin.alerts.published")
	return c.Redirect(s.adminAlertURL(c, a.Identifier), fiber.StatusSeeOther)
}

// adminAlertDelete deletes an unpublished alert once confirmed: without
// confirm=yes it shows the confirmation page.
func (s *Server) adminAlertDelete(c *fiber.Ctx) error {
	a, err := s.findAdminAlert(c)
	if err != nil {
		return err
	}
	if a.State == app.AlertPublished {
		return s.adminAlertActionFailed(c, a.Identifier, app.Errorf(app.ECONFLICT, "admin.alerts.error.published"))
	}
	if c.FormValue("confirm") != "yes" {
		row := alertAdminRowOf(a, nil, s.localeOf(c), s.now())
		return s.adminRender(c, "admin/alert/delete", fiber.Map{
			"Title": s.bundle.Localizer(s.localeOf(c)).T("admin.alerts.delete_title", nil), "Alert": row})
	}
	if err := s.store.DeleteAlert(c.UserContext(), currentUser(c), a.Identifier); err != nil {
		return s.adminAlertActionFailed(c, a.Identifier, err)
	}
	s.flash(c, "admin.alerts.deleted")
	return c.Redirect("/"+s.localeOf(c)+"/admin/alerts", fiber.StatusSeeOther)
}

// adminAlertFollowUpSuffix is what an Update or Cancel adds to the identifier it
// replaces; the root of a chain is found again by removing it, so that the
// update of "x-update-1" is "x-update-2", not "x-update-1-update-1".
var adminAlertFollowUpSuffix = regexp.MustCompile(`-(update|cancel)(-[0-9]+)?$`)

// adminAlertFollowUpIDs suggests identifiers for an Update or Cancel of id,
// in order of preference: "<root>-update-1", "-update-2", ... and
// "<root>-cancel", "-cancel-2", ...; each fits the 100 characters an
// identifier may hold.
func adminAlertFollowUpIDs(id, msgType string, n int) []string {
	root := id
	if loc := adminAlertFollowUpSuffix.FindStringIndex(id); loc != nil && loc[0] > 0 {
		root = id[:loc[0]]
	}
	out := make([]string, 0, n)
	for i := 1; len(out) < n; i++ {
		suffix := "-update-" + strconv.Itoa(i)
		if msgType == "Cancel" {
			suffix = "-cancel"
			if i > 1 {
				suffix += "-" + strconv.Itoa(i)
			}
		}
		base := root
		if len(base)+len(suffix) > 100 {
			base = base[:100-len(suffix)]
		}
		out = append(out, base+suffix)
	}
	return out
}

// adminAlertMaxFollowUpTries bounds the identifiers tried for an Update or Cancel.
const adminAlertMaxFollowUpTries = 50

// adminAlertFollowUp starts an Update or a Cancel of a published alert: a
// new draft with the first free suggested identifier, copying the alert's
// fields and referencing it (a Cancel starts with a cancellation text
// instead of the alert's words: cancelWording); the organizer lands on
// its form.
func (s *Server) adminAlertFollowUp(msgType string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		a, err := s.findAdminAlert(c)
		if err != nil {
			return err
		}
		for _, id := range adminAlertFollowUpIDs(a.Identifier, msgType, adminAlertMaxFollowUpTries) {
			if _, err := s.store.FindAlert(ctx, id); app.ErrorCode(err) != app.ENOTFOUND {
				if err != nil {
					return err
				}
				continue // taken
			}
			var edit func(*app.Alert)
			if msgType == "Cancel" {
				edit = s.cancelWording
			}
			draft, err := s.store.DraftFollowUpWith(ctx, currentUser(c), a.Identifier, msgType, id, edit)
			var ae *app.Error
			if errors.As(err, &ae) && ae.MessageID == "admin.alerts.error.identifier_taken" {
				continue // taken meanwhile
			}
			if err != nil {
				return s.adminAlertActionFailed(c, a.Identifier, err)
			}
			if msgType == "Cancel" {
				s.flash(c, "admin.alerts.cancel_started")
			} else {
				s.flash(c, "admin.alerts.update_started")
			}
			return c.Redirect(s.adminAlertURL(c, draft.Identifier)+"/edit", fiber.StatusSeeOther)
		}
		return s.adminAlertActionFailed(c, a.Identifier, app.Errorf(app.ECONFLICT, "admin.alerts.error.identifier_taken"))
	}
}

// cancelWording replaces the texts a Cancel copied from the alert it
// withdraws with a cancellation text from the UI catalogs, in every
// language the alert has a headline in: "Cancelled: <old headline>", a
// withdrawal notice and "no further action"; the event stays. Texts in
// other languages are dropped, so nothing of the old words remains.
func (s *Server) cancelWording(a *app.Alert) {
	headline, description, instruction := app.Text{}, app.Text{}, app.Text{}
	for _, loc := range a.AlertLocales() {
		old := strings.TrimSpace(a.Headline[loc])
		if old == "" {
			continue
		}
		l := s.bundle.Localizer(loc)
		h := []rune(l.T("alert.cancel.headline", map[string]any{"Headline": old}))
		if len(h) > maxAlertHeadline {
			h = append(h[:maxAlertHeadline-1], '…')
		}
		headline[loc] = string(h)
		description[loc] = l.T("alert.cancel.description", nil)
		instruction[loc] = l.T("alert.cancel.instruction", nil)
	}
	a.Headline, a.Description, a.Instruction = headline, description, instruction
}
