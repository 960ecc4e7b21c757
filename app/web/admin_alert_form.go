package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/campaign"

	"github.com/gofiber/fiber/v2"
)

// Limits of the alert texts, in characters. CAP advises headlines under
// 160 characters, so that they fit a text message.
const (
	maxAlertEvent       = 200
	maxAlertHeadline    = 160
	maxAlertDescription = 5000
	maxAlertInstruction = 5000
)

// adminAlertForm is the alert form as typed.
type adminAlertForm struct {
	New          bool
	Identifier   string
	MsgType      string   // fixed: Alert when new; Update or Cancel from a follow-up
	References   []string // fixed
	SourceLocale string
	Status       string
	Scope        string
	Categories   map[string]bool
	Urgency      string
	Severity     string
	Certainty    string
	Event        string
	Headline     string
	Description  string
	Instruction  string
	Effective    string // datetime-local values in Zone
	Expires      string
	Zone         string // IANA name; "" keeps the stored alert's fixed offset
	Offset       string // that offset's name, when Zone may be ""
	Regions      map[string]bool
	Lesson       string // "course/lesson", "" for none
	Circles      []circleRow
	AllClear     bool // an Update or Cancel that says the danger is over
}

// adminAlertSiteZone is the site's time zone name ("UTC" when unset).
func (s *Server) adminAlertSiteZone(c *fiber.Ctx) string {
	if z := s.cachedSettings(c.UserContext())[settingTimeZone]; z != "" {
		if _, err := campaign.LoadZone(z); err == nil {
			return z
		}
	}
	return "UTC"
}

// adminAlertFormFor fills the form from a stored alert. The alert keeps
// only the offsets of its times: the site's zone is chosen when it has the
// same offset then, else the fixed offset is offered.
func (s *Server) adminAlertFormFor(c *fiber.Ctx, a *app.Alert) adminAlertForm {
	f := adminAlertForm{Identifier: a.Identifier, MsgType: a.MsgType, References: a.References, SourceLocale: a.SourceLocale,
		Status: a.Status, Scope: a.Scope, Categories: map[string]bool{}, Urgency: a.Urgency, Severity: a.Severity,
		Certainty: a.Certainty, Event: a.Event[a.SourceLocale], Headline: a.Headline[a.SourceLocale],
		Description: a.Description[a.SourceLocale], Instruction: a.Instruction[a.SourceLocale], Regions: map[string]bool{}}
	f.AllClear = a.AllClear
	for _, x := range a.Categories {
		f.Categories[x] = true
	}
	for _, r := range a.Regions {
		f.Regions[r] = true
	}
	f.Circles = circleRowsOf(a.Circles)
	if a.Lesson != nil {
		f.Lesson = a.Lesson.Course + "/" + a.Lesson.Lesson
	}
	_, off := a.Effective.Zone()
	loc := time.FixedZone(campaign.OffsetName(off), off)
	site := s.adminAlertSiteZone(c)
	for _, z := range []string{site, "UTC"} {
		if zl, err := campaign.LoadZone(z); err == nil {
			if _, o1 := a.Effective.In(zl).Zone(); o1 == off {
				if _, o2 := a.Expires.In(zl).Zone(); o2 == alertOffset(a.Expires) {
					f.Zone, loc = z, zl
					break
				}
			}
		}
	}
	if f.Zone == "" {
		f.Offset = loc.String()
	}
	f.Effective, f.Expires = campaign.FormatLocal(a.Effective, loc), campaign.FormatLocal(a.Expires, loc)
	return f
}

// alertOffset is t's UTC offset in seconds.
func alertOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}

// alertTextProblem names what is wrong with a text ("" when nothing):
// too long, or holding control characters (which CAP's XML cannot carry;
// multi-line fields may hold line breaks and tabs).
func alertTextProblem(v string, max int, multiline bool) string {
	switch {
	case utf8.RuneCountInString(v) > max:
		return "long"
	case !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool {
		return (unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) || r == '\uFFFE' || r == '\uFFFF'
	}) >= 0:
		return "text_invalid"
	}
	return ""
}

// alertFormText reads a text field: line fields trimmed, multi-line ones
// with their line breaks made \n.
func alertFormText(c *fiber.Ctx, name string, max int, multiline bool) string {
	v := c.FormValue(name)
	if multiline {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) > max*2 {
		v = string([]rune(v)[:max*2])
	}
	return v
}

// readAdminAlertForm reads and checks the posted form against stored (nil
// when creating: the identifier then comes from the form). It returns the
// alert to save when there are no errors; app.ValidateAlert's errors and
// the form's own (time zone, texts, regions, lesson) come together.
func (s *Server) readAdminAlertForm(c *fiber.Ctx, stored *app.Alert) (adminAlertForm, *app.Alert, app.FieldErrors, error) {
	ctx := c.UserContext()
	f := adminAlertForm{New: stored == nil, SourceLocale: clip(c.FormValue("source_locale"), 20),
		Status: clip(c.FormValue("status"), 20), Scope: clip(c.FormValue("scope"), 20), Categories: map[string]bool{},
		Urgency: clip(c.FormValue("urgency"), 20), Severity: clip(c.FormValue("severity"), 20), Certainty: clip(c.FormValue("certainty"), 20),
		Event: alertFormText(c, "event", maxAlertEvent, false), Headline: alertFormText(c, "headline", maxAlertHeadline, false),
		Description: alertFormText(c, "description", maxAlertDescription, true), Instruction: alertFormText(c, "instruction", maxAlertInstruction, true),
		Effective: clip(c.FormValue("effective"), 40), Expires: clip(c.FormValue("expires"), 40), Zone: clip(c.FormValue("time_zone"), 64),
		Regions: map[string]bool{}, Lesson: clip(c.FormValue("lesson"), 250)}
	var errs app.FieldErrors
	add := func(field, id string) { errs = append(errs, app.FieldError(field, "admin.alerts.error."+id)) }
	if stored == nil {
		f.Identifier, f.MsgType = clip(c.FormValue("identifier"), 120), "Alert"
		if f.Identifier == "new" { // the form's own address
			add("identifier", "identifier_taken")
		}
	} else {
		f.Identifier, f.MsgType, f.References = stored.Identifier, stored.MsgType, stored.References
		f.AllClear = stored.MsgType != "Alert" && c.FormValue("all_clear") == "yes"
		_, off := stored.Effective.Zone()
		f.Offset = time.FixedZone(campaign.OffsetName(off), off).String()
	}
	if !s.localeOn(ctx, f.SourceLocale) {
		add("source_locale", "source_locale")
	}
	var categories []string
	for _, x := range formValues(c, "category") {
		x = clip(x, 20)
		if !f.Categories[x] {
			f.Categories[x] = true
			categories = append(categories, x)
		}
	}
	for _, t := range []struct {
		field, v  string
		max       int
		multiline bool
	}{{"event", f.Event, maxAlertEvent, false}, {"headline", f.Headline, maxAlertHeadline, false},
		{"description", f.Description, maxAlertDescription, true}, {"instruction", f.Instruction, maxAlertInstruction, true}} {
		switch alertTextProblem(t.v, t.max, t.multiline) {
		case "long":
			add(t.field, t.field+"_long")
		case "text_invalid":
			add(t.field, "text_invalid")
		}
	}

	// Times: in the chosen zone, or the stored alert's fixed offset. With
	// an unknown zone, the times are still read (in UTC) so that each
	// error is about its own field.
	loc := time.UTC
	switch {
	case f.Zone == "" && stored != nil:
		_, off := stored.Effective.Zone()
		loc = time.FixedZone(campaign.OffsetName(off), off)
	default:
		if l, err := campaign.LoadZone(f.Zone); err == nil {
			loc = l
		} else {
			add("time_zone", "time_zone")
		}
	}
	effective, _ := campaign.ParseLocal(f.Effective, loc)
	expires, _ := campaign.ParseLocal(f.Expires, loc)

	var keep []string
	if stored != nil {
		keep = stored.Regions
	}
	regions, unknownRegion, err := s.formRegions(ctx, c, f.Regions, keep)
	if err != nil {
		return f, nil, nil, err
	}
	if unknownRegion {
		add("regions", "regions")
	}

	circles, badCircle := readCircles(c, &f)
	if badCircle {
		add("circles", "circles")
	}

	var lesson *app.AlertLesson
	if f.Lesson != "" {
		course, ls, _ := strings.Cut(f.Lesson, "/")
		lesson = &app.AlertLesson{Course: course, Lesson: ls}
		keep := stored != nil && stored.Lesson != nil && *stored.Lesson == *lesson // chosen before its course was archived
		ok, err := s.store.LessonExists(ctx, course, ls)
		if err != nil {
			return f, nil, nil, err
		}
		if !ok && !keep {
			add("lesson", "lesson")
		}
	}

	a := &app.Alert{Identifier: f.Identifier, SourceLocale: f.SourceLocale, Status: f.Status, MsgType: f.MsgType, Scope: f.Scope,
		Categories: categories, Urgency: f.Urgency, Severity: f.Severity, Certainty: f.Certainty,
		Event: app.Text{}, Headline: app.Text{}, Description: app.Text{}, Instruction: app.Text{},
		Effective: effective, Expires: expires, Regions: regions, Lesson: lesson, References: f.References, Circles: circles}
	a.AllClear = f.AllClear
	if stored != nil { // the translations stay
		for _, p := range []struct{ to, from *app.Text }{{&a.Event, &stored.Event}, {&a.Headline, &stored.Headline},
			{&a.Description, &stored.Description}, {&a.Instruction, &stored.Instruction}} {
			for k, v := range *p.from {
				(*p.to)[k] = v
			}
		}
	}
	for _, p := range []struct {
		t *app.Text
		v string
	}{{&a.Event, f.Event}, {&a.Headline, f.Headline}, {&a.Description, f.Description}, {&a.Instruction, f.Instruction}} {
		if p.v == "" {
			delete(*p.t, f.SourceLocale)
		} else {
			(*p.t)[f.SourceLocale] = p.v
		}
	}
	for _, e := range app.ValidateAlert(a) {
		if errs.For(e.Field) == "" {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return f, nil, adminAlertErrorOrder(errs), nil
	}
	return f, a, nil, nil
}

// adminAlertFieldOrder is the order of the form's fields, for the error
// summary.
var adminAlertFieldOrder = []string{"identifier", "msg_type", "source_locale", "status", "scope", "category", "urgency", "severity",
	"certainty", "event", "headline", "description", "instruction", "time_zone", "effective", "expires", "regions", "circles", "lesson"}

// adminAlertErrorOrder sorts field errors in the form's order.
func adminAlertErrorOrder(errs app.FieldErrors) app.FieldErrors {
	out := make(app.FieldErrors, 0, len(errs))
	for _, field := range adminAlertFieldOrder {
		for _, e := range errs {
			if e.Field == field {
				out = append(out, e)
			}
		}
	}
	for _, e := range errs {
		if !strings.Contains(" "+strings.Join(adminAlertFieldOrder, " ")+" ", " "+e.Field+" ") {
			out = append(out, e)
		}
	}
	return out
}

// adminAlertChoice is one radio, checkbox or option of the alert form,
// with its label's message id or text.
type adminAlertChoice struct {
	Value, Label, Lang string
	Checked            bool
}

// adminAlertEnum is one CAP enumeration of the form: its field name and
// the catalog prefix of its words ("cap.severity.").
type adminAlertEnum struct {
	Field, Prefix string
	Hint          string // message id, "" for none
	Values        []string
	Value         string // the one chosen
}

// adminAlertFormPage renders the new or edit form (422 with errors).
func (s *Server) adminAlertFormPage(c *fiber.Ctx, f adminAlertForm, errs app.FieldErrors) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	now := s.now()
	var zones []adminAlertChoice
	if f.Offset != "" {
		zones = append(zones, adminAlertChoice{Value: "", Label: l.T("admin.alerts.zone_offset", map[string]any{"Offset": f.Offset}), Checked: f.Zone == ""})
	}
	for _, z := range campaign.Zones(f.Zone) {
		if _, err := campaign.LoadZone(z); err != nil {
			continue // a forged value is not offered back
		}
		zones = append(zones, adminAlertChoice{Value: z, Label: campaign.ZoneLabel(z, now), Checked: z == f.Zone})
	}
	var locales []adminAlertChoice
	for _, loc := range s.enabledLocales(ctx) {
		locales = append(locales, adminAlertChoice{Value: loc, Label: s.bundle.Localizer(loc).T("language.native", nil), Lang: loc,
			Checked: loc == f.SourceLocale})
	}
	var categories []adminAlertChoice
	for _, x := range app.AlertCategories {
		categories = append(categories, adminAlertChoice{Value: x, Checked: f.Categories[x]})
	}
	regions, err := s.regionChoices(ctx, lang, f.Regions)
	if err != nil {
		return err
	}
	published, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	lessons := []adminAlertChoice{}
	found := f.Lesson == ""
	for _, pc := range published {
		if pc.Archived {
			continue
		}
		for _, ls := range pc.Lessons {
			v := pc.Slug + "/" + ls.Slug
			label, ll := s.alertAdminLessonLabel(pc, ls, lang)
			lessons = append(lessons, adminAlertChoice{Value: v, Label: label, Lang: ll, Checked: v == f.Lesson})
			found = found || v == f.Lesson
		}
	}
	if !found { // a lesson no longer published, or a forged value: shown as typed, so the error can be fixed
		lessons = append(lessons, adminAlertChoice{Value: f.Lesson, Label: f.Lesson, Checked: true})
	}
	enums := func(field, prefix string, values []string, v string) adminAlertEnum {
		e := adminAlertEnum{Field: field, Prefix: prefix, Values: values, Value: v}
		if field == "status" || field == "scope" {
			e.Hint = "admin.alerts.hint." + field
		}
		return e
	}
	title := l.T("admin.alerts.new", nil)
	if !f.New {
		title = l.T("admin.alerts.edit_title", map[string]any{"Identifier": f.Identifier})
	}
	f.Circles = append(f.Circles, circleRow{}) // one more to fill in
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.adminRender(c, "admin/alert/form", fiber.Map{"Title": title, "Form": f, "Errors": errs, "Zones": zones,
		"Locales": locales, "Categories": categories, "Regions": regions, "Lessons": lessons,
		"Status":    enums("status", "cap.status.", app.AlertStatuses, f.Status),
		"Scope":     enums("scope", "cap.scope.", app.AlertScopes, f.Scope),
		"Urgency":   enums("urgency", "cap.urgency.", app.AlertUrgencies, f.Urgency),
		"Severity":  enums("severity", "cap.severity.", app.AlertSeverities, f.Severity),
		"Certainty": enums("certainty", "cap.certainty.", app.AlertCertainties, f.Certainty),
		"Max": fiber.Map{"Event": maxAlertEvent, "Headline": maxAlertHeadline, "Description": maxAlertDescription,
			"Instruction": maxAlertInstruction}})
}

// suggestAlertIdentifier proposes "alert-YYYYMMDD-xxxx": the day in the
// site's zone and four random hexadecimal digits.
func (s *Server) suggestAlertIdentifier(c *fiber.Ctx) string {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported systems
	return "alert-" + s.inSiteZone(s.now()).Format("20060102") + "-" + hex.EncodeToString(b[:])
}

// adminAlertNew is the empty form: a suggested identifier, the page's
// language, Actual and Public, in force from now for a day in the site's
// time zone.
func (s *Server) adminAlertNew(c *fiber.Ctx) error {
	zone := s.adminAlertSiteZone(c)
	loc, err := campaign.LoadZone(zone)
	if err != nil {
		loc = time.UTC
	}
	now := s.now().In(loc).Truncate(time.Minute)
	f := adminAlertForm{New: true, Identifier: s.suggestAlertIdentifier(c), MsgType: "Alert", SourceLocale: s.localeOf(c),
		Status: "Actual", Scope: "Public", Categories: map[string]bool{}, Regions: map[string]bool{}, Zone: zone,
		Effective: campaign.FormatLocal(now, loc), Expires: campaign.FormatLocal(now.Add(24*time.Hour), loc)}
	return s.adminAlertFormPage(c, f, nil)
}

// adminAlertCreate stores a new draft (422 with every error, nothing
// written, when the form is wrong).
func (s *Server) adminAlertCreate(c *fiber.Ctx) error {
	f, a, errs, err := s.readAdminAlertForm(c, nil)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		err := s.store.CreateAlert(c.UserContext(), currentUser(c), a)
		if err == nil {
			s.flash(c, "admin.alerts.created")
			return c.Redirect(s.adminAlertURL(c, a.Identifier), fiber.StatusSeeOther)
		}
		if errs = adminAlertFieldErrors(err); errs == nil {
			return err
		}
	}
	return s.adminAlertFormPage(c, f, errs)
}

// adminAlertFieldErrors turns what the store refused about the form into
// field errors: its field errors, or one error that names a field (the
// identifier already taken); nil for any other error.
func adminAlertFieldErrors(err error) app.FieldErrors {
	var fe app.FieldErrors
	if errors.As(err, &fe) {
		return adminAlertErrorOrder(fe)
	}
	var ae *app.Error
	if errors.As(err, &ae) && ae.Field != "" {
		return app.FieldErrors{&app.Error{Code: ae.Code, MessageID: ae.MessageID, Field: ae.Field}}
	}
	return nil
}

// adminAlertEditable loads the alert in the path when it may still be
// changed: a published alert is changed by an Update (409).
func (s *Server) adminAlertEditable(c *fiber.Ctx) (*app.Alert, error) {
	a, err := s.findAdminAlert(c)
	if err != nil {
		return nil, err
	}
	if a.State == app.AlertPublished {
		return nil, app.Errorf(app.ECONFLICT, "admin.alerts.error.published")
	}
	return a, nil
}

// adminAlertEdit is the form of an unpublished alert, filled in.
func (s *Server) adminAlertEdit(c *fiber.Ctx) error {
	a, err := s.adminAlertEditable(c)
	if err != nil {
		return err
	}
	return s.adminAlertFormPage(c, s.adminAlertFormFor(c, a), nil)
}

// adminAlertUpdate saves the form of an unpublished alert (422 with every
// error, nothing written, when it is wrong). The translations stay.
func (s *Server) adminAlertUpdate(c *fiber.Ctx) error {
	stored, err := s.adminAlertEditable(c)
	if err != nil {
		return err
	}
	f, a, errs, err := s.readAdminAlertForm(c, stored)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		err = s.store.EditAlert(c.UserContext(), currentUser(c), stored.Identifier, "alert:update", func(w *app.Alert) error {
			*w = *a
			return nil
		})
		if err == nil {
			s.flash(c, "admin.alerts.saved")
			return c.Redirect(s.adminAlertURL(c, stored.Identifier), fiber.StatusSeeOther)
		}
		if errs = adminAlertFieldErrors(err); errs == nil {
			return err
		}
	}
	return s.adminAlertFormPage(c, f, errs)
}

// ---- Translations ----

// adminAlertTranslateKinds are the translated fields: key, kind (line or
// text) and length limit.
var adminAlertTranslateKinds = []struct {
	Key, Kind string
	Max       int
}{{"event", "line", maxAlertEvent}, {"headline", "line", maxAlertHeadline},
	{"description", "text", maxAlertDescription}, {"instruction", "text", maxAlertInstruction}}

// alertTexts names the alert's translated texts by field key.
func alertTexts(a *app.Alert) map[string]*app.Text {
	return map[string]*app.Text{"event": &a.Event, "headline": &a.Headline, "description": &a.Description, "instruction": &a.Instruction}
}

// alertTranslationEditor fills the translation editor with the alert's
// four texts in locale to (or as typed in values).
func (s *Server) alertTranslationEditor(c *fiber.Ctx, a *app.Alert, to string, values map[string]string, errs app.FieldErrors) translationEditor {
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	base := s.adminAlertURL(c, a.Identifier)
	row := alertAdminRowOf(a, nil, lang, s.now())
	ed := translationEditor{From: a.SourceLocale, To: to, Action: base + "/translate/" + to, Cancel: base, Errors: errs,
		Hint: "admin.alerts.hint.translate", Lead: row.Display,
		Crumbs: []translationCrumb{{Href: "/" + lang + "/admin/alerts", Label: l.T("admin.alerts.title", nil)}, {Href: base, Label: a.Identifier}}}
	if row.DisplayLang != lang {
		ed.LeadLang = row.DisplayLang
	}
	texts := alertTexts(a)
	for _, k := range adminAlertTranslateKinds {
		t := *texts[k.Key]
		r := translationField{Key: k.Key, Name: k.Key, Label: l.T("admin.alerts.field."+k.Key, nil), Kind: k.Kind, Max: k.Max,
			Source: t[a.SourceLocale], Target: t[to], State: textState(t, to)}
		if v, ok := values[k.Key]; ok {
			r.Target = v
		}
		ed.Rows = append(ed.Rows, r)
	}
	return ed
}

// adminAlertTranslate shows the translation form of one locale.
func (s *Server) adminAlertTranslate(c *fiber.Ctx) error {
	a, err := s.adminAlertEditable(c)
	if err != nil {
		return err
	}
	to, err := s.translationTarget(c, a.SourceLocale)
	if err != nil {
		return err
	}
	return s.renderTranslationEditor(c, s.alertTranslationEditor(c, a, to, nil, nil))
}

// adminAlertTranslateSave stores one locale's texts; an emptied field is
// removed (readers then see the source). A translation needs its headline:
// each language with one becomes a CAP <info> block.
func (s *Server) adminAlertTranslateSave(c *fiber.Ctx) error {
	a, err := s.adminAlertEditable(c)
	if err != nil {
		return err
	}
	to, err := s.translationTarget(c, a.SourceLocale)
	if err != nil {
		return err
	}
	values := map[string]string{}
	var errs app.FieldErrors
	filled := false
	texts := alertTexts(a)
	for _, k := range adminAlertTranslateKinds {
		v := (*texts[k.Key])[to]
		if _, ok := postedText(c, k.Key); ok {
			v = alertFormText(c, k.Key, k.Max, k.Kind == "text")
		}
		values[k.Key] = v
		filled = filled || v != ""
		switch alertTextProblem(v, k.Max, k.Kind == "text") {
		case "long":
			errs = append(errs, app.FieldError(k.Key, "admin.alerts.error."+k.Key+"_long"))
		case "text_invalid":
			errs = append(errs, app.FieldError(k.Key, "admin.alerts.error.text_invalid"))
		}
	}
	if filled && values["headline"] == "" && errs.For("headline") == "" {
		errs = append(errs, app.FieldError("headline", "admin.alerts.error.headline"))
	}
	if len(errs) > 0 {
		return s.renderTranslationEditor(c, s.alertTranslationEditor(c, a, to, values, adminAlertErrorOrder(errs)))
	}
	err = s.store.EditAlert(c.UserContext(), currentUser(c), a.Identifier, "alert:translate:"+to, func(w *app.Alert) error {
		for key, t := range alertTexts(w) {
			*t = withTranslation(*t, to, values[key])
		}
		return nil
	})
	if err != nil {
		if fe := adminAlertFieldErrors(err); fe != nil {
			return s.renderTranslationEditor(c, s.alertTranslationEditor(c, a, to, values, fe))
		}
		return err
	}
	s.flash(c, "admin.alerts.translated")
	return c.Redirect(s.adminAlertURL(c, a.Identifier), fiber.StatusSeeOther)
}
