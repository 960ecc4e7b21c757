package web_test

import (
	"context"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"beacon/app"
	"beacon/app/i18n"
	"beacon/app/testenv"
	"beacon/app/web"
)

// translationsPage fetches the coverage page and checks it answered 200.
func translationsPage(t *testing.T, c *client, target string) *response {
	t.Helper()
	r := c.get(target)
	c.mustStatus(r, 200)
	if r.Doc == nil {
		t.Fatalf("%s is not HTML", target)
	}
	return r
}

// summaryCount reads a number cell of a locale's summary row.
func summaryCount(t *testing.T, r *response, locale, cell string) int {
	t.Helper()
	s := text(r, `tr[data-locale="`+locale+`"] td.`+cell)
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatalf("%s %s = %q, want a number", locale, cell, s)
	}
	return n
}

// TestAdminTranslations_Summary: every enabled locale has a row with its
// own name and its shares, in English and in Chinese; the UI catalogs are
// complete, so the detail says so; only educators and reviewers get in.
func TestAdminTranslations_Summary(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "coverage-edu@example.org", app.RoleEducator)
	total := len(srv.Bundle.MessageIDs(srv.Bundle.Default()))
	for _, lang := range []string{"en", "zh-Hans"} {
		t.Run(lang, func(t *testing.T) {
			l := srv.Bundle.Localizer(lang)
			r := translationsPage(t, edu, "/"+lang+"/admin/translations")
			if got, want := text(r, "h1"), l.T("admin.translations.title", nil); got != want {
				t.Errorf("h1 = %q, want %q", got, want)
			}
			if r.Doc.Find(`nav.admin-nav a[href="/`+lang+`/admin/translations"]`).Length() != 1 {
				t.Error("the admin navigation does not link the page")
			}
			if r.Doc.Find("table.translation-summary caption").Length() != 1 || r.Doc.Find(`table.translation-summary th[scope="row"]`).Length() != len(srv.Bundle.Locales()) {
				t.Error("summary table without a caption or a row header per locale")
			}
			for _, loc := range srv.Bundle.Locales() {
				row := `tr[data-locale="` + loc + `"]`
				if r.Doc.Find(row).Length() != 1 {
					t.Fatalf("no summary row for %s", loc)
				}
				if got, want := text(r, row+` th span[lang="`+loc+`"]`), srv.Bundle.Localizer(loc).T("language.native", nil); got != want {
					t.Errorf("%s row name = %q, want %q", loc, got, want)
				}
				if got, want := text(r, row+" td.translation-ui strong"), l.Percent(100); got != want {
					t.Errorf("%s UI share = %q, want %q", loc, got, want)
				}
				if got := text(r, row+" td.translation-content strong"); !strings.ContainsAny(got, "0123456789") {
					t.Errorf("%s content share = %q, want a percentage", loc, got)
				}
				if href := r.Doc.Find(row+" a").AttrOr("href", ""); href != "/"+lang+"/admin/translations?locale="+loc+"#detail" {
					t.Errorf("%s detail link = %q", loc, href)
				}
			}
			// The seed content is written in English: the source is complete.
			if got, want := text(r, `tr[data-locale="en"] td.translation-content strong`), l.Percent(100); got != want {
				t.Errorf("en content share = %q, want %q", got, want)
			}
			// By default the detail is the first locale after the site default.
			if got := r.Doc.Find("section#detail").AttrOr("data-locale", ""); got != srv.Bundle.Locales()[1] {
				t.Errorf("detail locale = %q, want %q", got, srv.Bundle.Locales()[1])
			}
			if got, want := text(r, ".translation-ui-complete"), l.N("admin.translations.ui_complete", total, nil); got != want {
				t.Errorf("UI line = %q, want %q", got, want)
			}
			if got := text(r, ".translation-where code"); got != "content/locales/"+srv.Bundle.Locales()[1]+".toml" {
				t.Errorf("where to edit = %q", got)
			}
		})
	}
	t.Run("Reviewer", func(t *testing.T) {
		translationsPage(t, srv.signedIn(t, "coverage-rev@example.org", app.RoleReviewer), "/en/admin/translations")
	})
	t.Run("ErrLearner", func(t *testing.T) {
		learner := srv.signedIn(t, "coverage-learner@example.org", app.RoleLearner)
		learner.mustStatus(learner.get("/en/admin/translations"), 403)
		organizer := srv.signedIn(t, "coverage-org@example.org", app.RoleOrganizer)
		organizer.mustStatus(organizer.get("/en/admin/translations"), 403)
	})
	t.Run("ErrAnonymous", func(t *testing.T) {
		r := srv.client(t).get("/en/admin/translations")
		if r.Status != 303 || !strings.HasPrefix(r.Location, "/en/login?next=") {
			t.Errorf("anonymous: %d to %q, want the login page", r.Status, r.Location)
		}
	})
}

// TestAdminTranslations_MissingAndOutdated: a translation emptied in the
// editor shows as missing with a link back to the editor, a changed source
// text makes its translation outdated, and a campaign text removed shows
// as missing with a link to the campaign's translation form.
func TestAdminTranslations_MissingAndOutdated(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	edu := srv.signedIn(t, "coverage-tr@example.org", app.RoleEducator)
	const slug, loc = "cyber-hygiene", "zh-Hans"
	page := "/en/admin/translations?locale=" + loc
	before := translationsPage(t, edu, page)
	missing0, outdated0 := summaryCount(t, before, loc, "translation-missing"), summaryCount(t, before, loc, "translation-outdated")

	cs, err := srv.Store.FindCourseState(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	w := cs.Working()
	emptied, changed := -1, -1
	for i, f := range w.Fields() {
		switch {
		case emptied < 0 && strings.HasSuffix(f.Key, "/body") && w.TranslationState(loc, f) == app.TranslationUpToDate:
			emptied = i
		case changed < 0 && f.Key == "summary" && w.TranslationState(loc, f) == app.TranslationUpToDate:
			changed = i
		}
	}
	if emptied < 0 || changed < 0 {
		t.Fatalf("seed course %s has no translated lesson body or summary in %s", slug, loc)
	}
	emptiedKey, changedKey := w.Fields()[emptied].Key, w.Fields()[changed].Key

	editor := "/en/admin/courses/" + slug + "/translations/" + loc
	tp := edu.get(editor)
	edu.mustStatus(tp, 200)
	edu.mustStatus(edu.postForm(tp, editor, url.Values{"f" + strconv.Itoa(emptied): {""}}), 303)

	r := translationsPage(t, edu, page)
	row := `section#detail tr[data-course="` + slug + `"]`
	if st := r.Doc.Find(row+` li[data-key="`+emptiedKey+`"]`).AttrOr("data-state", ""); st != app.TranslationMissing {
		t.Fatalf("%s is %q on the page, want missing; detail: %s", emptiedKey, st, text(r, "section#detail"))
	}
	if got, want := text(r, row+` li[data-key="`+emptiedKey+`"] .tag`), srv.Bundle.Localizer("en").T("admin.state_word.missing", nil); got != want {
		t.Errorf("state word = %q, want %q", got, want)
	}
	if got := summaryCount(t, r, loc, "translation-missing"); got != missing0+1 {
		t.Errorf("missing = %d, want %d", got, missing0+1)
	}
	link := r.Doc.Find(row+" a.translation-edit").AttrOr("href", "")
	if link != editor+"?show=todo" {
		t.Fatalf("edit link = %q, want %q", link, editor+"?show=todo")
	}
	ed := edu.get(link)
	edu.mustStatus(ed, 200)
	if ed.Doc.Find(`input[value="`+emptiedKey+`"]`).Length() != 1 {
		t.Errorf("the editor behind the link does not show %s", emptiedKey)
	}

	// The English source of the summary changes: its Chinese goes out of date.
	author := srv.signedInUser(t, "coverage-author@example.org", app.RoleEducator)
	err = srv.Store.EditDraft(ctx, author, slug, "course:update", func(d *app.Course) error {
		d.Summary[d.SourceLocale] += " Revised."
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r = translationsPage(t, edu, page)
	if st := r.Doc.Find(row+` li[data-key="`+changedKey+`"]`).AttrOr("data-state", ""); st != app.TranslationOutdated {
		t.Fatalf("%s is %q on the page, want outdated", changedKey, st)
	}
	if got := summaryCount(t, r, loc, "translation-outdated"); got != outdated0+1 {
		t.Errorf("outdated = %d, want %d", got, outdated0+1)
	}

	// A campaign description removed in Chinese shows as missing; an
	// administrator (who organizes too) gets the campaign's form.
	campaigns, err := srv.Store.AllCampaigns(ctx)
	if err != nil || len(campaigns) == 0 {
		t.Fatalf("campaigns: %v, %d", err, len(campaigns))
	}
	cp := campaigns[0]
	if cp.SourceLocale == loc || strings.TrimSpace(cp.Description[cp.SourceLocale]) == "" {
		t.Skipf("seed campaign %s cannot lose a %s description", cp.Slug, loc)
	}
	err = srv.Store.UpdateCampaign(ctx, author, cp.Slug, "campaign:translate", func(c *app.Campaign, _ time.Time) error {
		delete(c.Description, loc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r = translationsPage(t, edu, page)
	crow := `section#detail tr[data-campaign="` + cp.Slug + `"]`
	if r.Doc.Find(crow+` li[data-key="description"]`).Length() != 1 {
		t.Fatalf("campaign description not listed missing: %s", text(r, ".translation-campaigns"))
	}
	if r.Doc.Find(crow+" a.translation-edit").Length() != 0 {
		t.Error("an educator without the organizer role gets a link to the campaign form")
	}
	if got := summaryCount(t, r, loc, "translation-missing"); got != missing0+2 {
		t.Errorf("missing = %d, want %d", got, missing0+2)
	}
	admin := srv.signedIn(t, "coverage-admin@example.org", app.RoleAdministrator)
	r = translationsPage(t, admin, page)
	clink := r.Doc.Find(crow+" a.translation-edit").AttrOr("href", "")
	if want := "/en/admin/campaigns/" + cp.Slug + "/translate/" + loc; clink != want {
		t.Fatalf("campaign edit link = %q, want %q", clink, want)
	}
	admin.mustStatus(admin.get(clink), 200)
}

// TestAdminTranslations_BadLocale: a locale that is not enabled, or not a
// locale at all, falls back to the default choice instead of failing.
func TestAdminTranslations_BadLocale(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "coverage-bad@example.org", app.RoleEducator)
	for _, q := range []string{"xx", "tlh", "%3Cscript%3E", "", "en%00", strings.Repeat("z", 300)} {
		r := translationsPage(t, edu, "/en/admin/translations?locale="+q)
		if got := r.Doc.Find("section#detail").AttrOr("data-locale", ""); got != srv.Bundle.Locales()[1] {
			t.Errorf("?locale=%s: detail locale = %q, want %q", q, got, srv.Bundle.Locales()[1])
		}
	}
	// The site default can be chosen: its content is the source, complete.
	r := translationsPage(t, edu, "/en/admin/translations?locale=en")
	if got := r.Doc.Find("section#detail").AttrOr("data-locale", ""); got != "en" {
		t.Errorf("?locale=en: detail locale = %q", got)
	}
	if r.Doc.Find(".translation-courses-complete").Length() != 1 {
		t.Errorf("the source locale lists courses to translate: %s", text(r, ".translation-courses"))
	}
}

// TestAdminTranslations_MissingUIString: a catalog that lacks a message id
// (which the catalog tests forbid in the product) shows a share under 100
// and lists the id with the file to edit.
func TestAdminTranslations_MissingUIString(t *testing.T) {
	const loc, dropped = "zh-Hans", "admin.translations.where"
	locales := testenv.Sub(t, "content/locales")
	catalogs := fstest.MapFS{}
	for _, l := range []string{"en", loc} {
		data, err := fs.ReadFile(locales, l+".toml")
		if err != nil {
			t.Fatal(err)
		}
		if l == loc {
			var kept []string
			for _, line := range strings.Split(string(data), "\n") {
				if !strings.HasPrefix(line, `"`+dropped+`"`) {
					kept = append(kept, line)
				}
			}
			data = []byte(strings.Join(kept, "\n"))
		}
		catalogs[l+".toml"] = &fstest.MapFile{Data: data}
	}
	bundle, err := i18n.Load(catalogs, "en")
	if err != nil {
		t.Fatal(err)
	}
	if bundle.MessageIDs(loc)[dropped] {
		t.Fatalf("%s still has %s", loc, dropped)
	}
	srv := MustOpenServer(t, func(o *web.Options) { o.Bundle = bundle })
	edu := srv.signedIn(t, "coverage-ui@example.org", app.RoleEducator)
	r := translationsPage(t, edu, "/en/admin/translations?locale="+loc)
	total := len(bundle.MessageIDs("en"))
	en := bundle.Localizer("en")
	if got, want := text(r, `tr[data-locale="`+loc+`"] td.translation-ui strong`), en.Percent((total-1)*100/total); got != want {
		t.Errorf("UI share = %q, want %q", got, want)
	}
	if got, want := text(r, ".translation-ui-detail > p:first-of-type"), en.N("admin.translations.ui_missing", 1, nil); got != want {
		t.Errorf("UI line = %q, want %q", got, want)
	}
	if got := text(r, ".translation-ids li code"); got != dropped {
		t.Errorf("missing ids = %q, want %s", got, dropped)
	}
	if got := text(r, ".translation-where code"); got != "content/locales/"+loc+".toml" {
		t.Errorf("where to edit = %q", got)
	}
	if r.Doc.Find(".translation-ui-complete").Length() != 0 {
		t.Error("the page says every string is translated")
	}
}

// summaryShare reads the "done of total" line under a locale's content
// share in the summary table.
func summaryShare(t *testing.T, r *response, locale string) (done, total int) {
	t.Helper()
	s := text(r, `tr[data-locale="`+locale+`"] td.translation-content .hint`)
	nums := regexp.MustCompile(`[0-9][0-9,]*`).FindAllString(s, -1)
	if len(nums) != 2 {
		t.Fatalf("%s content line = %q, want two numbers", locale, s)
	}
	done, _ = strconv.Atoi(strings.ReplaceAll(nums[0], ",", ""))
	total, _ = strconv.Atoi(strings.ReplaceAll(nums[1], ",", ""))
	return done, total
}

// TestAdminTranslations_Alerts: an unpublished alert's missing texts count
// in the content share and are listed with a link to its translation form
// for organizers only; a published alert in force or starting later is
// listed as changing through an Update, without a form; expired, replaced
// and cancelled alerts (and the Cancel message itself) are left out.
func TestAdminTranslations_Alerts(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	en := srv.Bundle.Localizer("en")
	edu := srv.signedIn(t, "coverage-alert-edu@example.org", app.RoleEducator)
	orgEdu := srv.signedIn(t, "coverage-alert-org@example.org", app.RoleOrganizer, app.RoleEducator)
	before := translationsPage(t, edu, "/en/admin/translations")
	frDone0, frTotal0 := summaryShare(t, before, "fr")
	frMissing0, arMissing0 := summaryCount(t, before, "fr", "translation-missing"), summaryCount(t, before, "ar", "translation-missing")

	t.Run("Draft", func(t *testing.T) {
		// No French headline, no instructions at all: French lacks one
		// text of three (the instructions are not counted).
		draft := alertFixture("coverage-draft", func(a *app.Alert) {
			delete(a.Headline, "fr")
			a.Instruction = nil
		})
		if err := srv.Store.CreateAlert(ctx, srv.organizer(t), draft); err != nil {
			t.Fatal(err)
		}
		r := translationsPage(t, edu, "/en/admin/translations?locale=fr")
		done, total := summaryShare(t, r, "fr")
		if done != frDone0+2 || total != frTotal0+3 {
			t.Errorf("fr content = %d of %d, want %d of %d", done, total, frDone0+2, frTotal0+3)
		}
		if got, want := text(r, `tr[data-locale="fr"] td.translation-content strong`), en.Percent(done*100/total); got != want {
			t.Errorf("fr share = %q, want %q", got, want)
		}
		if got := summaryCount(t, r, "fr", "translation-missing"); got != frMissing0+1 {
			t.Errorf("fr missing = %d, want %d", got, frMissing0+1)
		}
		row := `section#detail .translation-alerts tr[data-alert="coverage-draft"]`
		if keys := r.Doc.Find(row + ` li[data-state="missing"]`); keys.Length() != 1 || keys.AttrOr("data-key", "") != "headline" {
			t.Fatalf("fr missing fields = %q, want headline only; section: %s", text(r, row+" ul"), text(r, ".translation-alerts"))
		}
		if got, want := text(r, row+` td.translation-alert-state .tag`), en.T("admin.alerts.phase.draft", nil); got != want {
			t.Errorf("state = %q, want %q", got, want)
		}
		if r.Doc.Find(row+" a").Length() != 0 {
			t.Error("an educator without the organizer role gets links to the alert")
		}
		if got, want := text(r, row+" td:last-child"), en.T("admin.translations.alerts_organizers_edit", nil); got != want {
			t.Errorf("educator action = %q, want %q", got, want)
		}

		// On the French page the headline falls back to English, marked so.
		r = translationsPage(t, orgEdu, "/fr/admin/translations?locale=fr")
		head := r.Doc.Find(row + ` th a`)
		if head.AttrOr("href", "") != "/fr/admin/alerts/coverage-draft" || head.AttrOr("lang", "") != "en" || strings.TrimSpace(head.Text()) != draft.Headline["en"] {
			t.Errorf("headline link = %q lang %q text %q", head.AttrOr("href", ""), head.AttrOr("lang", ""), head.Text())
		}
		link := r.Doc.Find(row+" a.translation-edit").AttrOr("href", "")
		if want := "/fr/admin/alerts/coverage-draft/translate/fr"; link != want {
			t.Fatalf("translate link = %q, want %q", link, want)
		}
		orgEdu.mustStatus(orgEdu.get(link), 200)
	})

	t.Run("PublishedAndArchived", func(t *testing.T) {
		now := time.Now().In(time.FixedZone("", 2*3600)).Truncate(time.Second)
		srv.publishAlert(t, alertFixture("coverage-live"))
		srv.publishAlert(t, alertFixture("coverage-later", func(a *app.Alert) { a.Effective, a.Expires = now.Add(time.Hour), now.Add(2*time.Hour) }))
		srv.publishAlert(t, alertFixture("coverage-over", func(a *app.Alert) { a.Effective, a.Expires = now.Add(-2*time.Hour), now.Add(-time.Hour) }))
		srv.publishAlert(t, alertFixture("coverage-replaced"))
		srv.followUp(t, "coverage-replaced", "Cancel", "coverage-replaced-cancel", nil)

		r := translationsPage(t, orgEdu, "/en/admin/translations?locale=ar")
		// The fixtures have no Arabic: the draft (three texts), the live
		// and the later alert (four each) lack all of theirs.
		if got, want := summaryCount(t, r, "ar", "translation-missing"), arMissing0+3+4+4; got != want {
			t.Errorf("ar missing = %d, want %d", got, want)
		}
		row := `section#detail .translation-alerts tr[data-alert="coverage-live"]`
		if n := r.Doc.Find(row + ` li[data-state="missing"]`).Length(); n != 4 {
			t.Fatalf("live alert lists %d missing ar fields, want 4; section: %s", n, text(r, ".translation-alerts"))
		}
		if got, want := text(r, row+" .translation-alert-published"), en.T("admin.translations.alerts_published", nil); got != want {
			t.Errorf("published wording = %q, want %q", got, want)
		}
		if r.Doc.Find(row+" a.translation-edit").Length() != 0 {
			t.Error("a published alert links a translation form")
		}
		if got := r.Doc.Find(row+" th a").AttrOr("href", ""); got != "/en/admin/alerts/coverage-live" {
			t.Errorf("organizer link = %q, want the alert's admin page", got)
		}
		if got, want := text(r, row+" td.translation-alert-state .tag"), en.T("admin.alerts.phase.active", nil); got != want {
			t.Errorf("state = %q, want %q", got, want)
		}
		later := `section#detail .translation-alerts tr[data-alert="coverage-later"]`
		if got, want := text(r, later+" td.translation-alert-state .tag"), en.T("admin.alerts.phase.scheduled", nil); got != want {
			t.Errorf("later alert state = %q, want %q", got, want)
		}
		for _, id := range []string{"coverage-over", "coverage-replaced", "coverage-replaced-cancel"} {
			if r.Doc.Find(`tr[data-alert="`+id+`"]`).Length() != 0 {
				t.Errorf("%s is listed: %s", id, text(r, ".translation-alerts"))
			}
		}
		r = translationsPage(t, edu, "/en/admin/translations?locale=ar")
		if r.Doc.Find(row+" a").Length() != 0 {
			t.Error("an educator without the organizer role gets a link to the published alert")
		}
		if got, want := text(r, row+" .translation-alert-published"), en.T("admin.translations.alerts_published", nil); got != want {
			t.Errorf("educator: published wording = %q, want %q", got, want)
		}
	})
}
