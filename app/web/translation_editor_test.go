package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/testenv"
)

// translationOwner is one of the three owners of the shared translation
// editor, as the test drives it.
type translationOwner struct {
	name   string
	page   string // path after /<lang>, without the target locale
	rows   int
	fields []string // form names of the rows, in order
}

// TestTranslationEditorShared: the course, campaign and alert translation
// pages are the one editor — the same structure (breadcrumbs, state tally,
// filter, rows with the source in its language and direction beside the
// target in its own, Save and Cancel), in English and in Arabic; saving
// moves a field from missing to up to date (courses) or translated
// (campaigns, alerts); "show only what needs work" lists the rest, and
// saving that view keeps the hidden fields; refused texts come back in
// the one error summary with nothing saved. On SQLite and PostgreSQL.
func TestTranslationEditorShared(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			translationEditorShared(t, mustOpenServerOn(t, open(t)))
		})
	}
}

func translationEditorShared(t *testing.T, srv *testServer) {
	ctx := context.Background()
	edu := srv.signedIn(t, "editor-edu@example.org", app.RoleEducator)
	org := srv.signedIn(t, "editor-org@example.org", app.RoleOrganizer)
	edu.mustStatus(edu.postForm(edu.get("/en/admin/courses/new"), "/en/admin/courses",
		url.Values{"slug": {"heat"}, "source_locale": {"en"}, "title": {"Heat waves"}, "summary": {"Keep cool."}}), 303)
	now := time.Now()
	newCampaign(t, org, "heat-week", now.Add(-time.Hour), now.Add(72*time.Hour), "emergency-preparedness")
	adminAlertCreate(t, srv, org, adminAlertValidForm("heat-1"))

	owners := []struct {
		translationOwner
		who *client
	}{
		{translationOwner{"course", "/admin/courses/heat/translations/", 2, []string{"f0", "f1"}}, edu},
		{translationOwner{"campaign", "/admin/campaigns/heat-week/translate/", 2, []string{"title", "description"}}, org},
		{translationOwner{"alert", "/admin/alerts/heat-1/translate/", 4, []string{"event", "headline", "description", "instruction"}}, org},
	}
	const to = "ar"
	// The same structure for all three, read in English and in Arabic.
	for _, o := range owners {
		for _, lang := range []string{"en", "ar"} {
			l := srv.Bundle.Localizer(lang)
			target := "/" + lang + o.page + to
			r := o.who.get(target)
			o.who.mustStatus(r, 200)
			if got, want := r.Doc.Find("html").AttrOr("dir", ""), map[string]string{"en": "ltr", "ar": "rtl"}[lang]; got != want {
				t.Errorf("%s %s: html dir %q", o.name, lang, got)
			}
			if got, want := text(r, "h1"), l.T("admin.translate.heading", map[string]any{"Language": srv.Bundle.Localizer(to).T("language.native", nil)}); got != want {
				t.Errorf("%s %s: h1 %q, want %q", o.name, lang, got, want)
			}
			if r.Doc.Find("nav.breadcrumbs li").Length() != 3 || r.Doc.Find(`nav.breadcrumbs [aria-current="page"]`).Length() != 1 {
				t.Errorf("%s %s: breadcrumbs %q", o.name, lang, text(r, "nav.breadcrumbs"))
			}
			form := r.Doc.Find(`form.translate-form[action="` + target + `"]`)
			if form.Length() != 1 {
				t.Fatalf("%s %s: no editor form posting to %s", o.name, lang, target)
			}
			if got := form.Find(".translate-row").Length(); got != o.rows {
				t.Errorf("%s %s: %d rows, want %d", o.name, lang, got, o.rows)
			}
			for i, name := range o.fields {
				row := form.Find(".translate-row").Eq(i)
				if row.AttrOr("data-state", "") != app.TranslationMissing {
					t.Errorf("%s %s %s: state %q, want missing", o.name, lang, name, row.AttrOr("data-state", ""))
				}
				if got := strings.TrimSpace(row.Find(".translate-key .tag").Text()); got != l.T("admin.state_word.missing", nil) {
					t.Errorf("%s %s %s: state word %q", o.name, lang, name, got)
				}
				src := row.Find(`.translate-source .source-text[lang="en"][dir="ltr"]`)
				if src.Length() != 1 || strings.TrimSpace(src.Text()) == "" {
					t.Errorf("%s %s %s: no English source text", o.name, lang, name)
				}
				if row.Find(`.translate-target #`+name+`[name="`+name+`"][lang="ar"][dir="rtl"]`).Length() != 1 {
					t.Errorf("%s %s %s: no Arabic right-to-left input", o.name, lang, name)
				}
				if row.Find(`.translate-target label[for="`+name+`"]`).Length() != 1 {
					t.Errorf("%s %s %s: input without its label", o.name, lang, name)
				}
			}
			if got := text(r, `.translate-tally .tag[data-state="missing"]`); got != l.T("admin.state_word.missing", nil)+": "+l.Number(o.rows) {
				t.Errorf("%s %s: tally %q", o.name, lang, got)
			}
			if r.Doc.Find(`.translate-filter a[href="?show=todo"]`).Text() != l.T("admin.translate.show_todo", nil) {
				t.Errorf("%s %s: no needs-work filter", o.name, lang)
			}
			if form.Find(`button[type="submit"]`).Length() != 1 || form.Find(`a.form-cancel`).Length() != 1 {
				t.Errorf("%s %s: no Save and Cancel", o.name, lang)
			}
		}
	}

	// Translate the first field of each; it leaves the "needs work" view.
	done := map[string]string{"course": app.TranslationUpToDate, "campaign": app.TranslationPresent, "alert": app.TranslationPresent}
	first := map[string]url.Values{"course": {"f0": {"موجات الحر"}}, "campaign": {"title": {"أسبوع الحر"}},
		"alert": {"headline": {"تحذير من موجة حر"}, "event": {"موجة حر"}}}
	for _, o := range owners {
		target := "/en" + o.page + to
		o.who.mustStatus(o.who.postForm(o.who.get(target), target, first[o.name]), 303)
		r := o.who.get(target)
		row := r.Doc.Find(".translate-row").First()
		if got := row.AttrOr("data-state", ""); got != done[o.name] {
			t.Errorf("%s: first field %q after saving, want %q", o.name, got, done[o.name])
		}
		todo := o.who.get(target + "?show=todo")
		o.who.mustStatus(todo, 200)
		if got, want := todo.Doc.Find(".translate-row").Length(), o.rows-len(first[o.name]); got != want {
			t.Errorf("%s: %d rows need work, want %d", o.name, got, want)
		}
		if todo.Doc.Find(`.translate-filter a[href="?"]`).Length() != 1 {
			t.Errorf("%s: the needs-work view has no way back", o.name)
		}
		// Saving the needs-work view keeps the hidden, finished fields.
		o.who.mustStatus(o.who.postForm(todo, target, url.Values{}), 303)
	}
	cs, err := srv.Store.FindCourseState(ctx, "heat")
	if err != nil {
		t.Fatal(err)
	}
	cp, err := srv.Store.FindCampaign(ctx, "heat-week")
	if err != nil {
		t.Fatal(err)
	}
	a, err := srv.Store.FindAlert(ctx, "heat-1")
	if err != nil {
		t.Fatal(err)
	}
	if cs.Working().Title["ar"] != "موجات الحر" || cp.Title["ar"] != "أسبوع الحر" || a.Headline["ar"] != "تحذير من موجة حر" || a.Event["ar"] != "موجة حر" {
		t.Errorf("translations stored: %q %q %q %q", cs.Working().Title["ar"], cp.Title["ar"], a.Headline["ar"], a.Event["ar"])
	}

	// Refused texts: one summary, the field marked, 422, nothing saved.
	refused := []struct {
		owner   string
		who     *client
		target  string
		fields  url.Values
		field   string
		message string
	}{
		{"course", edu, "/ar/admin/courses/heat/translations/ar", url.Values{"f1": {strings.Repeat("ح", 60_000)}}, "f1", "admin.error.too_long"},
		{"campaign", org, "/ar/admin/campaigns/heat-week/translate/fr", url.Values{"description": {"Préparez-vous."}}, "title", "admin.campaigns.error.title_required"},
		{"alert", org, "/ar/admin/alerts/heat-1/translate/fr", url.Values{"headline": {strings.Repeat("x", 400)}}, "headline", "admin.alerts.error.headline_long"},
	}
	ar := srv.Bundle.Localizer("ar")
	for _, tc := range refused {
		r := tc.who.postForm(tc.who.get(tc.target), tc.target, tc.fields)
		tc.who.mustStatus(r, 422)
		if got, want := text(r, `.error-summary a[href="#`+tc.field+`"]`), ar.T(tc.message, nil); got != want {
			t.Errorf("%s: summary %q, want %q", tc.owner, got, want)
		}
		if r.Doc.Find(`.translate-row.field-has-error #`+tc.field+`[aria-describedby="`+tc.field+`-error"]`).Length() != 1 {
			t.Errorf("%s: the refused field is not marked", tc.owner)
		}
	}
	cs, _ = srv.Store.FindCourseState(ctx, "heat")
	cp, _ = srv.Store.FindCampaign(ctx, "heat-week")
	a, _ = srv.Store.FindAlert(ctx, "heat-1")
	if cs.Working().Summary["ar"] != "" || cp.Description["fr"] != "" || a.Headline["fr"] != "" {
		t.Error("a refused translation was stored")
	}
}
