package content

import (
	"io/fs"
	"path"
	"strings"
	"time"

	"beacon/app"

	"go.yaml.in/yaml/v3"
)

// alertFile is alerts/<identifier>.yaml as written (CONTENT-FORMAT.md).
type alertFile struct {
	Identifier   string       `yaml:"identifier"`
	SourceLocale string       `yaml:"source_locale"`
	Status       string       `yaml:"status"`
	MsgType      string       `yaml:"msg_type"`
	Scope        string       `yaml:"scope"`
	Category     []string     `yaml:"category"`
	Urgency      string       `yaml:"urgency"`
	Severity     string       `yaml:"severity"`
	Certainty    string       `yaml:"certainty"`
	Event        app.Text     `yaml:"event"`
	Headline     app.Text     `yaml:"headline"`
	Description  app.Text     `yaml:"description"`
	Instruction  app.Text     `yaml:"instruction"`
	Effective    string       `yaml:"effective"`
	Expires      string       `yaml:"expires"`
	Regions      []string     `yaml:"regions"`
	Lesson       *alertLesson `yaml:"lesson"`
	References   []string     `yaml:"references"`
	// Sent is an extension (docs/PACK-EXTENSIONS.md): when the alert was
	// first published, kept so that CAP references stay valid on a moved site.
	Sent string `yaml:"sent"`
	// AllClear is an extension (docs/PACK-EXTENSIONS.md): the message
	// says the danger is over (CAP <responseType>AllClear).
	AllClear bool `yaml:"all_clear"`
	// Circles and Sender are extensions (docs/PACK-EXTENSIONS.md): areas
	// the alert names besides its regions, and the CAP sender it was
	// published with (kept, like sent, so references stay valid).
	Circles []alertCircle `yaml:"circles"`
	Sender  string        `yaml:"sender"`
}

// alertCircle is one entry of an alert's circles list.
type alertCircle struct {
	Lat      float64 `yaml:"lat"`
	Lon      float64 `yaml:"lon"`
	RadiusKm float64 `yaml:"radius_km"`
}

type alertLesson struct {
	Course string `yaml:"course"`
	Lesson string `yaml:"lesson"`
}

// alertEnums are the CAP fields with a fixed set of values, by the key
// app.ValidateAlert reports them under (which is also their YAML key).
var alertEnums = map[string][]string{
	"status":    app.AlertStatuses,
	"msg_type":  app.AlertMsgTypes,
	"scope":     app.AlertScopes,
	"urgency":   app.AlertUrgencies,
	"severity":  app.AlertSeverities,
	"certainty": app.AlertCertainties,
}

// alertRefs is what an alert may point at outside its own file: the
// pack's regions and courses, checked after the whole pack is read.
type alertRefs struct {
	regions map[string]bool
	// courses are the pack's valid courses by slug; inPack also holds
	// course folders that had problems of their own, whose lessons are
	// then not checked again.
	courses map[string]*app.Course
	inPack  map[string]bool
}

// alerts reads every alerts/<identifier>.yaml, in file name order, and
// returns the valid ones. Identifiers are unique in the pack; a file whose
// identifier differs from its name is blamed for a clash rather than the
// file that matches.
func (p *parser) alerts(refs alertRefs) []app.Alert {
	entries, _ := fs.ReadDir(p.fsys, "alerts")
	type parsed struct {
		file string
		a    *app.Alert
		root *yaml.Node
		ok   bool
	}
	var all []parsed
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		file := path.Join("alerts", e.Name())
		a, root, ok := p.alert(file, refs)
		if a != nil {
			all = append(all, parsed{file, a, root, ok})
		}
	}
	seen := map[string]bool{}
	var out []app.Alert
	for _, matching := range []bool{true, false} {
		for _, x := range all {
			if (x.file == path.Join("alerts", x.a.Identifier+".yaml")) != matching || !app.ValidAlertIdentifier(x.a.Identifier) {
				continue
			}
			if seen[x.a.Identifier] {
				p.problem(x.file, line(x.root, "identifier"), "alert_identifier_twice", kv{"Identifier": x.a.Identifier},
					"alert identifier %q is used twice", x.a.Identifier)
				continue
			}
			seen[x.a.Identifier] = true
		}
	}
	for _, x := range all {
		if x.ok {
			out = append(out, *x.a)
		}
	}
	return out
}

// alert parses and checks one alert file. It returns the alert (nil when
// the file cannot be decoded), its YAML root for line lookups, and whether
// the file had no problem.
func (p *parser) alert(file string, refs alertRefs) (*app.Alert, *yaml.Node, bool) {
	data, err := fs.ReadFile(p.fsys, file)
	if err != nil {
		p.problem(file, 0, "alert_unreadable", kv{"Detail": err.Error()}, "cannot read: %v", err)
		return nil, nil, false
	}
	before := len(p.problems)
	var af alertFile
	root, ok := p.decode(file, data, &af)
	if !ok {
		return nil, nil, false
	}
	src := af.SourceLocale
	if src == "" {
		src = p.opts.Locales[0]
		if p.enabled["en"] {
			src = "en"
		}
	} else if !p.enabled[src] {
		enabled := strings.Join(p.opts.Locales, ", ")
		p.problem(file, line(root, "source_locale"), "source_locale_not_enabled", kv{"Locale": src, "Enabled": enabled},
			"source_locale %q is not an enabled locale (enabled: %s)", src, enabled)
	}
	a := &app.Alert{Identifier: af.Identifier, SourceLocale: src, Status: af.Status, MsgType: af.MsgType, Scope: af.Scope,
		Categories: af.Category, Urgency: af.Urgency, Severity: af.Severity, Certainty: af.Certainty,
		Event: orEmpty(af.Event), Headline: orEmpty(af.Headline), Description: orEmpty(af.Description), Instruction: orEmpty(af.Instruction),
		Regions: af.Regions, References: af.References}
	a.AllClear = af.AllClear
	if a.Categories == nil {
		a.Categories = []string{}
	}
	if a.Regions == nil {
		a.Regions = []string{}
	}
	if af.Lesson != nil {
		a.Lesson = &app.AlertLesson{Course: af.Lesson.Course, Lesson: af.Lesson.Lesson}
	}
	for _, c := range af.Circles {
		a.Circles = append(a.Circles, app.AlertCircle{Lat: c.Lat, Lon: c.Lon, RadiusKm: c.RadiusKm})
	}
	if af.Sender != "" {
		if !app.ValidCAPSender(af.Sender) {
			p.problem(file, line(root, "sender"), "alert_sender_invalid", kv{"Value": af.Sender},
				"sender %q must be non-empty, without spaces, commas, < or &", af.Sender)
		}
		a.Sender = af.Sender
	}

	// Times first, so that ValidateAlert sees them; its own effective and
	// expires errors are left to the finer checks here.
	effective, okE := parseZoned(af.Effective)
	expires, okX := parseZoned(af.Expires)
	if !okE {
		p.problem(file, line(root, "effective"), "alert_effective_format", kv{"Value": af.Effective},
			"effective %q must be a date-time with a zone offset (2027-04-15T09:00:00+08:00)", af.Effective)
	}
	if !okX {
		p.problem(file, line(root, "expires"), "alert_expires_format", kv{"Value": af.Expires},
			"expires %q must be a date-time with a zone offset", af.Expires)
	}
	if okE && okX && !effective.Before(expires) {
		p.problem(file, line(root, "expires"), "alert_effective_after_expires", nil, "effective must come before expires")
	}
	a.Effective, a.Expires = utcIfZero(effective), utcIfZero(expires)
	if af.Sent != "" {
		sent, ok := parseZoned(af.Sent)
		if !ok {
			p.problem(file, line(root, "sent"), "alert_sent_format", kv{"Value": af.Sent},
				"sent %q must be a date-time with a zone offset (2027-04-15T09:00:00+08:00)", af.Sent)
		}
		a.Sent = sent.UTC()
	}

	for _, fe := range app.ValidateAlert(a) {
		p.alertFieldProblem(file, root, a, fe.Field)
	}
	if want := strings.TrimSuffix(path.Base(file), ".yaml"); app.ValidAlertIdentifier(a.Identifier) && a.Identifier != want {
		p.problem(file, line(root, "identifier"), "alert_identifier_not_file", kv{"Identifier": a.Identifier, "Name": want},
			"identifier %q must equal the file name %q without .yaml", a.Identifier, want)
	}

	p.text(file, root, a.Event, src, "event")
	p.text(file, root, a.Headline, src, "headline")
	// Description and instruction are optional in CAP; when written they
	// need their source-locale text like every translated field.
	if len(a.Description) > 0 {
		p.text(file, root, a.Description, src, "description")
	}
	if len(a.Instruction) > 0 {
		p.text(file, root, a.Instruction, src, "instruction")
	}

	for i, code := range a.Regions {
		if !refs.regions[code] && p.opts.KnownRegions != nil && !p.opts.KnownRegions(code) {
			p.problem(file, line(root, "regions", i), "alert_region_unknown", kv{"Code": code},
				"region %q does not exist in the pack's regions.yaml or the site", code)
		}
	}
	if l := a.Lesson; l != nil {
		p.alertLesson(file, root, l, refs)
	}

	if len(a.References) == 0 && (a.MsgType == "Update" || a.MsgType == "Cancel") {
		p.problem(file, line(root, "msg_type"), "alert_references_missing", kv{"MsgType": a.MsgType},
			"%s messages must name the alert they replace in references", a.MsgType)
	}
	for i, ref := range a.References {
		switch {
		case !app.ValidAlertIdentifier(ref):
			p.problem(file, line(root, "references", i), "alert_references_format", kv{"Identifier": ref},
				"reference %q is not an alert identifier", ref)
		case ref == a.Identifier:
			p.problem(file, line(root, "references", i), "alert_references_self", kv{"Identifier": ref},
				"an alert cannot reference itself (%q)", ref)
		}
	}
	return a, root, len(p.problems) == before
}

// alertFieldProblem reports one field error of app.ValidateAlert at its
// line, with the values the reader needs to fix it.
func (p *parser) alertFieldProblem(file string, root *yaml.Node, a *app.Alert, field string) {
	switch field {
	case "identifier":
		p.problem(file, line(root, "identifier"), "alert_identifier_format", kv{"Identifier": a.Identifier},
			"identifier %q must be 1–100 letters, digits, hyphens or underscores, starting with a letter or digit", a.Identifier)
	case "category":
		if len(a.Categories) == 0 {
			p.problem(file, line(root, "category"), "alert_category_none", nil, "category needs at least one CAP category")
			return
		}
		for i, c := range a.Categories {
			if !app.AlertEnum(app.AlertCategories, c) {
				p.problem(file, line(root, "category", i), "category_unknown", kv{"Category": c}, "category %q is not a CAP category", c)
			}
		}
	case "event", "headline", "effective", "expires":
		// Reported by p.text and the time checks, with more detail.
	case "circles":
		for i, c := range a.Circles {
			if !c.Valid() || i >= app.MaxAlertCircles {
				p.problem(file, line(root, "circles", i), "alert_circle_invalid", kv{"Max": app.MaxAlertCircles},
					"circles need lat in -90..90, lon in -180..180 and radius_km above 0 and at most 20037.5 (at most %d circles)", app.MaxAlertCircles)
				return
			}
		}
	default:
		values, ok := alertEnums[field]
		if !ok {
			// A rule ValidateAlert gained that the pack does not know yet.
			p.problem(file, line(root, field), "alert_field_invalid", kv{"Field": field}, "%s is not valid", field)
			return
		}
		v := alertFieldValue(a, field)
		allowed := strings.Join(values, ", ")
		p.problem(file, line(root, field), "alert_value_unknown", kv{"Field": field, "Value": v, "Allowed": allowed},
			"%s %q must be one of: %s", field, v, allowed)
	}
}

// alertFieldValue is the value of one of the alertEnums fields.
func alertFieldValue(a *app.Alert, field string) string {
	switch field {
	case "status":
		return a.Status
	case "msg_type":
		return a.MsgType
	case "scope":
		return a.Scope
	case "urgency":
		return a.Urgency
	case "severity":
		return a.Severity
	case "certainty":
		return a.Certainty
	}
	return ""
}

// alertLesson checks that the lesson an alert points at exists: in the
// pack when the pack carries its course (the import replaces the site's
// revision), else on the site when KnownLesson is set.
func (p *parser) alertLesson(file string, root *yaml.Node, l *app.AlertLesson, refs alertRefs) {
	ln := line(root, "lesson")
	if l.Course == "" || l.Lesson == "" {
		p.problem(file, ln, "alert_lesson_incomplete", nil, "lesson needs both a course and a lesson")
		return
	}
	var known bool
	switch c, ok := refs.courses[l.Course]; {
	case ok:
		for _, x := range c.Lessons {
			if x.Slug == l.Lesson {
				known = true
				break
			}
		}
	case refs.inPack[l.Course]:
		return // the course folder has problems of its own
	default:
		known = p.opts.KnownLesson == nil || p.opts.KnownLesson(l.Course, l.Lesson)
	}
	if !known {
		p.problem(file, ln, "alert_lesson_unknown", kv{"Course": l.Course, "Lesson": l.Lesson},
			"lesson %q of course %q does not exist in the pack or the site", l.Lesson, l.Course)
	}
}

// utcIfZero returns t in UTC when its offset is zero, so that "+00:00" and
// "Z" read the same whatever the machine's local zone, and an export of
// times kept in UTC reads back equal.
func utcIfZero(t time.Time) time.Time {
	if _, off := t.Zone(); off == 0 {
		return t.UTC()
	}
	return t
}

func orEmpty(t app.Text) app.Text {
	if t == nil {
		return app.Text{}
	}
	return t
}

// CheckLesson wraps f as a predicate for Options.KnownLesson, keeping the
// first failure as Check does.
func (l *Lookup) CheckLesson(f func(course, lesson string) (bool, error)) func(course, lesson string) bool {
	return func(course, lesson string) bool {
		ok, err := f(course, lesson)
		if err != nil && l.err == nil {
			l.err = err
		}
		return ok
	}
}
