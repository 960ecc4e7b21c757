package content_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/testenv"
)

const validAlert = `identifier: demo-drill
status: Exercise
msg_type: Alert
scope: Public
category: [Safety, Fire]
urgency: Expected
severity: Moderate
certainty: Likely
event: {en: "Drill", zh-Hans: "演练"}
headline: {en: "This is a drill", zh-Hans: "这是演练"}
description:
  en: "Nothing to fear."
instruction:
  en: "Read the lesson."
effective: 2027-04-15T09:00:00+08:00
expires: 2027-04-15T18:00:00+08:00
regions: [north-hill]
lesson: {course: demo, lesson: intro}
`

const alertYAML = "alerts/demo-drill.yaml"

// alertPack is the valid pack with one valid alert.
func alertPack() fstest.MapFS {
	fsys := validPack()
	fsys[alertYAML] = &fstest.MapFile{Data: []byte(validAlert)}
	return fsys
}

// alertWant is one expected problem: its file, the text on the line it must
// point at ("" for no line), and its ID.
type alertWant struct {
	file, at, id string
}

func TestParse_AlertProblems(t *testing.T) {
	b, known := mustBundle(t)
	replace := func(old, new string) func(t *testing.T, fsys fstest.MapFS) {
		return func(t *testing.T, fsys fstest.MapFS) { edit(t, fsys, alertYAML, old, new) }
	}
	knowsNothing := func(o *content.Options) {
		o.KnownRegions = func(string) bool { return false }
		o.KnownLesson = func(string, string) bool { return false }
	}
	tests := []struct {
		name      string
		breakPack func(t *testing.T, fsys fstest.MapFS)
		opts      func(o *content.Options)
		want      []alertWant // nil: the pack parses
	}{
		// identifiers
		{"identifier with a space", replace("identifier: demo-drill", "identifier: demo drill"), nil,
			[]alertWant{{alertYAML, "identifier:", "alert_identifier_format"}}},
		{"identifier with a dot", replace("identifier: demo-drill", "identifier: demo.drill"), nil,
			[]alertWant{{alertYAML, "identifier:", "alert_identifier_format"}}},
		{"identifier missing", replace("identifier: demo-drill\n", "# no identifier\n"), nil,
			[]alertWant{{alertYAML, "status:", "alert_identifier_format"}}},
		{"identifier too long", replace("identifier: demo-drill", "identifier: "+strings.Repeat("a", 101)), nil,
			[]alertWant{{alertYAML, "identifier:", "alert_identifier_format"}}},
		{"identifier is not the file name", replace("identifier: demo-drill", "identifier: other-drill"), nil,
			[]alertWant{{alertYAML, "identifier:", "alert_identifier_not_file"}}},
		{"identifier differs from the file name only in case", replace("identifier: demo-drill", "identifier: Demo-Drill"), nil,
			[]alertWant{{alertYAML, "identifier:", "alert_identifier_not_file"}}},
		{"identifier used twice: the misnamed file is blamed", func(t *testing.T, fsys fstest.MapFS) {
			fsys["alerts/aa-copy.yaml"] = &fstest.MapFile{Data: []byte(validAlert)}
		}, nil, []alertWant{
			{"alerts/aa-copy.yaml", "identifier:", "alert_identifier_not_file"},
			{"alerts/aa-copy.yaml", "identifier:", "alert_identifier_twice"},
		}},
		{"identifier used twice, the copy sorting last", func(t *testing.T, fsys fstest.MapFS) {
			fsys["alerts/zz-copy.yaml"] = &fstest.MapFile{Data: []byte(validAlert)}
		}, nil, []alertWant{
			{"alerts/zz-copy.yaml", "identifier:", "alert_identifier_not_file"},
			{"alerts/zz-copy.yaml", "identifier:", "alert_identifier_twice"},
		}},

		// CAP enumerations
		{"unknown status", replace("status: Exercise", "status: Real"), nil, []alertWant{{alertYAML, "status:", "alert_value_unknown"}}},
		{"status in lower case", replace("status: Exercise", "status: exercise"), nil, []alertWant{{alertYAML, "status:", "alert_value_unknown"}}},
		{"status missing", replace("status: Exercise\n", ""), nil, []alertWant{{alertYAML, "identifier:", "alert_value_unknown"}}},
		{"unknown msg_type", replace("msg_type: Alert", "msg_type: Ack"), nil, []alertWant{{alertYAML, "msg_type:", "alert_value_unknown"}}},
		{"unknown scope", replace("scope: Public", "scope: Everyone"), nil, []alertWant{{alertYAML, "scope:", "alert_value_unknown"}}},
		{"unknown urgency", replace("urgency: Expected", "urgency: Soon"), nil, []alertWant{{alertYAML, "urgency:", "alert_value_unknown"}}},
		{"unknown severity", replace("severity: Moderate", "severity: High"), nil, []alertWant{{alertYAML, "severity:", "alert_value_unknown"}}},
		{"unknown certainty", replace("certainty: Likely", "certainty: Sure"), nil, []alertWant{{alertYAML, "certainty:", "alert_value_unknown"}}},
		{"unknown category", replace("category: [Safety, Fire]", "category: [Safety, Weather]"), nil,
			[]alertWant{{alertYAML, "category:", "category_unknown"}}},
		{"unknown category on its own line", replace("category: [Safety, Fire]", "category:\n  - Safety\n  - Weather # here"), nil,
			[]alertWant{{alertYAML, "- Weather # here", "category_unknown"}}},
		{"scope other than Public", replace("scope: Public", "scope: Private"), nil, []alertWant{{alertYAML, "scope:", "alert_value_unknown"}}},
		{"no category", replace("category: [Safety, Fire]", "category: []"), nil, []alertWant{{alertYAML, "category:", "alert_category_none"}}},
		{"every CAP value is accepted", func(t *testing.T, fsys fstest.MapFS) {
			for _, v := range [][2]string{{"status: Exercise", "status: Draft"},
				{"urgency: Expected", "urgency: Unknown"}, {"severity: Moderate", "severity: Extreme"}, {"certainty: Likely", "certainty: Observed"},
				{"category: [Safety, Fire]", "category: [" + strings.Join(app.AlertCategories, ", ") + "]"}} {
				edit(t, fsys, alertYAML, v[0], v[1])
			}
		}, nil, nil},

		// times
		{"effective without a zone offset", replace("effective: 2027-04-15T09:00:00+08:00", "effective: 2027-04-15T09:00:00"), nil,
			[]alertWant{{alertYAML, "effective:", "alert_effective_format"}}},
		{"expires as a bare date", replace("expires: 2027-04-15T18:00:00+08:00", "expires: 2027-04-15"), nil,
			[]alertWant{{alertYAML, "expires:", "alert_expires_format"}}},
		{"expires missing", replace("expires: 2027-04-15T18:00:00+08:00\n", ""), nil,
			[]alertWant{{alertYAML, "identifier:", "alert_expires_format"}}},
		{"effective after expires", replace("effective: 2027-04-15T09:00:00+08:00", "effective: 2027-04-16T09:00:00+08:00"), nil,
			[]alertWant{{alertYAML, "expires:", "alert_effective_after_expires"}}},
		{"effective when it expires, in another zone", replace("effective: 2027-04-15T09:00:00+08:00", "effective: 2027-04-15T10:00:00Z"), nil,
			[]alertWant{{alertYAML, "expires:", "alert_effective_after_expires"}}},
		{"effective in UTC", replace("effective: 2027-04-15T09:00:00+08:00", "effective: 2027-04-15T00:00:00Z"), nil, nil},

		// translated fields
		{"event without source-locale text", replace(`event: {en: "Drill", zh-Hans: "演练"}`, `event: {zh-Hans: "演练"}`), nil,
			[]alertWant{{alertYAML, "event:", "text_no_source"}}},
		{"headline blank in the source locale", replace(`headline: {en: "This is a drill"`, `headline: {en: "  "`), nil,
			[]alertWant{{alertYAML, "headline:", "text_no_source"}}},
		{"headline missing", replace("headline: {en: \"This is a drill\", zh-Hans: \"这是演练\"}\n", ""), nil,
			[]alertWant{{alertYAML, "identifier:", "text_no_source"}}},
		{"description without source-locale text", replace(`  en: "Nothing to fear."`, `  fr: "Rien à craindre."`), nil,
			[]alertWant{{alertYAML, "description:", "text_no_source"}}},
		{"instruction in a locale not enabled", replace(`  en: "Read the lesson."`, "  en: \"Read the lesson.\"\n  de: \"Lies die Lektion.\""), nil,
			[]alertWant{{alertYAML, `de: "Lies die Lektion."`, "text_locale_not_enabled"}}},
		{"description and instruction are optional", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, alertYAML, "description:\n  en: \"Nothing to fear.\"\n", "")
			edit(t, fsys, alertYAML, "instruction:\n  en: \"Read the lesson.\"\n", "")
		}, nil, nil},
		{"source locale not enabled", replace("status: Exercise", "source_locale: de\nstatus: Exercise"), nil, []alertWant{
			{alertYAML, "source_locale:", "source_locale_not_enabled"},
			{alertYAML, "event:", "text_no_source"},
			{alertYAML, "headline:", "text_no_source"},
			{alertYAML, "description:", "text_no_source"},
			{alertYAML, "instruction:", "text_no_source"},
		}},

		// regions
		{"region of the pack", nil, knowsNothing, nil},
		{"region unknown to the pack and the site", replace("regions: [north-hill]", "regions: [north-hill, atlantis]"), knowsNothing,
			[]alertWant{{alertYAML, "regions:", "alert_region_unknown"}}},
		{"region the site knows", replace("regions: [north-hill]", "regions: [north-hill, atlantis]"), func(o *content.Options) {
			o.KnownRegions = func(code string) bool { return code == "atlantis" }
		}, nil},
		{"regions not checked without KnownRegions", replace("regions: [north-hill]", "regions: [atlantis]"), nil, nil},
		{"region unknown, the pack without regions.yaml", func(t *testing.T, fsys fstest.MapFS) {
			delete(fsys, "regions.yaml")
		}, knowsNothing, []alertWant{{alertYAML, "regions:", "alert_region_unknown"}}},

		// lesson
		{"lesson of a pack course", nil, knowsNothing, nil},
		{"lesson missing from the pack course", replace("lesson: intro}", "lesson: outro}"), func(o *content.Options) {
			// The pack's course is what the import installs: the site's
			// revision does not count.
			o.KnownLesson = func(string, string) bool { return true }
		}, []alertWant{{alertYAML, "lesson:", "alert_lesson_unknown"}}},
		{"lesson of a course unknown to the pack and the site", replace("course: demo,", "course: ghost,"), knowsNothing,
			[]alertWant{{alertYAML, "lesson:", "alert_lesson_unknown"}}},
		{"lesson of a course the site has", replace("course: demo,", "course: ghost,"), func(o *content.Options) {
			o.KnownLesson = func(course, lesson string) bool { return course == "ghost" && lesson == "intro" }
		}, nil},
		{"lessons outside the pack not checked without KnownLesson", replace("course: demo,", "course: ghost,"), nil, nil},
		{"lesson without a course", replace("lesson: {course: demo, lesson: intro}", "lesson: {lesson: intro}"), nil,
			[]alertWant{{alertYAML, "lesson:", "alert_lesson_incomplete"}}},
		{"lesson of a pack course that has problems of its own", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, courseYAML, "pass_percent: 80", "pass_percent: 0")
			edit(t, fsys, alertYAML, "lesson: intro}", "lesson: outro}")
		}, knowsNothing, []alertWant{{courseYAML, "pass_percent: 0", "quiz_pass_percent"}}},
		{"no lesson", replace("lesson: {course: demo, lesson: intro}\n", ""), knowsNothing, nil},

		// references
		{"update without references", replace("msg_type: Alert", "msg_type: Update"), nil,
			[]alertWant{{alertYAML, "msg_type:", "alert_references_missing"}}},
		{"cancel with an empty list of references", replace("msg_type: Alert", "msg_type: Cancel\nreferences: []"), nil,
			[]alertWant{{alertYAML, "msg_type:", "alert_references_missing"}}},
		{"update with references", replace("msg_type: Alert", "msg_type: Update\nreferences: [demo-old, Other_1]"), nil, nil},
		{"alert with references", replace("msg_type: Alert", "msg_type: Alert\nreferences: [demo-old]"), nil, nil},
		{"reference that is not an identifier", replace("msg_type: Alert", "msg_type: Cancel\nreferences:\n  - demo-old\n  - \"sender,demo-old,2027\""), nil,
			[]alertWant{{alertYAML, `- "sender,demo-old,2027"`, "alert_references_format"}}},
		{"reference to itself", replace("msg_type: Alert", "msg_type: Update\nreferences: [demo-drill]"), nil,
			[]alertWant{{alertYAML, "references:", "alert_references_self"}}},

		// the file
		{"unknown field", replace("regions:", "colour: red\nregions:"), nil, []alertWant{{alertYAML, "colour: red", "yaml_decode"}}},
		{"sent without a zone (sent is an extension: PACK-EXTENSIONS.md)", replace("regions:", "sent: 2027-04-15 09:00\nregions:"), nil,
			[]alertWant{{alertYAML, "sent:", "alert_sent_format"}}},
		{"invalid YAML", replace("scope: Public", "scope: Public: yes"), nil, []alertWant{{alertYAML, "scope: Public: yes", "yaml_syntax"}}},
		{"blank file", func(t *testing.T, fsys fstest.MapFS) { fsys[alertYAML] = &fstest.MapFile{Data: []byte("  \n")} }, nil,
			[]alertWant{{alertYAML, "  ", "file_empty"}}},
		{"file of comments only", func(t *testing.T, fsys fstest.MapFS) { fsys[alertYAML] = &fstest.MapFile{Data: []byte("# later\n")} }, nil,
			[]alertWant{{alertYAML, "# later", "file_empty"}}},
		{"unreadable file", func(t *testing.T, fsys fstest.MapFS) {
			fsys["alerts/broken.yaml"] = &fstest.MapFile{Data: []byte("missing.yaml"), Mode: fs.ModeSymlink}
		}, nil, []alertWant{{"alerts/broken.yaml", "", "alert_unreadable"}}},
		{"other files in alerts/ are ignored", func(t *testing.T, fsys fstest.MapFS) {
			fsys["alerts/README.md"] = &fstest.MapFile{Data: []byte("# Alerts\n")}
			fsys["alerts/old/x.yaml"] = &fstest.MapFile{Data: []byte("not: an alert\n")}
		}, nil, nil},
		{"two problems in one alert", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, alertYAML, "severity: Moderate", "severity: Bad")
			edit(t, fsys, alertYAML, "effective: 2027-04-15T09:00:00+08:00", "effective: soon")
		}, nil, []alertWant{
			{alertYAML, "severity:", "alert_value_unknown"},
			{alertYAML, "effective:", "alert_effective_format"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := alertPack()
			if tt.breakPack != nil {
				tt.breakPack(t, fsys)
			}
			opts := content.Options{Locales: locales}
			if tt.opts != nil {
				tt.opts(&opts)
			}
			pack, err := content.Parse(fsys, opts)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Parse:\n%v", err)
				}
				if len(pack.Alerts) != 1 {
					t.Fatalf("alerts = %d, want 1", len(pack.Alerts))
				}
				return
			}
			if pack != nil {
				t.Error("Parse returned a pack along with problems")
			}
			var problems content.Problems
			if !errors.As(err, &problems) {
				t.Fatalf("Parse error = %v (%T), want content.Problems", err, err)
			}
			if len(problems) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(problems), len(tt.want), err)
			}
			for _, w := range tt.want {
				wantLine := 0
				if w.at != "" {
					wantLine = lineOf(t, fsys, w.file, w.at)
				}
				var match bool
				for _, p := range problems {
					if p.File == w.file && p.Line == wantLine && p.ID == w.id {
						match = true
					}
				}
				if !match {
					t.Errorf("no problem %s %s:%d; got:\n%v", w.id, w.file, wantLine, err)
				}
			}
			for _, p := range problems {
				checkProblem(t, b, known, p)
			}
		})
	}
}

func TestParse_Alert(t *testing.T) {
	pack, err := content.Parse(alertPack(), content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	if len(pack.Alerts) != 1 {
		t.Fatalf("alerts = %d, want 1", len(pack.Alerts))
	}
	a := pack.Alerts[0]
	tz := time.FixedZone("", 8*3600)
	want := app.Alert{
		Identifier: "demo-drill", SourceLocale: "en", Status: "Exercise", MsgType: "Alert", Scope: "Public",
		Categories: []string{"Safety", "Fire"}, Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
		Event: app.Text{"en": "Drill", "zh-Hans": "演练"}, Headline: app.Text{"en": "This is a drill", "zh-Hans": "这是演练"},
		Description: app.Text{"en": "Nothing to fear."}, Instruction: app.Text{"en": "Read the lesson."},
		Effective: time.Date(2027, 4, 15, 9, 0, 0, 0, tz), Expires: time.Date(2027, 4, 15, 18, 0, 0, 0, tz),
		Regions: []string{"north-hill"}, Lesson: &app.AlertLesson{Course: "demo", Lesson: "intro"},
	}
	if !a.Effective.Equal(want.Effective) || !a.Expires.Equal(want.Expires) {
		t.Errorf("window = %v – %v, want %v – %v", a.Effective, a.Expires, want.Effective, want.Expires)
	}
	if _, off := a.Effective.Zone(); off != 8*3600 {
		t.Errorf("effective zone offset = %d, want +08:00 kept", off)
	}
	a.Effective, a.Expires = want.Effective, want.Expires
	if !reflect.DeepEqual(a, want) {
		t.Errorf("alert =\n%#v\nwant\n%#v", a, want)
	}
	if a.State != "" || !a.Sent.IsZero() || a.References != nil {
		t.Errorf("state %q, sent %v, references %v: want none from a pack", a.State, a.Sent, a.References)
	}

	// Without regions, lesson, description or instruction; another source locale.
	fsys := alertPack()
	edit(t, fsys, alertYAML, "regions: [north-hill]\n", "")
	edit(t, fsys, alertYAML, "lesson: {course: demo, lesson: intro}\n", "")
	edit(t, fsys, alertYAML, "description:\n  en: \"Nothing to fear.\"\n", "")
	edit(t, fsys, alertYAML, "instruction:\n  en: \"Read the lesson.\"\n", "")
	edit(t, fsys, alertYAML, "status:", "source_locale: zh-Hans\nstatus:")
	edit(t, fsys, alertYAML, "effective: 2027-04-15T09:00:00+08:00", "effective: 2027-04-15T01:00:00+00:00")
	pack, err = content.Parse(fsys, content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	a = pack.Alerts[0]
	if a.Regions == nil || len(a.Regions) != 0 {
		t.Errorf("regions = %#v, want an empty slice (everyone)", a.Regions)
	}
	if a.Lesson != nil {
		t.Errorf("lesson = %+v, want nil", a.Lesson)
	}
	if a.Description == nil || len(a.Description) != 0 || a.Instruction == nil || len(a.Instruction) != 0 {
		t.Errorf("description %#v, instruction %#v: want empty texts", a.Description, a.Instruction)
	}
	if a.SourceLocale != "zh-Hans" {
		t.Errorf("source locale = %q, want zh-Hans", a.SourceLocale)
	}
	if a.Effective.Location() != time.UTC {
		t.Errorf("effective %v is in %v, want UTC for a +00:00 offset", a.Effective, a.Effective.Location())
	}
}

func TestParse_OnlyAlerts(t *testing.T) {
	alert := strings.Replace(validAlert, "regions: [north-hill]\nlesson: {course: demo, lesson: intro}\n", "regions: []\n", 1)
	fsys := fstest.MapFS{alertYAML: {Data: []byte(alert)}}
	pack, err := content.Parse(fsys, content.Options{Locales: locales,
		KnownRegions: func(string) bool { return false }, KnownLesson: func(string, string) bool { return false }})
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	if len(pack.Alerts) != 1 || len(pack.Courses) != 0 || len(pack.Campaigns) != 0 || len(pack.Regions) != 0 {
		t.Fatalf("pack = %d alerts, %d courses, %d campaigns, %d regions; want only the alert",
			len(pack.Alerts), len(pack.Courses), len(pack.Campaigns), len(pack.Regions))
	}
	if pack.Alerts[0].Identifier != "demo-drill" {
		t.Errorf("identifier = %q", pack.Alerts[0].Identifier)
	}
}

func TestParse_SeedDrillAlert(t *testing.T) {
	pack, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: locales,
		KnownRegions: func(string) bool { return false }, KnownLesson: func(string, string) bool { return false }})
	if err != nil {
		t.Fatalf("the seed pack has problems:\n%v", err)
	}
	if len(pack.Alerts) != 1 {
		t.Fatalf("alerts = %d, want 1 drill", len(pack.Alerts))
	}
	a := pack.Alerts[0]
	if a.Status != "Exercise" || a.MsgType != "Alert" || a.Scope != "Public" || len(a.Regions) != 0 {
		t.Errorf("drill = %s %s %s regions %v, want an Exercise Alert for everyone", a.Status, a.MsgType, a.Scope, a.Regions)
	}
	// The demo shows it: in force now, and long enough for the demo.
	a.State = app.AlertPublished
	if now := time.Now(); !a.Active(now) && now.Before(time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the drill is not active now (%v – %v)", a.Effective, a.Expires)
	}
	if a.Lesson == nil || a.Lesson.Course != "emergency-preparedness" || a.Lesson.Lesson != "warnings" {
		t.Errorf("lesson = %+v, want emergency-preparedness/warnings", a.Lesson)
	}
	for _, f := range a.AlertFields() {
		for _, loc := range locales {
			if strings.TrimSpace(f.Text[loc]) == "" {
				t.Errorf("%s: no %s text", f.Key, loc)
			}
		}
	}
	// Every language says that it is a drill, in the headline.
	drill := map[string]string{"en": "Drill", "zh-Hans": "演练", "es": "Simulacro", "fr": "Exercice", "ru": "Учения", "ar": "تمرين"}
	for loc, word := range drill {
		if !strings.Contains(a.Headline[loc], word) {
			t.Errorf("the %s headline %q does not say %q", loc, a.Headline[loc], word)
		}
	}
	if errs := app.ValidateAlert(&a); len(errs) > 0 {
		t.Errorf("ValidateAlert: %v", errs)
	}
}

// alertsPack holds alerts that exercise every optional field and time form,
// in the form and order (by file name) Parse returns them.
func alertsPack(t *testing.T) *app.Pack {
	t.Helper()
	return &app.Pack{
		Alerts: []app.Alert{
			{
				Identifier: "Flood-update-1", SourceLocale: "zh-Hans", Status: "Exercise", MsgType: "Update", Scope: "Public",
				Categories: []string{"Met"}, Urgency: "Expected", Severity: "Severe", Certainty: "Likely",
				Event: app.Text{"zh-Hans": "洪水"}, Headline: app.Text{"zh-Hans": "更新"}, Description: app.Text{}, Instruction: app.Text{},
				Effective: mustTime(t, "2027-04-15T10:00:00Z"), Expires: mustTime(t, "2027-04-17T00:00:00Z"),
				Regions: []string{}, References: []string{"flood_2027-04"}, AllClear: true,
			},
			{
				Identifier: "flood_2027-04", SourceLocale: "en", Status: "Actual", MsgType: "Alert", Scope: "Public",
				Categories: []string{"Met", "Geo"}, Urgency: "Immediate", Severity: "Extreme", Certainty: "Observed",
				Event:       app.Text{"en": "Flood: river", "ar": "فيضان", "zh-Hans": "洪水"},
				Headline:    app.Text{"en": "true", "zh-Hans": "--- 洪水"},
				Description: app.Text{"en": "multi\nline\n\n  text  \n"},
				Instruction: app.Text{"en": "- [x] {flow}: &anchor *alias !tag %pct @at `tick` |pipe >gt <b>&amp;"},
				Effective:   mustTime(t, "2027-04-15T09:00:00+08:00"), Expires: mustTime(t, "2027-04-16T12:30:00.5-05:30"),
				Regions: []string{"north", "south-harbour"}, Lesson: &app.AlertLesson{Course: "demo", Lesson: "2027"},
			},
		},
	}
}

func TestWrite_AlertsRoundTrip(t *testing.T) {
	pack := alertsPack(t)
	dir := filepath.Join(t.TempDir(), "pack")
	if err := content.Write(dir, pack); err != nil {
		t.Fatalf("Write: %v", err)
	}
	// Only alerts: the lesson's course is on the site.
	opts := content.Options{Locales: locales, KnownLesson: func(c, l string) bool { return c == "demo" && l == "2027" }}
	back, err := content.Parse(os.DirFS(dir), opts)
	if err != nil {
		t.Fatalf("Parse of the export:\n%v", err)
	}
	if !reflect.DeepEqual(pack, back) {
		t.Fatalf("export → parse changed the pack:\nwant %#v\ngot  %#v", pack.Alerts, back.Alerts)
	}
	second := filepath.Join(t.TempDir(), "again")
	if err := content.Write(second, back); err != nil {
		t.Fatalf("Write: %v", err)
	}
	sameTree(t, readTree(t, dir), readTree(t, second))
	files := readTree(t, dir)
	if len(files) != 2 {
		t.Errorf("export wrote %d files, want the 2 alerts", len(files))
	}
	upd := string(files["alerts/Flood-update-1.yaml"])
	for _, want := range []string{"effective: 2027-04-15T10:00:00+00:00\n", "references: [flood_2027-04]\n", "regions: []\n", "all_clear: true\n"} {
		if !strings.Contains(upd, want) {
			t.Errorf("the update lacks %q:\n%s", want, upd)
		}
	}
	for _, absent := range []string{"description:", "instruction:", "lesson:", "sent:", "state:"} {
		if strings.Contains(upd, absent) {
			t.Errorf("the update has %s, which it leaves empty or the site owns:\n%s", absent, upd)
		}
	}
}

func TestWrite_SeedAlertRoundTrip(t *testing.T) {
	seed, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse seed: %v", err)
	}
	back, first := writeParse(t, seed)
	if !reflect.DeepEqual(seed.Alerts, back.Alerts) {
		t.Fatalf("export → parse changed the alerts:\nseed %#v\nback %#v", seed.Alerts, back.Alerts)
	}
	_, second := writeParse(t, back)
	a, b := readTree(t, first), readTree(t, second)
	if _, ok := a["alerts/drill-2026-emergency-warnings.yaml"]; !ok {
		t.Fatal("the export lacks the drill alert")
	}
	sameTree(t, a, b)
}

// TestWrite_AlertFormat pins the documented layout and key order of an
// alert file.
func TestWrite_AlertFormat(t *testing.T) {
	tz := time.FixedZone("", 8*3600)
	pack := &app.Pack{Alerts: []app.Alert{{
		Identifier: "drill-2027-04-15", SourceLocale: "en", Status: "Exercise", MsgType: "Update", Scope: "Public",
		Categories: []string{"Security"}, Urgency: "Expected", Severity: "Severe", Certainty: "Likely",
		Event: app.Text{"zh-Hans": "演练", "en": "Drill"}, Headline: app.Text{"en": "Drill today"},
		Description: app.Text{"en": "What happens."}, Instruction: app.Text{"en": "What to do."},
		Effective: time.Date(2027, 4, 15, 9, 0, 0, 0, tz), Expires: time.Date(2027, 4, 15, 18, 0, 0, 0, tz),
		Regions: []string{"north"}, Lesson: &app.AlertLesson{Course: "emergency-preparedness", Lesson: "warnings"},
		References: []string{"drill-2027-04-14"},
		// The site's own fields are not written, but the sent time is
		// (an extension, so that references stay valid on a moved site).
		ID: 7, State: app.AlertPublished, Sent: time.Date(2027, 4, 15, 1, 2, 3, 0, time.UTC), SupersededBy: "x", AuthorID: 3,
	}}}
	want := `identifier: drill-2027-04-15
source_locale: en
status: Exercise
msg_type: Update
scope: Public
category: [Security]
urgency: Expected
severity: Severe
certainty: Likely
event:
  en: Drill
  zh-Hans: 演练
headline:
  en: Drill today
description:
  en: What happens.
instruction:
  en: What to do.
effective: 2027-04-15T09:00:00+08:00
expires: 2027-04-15T18:00:00+08:00
regions: [north]
lesson: {course: emergency-preparedness, lesson: warnings}
references: [drill-2027-04-14]
sent: 2027-04-15T01:02:03+00:00
`
	got := map[string]string{}
	if err := content.Export(pack, func(name string, data []byte) error { got[name] = string(data); return nil }); err != nil {
		t.Fatalf("Export: %v", err)
	}
	if len(got) != 1 || got["alerts/drill-2027-04-15.yaml"] != want {
		t.Errorf("export =\n%v\nwant alerts/drill-2027-04-15.yaml =\n%s", got, want)
	}
}

func TestWrite_RefusesAlerts(t *testing.T) {
	tests := []struct {
		name string
		pack app.Pack
		want string
	}{
		{"identifier with a path", app.Pack{Alerts: []app.Alert{{Identifier: "../evil"}}}, `export alert "../evil": the identifier must be`},
		{"identifier with a dot", app.Pack{Alerts: []app.Alert{{Identifier: "a.b"}}}, `export alert "a.b"`},
		{"empty identifier", app.Pack{Alerts: []app.Alert{{}}}, `export alert ""`},
		{"identifier used twice", app.Pack{Alerts: []app.Alert{{Identifier: "a"}, {Identifier: "a"}}}, "export alert a: the identifier is used twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			err := content.Write(dir, &tt.pack)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write error = %v, want one containing %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Write created %s for a refused pack (stat: %v)", dir, err)
			}
		})
	}
}
