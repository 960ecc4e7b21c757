package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/PuerkitoBio/goquery"
)

// adminAlertValidForm is a form every check accepts, for the given identifier.
func adminAlertValidForm(id string) url.Values {
	return url.Values{"identifier": {id}, "source_locale": {"en"}, "status": {"Actual"}, "scope": {"Public"},
		"category": {"Met", "Safety"}, "urgency": {"Immediate"}, "severity": {"Severe"}, "certainty": {"Likely"},
		"event": {"Flooding"}, "headline": {"Flood warning for the North District"},
		"description": {"The river is rising.\nIt may flood low streets tonight."}, "instruction": {"Move to higher ground.\nDo not drive through water."},
		"time_zone": {"Europe/Paris"}, "effective": {"2027-01-10T08:00"}, "expires": {"2027-01-11T08:00"},
		"regions": {"north"}, "lesson": {"emergency-preparedness/warnings"}}
}

// adminAlertCreate creates an alert through the new-alert form as c and
// returns it from the store.
func adminAlertCreate(t *testing.T, srv *testServer, c *client, fields url.Values) *app.Alert {
	t.Helper()
	page := c.get("/en/admin/alerts/new")
	c.mustStatus(page, 200)
	r := c.postForm(page, "/en/admin/alerts/new", fields)
	c.mustStatus(r, 303)
	id := fields.Get("identifier")
	if r.Location != "/en/admin/alerts/"+id {
		t.Fatalf("created alert redirects to %q", r.Location)
	}
	a, err := srv.Store.FindAlert(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// adminAlertAudit lists the audit actions on one alert, oldest first.
func adminAlertAudit(t *testing.T, srv *testServer, id string) []string {
	t.Helper()
	entries, err := srv.Store.Audit(context.Background(), store.AuditFilter{ObjectType: "alert", ObjectID: id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func adminAlertHas(actions []string, want string) bool {
	for _, a := range actions {
		if a == want {
			return true
		}
	}
	return false
}

// adminAlertAction reports whether the page holds a POST form for the alert action.
func adminAlertAction(r *response, id, action string) bool {
	return r.Doc.Find(`form[method="post"][action="/en/admin/alerts/`+id+`/`+action+`"]`).Length() > 0
}

func TestAdminAlerts_NewFormDefaults(t *testing.T) {
	srv := MustOpenServer(t)
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	for _, lang := range []string{"en", "fr"} {
		page := org.get("/" + lang + "/admin/alerts/new")
		org.mustStatus(page, 200)
		id := page.Doc.Find("input#identifier").AttrOr("value", "")
		if !regexp.MustCompile(`^alert-[0-9]{8}-[0-9a-f]{4}$`).MatchString(id) {
			t.Errorf("suggested identifier %q", id)
		}
		if got := page.Doc.Find("select#source_locale option[selected]").AttrOr("value", ""); got != lang {
			t.Errorf("source locale %q, want the page's %q", got, lang)
		}
		for _, sel := range []string{"#status-Actual", "#scope-Public"} {
			if !page.Doc.Find(sel).Is("[checked]") {
				t.Errorf("%s not checked by default", sel)
			}
		}
		if got := page.Doc.Find("select#time_zone option[selected]").AttrOr("value", ""); got != "UTC" {
			t.Errorf("zone %q, want the site zone UTC", got)
		}
		eff, err1 := time.Parse("2006-01-02T15:04", page.Doc.Find("#effective").AttrOr("value", ""))
		exp, err2 := time.Parse("2006-01-02T15:04", page.Doc.Find("#expires").AttrOr("value", ""))
		if err1 != nil || err2 != nil || exp.Sub(eff) != 24*time.Hour || time.Since(eff) > time.Hour || time.Since(eff) < -time.Minute {
			t.Errorf("effective %v expires %v: want now and a day later", eff, exp)
		}
		if page.Doc.Find(`select#lesson option[value="emergency-preparedness/warnings"]`).Length() != 1 {
			t.Error("the lesson list lacks emergency-preparedness/warnings")
		}
		if page.Doc.Find(`input[name=regions][value=north-hillside]`).Length() != 1 {
			t.Error("the region tree lacks north-hillside")
		}
	}
}

func TestAdminAlerts_CreateEveryFieldWrong(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	before, err := srv.Store.AdminAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page := org.get("/en/admin/alerts/new")
	bad := url.Values{"identifier": {"bad id!"}, "source_locale": {"xx"}, "status": {"Bogus"}, "scope": {"Everyone"},
		"category": {"Weather"}, "urgency": {"Now"}, "severity": {"Huge"}, "certainty": {"Sure"},
		"event": {strings.Repeat("e", 201)}, "headline": {""}, "description": {"bad\x01control"}, "instruction": {strings.Repeat("i", 5001)},
		"time_zone": {"Mars/Olympus"}, "effective": {"tomorrow"}, "expires": {"2027-13-45T99:99"},
		"regions": {"atlantis"}, "lesson": {"no-course/no-lesson"}}
	r := org.postForm(page, "/en/admin/alerts/new", bad)
	org.mustStatus(r, 422)
	l := srv.Bundle.Localizer("en")
	summary := r.Doc.Find(".error-summary")
	want := map[string]string{"identifier": "admin.alerts.error.identifier", "source_locale": "admin.alerts.error.source_locale",
		"status": "admin.alerts.error.status", "scope": "admin.alerts.error.scope", "category": "admin.alerts.error.category",
		"urgency": "admin.alerts.error.urgency", "severity": "admin.alerts.error.severity", "certainty": "admin.alerts.error.certainty",
		"event": "admin.alerts.error.event_long", "headline": "admin.alerts.error.headline", "description": "admin.alerts.error.text_invalid",
		"instruction": "admin.alerts.error.instruction_long", "time_zone": "admin.alerts.error.time_zone",
		"effective": "admin.alerts.error.effective", "expires": "admin.alerts.error.expires",
		"regions": "admin.alerts.error.regions", "lesson": "admin.alerts.error.lesson"}
	for field, id := range want {
		link := summary.Find(`a[href="#` + field + `"]`)
		if link.Length() != 1 || strings.TrimSpace(link.Text()) != l.T(id, nil) {
			t.Errorf("summary for %s: %q, want %q", field, link.Text(), l.T(id, nil))
		}
		if r.Doc.Find("#"+field).Length() != 1 {
			t.Errorf("the summary links #%s, which the page lacks", field)
		}
	}
	if n := summary.Find("li").Length(); n != len(want) {
		t.Errorf("%d errors in the summary, want %d", n, len(want))
	}
	if r.Doc.Find(".field-has-error").Length() < len(want) {
		t.Errorf("only %d fields marked in error", r.Doc.Find(".field-has-error").Length())
	}
	// The form keeps what was typed.
	if got := r.Doc.Find("#identifier").AttrOr("value", ""); got != "bad id!" {
		t.Errorf("identifier shown back as %q", got)
	}
	after, err := srv.Store.AdminAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("%d alerts after a refused form, want %d", len(after), len(before))
	}
	if entries, _ := srv.Store.Audit(ctx, store.AuditFilter{ObjectType: "alert", Actor: "org@alerts.example.org"}); len(entries) != 0 {
		t.Errorf("audit entries written for a refused form: %v", entries)
	}

	// An identifier already in use, and the reserved "new".
	srv.Store.SetSetting(ctx, "four_eyes", "off")
	adminAlertCreate(t, srv, org, adminAlertValidForm("flood-1"))
	for _, id := range []string{"flood-1", "new"} {
		r = org.postForm(org.get("/en/admin/alerts/new"), "/en/admin/alerts/new", adminAlertValidForm(id))
		org.mustStatus(r, 422)
		if got := text(r, `.error-summary a[href="#identifier"]`); got != l.T("admin.alerts.error.identifier_taken", nil) {
			t.Errorf("%s: %q", id, got)
		}
	}
}

func TestAdminAlerts_CreateShowEdit(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	a := adminAlertCreate(t, srv, org, adminAlertValidForm("flood-north-1"))
	switch {
	case a.State != app.AlertDraft || a.MsgType != "Alert" || a.Status != "Actual" || a.Scope != "Public":
		t.Errorf("stored %s %s %s %s", a.State, a.MsgType, a.Status, a.Scope)
	case strings.Join(a.Categories, ",") != "Met,Safety" || a.Urgency != "Immediate" || a.Severity != "Severe" || a.Certainty != "Likely":
		t.Errorf("stored %v %s %s %s", a.Categories, a.Urgency, a.Severity, a.Certainty)
	case a.Event["en"] != "Flooding" || a.Headline["en"] != "Flood warning for the North District" ||
		a.Description["en"] != "The river is rising.\nIt may flood low streets tonight." || a.Instruction["en"] != "Move to higher ground.\nDo not drive through water.":
		t.Errorf("stored texts %v %v %q %q", a.Event, a.Headline, a.Description, a.Instruction)
	case strings.Join(a.Regions, ",") != "north" || a.Lesson == nil || *a.Lesson != (app.AlertLesson{Course: "emergency-preparedness", Lesson: "warnings"}):
		t.Errorf("stored regions %v lesson %v", a.Regions, a.Lesson)
	}
	// Paris is at UTC+01:00 in January: the alert keeps that offset.
	if got := a.Effective.Format(time.RFC3339); got != "2027-01-10T08:00:00+01:00" {
		t.Errorf("effective %s", got)
	}
	if !a.Expires.Equal(time.Date(2027, 1, 11, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("expires %s", a.Expires)
	}
	if got := adminAlertAudit(t, srv, a.Identifier); len(got) != 1 || got[0] != "alert:create" {
		t.Errorf("audit %v", got)
	}

	// The alert's page: every field, its state, no CAP link before publication.
	show := org.get("/en/admin/alerts/flood-north-1")
	org.mustStatus(show, 200)
	if !strings.Contains(show.Body, srv.Bundle.Localizer("en").T("admin.alerts.created", nil)) {
		t.Error("no flash after creating the alert")
	}
	if got := text(show, "main h1"); got != "Flood warning for the North District" {
		t.Errorf("h1 %q", got)
	}
	l := srv.Bundle.Localizer("en")
	for sel, want := range map[string]string{".alert-phase": l.T("admin.alerts.phase.draft", nil), ".alert-event": "Flooding",
		".alert-instruction": "Move to higher ground.\nDo not drive through water."} {
		if got := strings.TrimSpace(show.Doc.Find(sel).First().Text()); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := text(show, ".alert-lesson a"); !strings.Contains(got, " — ") {
		t.Errorf("lesson named %q, want Course — Lesson", got)
	}
	if href := show.Doc.Find(".alert-lesson a").AttrOr("href", ""); href != "/en/courses/emergency-preparedness/lessons/warnings" {
		t.Errorf("lesson link %q", href)
	}
	if show.Doc.Find(".alert-cap-link").Length() != 0 {
		t.Error("a draft shows a CAP link")
	}
	if !strings.Contains(show.Doc.Find(".alert-summary").Text(), "North District") {
		t.Error("the region's name is missing")
	}
	for _, loc := range []string{"ar", "es", "fr", "ru", "zh-Hans"} {
		if show.Doc.Find(`a[href="/en/admin/alerts/flood-north-1/translate/`+loc+`"]`).Length() != 1 {
			t.Errorf("no translate link for %s", loc)
		}
	}
	if !adminAlertAction(show, a.Identifier, "submit") || adminAlertAction(show, a.Identifier, "publish") || !adminAlertAction(show, a.Identifier, "delete") {
		t.Error("a draft under four-eyes offers submit and delete, not publish")
	}
	list := org.get("/en/admin/alerts")
	org.mustStatus(list, 200)
	if list.Doc.Find(`#group-work ~ table tr[data-identifier="flood-north-1"]`).Length() != 1 {
		t.Error("the draft is not listed under the work in progress")
	}

	// Edit: the form comes back filled; the offset that is not the site's
	// zone is kept as a fixed offset.
	edit := org.get("/en/admin/alerts/flood-north-1/edit")
	org.mustStatus(edit, 200)
	if got := edit.Doc.Find("select#time_zone option[selected]").AttrOr("value", "x"); got != "" {
		t.Errorf("zone %q, want the fixed offset", got)
	}
	if edit.Doc.Find("#effective").AttrOr("value", "") != "2027-01-10T08:00" || edit.Doc.Find("#headline").AttrOr("value", "") != a.Headline["en"] ||
		!edit.Doc.Find("#category-Met").Is("[checked]") || !edit.Doc.Find("#severity-Severe").Is("[checked]") ||
		!edit.Doc.Find("#region-north").Is("[checked]") || edit.Doc.Find("#identifier").Length() != 0 {
		t.Error("the edit form is not filled from the alert")
	}
	r := org.postForm(edit, "/en/admin/alerts/flood-north-1/edit", url.Values{"headline": {"Flood warning: North District"},
		"severity": {"Extreme"}, "regions": {"north-hillside", "south"}, "lesson": {""}})
	org.mustStatus(r, 303)
	a, _ = srv.Store.FindAlert(ctx, "flood-north-1")
	if a.Headline["en"] != "Flood warning: North District" || a.Severity != "Extreme" || strings.Join(a.Regions, ",") != "north-hillside,south" ||
		a.Lesson != nil || a.Effective.Format(time.RFC3339) != "2027-01-10T08:00:00+01:00" {
		t.Errorf("after edit: %v %s %v %v %s", a.Headline, a.Severity, a.Regions, a.Lesson, a.Effective)
	}
	if got := adminAlertAudit(t, srv, a.Identifier); !adminAlertHas(got, "alert:update") {
		t.Errorf("audit %v", got)
	}
	// A bad edit changes nothing.
	r = org.postForm(org.get("/en/admin/alerts/flood-north-1/edit"), "/en/admin/alerts/flood-north-1/edit",
		url.Values{"headline": {""}, "expires": {"2027-01-09T08:00"}})
	org.mustStatus(r, 422)
	if b, _ := srv.Store.FindAlert(ctx, "flood-north-1"); b.Headline["en"] != a.Headline["en"] || !b.Expires.Equal(a.Expires) {
		t.Error("a refused edit changed the alert")
	}
}

func TestAdminAlerts_Translate(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	adminAlertCreate(t, srv, org, adminAlertValidForm("flood-2"))

	page := org.get("/en/admin/alerts/flood-2/translate/fr")
	org.mustStatus(page, 200)
	if got := page.Doc.Find(`.source-text[lang="en"]`).Length(); got != 4 {
		t.Errorf("%d source texts, want 4", got)
	}
	if page.Doc.Find(`input#headline[lang="fr"]`).Length() != 1 || page.Doc.Find(`textarea#instruction[lang="fr"]`).Length() != 1 {
		t.Error("no French fields")
	}
	r := org.postForm(page, "/en/admin/alerts/flood-2/translate/fr", url.Values{"event": {"Inondations"},
		"headline": {"Alerte inondation dans le district Nord"}, "description": {"La rivière monte."}, "instruction": {"Montez en hauteur.\r\nN’empruntez pas les routes inondées."}})
	org.mustStatus(r, 303)

	// Arabic, from the Arabic admin pages: the headline alone.
	page = org.get("/ar/admin/alerts/flood-2/translate/ar")
	org.mustStatus(page, 200)
	if page.Doc.Find("html").AttrOr("dir", "") != "rtl" {
		t.Error("the Arabic page is not right to left")
	}
	r = org.postForm(page, "/ar/admin/alerts/flood-2/translate/ar", url.Values{"headline": {"تحذير من الفيضانات في المنطقة الشمالية"}})
	org.mustStatus(r, 303)

	a, _ := srv.Store.FindAlert(ctx, "flood-2")
	if a.Event["fr"] != "Inondations" || a.Instruction["fr"] != "Montez en hauteur.\nN’empruntez pas les routes inondées." ||
		a.Headline["ar"] != "تحذير من الفيضانات في المنطقة الشمالية" || a.Event["ar"] != "" || a.Headline["en"] != "Flood warning for the North District" {
		t.Errorf("translations stored: %v %v %v", a.Event, a.Headline, a.Instruction)
	}
	if got := adminAlertAudit(t, srv, "flood-2"); !adminAlertHas(got, "alert:translate:fr") || !adminAlertHas(got, "alert:translate:ar") {
		t.Errorf("audit %v", got)
	}
	show := org.get("/en/admin/alerts/flood-2")
	l := srv.Bundle.Localizer("en")
	for loc, want := range map[string]string{"en": "admin.alerts.translation.source", "fr": "admin.alerts.translation.complete",
		"ar": "admin.alerts.translation.partial", "es": "admin.alerts.translation.missing"} {
		if got := strings.TrimSpace(show.Doc.Find(`tr[data-locale="` + loc + `"] .tag`).Text()); got != l.T(want, nil) {
			t.Errorf("%s: %q, want %q", loc, got, l.T(want, nil))
		}
	}

	// A translation without its headline is refused; the source language
	// and a disabled one have no translation page.
	r = org.postForm(org.get("/en/admin/alerts/flood-2/translate/es"), "/en/admin/alerts/flood-2/translate/es",
		url.Values{"description": {"El río crece."}})
	org.mustStatus(r, 422)
	if got := text(r, `.error-summary a[href="#headline"]`); got != l.T("admin.alerts.error.headline", nil) {
		t.Errorf("summary %q", got)
	}
	if b, _ := srv.Store.FindAlert(ctx, "flood-2"); b.Description["es"] != "" {
		t.Error("a refused translation was stored")
	}
	org.mustStatus(org.get("/en/admin/alerts/flood-2/translate/en"), 404)
	org.mustStatus(org.get("/en/admin/alerts/flood-2/translate/de"), 404)
	// Emptying a translation removes it.
	r = org.postForm(org.get("/en/admin/alerts/flood-2/translate/ar"), "/en/admin/alerts/flood-2/translate/ar", url.Values{"headline": {""}})
	org.mustStatus(r, 303)
	if b, _ := srv.Store.FindAlert(ctx, "flood-2"); b.Headline["ar"] != "" {
		t.Error("the emptied Arabic headline is still there")
	}
}

func TestAdminAlerts_FourEyes(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	author := srv.signedIn(t, "author@alerts.example.org", app.RoleOrganizer)
	second := srv.signedIn(t, "second@alerts.example.org", app.RoleOrganizer)
	l := srv.Bundle.Localizer("en")
	adminAlertCreate(t, srv, author, adminAlertValidForm("gas-leak"))

	// Under four-eyes a draft is sent to review first, even by another organizer.
	r := second.post("/en/admin/alerts/gas-leak/publish", url.Values{"_csrf": {second.csrf()}})
	second.mustStatus(r, 409)
	if !strings.Contains(text(r, ".error-summary"), l.T("admin.alerts.error.submit_first", nil)) {
		t.Errorf("publishing a draft: %q", text(r, ".error-summary"))
	}
	page := author.get("/en/admin/alerts/gas-leak")
	author.mustStatus(author.postForm(page, "/en/admin/alerts/gas-leak/submit", nil), 303)
	if a, _ := srv.Store.FindAlert(ctx, "gas-leak"); a.State != app.AlertInReview {
		t.Fatalf("state %s after submit", a.State)
	}

	// The author sees no publish button, and a forged POST is refused with a message.
	page = author.get("/en/admin/alerts/gas-leak")
	if adminAlertAction(page, "gas-leak", "publish") {
		t.Error("the author is offered the publish button")
	}
	if got := text(page, ".alert-own-change"); got != l.T("admin.alerts.own_change", nil) {
		t.Errorf("own change note %q", got)
	}
	r = author.post("/en/admin/alerts/gas-leak/publish", url.Values{"_csrf": {author.csrf()}})
	author.mustStatus(r, 403)
	if !strings.Contains(text(r, ".error-summary"), l.T("admin.alerts.error.four_eyes", nil)) {
		t.Errorf("forged publish: %q", text(r, ".error-summary"))
	}
	if a, _ := srv.Store.FindAlert(ctx, "gas-leak"); a.State != app.AlertInReview {
		t.Fatalf("state %s after a refused publication", a.State)
	}

	// Another organizer can.
	page = second.get("/en/admin/alerts/gas-leak")
	if !adminAlertAction(page, "gas-leak", "publish") {
		t.Fatal("the second organizer has no publish button")
	}
	second.mustStatus(second.postForm(page, "/en/admin/alerts/gas-leak/publish", nil), 303)
	a, _ := srv.Store.FindAlert(ctx, "gas-leak")
	if a.State != app.AlertPublished || a.Sent.IsZero() {
		t.Fatalf("state %s sent %v", a.State, a.Sent)
	}
	entries, _ := srv.Store.Audit(ctx, store.AuditFilter{ObjectType: "alert", ObjectID: "gas-leak", Actor: "second@alerts.example.org"})
	if len(entries) != 1 || entries[0].Action != "alert:publish" {
		t.Errorf("audit %v", entries)
	}
	page = second.get("/en/admin/alerts/gas-leak")
	if href := page.Doc.Find(".alert-cap-link").AttrOr("href", ""); href != "/alerts/gas-leak.cap" {
		t.Errorf("CAP link %q", href)
	}
	if adminAlertAction(page, "gas-leak", "delete") || page.Doc.Find(`a[href="/en/admin/alerts/gas-leak/edit"]`).Length() != 0 {
		t.Error("a published alert offers edit or delete")
	}
	// A published alert is never edited.
	second.mustStatus(second.get("/en/admin/alerts/gas-leak/edit"), 409)
	second.mustStatus(second.get("/en/admin/alerts/gas-leak/translate/fr"), 409)
	r = second.post("/en/admin/alerts/gas-leak/delete", url.Values{"_csrf": {second.csrf()}, "confirm": {"yes"}})
	second.mustStatus(r, 409)
}

func TestAdminAlerts_UpdateAndCancelChain(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	if err := srv.Store.SetSetting(ctx, "four_eyes", "off"); err != nil {
		t.Fatal(err)
	}
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	l := srv.Bundle.Localizer("en")
	adminAlertCreate(t, srv, org, adminAlertValidForm("storm"))
	page := org.get("/en/admin/alerts/storm")
	if adminAlertAction(page, "storm", "submit") || !adminAlertAction(page, "storm", "publish") {
		t.Fatal("with four-eyes off a draft is published directly")
	}
	org.mustStatus(org.postForm(page, "/en/admin/alerts/storm/publish", nil), 303)

	// Update: a new draft that references the alert, on its form.
	page = org.get("/en/admin/alerts/storm")
	if !adminAlertAction(page, "storm", "update") || !adminAlertAction(page, "storm", "cancel") {
		t.Fatal("a published alert offers no update or cancel")
	}
	r := org.postForm(page, "/en/admin/alerts/storm/update", nil)
	org.mustStatus(r, 303)
	if r.Location != "/en/admin/alerts/storm-update-1/edit" {
		t.Fatalf("update goes to %q", r.Location)
	}
	edit := org.get(r.Location)
	org.mustStatus(edit, 200)
	if edit.Doc.Find(`.alert-follow-up a[href="/en/admin/alerts/storm"]`).Length() != 1 || edit.Doc.Find("#headline").AttrOr("value", "") != "Flood warning for the North District" {
		t.Error("the update's form does not show what it replaces, or lost the fields")
	}
	org.mustStatus(org.postForm(edit, "/en/admin/alerts/storm-update-1/edit", url.Values{"headline": {"Flood warning extended to the South District"},
		"regions": {"north", "south"}}), 303)
	page = org.get("/en/admin/alerts/storm-update-1")
	if page.Doc.Find(`.alert-chain-ref a[href="/en/admin/alerts/storm"]`).Length() != 1 {
		t.Error("the update's page does not link the alert it replaces")
	}
	org.mustStatus(org.postForm(page, "/en/admin/alerts/storm-update-1/publish", nil), 303)
	orig, _ := srv.Store.FindAlert(ctx, "storm")
	upd, _ := srv.Store.FindAlert(ctx, "storm-update-1")
	if orig.SupersededBy != "storm-update-1" || upd.MsgType != "Update" || strings.Join(upd.References, ",") != "storm" || upd.State != app.AlertPublished {
		t.Fatalf("chain: original superseded by %q; update %s %v %s", orig.SupersededBy, upd.MsgType, upd.References, upd.State)
	}
	page = org.get("/en/admin/alerts/storm")
	if got := text(page, ".alert-phase"); got != l.T("admin.alerts.phase.superseded", nil) {
		t.Errorf("original phase %q", got)
	}
	if page.Doc.Find(`.alert-chain-by a[href="/en/admin/alerts/storm-update-1"]`).Length() != 1 || adminAlertAction(page, "storm", "update") {
		t.Error("the replaced alert does not link its update, or still offers an update")
	}
	// Updating the replaced alert again is refused.
	r = org.post("/en/admin/alerts/storm/update", url.Values{"_csrf": {org.csrf()}})
	org.mustStatus(r, 409)
	if !strings.Contains(text(r, ".error-summary"), l.T("admin.alerts.error.not_current", nil)) {
		t.Errorf("second update of a replaced alert: %q", text(r, ".error-summary"))
	}

	// The update of the update is "-update-2"; then cancel that one.
	r = org.postForm(org.get("/en/admin/alerts/storm-update-1"), "/en/admin/alerts/storm-update-1/update", nil)
	org.mustStatus(r, 303)
	if r.Location != "/en/admin/alerts/storm-update-2/edit" {
		t.Fatalf("second update goes to %q", r.Location)
	}
	org.mustStatus(org.postForm(org.get("/en/admin/alerts/storm-update-2"), "/en/admin/alerts/storm-update-2/publish", nil), 303)
	r = org.postForm(org.get("/en/admin/alerts/storm-update-2"), "/en/admin/alerts/storm-update-2/cancel", nil)
	org.mustStatus(r, 303)
	if r.Location != "/en/admin/alerts/storm-cancel/edit" {
		t.Fatalf("cancel goes to %q", r.Location)
	}
	edit = org.get(r.Location)
	org.mustStatus(org.postForm(edit, "/en/admin/alerts/storm-cancel/edit", url.Values{"headline": {"The flood warning is over"},
		"instruction": {"You can go home."}}), 303)
	org.mustStatus(org.postForm(org.get("/en/admin/alerts/storm-cancel"), "/en/admin/alerts/storm-cancel/publish", nil), 303)
	cancel, _ := srv.Store.FindAlert(ctx, "storm-cancel")
	upd2, _ := srv.Store.FindAlert(ctx, "storm-update-2")
	if cancel.MsgType != "Cancel" || cancel.State != app.AlertPublished || upd2.SupersededBy != "storm-cancel" {
		t.Fatalf("cancel %s %s; update superseded by %q", cancel.MsgType, cancel.State, upd2.SupersededBy)
	}
	if got := text(org.get("/en/admin/alerts/storm-update-2"), ".alert-phase"); got != l.T("admin.alerts.phase.cancelled", nil) {
		t.Errorf("cancelled update phase %q", got)
	}
	page = org.get("/en/admin/alerts/storm-cancel")
	if adminAlertAction(page, "storm-cancel", "update") || adminAlertAction(page, "storm-cancel", "cancel") {
		t.Error("a Cancel message offers update or cancel")
	}
	// Everything is in the archive now.
	list := org.get("/en/admin/alerts")
	for _, id := range []string{"storm", "storm-update-1", "storm-update-2", "storm-cancel"} {
		if list.Doc.Find(`#group-archive ~ table tr[data-identifier="`+id+`"]`).Length() != 1 {
			t.Errorf("%s is not in the archive", id)
		}
	}
	if got := adminAlertAudit(t, srv, "storm-cancel"); strings.Join(got, " ") != "alert:follow_up alert:update alert:publish" {
		t.Errorf("cancel audit %v", got)
	}
	// The Alert, two Updates and the Cancel: four publications counted.
	if m := org.get("/metrics"); !strings.Contains(m.Body, "beacon_alerts_published_total 4\n") {
		t.Error("/metrics does not count the four publications")
	}
}

func TestAdminAlerts_Delete(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	adminAlertCreate(t, srv, org, adminAlertValidForm("to-delete"))
	page := org.get("/en/admin/alerts/to-delete")
	confirm := org.postForm(page, "/en/admin/alerts/to-delete/delete", nil)
	org.mustStatus(confirm, 200)
	if _, err := srv.Store.FindAlert(ctx, "to-delete"); err != nil {
		t.Fatal("deleted before it was confirmed")
	}
	r := org.postForm(confirm, "/en/admin/alerts/to-delete/delete", nil)
	org.mustStatus(r, 303)
	if r.Location != "/en/admin/alerts" {
		t.Errorf("after delete: %q", r.Location)
	}
	if _, err := srv.Store.FindAlert(ctx, "to-delete"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("still there: %v", err)
	}
	if got := adminAlertAudit(t, srv, "to-delete"); !adminAlertHas(got, "alert:delete") {
		t.Errorf("audit %v", got)
	}
	org.mustStatus(org.get("/en/admin/alerts/to-delete"), 404)
	org.mustStatus(org.get("/en/admin/alerts/not%20valid"), 404)
}

func TestAdminAlerts_XSSStaysEscaped(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	payloads := []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`}
	form := adminAlertValidForm("xss-alert")
	for _, f := range []string{"event", "headline", "description", "instruction"} {
		form.Set(f, f+" "+payloads[0]+" "+payloads[1])
	}
	adminAlertCreate(t, srv, org, form)
	tr := url.Values{}
	for _, f := range []string{"event", "headline", "description", "instruction"} {
		tr.Set(f, "fr "+f+" "+payloads[1]+" "+payloads[0])
	}
	org.mustStatus(org.postForm(org.get("/en/admin/alerts/xss-alert/translate/fr"), "/en/admin/alerts/xss-alert/translate/fr", tr), 303)
	a, _ := srv.Store.FindAlert(ctx, "xss-alert")
	if !strings.Contains(a.Headline["en"], payloads[0]) {
		t.Fatalf("payload not stored as typed: %q", a.Headline["en"])
	}
	check := func(path string) {
		t.Helper()
		r := org.get(path)
		if r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		if strings.Contains(r.Body, payloads[0]) || strings.Contains(r.Body, "<img src=x") {
			t.Errorf("%s: a payload is in the page unescaped", path)
		}
		r.Doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), "alert(1)") {
				t.Errorf("%s: injected script element", path)
			}
		})
		if n := r.Doc.Find("img[onerror], [onerror]").Length(); n > 0 {
			t.Errorf("%s: %d elements with onerror", path, n)
		}
		if !strings.Contains(r.Doc.Text(), payloads[0]) && !strings.Contains(r.Doc.Find("input, textarea").Text()+adminAlertInputValues(r.Doc), payloads[0]) {
			t.Errorf("%s: the payload is not shown as text", path)
		}
	}
	for _, p := range []string{"/en/admin/alerts", "/en/admin/alerts/xss-alert", "/fr/admin/alerts", "/fr/admin/alerts/xss-alert",
		"/en/admin/alerts/xss-alert/edit", "/en/admin/alerts/xss-alert/translate/fr"} {
		check(p)
	}
	// The refused form shows the payloads back escaped too.
	bad := adminAlertValidForm("xss-2")
	bad.Set("headline", "")
	bad.Set("event", payloads[1])
	bad.Set("description", payloads[0])
	r := org.postForm(org.get("/en/admin/alerts/new"), "/en/admin/alerts/new", bad)
	org.mustStatus(r, 422)
	if strings.Contains(r.Body, payloads[0]) || r.Doc.Find("[onerror]").Length() > 0 {
		t.Error("the refused form echoes a payload unescaped")
	}
}

// adminAlertInputValues joins the values of the page's inputs, where typed text shows.
func adminAlertInputValues(doc *goquery.Document) string {
	var sb strings.Builder
	doc.Find("input[value]").Each(func(_ int, s *goquery.Selection) { sb.WriteString(s.AttrOr("value", "")) })
	return sb.String()
}

func TestAdminAlerts_LearnersAndEducatorsRefused(t *testing.T) {
	srv := MustOpenServer(t)
	org := srv.signedIn(t, "org@alerts.example.org", app.RoleOrganizer)
	adminAlertCreate(t, srv, org, adminAlertValidForm("refused"))
	for _, role := range []string{app.RoleLearner, app.RoleEducator, app.RoleReviewer} {
		c := srv.signedIn(t, role+"@alerts.example.org", role)
		n := 0
		for _, rt := range srv.Routes() {
			if !strings.HasPrefix(rt.Path, "/:lang/admin/alerts") {
				continue
			}
			path := strings.NewReplacer(":lang", "en", ":identifier", "refused", ":locale", "fr").Replace(rt.Path)
			var r *response
			if rt.Method == "GET" {
				r = c.get(path)
			} else {
				r = c.post(path, url.Values{"_csrf": {c.csrf()}, "confirm": {"yes"}})
			}
			if r.Status != 403 {
				t.Errorf("%s %s as %s: %d, want 403", rt.Method, path, role, r.Status)
			}
			n++
		}
		if n < 13 {
			t.Errorf("only %d alert admin routes", n)
		}
	}
	if a, err := srv.Store.FindAlert(context.Background(), "refused"); err != nil || a.State != app.AlertDraft {
		t.Errorf("the alert changed: %v %v", a, err)
	}
	// The admin navigation shows alerts to organizers only.
	if org.get("/en/admin/").Doc.Find(`.admin-nav a[href="/en/admin/alerts"]`).Length() != 1 {
		t.Error("organizers have no Alerts link")
	}
	edu := srv.signedIn(t, "edu2@alerts.example.org", app.RoleEducator)
	if edu.get("/en/admin/").Doc.Find(`.admin-nav a[href="/en/admin/alerts"]`).Length() != 0 {
		t.Error("educators see the Alerts link")
	}
}
