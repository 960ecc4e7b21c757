package web_test

import (
	"net/url"
	"strings"
	"testing"

	"beacon/app"

	"github.com/PuerkitoBio/goquery"
)

// TestAdminFormsInWords checks the small admin form fixes of #13: the
// course form names languages in their own language, review problems never
// show a field's internal name, the time zone is said once, the footer uses
// the site's name after a rename, and number and date inputs are styled and
// sized to their content.
func TestAdminFormsInWords(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator, app.RoleOrganizer, app.RoleAdministrator)

	// The language picker: names, each in its own language, never codes.
	page := edu.get("/en/admin/courses/new")
	edu.mustStatus(page, 200)
	names := map[string]string{}
	page.Doc.Find("select#source_locale option").Each(func(_ int, o *goquery.Selection) {
		names[o.AttrOr("value", "")] = strings.TrimSpace(o.Text())
	})
	for code, want := range map[string]string{"en": "English", "fr": "Français", "ar": "العربية"} {
		if names[code] != want {
			t.Errorf("language picker shows %q for %s, want %q", names[code], code, want)
		}
	}
	for code, name := range names {
		if name == code {
			t.Errorf("language picker shows the code %q", code)
		}
	}

	// Review problems: in words, no field name appended.
	edu.mustStatus(edu.postForm(page, "/en/admin/courses", url.Values{"slug": {"heat"}, "source_locale": {"en"}, "title": {"Heat waves"}, "summary": {"Keep cool."}}), 303)
	show := edu.get("/en/admin/courses/heat")
	edu.mustStatus(show, 200)
	problems := text(show, ".notice ul")
	if !strings.Contains(problems, "Add at least one lesson") {
		t.Fatalf("problems %q lack the lesson one", problems)
	}
	if strings.Contains(problems, "lessons") || show.Doc.Find(".notice code").Length() > 0 {
		t.Errorf("a problem shows an internal field name: %q", problems)
	}

	// The time zone, said once: in the zone picker and beside a pack campaign's times.
	form := edu.get("/en/admin/campaigns/new")
	edu.mustStatus(form, 200)
	if got := strings.TrimSpace(form.Doc.Find(`select#time_zone option[value="UTC"]`).Text()); got != "UTC" {
		t.Errorf("the UTC option reads %q", got)
	}
	camp := edu.get("/en/admin/campaigns/security-education-day-2027")
	edu.mustStatus(camp, 200)
	if n := strings.Count(text(camp, "main"), "UTC+08:00"); n != 2 {
		t.Errorf("the campaign page names its offset %d times, want once beside each of its 2 times", n)
	}
	pub := edu.get("/en/campaigns/security-education-day-2027")
	edu.mustStatus(pub, 200)
	if n := strings.Count(text(pub, ".campaign-window"), "UTC+08:00"); n != 2 {
		t.Errorf("the public campaign window names its offset %d times, want 2", n)
	}

	report := edu.get("/en/admin/campaigns/security-education-day-2027/report")
	edu.mustStatus(report, 200)
	if n := strings.Count(text(report, ".report-status"), "UTC+08:00"); n != 1 {
		t.Errorf("the report's status names the offset %d times, want once: %q", n, text(report, ".report-status"))
	}

	// The footer follows a renamed site.
	settings := edu.get("/en/admin/settings")
	edu.mustStatus(settings, 200)
	edu.mustStatus(edu.postForm(settings, "/en/admin/settings", url.Values{"site_name.en": {"Safe City"}, "site_name.fr": {"Ville sûre"}}), 303)
	for lang, want := range map[string]string{"en": "Safe City teaches", "fr": "Ville sûre enseigne"} {
		home := edu.get("/" + lang + "/")
		footer := text(home, ".site-footer")
		if !strings.Contains(footer, want) || strings.Contains(footer, "Beacon") {
			t.Errorf("%s footer after the rename: %q", lang, footer)
		}
	}

	// Number and date inputs: styled like the other inputs, sized to their content.
	href := show.Doc.Find(`link[rel=stylesheet]`).First().AttrOr("href", "")
	css := edu.get(href)
	edu.mustStatus(css, 200)
	body := css.Body
	for _, want := range []string{`input[type="number"] { width: 8em; }`, `input[type="datetime-local"] { width: 15em; }`, `input[type="date"] { width: 11em; }`} {
		if !strings.Contains(body, want) {
			t.Errorf("site.css lacks %s", want)
		}
	}
}
