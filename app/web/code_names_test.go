package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/testenv"
)

// TestCodeNamesEditor: the region and organization forms share one
// code-and-names part — a code while new, fixed afterwards, and a name
// input per locale in its language and direction — created, edited, and
// refused with localized errors in Arabic and nothing saved. On SQLite and
// PostgreSQL.
func TestCodeNamesEditor(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			codeNamesEditor(t, mustOpenServerOn(t, open(t)))
		})
	}
}

func codeNamesEditor(t *testing.T, srv *testServer) {
	ctx := context.Background()
	admin := srv.signedIn(t, "names-admin@example.org", app.RoleAdministrator)
	ar := srv.Bundle.Localizer("ar")
	names := func(code string, region bool) app.Text {
		t.Helper()
		if region {
			r, err := srv.Store.FindRegion(ctx, code)
			if err != nil {
				t.Fatalf("region %s: %v", code, err)
			}
			return r.Name
		}
		o, err := srv.Store.FindOrganization(ctx, code)
		if err != nil {
			t.Fatalf("organization %s: %v", code, err)
		}
		return o.Name
	}
	for _, k := range []struct {
		name   string
		list   string
		area   string
		region bool
	}{{"region", "/admin/regions", "admin.regions", true}, {"organization", "/admin/organizations", "admin.orgs", false}} {
		t.Run(k.name, func(t *testing.T) {
			base := "/ar" + k.list
			page := admin.get(base + "/new")
			admin.mustStatus(page, 200)
			form := page.Doc.Find(`form[action="` + base + `/new"]`)
			if form.Find(`#code[name="code"][dir="ltr"]`).Length() != 1 || form.Find(`label[for="code"]`).Text() != ar.T(k.area+".field.code", nil) {
				t.Fatalf("%s: no code field", k.name)
			}
			if got := form.Find("fieldset#names input").Length(); got != len(srv.Bundle.Locales()) {
				t.Errorf("%s: %d name inputs, want one per locale", k.name, got)
			}
			if form.Find(`#name-en[lang="en"][dir="ltr"][required]`).Length() != 1 || form.Find(`#name-ar[lang="ar"][dir="rtl"]`).Length() != 1 {
				t.Errorf("%s: name inputs without their language, direction or the required default", k.name)
			}
			if form.Find(`a.form-cancel[href="`+base+`"]`).Length() != 1 {
				t.Errorf("%s: no Cancel back to the list", k.name)
			}

			// Refused: a bad code, no default name, a name too long; the
			// messages in Arabic, the typed values kept, nothing saved.
			r := admin.postForm(page, base+"/new", url.Values{"code": {"Bad Code"}, "name-en": {""}, "name-ar": {strings.Repeat("س", 101)}})
			admin.mustStatus(r, 422)
			for field, id := range map[string]string{"code": k.area + ".error.code", "name-en": k.area + ".error.name_required", "name-ar": k.area + ".error.name_long"} {
				if got, want := text(r, `.error-summary a[href="#`+field+`"]`), ar.T(id, nil); got != want {
					t.Errorf("%s: %s error %q, want %q", k.name, field, got, want)
				}
				if r.Doc.Find(`.field-has-error #`+field).Length() != 1 {
					t.Errorf("%s: %s not marked", k.name, field)
				}
			}
			if r.Doc.Find("#code").AttrOr("value", "") != "Bad Code" {
				t.Errorf("%s: the typed code is lost", k.name)
			}
			if k.region {
				if _, err := srv.Store.FindRegion(ctx, "bad-code"); err == nil {
					t.Error("a refused region was saved")
				}
			}

			// Created, then renamed: the code stays, fixed on the form.
			r = admin.postForm(page, base+"/new", url.Values{"code": {"harbour"}, "name-en": {"Harbour"}, "name-ar": {"الميناء"}})
			admin.mustStatus(r, 303)
			if r.Location != base {
				t.Errorf("%s: created, went to %q", k.name, r.Location)
			}
			if got := names("harbour", k.region); got["en"] != "Harbour" || got["ar"] != "الميناء" {
				t.Errorf("%s: names stored %v", k.name, got)
			}
			edit := admin.get(base + "/harbour")
			admin.mustStatus(edit, 200)
			if edit.Doc.Find("#code").Length() != 0 || text(edit, "form code") != "harbour" {
				t.Errorf("%s: the code is not fixed on the edit form", k.name)
			}
			if edit.Doc.Find("#name-ar").AttrOr("value", "") != "الميناء" {
				t.Errorf("%s: the stored Arabic name is not on the form", k.name)
			}
			r = admin.postForm(edit, base+"/harbour", url.Values{"name-en": {""}})
			admin.mustStatus(r, 422)
			if got, want := text(r, `.error-summary a[href="#name-en"]`), ar.T(k.area+".error.name_required", nil); got != want {
				t.Errorf("%s: emptied default name: %q, want %q", k.name, got, want)
			}
			if got := names("harbour", k.region); got["en"] != "Harbour" {
				t.Errorf("%s: a refused rename was saved: %v", k.name, got)
			}
			admin.mustStatus(admin.postForm(edit, base+"/harbour", url.Values{"name-en": {"Old harbour"}, "name-ar": {""}}), 303)
			if got := names("harbour", k.region); got["en"] != "Old harbour" || got["ar"] != "" {
				t.Errorf("%s: renamed %v", k.name, got)
			}
		})
	}
}
