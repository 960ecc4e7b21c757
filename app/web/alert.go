package web

import (
	"context"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Hidden alerts: the identifiers a visitor hid from the banner, newest
// last, in a cookie (no account needed, works without JavaScript). An
// Update has its own identifier, so it shows again: hidden "until it
// changes".
const (
	cookieHiddenAlerts = "beacon_hidden_alerts"
	maxHiddenAlerts    = 20
	hiddenAlertsTTL    = 180 * 24 * time.Hour
	// hiddenSeparator joins identifiers in the cookie: identifiers never
	// hold a dot (app.ValidAlertIdentifier).
	hiddenSeparator = "."
	// maxSuggestedCourses bounds the courses suggested under an alert.
	maxSuggestedCourses = 3
)

// Alert phases as the public pages name them (alert.phase.* in the catalogs).
const (
	alertPhaseActive     = "active"
	alertPhaseUpcoming   = "upcoming"
	alertPhaseExpired    = "expired"
	alertPhaseSuperseded = "superseded"
	alertPhaseCancelled  = "cancelled" // replaced by a Cancel message
	alertPhaseCancel     = "cancel"    // the Cancel message itself
)

// alertRoutes are the citizens' alert pages, the hide form, the CAP
// documents and the Atom feed: all public. The CAP and feed paths start
// with literals ("alerts", "feeds") that no /:lang/ route has after its
// first segment, so the routes cannot capture each other.
func (s *Server) alertRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/alerts", accessPublic, h(shared, fillable, s.alertIndex)},
		{"GET", "/:lang/alerts/:identifier", accessPublic, h(shared, fillable, s.alertShow)},
		{"GET", "/:lang/alerts/:identifier/learn", accessPublic, h(s.alertLearn)},
		{"POST", "/:lang/alerts/:identifier/hide", accessPublic, h(s.alertHide)},
		{"GET", "/alerts/:identifier.cap", accessPublic, h(shared, s.alertCAP)},
		{"GET", "/feeds/alerts.atom", accessPublic, h(shared, s.alertFeed)},
	}
}

// alertView is an alert as the public pages show it, in the reader's
// language. A *Lang field is set only when that text falls back to
// another language than the page's (for its lang attribute).
type alertView struct {
	Identifier                   string
	Status, MsgType              string
	Severity, Urgency, Certainty string
	Class                        string // severity for the CSS class: extreme, severe, moderate, minor, unknown
	Exercise                     bool
	Categories                   []string
	Event, EventLang             string
	Headline, HeadlineLang       string
	Description, DescriptionLang string
	Instruction, InstructionLang string
	Effective, Expires           time.Time // in the alert's own offsets
	Sent                         time.Time // shown in the site's zone
	Regions                      []placeName
	Phase                        string
	HasLesson                    bool
	AllClear                     bool // the message says the danger is over
}

// textIn returns t in lang, falling back to source, with the language to
// mark when it differs from the page's ("" otherwise).
func textIn(t app.Text, lang, source string) (string, string) {
	v, fb := t.Get(lang, source)
	if fb && v != "" {
		return v, source
	}
	return v, ""
}

// severityClass names an alert's severity for CSS (never shown as text:
// the severity word comes from the catalog).
func severityClass(severity string) string {
	if app.AlertEnum(app.AlertSeverities, severity) {
		return strings.ToLower(severity)
	}
	return "unknown"
}

// alertView builds the view of a; names holds the regions' names (codes
// are shown for unknown ones), replacedBy the message type of the alert
// that replaced it ("" when none or unknown).
func (s *Server) alertView(a *app.Alert, lang string, names map[string]app.Text, replacedBy string, now time.Time) alertView {
	v := alertView{Identifier: a.Identifier, Status: a.Status, MsgType: a.MsgType, Severity: a.Severity,
		Urgency: a.Urgency, Certainty: a.Certainty, Class: severityClass(a.Severity), Exercise: a.Status == "Exercise",
		Categories: a.Categories, Effective: a.Effective, Expires: a.Expires, Sent: a.Sent, HasLesson: a.Lesson != nil}
	v.AllClear = a.AllClear
	v.Event, v.EventLang = textIn(a.Event, lang, a.SourceLocale)
	v.Headline, v.HeadlineLang = textIn(a.Headline, lang, a.SourceLocale)
	v.Description, v.DescriptionLang = textIn(a.Description, lang, a.SourceLocale)
	v.Instruction, v.InstructionLang = textIn(a.Instruction, lang, a.SourceLocale)
	for _, code := range a.Regions {
		p := placeName{Code: code, Name: code}
		if t, ok := names[code]; ok {
			p.Name, p.Lang = s.localName(t, code, lang)
		}
		v.Regions = append(v.Regions, p)
	}
	v.Phase = alertPhase(a, replacedBy, now)
	return v
}

// alertPhase says where a published alert stands at now.
func alertPhase(a *app.Alert, replacedBy string, now time.Time) string {
	switch {
	case a.MsgType == "Cancel":
		return alertPhaseCancel
	case a.SupersededBy != "" && replacedBy == "Cancel":
		return alertPhaseCancelled
	case a.SupersededBy != "":
		return alertPhaseSuperseded
	case now.Before(a.Effective):
		return alertPhaseUpcoming
	case !now.Before(a.Expires):
		return alertPhaseExpired
	}
	return alertPhaseActive
}

// regionNames maps every region code to its names, for one page.
func (s *Server) regionNames(ctx context.Context) (map[string]app.Text, error) {
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]app.Text, len(regions))
	for _, r := range regions {
		out[r.Code] = r.Name
	}
	return out, nil
}

// findPublicAlert loads the alert named in the path when citizens may see
// it (published, Actual or Exercise); 404 otherwise.
func (s *Server) findPublicAlert(c *fiber.Ctx) (*app.Alert, error) {
	id := c.Params("identifier")
	if !app.ValidAlertIdentifier(id) {
		return nil, app.Errorf(app.ENOTFOUND, "alert.not_found")
	}
	a, err := s.store.FindAlert(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if !a.Public() {
		return nil, app.Errorf(app.ENOTFOUND, "alert.not_found")
	}
	return a, nil
}

// alertLesson returns the published course and lesson index an alert
// points at; ok is false when it has none or they no longer exist.
func (s *Server) alertLesson(ctx context.Context, a *app.Alert) (*app.PublishedCourse, int, bool, error) {
	if a.Lesson == nil {
		return nil, -1, false, nil
	}
	pc, err := s.store.FindPublishedCourse(ctx, a.Lesson.Course)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, -1, false, nil
	}
	if err != nil {
		return nil, -1, false, err
	}
	i := pc.LessonIndex(a.Lesson.Lesson)
	return pc, i, i >= 0, nil
}

// ---- Pages ----

// alertIndex lists the alerts in force for everyone (with the regions
// they cover), those coming into force, and the archive: published public
// alerts no longer in force (expired, replaced, cancelled), newest first.
func (s *Server) alertIndex(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	all, err := s.store.PublishedAlerts(ctx)
	if err != nil {
		return err
	}
	names, err := s.regionNames(ctx)
	if err != nil {
		return err
	}
	byID := make(map[string]*app.Alert, len(all))
	for _, a := range all {
		byID[a.Identifier] = a
	}
	replacedBy := func(a *app.Alert) string {
		if r := byID[a.SupersededBy]; r != nil {
			return r.MsgType
		}
		return ""
	}
	now := s.now()
	var active, upcoming, archive []*app.Alert
	for _, a := range all {
		if !a.Public() {
			continue
		}
		switch alertPhase(a, replacedBy(a), now) {
		case alertPhaseActive:
			active = append(active, a)
		case alertPhaseUpcoming:
			upcoming = append(upcoming, a)
		default:
			archive = append(archive, a) // newest sent first, as listed
		}
	}
	app.SortAlerts(active)
	app.SortAlerts(upcoming)
	views := func(as []*app.Alert) []alertView {
		out := make([]alertView, 0, len(as))
		for _, a := range as {
			out = append(out, s.alertView(a, lang, names, replacedBy(a), now))
		}
		return out
	}
	l := s.bundle.Localizer(lang)
	return s.render(c, "alert/index", fiber.Map{"Title": l.T("alert.index.title", nil), "Active": views(active),
		"Upcoming": views(upcoming), "Archive": views(archive), "FeedURL": "/feeds/alerts.atom?lang=" + lang,
		"Meta": &pageMeta{Description: l.T("seo.description.alerts", nil)}})
}

// alertLink is another alert of the chain, as a link when citizens may see it.
type alertLink struct {
	Identifier     string
	Headline, Lang string // Lang only when the headline falls back
	MsgType        string
	Public         bool
}

// alertLinkTo names the alert with identifier for a chain link: its
// headline when citizens may see it, else its identifier.
func (s *Server) alertLinkTo(ctx context.Context, identifier, lang string) (alertLink, error) {
	link := alertLink{Identifier: identifier, Headline: identifier}
	a, err := s.store.FindAlert(ctx, identifier)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return link, nil
	}
	if err != nil {
		return link, err
	}
	link.MsgType, link.Public = a.MsgType, a.Public()
	if link.Public {
		link.Headline, link.Lang = textIn(a.Headline, lang, a.SourceLocale)
	}
	return link, nil
}

// alertShow is one alert: what, where, when, what to do, the chain of
// messages it belongs to, the lesson and courses that teach what to do,
// and its CAP document. A view is counted (errors are logged: the page
// never fails for the statistics).
func (s *Server) alertShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	a, err := s.findPublicAlert(c)
	if err != nil {
		return err
	}
	names, err := s.regionNames(ctx)
	if err != nil {
		return err
	}
	data := fiber.Map{}
	replacedBy := ""
	if a.SupersededBy != "" {
		link, err := s.alertLinkTo(ctx, a.SupersededBy, lang)
		if err != nil {
			return err
		}
		replacedBy = link.MsgType
		data["ReplacedBy"] = link
		if link.MsgType == "Cancel" && link.Public {
			cancel, err := s.store.FindAlert(ctx, a.SupersededBy)
			if err != nil {
				return err
			}
			data["Cancel"] = s.alertView(cancel, lang, names, "", s.now())
		}
	}
	v := s.alertView(a, lang, names, replacedBy, s.now())
	var refs []alertLink
	for _, id := range a.References {
		link, err := s.alertLinkTo(ctx, id, lang)
		if err != nil {
			return err
		}
		refs = append(refs, link)
	}
	pc, i, ok, err := s.alertLesson(ctx, a)
	if err != nil {
		return err
	}
	if ok {
		lt, ltLang := textIn(pc.Lessons[i].Title, lang, pc.SourceLocale)
		ct, ctLang := textIn(pc.Title, lang, pc.SourceLocale)
		data["Lesson"] = fiber.Map{"Title": lt, "Lang": ltLang, "Course": ct, "CourseLang": ctLang}
	}
	v.HasLesson = ok
	suggested, err := s.suggestedCourses(c, a)
	if err != nil {
		return err
	}
	// The view is counted by the page's visit pixel (visit.go), so that
	// the page itself can be kept by caches.
	data["VisitAlert"] = a.Identifier
	data["Title"] = v.Headline
	meta := &pageMeta{Description: v.Headline + ". " + v.Instruction, Type: "article"}
	if cv, ok := data["Cancel"].(alertView); ok {
		// A cancelled alert no longer tells anyone what to do: search
		// results and shared links carry the Cancel's words.
		meta.Description = cv.Headline + ". " + cv.Description
	}
	if a.MsgType == "Update" || a.MsgType == "Cancel" {
		// An Update or Cancel often repeats the headline it follows: its
		// title says which message it is.
		l := s.bundle.Localizer(lang)
		meta.Title = l.T("seo.title.alert_followup", map[string]any{"Type": l.T("cap.msg_type."+a.MsgType, nil), "Headline": v.Headline})
	}
	data["Meta"] = shareMeta(meta, shareAlert, a.Identifier, s.alertShare(ctx, a, lang))
	data["Alert"] = v
	data["References"] = refs
	data["Courses"] = suggested
	return s.render(c, "alert/show", data)
}

// suggestedCourses are up to three published courses tagged with one of
// the alert's CAP categories, other than the one its lesson belongs to.
func (s *Server) suggestedCourses(c *fiber.Ctx, a *app.Alert) ([]courseCard, error) {
	courses, err := s.store.PublishedCourses(c.UserContext())
	if err != nil {
		return nil, err
	}
	var picked []*app.PublishedCourse
	for _, pc := range courses {
		if len(picked) == maxSuggestedCourses {
			break
		}
		if pc.Archived || (a.Lesson != nil && pc.Slug == a.Lesson.Course) || !shareCategory(pc.Categories, a.Categories) {
			continue
		}
		picked = append(picked, pc)
	}
	if len(picked) == 0 {
		return nil, nil
	}
	return s.cards(c, picked)
}

func shareCategory(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// alertLearn is the "learn what to do" link: it counts the click and
// sends the visitor to the alert's lesson (404 when it has none).
func (s *Server) alertLearn(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	a, err := s.findPublicAlert(c)
	if err != nil {
		return err
	}
	pc, i, ok, err := s.alertLesson(ctx, a)
	if err != nil {
		return err
	}
	if !ok {
		return app.Errorf(app.ENOTFOUND, "alert.no_lesson")
	}
	if err := s.store.RecordAlertEvent(ctx, s.ensureLearnerID(c), lang, a.ID, store.StatAlertLearned); err != nil {
		s.log.Warn("record alert learn click", "alert", a.Identifier, "err", err, "request_id", requestID(c))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect("/"+lang+"/courses/"+pc.Slug+"/lessons/"+pc.Lessons[i].Slug, fiber.StatusSeeOther)
}

// alertHide adds the alert to the visitor's hidden alerts (the newest
// maxHiddenAlerts are kept) and goes back to the page the form was on.
func (s *Server) alertHide(c *fiber.Ctx) error {
	id := c.Params("identifier")
	if !app.ValidAlertIdentifier(id) {
		return app.Errorf(app.ENOTFOUND, "alert.not_found")
	}
	hidden := hiddenAlerts(c)
	kept := make([]string, 0, len(hidden)+1)
	for _, h := range hidden {
		if h != id {
			kept = append(kept, h)
		}
	}
	kept = append(kept, id)
	if len(kept) > maxHiddenAlerts {
		kept = kept[len(kept)-maxHiddenAlerts:]
	}
	s.setCookie(c, cookieHiddenAlerts, strings.Join(kept, hiddenSeparator), hiddenAlertsTTL)
	s.flash(c, "alert.hidden")
	lang := s.localeOf(c)
	return c.Redirect(safeNext(c.FormValue("next"), "/"+lang+"/"), fiber.StatusSeeOther)
}

// hiddenAlerts reads the visitor's hidden alert identifiers (forged
// entries are dropped).
func hiddenAlerts(c *fiber.Ctx) []string {
	v := c.Cookies(cookieHiddenAlerts)
	if v == "" {
		return nil
	}
	var out []string
	for _, id := range strings.Split(v, hiddenSeparator) {
		if app.ValidAlertIdentifier(id) {
			out = append(out, id)
		}
	}
	if len(out) > maxHiddenAlerts {
		out = out[len(out)-maxHiddenAlerts:]
	}
	return out
}
