package cap_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/cap"
)

// TestDocument_ValidatesAgainstSchema writes every kind of CAP document
// the site can produce and validates each against the OASIS schema.
func TestDocument_ValidatesAgainstSchema(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		shanghai = time.FixedZone("CST", 8*3600)
	}
	orig := newAlert("storm-2026", "Actual", "Alert")
	update := newAlert("storm-2026-update-1", "Actual", "Update", "north", "south-east")
	update.References = []string{orig.Identifier}
	update2 := newAlert("storm-2026-update-2", "Actual", "Update", "north")
	update2.References = []string{orig.Identifier, update.Identifier}
	update2.Sent = sent.Add(2 * time.Hour)
	cancel := newAlert("storm-2026-cancel", "Actual", "Cancel")
	cancel.References = []string{update2.Identifier}

	type tc struct {
		name string
		a    *app.Alert
		refs []*app.Alert
		o    cap.Options
	}
	cases := []tc{
		{"actual-alert-everyone", orig, nil, options()},
		{"exercise-alert-regions", newAlert("drill-1", "Exercise", "Alert", "north", "north-hill"), nil, options()},
		{"update-one-ref", update, []*app.Alert{orig}, options()},
		{"update-two-refs", update2, []*app.Alert{orig, update}, options()},
		{"cancel", cancel, []*app.Alert{update2}, options()},
		{"bare-options", orig, nil, cap.Options{Sender: "beacon@localhost"}},
	}
	for _, status := range app.AlertStatuses {
		cases = append(cases, tc{"status-" + status, newAlert("s-"+status, status, "Alert"), nil, options()})
	}
	for _, scope := range app.AlertScopes {
		a := newAlert("scope-"+scope, "Actual", "Alert")
		a.Scope = scope
		cases = append(cases, tc{"scope-" + scope, a, nil, options()})
	}
	{
		a := newAlert("all-enums", "Actual", "Alert", "r1")
		a.Categories = app.AlertCategories
		cases = append(cases, tc{"all-categories", a, nil, options()})
		for i := range app.AlertSeverities {
			b := *a
			b.Identifier = "enum-" + app.AlertSeverities[i]
			b.Severity = app.AlertSeverities[i]
			b.Urgency = app.AlertUrgencies[i]
			b.Certainty = app.AlertCertainties[i]
			cases = append(cases, tc{b.Identifier, &b, nil, options()})
		}
	}
	{
		a := newAlert("source-only", "Actual", "Alert")
		a.Event, a.Headline = app.Text{"fr": "Tempête"}, app.Text{"fr": "Alerte tempête"}
		a.Description, a.Instruction = nil, nil
		a.SourceLocale = "fr"
		cases = append(cases, tc{"one-language-no-optional-text", a, nil, options()})
	}
	{
		a := newAlert("shanghai", "Actual", "Update", "east")
		a.Sent, a.Effective, a.Expires = sent.In(shanghai), a.Effective.In(shanghai), a.Expires.In(shanghai)
		ref := newAlert("shanghai-0", "Actual", "Alert")
		ref.Sent = sent.Add(-time.Hour).In(time.FixedZone("", -5*3600))
		cases = append(cases, tc{"zoned-times", a, []*app.Alert{ref}, options()})
	}
	{
		a := newAlert("control-chars", "Actual", "Alert")
		a.Headline["en"] = "bell\a nul\x00 vt\v esc\x1b ffff\uffff end"
		cases = append(cases, tc{"control-characters", a, nil, options()})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := cap.Document(c.a, c.refs, c.o)
			if err != nil {
				t.Fatal(err)
			}
			mustValidateCAP(t, c.name, doc)
			mustNotContainMarkup(t, doc)
			d := parseCAP(t, doc)
			if d.XMLName.Space != cap.Namespace || d.XMLName.Local != "alert" {
				t.Errorf("root = %v", d.XMLName)
			}
			if d.Identifier != c.a.Identifier || d.Status != c.a.Status || d.MsgType != c.a.MsgType || d.Scope != c.a.Scope {
				t.Errorf("header = %q %q %q %q", d.Identifier, d.Status, d.MsgType, d.Scope)
			}
			if len(d.Info) != len(c.a.AlertLocales()) {
				t.Errorf("%d <info>, want %d", len(d.Info), len(c.a.AlertLocales()))
			}
		})
	}
}

// TestDocument_Fields checks what goes where: header, references, one
// <info> per language in order, fallbacks, times, areas.
func TestDocument_Fields(t *testing.T) {
	orig := newAlert("flood-1", "Actual", "Alert")
	upd := newAlert("flood-1-update-1", "Actual", "Update")
	upd.Sent = sent.Add(90 * time.Minute)
	a := newAlert("flood-1-update-2", "Exercise", "Update", "north", "south")
	a.Sent = sent.Add(3 * time.Hour)
	a.References = []string{orig.Identifier, upd.Identifier}

	doc, err := cap.Document(a, []*app.Alert{orig, upd}, options())
	if err != nil {
		t.Fatal(err)
	}
	mustValidateCAP(t, "fields", doc)
	d := parseCAP(t, doc)

	want := map[string]string{
		"identifier": "flood-1-update-2", "sender": "beacon@beacon.example",
		"sent": "2026-03-14T12:26:53-00:00", "status": "Exercise", "msgType": "Update", "scope": "Public",
		"references": "beacon@beacon.example,flood-1,2026-03-14T09:26:53-00:00 beacon@beacon.example,flood-1-update-1,2026-03-14T10:56:53-00:00",
	}
	got := map[string]string{
		"identifier": d.Identifier, "sender": d.Sender, "sent": d.Sent, "status": d.Status,
		"msgType": d.MsgType, "scope": d.Scope, "references": d.References,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("header:\n got %v\nwant %v", got, want)
	}
	if d.Note != "" {
		t.Errorf("note = %q, want none", d.Note)
	}

	var langs []string
	for _, in := range d.Info {
		langs = append(langs, in.Language)
	}
	if want := []string{"en", "ar", "zh-Hans"}; !reflect.DeepEqual(langs, want) {
		t.Fatalf("info languages = %v, want %v (source first)", langs, want)
	}
	for _, in := range d.Info {
		l := in.Language
		if !reflect.DeepEqual(in.Category, []string{"Met", "Safety"}) {
			t.Errorf("%s: category = %v", l, in.Category)
		}
		if in.Event != a.Event[l] || in.Headline != a.Headline[l] {
			t.Errorf("%s: event/headline = %q / %q", l, in.Event, in.Headline)
		}
		if in.Urgency != "Immediate" || in.Severity != "Severe" || in.Certainty != "Likely" {
			t.Errorf("%s: urgency/severity/certainty = %s/%s/%s", l, in.Urgency, in.Severity, in.Certainty)
		}
		if in.Effective != "2026-03-14T08:26:53-00:00" || in.Expires != "2026-03-16T09:26:53-00:00" {
			t.Errorf("%s: effective/expires = %s / %s", l, in.Effective, in.Expires)
		}
		if in.SenderName != h("sender", l) {
			t.Errorf("%s: senderName = %q", l, in.SenderName)
		}
		if want := "https://beacon.example/" + l + "/alerts/flood-1-update-2?from=cap&x=%3Cscript%3E"; in.Web != want {
			t.Errorf("%s: web = %q, want %q", l, in.Web, want)
		}
		if len(in.Area) != 2 {
			t.Fatalf("%s: %d areas, want 2", l, len(in.Area))
		}
		for i, code := range []string{"north", "south"} {
			ar := in.Area[i]
			if ar.AreaDesc != h("area:"+code, l) || len(ar.Geocode) != 1 ||
				ar.Geocode[0].ValueName != cap.RegionValueName || ar.Geocode[0].Value != code {
				t.Errorf("%s: area %d = %+v", l, i, ar)
			}
		}
	}
	// Fallbacks: ar has neither description nor instruction, zh-Hans no
	// instruction: they come from the source locale (en).
	en, ar, zh := d.Info[0], d.Info[1], d.Info[2]
	if en.Description != a.Description["en"] || en.Instruction != a.Instruction["en"] {
		t.Errorf("en description/instruction = %q / %q", en.Description, en.Instruction)
	}
	if ar.Description != a.Description["en"] || ar.Instruction != a.Instruction["en"] {
		t.Errorf("ar should fall back to en: %q / %q", ar.Description, ar.Instruction)
	}
	if zh.Description != a.Description["zh-Hans"] || zh.Instruction != a.Instruction["en"] {
		t.Errorf("zh-Hans description/instruction = %q / %q", zh.Description, zh.Instruction)
	}
}

// TestDocument_Everyone: an alert without regions has one <area> naming
// the whole audience, in each language, without a geocode.
func TestDocument_Everyone(t *testing.T) {
	a := newAlert("heat-1", "Actual", "Alert")
	doc, err := cap.Document(a, nil, options())
	if err != nil {
		t.Fatal(err)
	}
	mustValidateCAP(t, "everyone", doc)
	d := parseCAP(t, doc)
	if d.References != "" || strings.Contains(string(doc), "<references") {
		t.Errorf("an alert without refs has <references>: %q", d.References)
	}
	for _, in := range d.Info {
		if len(in.Area) != 1 || in.Area[0].AreaDesc != h("everyone", in.Language) || len(in.Area[0].Geocode) != 0 {
			t.Errorf("%s: areas = %+v", in.Language, in.Area)
		}
	}
	// Without names for the audience or regions: no <area> at all for
	// everyone (the schema allows none), region codes for regions.
	o := options()
	o.Everyone, o.AreaName, o.SenderName, o.Web = nil, nil, nil, nil
	doc, err = cap.Document(a, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	mustValidateCAP(t, "everyone-bare", doc)
	for _, bad := range []string{"<area", "<senderName", "<web"} {
		if strings.Contains(string(doc), bad) {
			t.Errorf("bare options wrote %s:\n%s", bad, doc)
		}
	}
	a.Regions = []string{"r-1"}
	doc, err = cap.Document(a, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	mustValidateCAP(t, "region-bare", doc)
	if d := parseCAP(t, doc); d.Info[0].Area[0].AreaDesc != "r-1" {
		t.Errorf("areaDesc without names = %q, want the code", d.Info[0].Area[0].AreaDesc)
	}
}

// TestDocument_HostileTextRoundTrips: every text field decodes back to
// exactly what was written, never as markup.
func TestDocument_HostileTextRoundTrips(t *testing.T) {
	a := newAlert("xss-1", "Actual", "Alert", hostile)
	a.Description["ar"] = h("description", "ar")
	a.Instruction["ar"] = h("instruction", "ar")
	a.Instruction["zh-Hans"] = h("instruction", "zh-Hans")
	doc, err := cap.Document(a, nil, options())
	if err != nil {
		t.Fatal(err)
	}
	mustValidateCAP(t, "hostile", doc)
	mustNotContainMarkup(t, doc)
	d := parseCAP(t, doc)
	for _, in := range d.Info {
		l := in.Language
		for _, f := range []struct{ name, got, want string }{
			{"event", in.Event, a.Event[l]},
			{"headline", in.Headline, a.Headline[l]},
			{"description", in.Description, a.Description[l]},
			{"instruction", in.Instruction, a.Instruction[l]},
			{"senderName", in.SenderName, h("sender", l)},
			{"areaDesc", in.Area[0].AreaDesc, h("area:"+hostile, l)},
			{"geocode", in.Area[0].Geocode[0].Value, hostile},
		} {
			if f.got != f.want {
				t.Errorf("%s %s = %q, want %q", l, f.name, f.got, f.want)
			}
			if !strings.Contains(f.got, "<script>") {
				t.Errorf("%s %s lost the hostile text: %q", l, f.name, f.got)
			}
		}
	}
}

// TestDocument_Errors: Document refuses what would not be a valid CAP
// message instead of writing it.
func TestDocument_Errors(t *testing.T) {
	cases := map[string]func(a *app.Alert, refs *[]*app.Alert, o *cap.Options){
		"unsent":           func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.Sent = time.Time{} },
		"bad status":       func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.Status = "Actual<x>" },
		"bad msg type":     func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.MsgType = "Ack" },
		"no category":      func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.Categories = nil },
		"bad identifier":   func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.Identifier = "a b,c" },
		"no headline":      func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.Headline["en"] = " " },
		"expires first":    func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.Expires = a.Effective },
		"bad locale":       func(a *app.Alert, _ *[]*app.Alert, _ *cap.Options) { a.Headline["en US"] = "x" },
		"no sender":        func(_ *app.Alert, _ *[]*app.Alert, o *cap.Options) { o.Sender = "" },
		"sender comma":     func(_ *app.Alert, _ *[]*app.Alert, o *cap.Options) { o.Sender = "a,b" },
		"sender space":     func(_ *app.Alert, _ *[]*app.Alert, o *cap.Options) { o.Sender = "a b" },
		"unsent reference": func(_ *app.Alert, refs *[]*app.Alert, _ *cap.Options) { (*refs)[0].Sent = time.Time{} },
		"nil reference":    func(_ *app.Alert, refs *[]*app.Alert, _ *cap.Options) { (*refs)[0] = nil },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			a := newAlert("err-1", "Actual", "Update")
			refs := []*app.Alert{newAlert("err-0", "Actual", "Alert")}
			o := options()
			spoil(a, &refs, &o)
			doc, err := cap.Document(a, refs, o)
			if err == nil {
				t.Fatalf("no error; wrote:\n%s", doc)
			}
			if doc != nil {
				t.Errorf("wrote a document with the error %v", err)
			}
		})
	}
	if _, err := cap.Document(nil, nil, options()); err == nil {
		t.Error("nil alert: no error")
	}
	var fe app.FieldErrors
	_, err := cap.Document(newAlert("bad", "Nope", "Alert"), nil, options())
	if !errors.As(err, &fe) || fe.For("status") == "" {
		t.Errorf("invalid alert: error %v does not carry the field errors", err)
	}
}
