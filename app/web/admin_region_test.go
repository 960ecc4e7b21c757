package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/store"

	"github.com/PuerkitoBio/goquery"
)

// mustAffiliation returns what the account with email chose.
func (s *testServer) mustAffiliation(tb testing.TB, email string) store.Affiliation {
	tb.Helper()
	ctx := context.Background()
	u, err := s.Store.FindUserByEmail(ctx, email)
	if err != nil {
		tb.Fatal(err)
	}
	aff, err := s.Store.UserAffiliation(ctx, u.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return aff
}

// mustOrg creates an organization.
func (s *testServer) mustOrg(tb testing.TB, code string, name app.Text) {
	tb.Helper()
	if err := s.Store.CreateOrganization(context.Background(), nil, &app.Organization{Code: code, Name: name}); err != nil {
		tb.Fatal(err)
	}
}

// rowOf returns the tree or list row of code.
func rowOf(r *response, code string) *goquery.Selection {
	return r.Doc.Find(`tr[data-code="` + code + `"]`)
}

// auditCount counts the entries with action on the object.
func auditCount(tb testing.TB, srv *testServer, objType, id, action string) int {
	tb.Helper()
	entries, err := srv.Store.Audit(context.Background(), store.AuditFilter{ObjectType: objType, ObjectID: id})
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action && e.Actor != "system" {
			n++
		}
	}
	return n
}

// TestAdminRegion_Access walks every region, organization and affiliation
// route with every kind of visitor.
func TestAdminRegion_Access(t *testing.T) {
	srv := MustOpenServer(t)
	srv.mustOrg(t, "library", app.Text{"en": "Library"})
	clients := map[string]*client{
		"anonymous": srv.client(t),
		"learner":   srv.signedIn(t, "l@example.org", app.RoleLearner),
		"educator":  srv.signedIn(t, "e@example.org", app.RoleEducator),
		"organizer": srv.signedIn(t, "o@example.org", app.RoleOrganizer),
		"admin":     srv.signedIn(t, "a@example.org", app.RoleAdministrator),
	}
	seen := 0
	for _, r := range srv.Routes() {
		if !strings.Contains(r.Path, "/admin/regions") && !strings.Contains(r.Path, "/admin/organizations") && r.Path != "/:lang/me/affiliation" {
			continue
		}
		seen++
		code := "west-orchard" // a leaf nobody chose: the admin's delete goes through
		if strings.Contains(r.Path, "organizations") {
			code = "library"
		}
		path := strings.NewReplacer(":lang", "en", ":code", code).Replace(r.Path)
		for _, who := range []string{"anonymous", "learner", "educator", "organizer", "admin"} {
			c := clients[who]
			allowed := who == "admin" || r.Access == "signed" && who != "anonymous"
			t.Run(r.Method+path+"/"+who, func(t *testing.T) {
				var resp *response
				if r.Method == "GET" {
					resp = c.get(path)
				} else {
					resp = c.post(path, url.Values{"_csrf": {c.csrf()}})
				}
				switch {
				case who == "anonymous" && r.Method == "GET":
					if resp.Status != 303 || !strings.HasPrefix(resp.Location, "/en/login") {
						t.Fatalf("anonymous: %d %s", resp.Status, resp.Location)
					}
				case who == "anonymous":
					c.mustStatus(resp, 401)
				case !allowed:
					c.mustStatus(resp, 403)
				default:
					if resp.Status == 401 || resp.Status == 403 || resp.Status >= 500 {
						t.Fatalf("%s refused or failed: %d %.300s", who, resp.Status, resp.Body)
					}
				}
			})
		}
	}
	if seen != 15 {
		t.Fatalf("%d routes walked, want 15", seen)
	}
	// The administrator's navigation links both lists; others' does not.
	home := clients["admin"].get("/en/admin/")
	if home.Doc.Find(`.admin-nav a[href="/en/admin/regions"]`).Length() != 1 || home.Doc.Find(`.admin-nav a[href="/en/admin/organizations"]`).Length() != 1 {
		t.Fatal("no region and organization links for the administrator")
	}
	if clients["educator"].get("/en/admin/").Doc.Find(`.admin-nav a[href="/en/admin/regions"]`).Length() != 0 {
		t.Fatal("an educator is offered the regions page")
	}
}

// TestAdminRegion_Workflow: an administrator adds, renames, re-parents and
// deletes regions; bad input, cycles and regions in use are refused with
// clear messages; every change is audited; names follow the viewer's language.
func TestAdminRegion_Workflow(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	base := "/en/admin/regions"

	list := admin.get(base)
	admin.mustStatus(list, 200)
	if got := text(list, `tr[data-code="north"] .region-name`); got != "North District" {
		t.Fatalf("north in en: %q", got)
	}
	if rowOf(list, "north-riverside").AttrOr("data-depth", "") != "1" || text(list, `tr[data-code="north-riverside"] .region-parent`) != "North District" {
		t.Fatal("children are not shown under their parent")
	}
	// Parents come before their children.
	codes := list.Doc.Find("tr.region-row").Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("data-code", "") })
	if len(codes) != 12 || codes[0] != "east" || codes[1] != "east-industrial-park" {
		t.Fatalf("tree order: %v", codes)
	}
	zh := admin.get("/zh-Hans/admin/regions")
	if got := text(zh, `tr[data-code="north"] .region-name`); got != "北区" {
		t.Fatalf("north in zh-Hans: %q", got)
	}

	page := admin.get(base + "/new")
	admin.mustStatus(page, 200)
	if page.Doc.Find(`#parent option`).Length() != 13 || page.Doc.Find("#name-en[required]").Length() != 1 || page.Doc.Find("#name-zh-Hans").Length() != 1 {
		t.Fatalf("new form: %s", text(page, "form"))
	}
	t.Run("ErrBadForm", func(t *testing.T) {
		r := admin.postForm(page, base+"/new", url.Values{"code": {"Central Park"}, "parent": {"north"}, "name-en": {""}, "name-zh-Hans": {"中央"}})
		admin.mustStatus(r, 422)
		for _, f := range []string{"code", "name-en"} {
			if r.Doc.Find(`.error-summary a[href="#`+f+`"]`).Length() != 1 {
				t.Errorf("no error for %s: %s", f, text(r, ".error-summary"))
			}
		}
		if r.Doc.Find("#code").AttrOr("value", "") != "Central Park" || r.Doc.Find("#name-zh-Hans").AttrOr("value", "") != "中央" ||
			r.Doc.Find(`#parent option[value="north"][selected]`).Length() != 1 {
			t.Error("typed values not kept")
		}
		r = admin.postForm(page, base+"/new", url.Values{"code": {"north"}, "name-en": {"North again"}})
		admin.mustStatus(r, 422)
		if !strings.Contains(text(r, ".error-summary"), "already in use") {
			t.Errorf("taken code: %s", text(r, ".error-summary"))
		}
		r = admin.postForm(page, base+"/new", url.Values{"code": {"forged"}, "parent": {"atlantis"}, "name-en": {"Forged"}})
		admin.mustStatus(r, 422)
		if r.Doc.Find(`.error-summary a[href="#parent"]`).Length() != 1 {
			t.Errorf("forged parent: %s", text(r, ".error-summary"))
		}
		if _, err := srv.Store.FindRegion(context.Background(), "forged"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Error("a refused region was saved")
		}
	})

	r := admin.postForm(page, base+"/new", url.Values{"code": {"central"}, "name-en": {"Central District"}, "name-zh-Hans": {"中区"}})
	admin.mustStatus(r, 303)
	r = admin.postForm(admin.get(base+"/new?parent=central"), base+"/new", url.Values{"code": {"central-park"}, "parent": {"central"}, "name-en": {"Park"}})
	admin.mustStatus(r, 303)
	list = admin.get(r.Location)
	if !strings.Contains(text(list, ".notification"), "saved") || text(list, `tr[data-code="central-park"] .region-parent`) != "Central District" {
		t.Fatalf("created regions not listed: %s", text(list, "tbody"))
	}
	// A name missing in Chinese falls back to English, marked as English.
	zh = admin.get("/zh-Hans/admin/regions")
	if a := zh.Doc.Find(`tr[data-code="central-park"] .region-name a`); a.Text() != "Park" || a.AttrOr("lang", "") != "en" {
		t.Fatalf("fallback name: %q lang=%q", a.Text(), a.AttrOr("lang", ""))
	}
	if got := text(zh, `tr[data-code="central"] .region-name`); got != "中区" {
		t.Fatalf("central in zh-Hans: %q", got)
	}

	// Re-parent and rename.
	edit := admin.get(base + "/central-park")
	admin.mustStatus(edit, 200)
	if edit.Doc.Find("#name-en").AttrOr("value", "") != "Park" || edit.Doc.Find(`#parent option[value="central"][selected]`).Length() != 1 {
		t.Fatalf("edit form: %s", text(edit, "form"))
	}
	admin.mustStatus(admin.postForm(edit, base+"/central-park", url.Values{"parent": {"north"}, "name-en": {"Central Park"}, "name-zh-Hans": {"中央公园"}}), 303)
	moved, _ := srv.Store.FindRegion(context.Background(), "central-park")
	if moved.ParentCode != "north" || moved.Name["zh-Hans"] != "中央公园" {
		t.Fatalf("not moved or renamed: %+v", moved)
	}

	t.Run("ErrCycle", func(t *testing.T) {
		ne := admin.get(base + "/north")
		// Neither the region nor its parts are offered as its parent.
		for _, code := range []string{"north", "north-riverside", "central-park"} {
			if ne.Doc.Find(`#parent option[value="`+code+`"]`).Length() != 0 {
				t.Errorf("%s offered as the parent of north", code)
			}
		}
		r := admin.postForm(ne, base+"/north", url.Values{"parent": {"central-park"}, "name-en": {"North District"}})
		admin.mustStatus(r, 422)
		if !strings.Contains(text(r, ".error-summary"), "cannot be part of one of its own parts") || r.Doc.Find(`.error-summary a[href="#parent"]`).Length() != 1 {
			t.Fatalf("cycle error: %s", text(r, ".error-summary"))
		}
		r = admin.postForm(ne, base+"/north", url.Values{"parent": {"north"}, "name-en": {"North District"}})
		admin.mustStatus(r, 422)
		zr := admin.postForm(admin.get("/zh-Hans/admin/regions/north"), "/zh-Hans/admin/regions/north", url.Values{"parent": {"north-hillside"}, "name-en": {"North District"}})
		admin.mustStatus(zr, 422)
		if !strings.Contains(text(zr, ".error-summary"), "不能隶属于它自己的下属片区") {
			t.Fatalf("cycle error in zh-Hans: %s", text(zr, ".error-summary"))
		}
		if n, _ := srv.Store.FindRegion(context.Background(), "north"); n.ParentCode != "" {
			t.Fatal("a refused cycle was saved")
		}
	})

	t.Run("DeleteRefused", func(t *testing.T) {
		d := admin.get(base + "/north/delete")
		admin.mustStatus(d, 200)
		if !strings.Contains(text(d, ".delete-reason"), "It has 3 parts") || d.Doc.Find(`form[action="/en/admin/regions/north/delete"]`).Length() != 0 {
			t.Fatalf("delete page of a parent: %s", text(d, "main"))
		}
		r := admin.post(base+"/north/delete", url.Values{"_csrf": {admin.csrf()}})
		admin.mustStatus(r, 409)
		if !strings.Contains(text(r, ".delete-reason"), "It has 3 parts") {
			t.Fatalf("refused delete: %s", text(r, "main"))
		}
		// A region somebody chose stays.
		learner := srv.client(t)
		reg := learner.get("/en/register")
		learner.mustStatus(learner.postForm(reg, "/en/register", url.Values{"email": {"river@example.org"}, "display_name": {"River"},
			"password": {"a long enough password"}, "region": {"north-riverside"}}), 303)
		r = admin.post(base+"/north-riverside/delete", url.Values{"_csrf": {admin.csrf()}})
		admin.mustStatus(r, 409)
		if got := text(r, ".delete-reason"); !strings.Contains(got, "1 person has chosen this region") {
			t.Fatalf("refused delete with a user: %q", got)
		}
		zr := admin.get("/zh-Hans/admin/regions/north-riverside/delete")
		if got := text(zr, ".delete-reason"); !strings.Contains(got, "有 1 人选择了此地区") {
			t.Fatalf("refused delete in zh-Hans: %q", got)
		}
		if got := text(admin.get(base), `tr[data-code="north-riverside"] .region-users`); got != "1" {
			t.Fatalf("user count: %q", got)
		}
		if got := text(admin.get(base), `tr[data-code="north"] .region-total`); got != "1" {
			t.Fatalf("total with parts: %q", got)
		}
	})

	// A leaf nobody chose goes, after the confirmation page.
	d := admin.get(base + "/central-park/delete")
	admin.mustStatus(d, 200)
	r = admin.postForm(d, base+"/central-park/delete", nil)
	admin.mustStatus(r, 303)
	if _, err := srv.Store.FindRegion(context.Background(), "central-park"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatal("region not deleted")
	}
	if !strings.Contains(text(admin.get(r.Location), ".notification"), "deleted") {
		t.Fatal("no confirmation banner")
	}
	admin.mustStatus(admin.get(base+"/central-park"), 404)
	admin.mustStatus(admin.get(base+"/Bad_Code"), 404)

	for action, n := range map[string]int{"region:create": 1, "region:update": 1, "region:delete": 1} {
		if got := auditCount(t, srv, "region", "central-park", action); got != n {
			t.Errorf("%s entries: %d, want %d", action, got, n)
		}
	}
	if auditCount(t, srv, "region", "north", "region:update") != 0 {
		t.Error("a refused change was audited")
	}
}

// TestAdminOrganization_Workflow: an administrator adds, renames and deletes
// organizations; one with members cannot be deleted.
func TestAdminOrganization_Workflow(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	base := "/en/admin/organizations"
	list := admin.get(base)
	admin.mustStatus(list, 200)
	if list.Doc.Find("tr.org-row").Length() != 0 {
		t.Fatal("organizations out of nowhere")
	}

	page := admin.get(base + "/new")
	r := admin.postForm(page, base+"/new", url.Values{"code": {""}, "name-en": {strings.Repeat("x", 101)}})
	admin.mustStatus(r, 422)
	if r.Doc.Find(`.error-summary a[href="#code"]`).Length() != 1 || !strings.Contains(text(r, ".error-summary"), "100 characters or fewer") {
		t.Fatalf("bad organization: %s", text(r, ".error-summary"))
	}
	r = admin.postForm(page, base+"/new", url.Values{"code": {"new"}, "name-en": {"New"}})
	admin.mustStatus(r, 422)
	admin.mustStatus(admin.postForm(page, base+"/new", url.Values{"code": {"library"}, "name-en": {"City library"}, "name-zh-Hans": {"市图书馆"}}), 303)
	admin.mustStatus(admin.postForm(page, base+"/new", url.Values{"code": {"school"}, "name-en": {"School"}}), 303)
	r = admin.postForm(page, base+"/new", url.Values{"code": {"library"}, "name-en": {"Other"}})
	admin.mustStatus(r, 422)

	list = admin.get(base)
	if text(list, `tr[data-code="library"] .org-name`) != "City library" || text(admin.get("/zh-Hans/admin/organizations"), `tr[data-code="library"] .org-name`) != "市图书馆" {
		t.Fatal("names not shown per locale")
	}
	edit := admin.get(base + "/school")
	admin.mustStatus(edit, 200)
	admin.mustStatus(admin.postForm(edit, base+"/school", url.Values{"name-en": {"North school"}, "name-zh-Hans": {"北区学校"}}), 303)
	if got := text(admin.get("/zh-Hans/admin/organizations"), `tr[data-code="school"] .org-name`); got != "北区学校" {
		t.Fatalf("renamed in zh-Hans: %q", got)
	}
	r = admin.postForm(edit, base+"/school", url.Values{"name-en": {""}, "name-zh-Hans": {"北区学校"}})
	admin.mustStatus(r, 422)

	// A member keeps the organization.
	learner := srv.signedIn(t, "pupil@example.org")
	me := learner.get("/en/me")
	learner.mustStatus(learner.postForm(me, "/en/me/affiliation", url.Values{"organization": {"school"}}), 303)
	if got := text(admin.get(base), `tr[data-code="school"] .org-users`); got != "1" {
		t.Fatalf("member count: %q", got)
	}
	d := admin.get(base + "/school/delete")
	if !strings.Contains(text(d, ".delete-reason"), "1 person belongs to this organization") {
		t.Fatalf("delete page of a used organization: %s", text(d, "main"))
	}
	r = admin.post(base+"/school/delete", url.Values{"_csrf": {admin.csrf()}})
	admin.mustStatus(r, 409)

	d = admin.get(base + "/library/delete")
	admin.mustStatus(admin.postForm(d, base+"/library/delete", nil), 303)
	if _, err := srv.Store.FindOrganization(context.Background(), "library"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatal("organization not deleted")
	}
	admin.mustStatus(admin.get(base+"/library"), 404)
	for _, tc := range []struct{ code, action string }{{"library", "organization:create"}, {"library", "organization:delete"},
		{"school", "organization:create"}, {"school", "organization:update"}} {
		if auditCount(t, srv, "organization", tc.code, tc.action) != 1 {
			t.Errorf("no %s entry for %s", tc.action, tc.code)
		}
	}
	if auditCount(t, srv, "organization", "school", "organization:delete") != 0 {
		t.Error("a refused delete was audited")
	}
}

// TestAccount_Affiliation: a learner may give a region and an organization
// on registration and change them on /me; forged values are refused with a
// localized error and nothing saved; the export shows them.
func TestAccount_Affiliation(t *testing.T) {
	srv := MustOpenServer(t)
	srv.mustOrg(t, "library", app.Text{"en": "City library", "zh-Hans": "市图书馆"})
	c := srv.client(t)
	page := c.get("/zh-Hans/register")
	c.mustStatus(page, 200)
	region := page.Doc.Find("select#region")
	if region.Find(`option[value=""]`).Text() != "不愿透露" || region.Find(`option[value="north"]`).Text() != "北区" ||
		!strings.HasSuffix(region.Find(`option[value="north-riverside"]`).Text(), "河滨") {
		t.Fatalf("region select: %s", region.Text())
	}
	if page.Doc.Find(`select#organization option[value="library"]`).Text() != "市图书馆" {
		t.Fatal("organization select")
	}
	if !strings.Contains(text(page, "#affiliation-hint"), "匿名统计") {
		t.Fatalf("no explanation: %q", text(page, "#affiliation-hint"))
	}

	t.Run("ErrForged", func(t *testing.T) {
		r := c.postForm(page, "/zh-Hans/register", url.Values{"email": {"forged@example.org"}, "display_name": {"F"},
			"password": {"a long enough password"}, "region": {"atlantis"}, "organization": {"9999"}})
		c.mustStatus(r, 422)
		if r.Doc.Find(`.error-summary a[href="#region"]`).Length() != 1 || !strings.Contains(text(r, "#region-error"), "请从列表中选择地区") ||
			r.Doc.Find(`.error-summary a[href="#organization"]`).Length() != 1 {
			t.Fatalf("forged values: %s", text(r, ".error-summary"))
		}
		if _, err := srv.Store.FindUserByEmail(context.Background(), "forged@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatal("an account was created with forged values")
		}
	})

	r := c.postForm(page, "/zh-Hans/register", url.Values{"email": {"ana@example.org"}, "display_name": {"Ana"},
		"password": {"a long enough password"}, "region": {"south-harbour"}, "organization": {"library"}})
	c.mustStatus(r, 303)
	if aff := srv.mustAffiliation(t, "ana@example.org"); aff != (store.Affiliation{RegionCode: "south-harbour", OrganizationCode: "library"}) {
		t.Fatalf("stored: %+v", aff)
	}

	me := c.get("/en/me")
	c.mustStatus(me, 200)
	if me.Doc.Find(`#region option[value="south-harbour"][selected]`).Length() != 1 || me.Doc.Find(`#organization option[value="library"][selected]`).Length() != 1 {
		t.Fatal("/me does not show the choice")
	}
	t.Run("ErrForgedOnMe", func(t *testing.T) {
		r := c.postForm(me, "/en/me/affiliation", url.Values{"region": {"north"}, "organization": {"nope"}})
		c.mustStatus(r, 422)
		if !strings.Contains(text(r, "#organization-error"), "Choose an organization from the list") {
			t.Fatalf("forged organization: %s", text(r, ".error-summary"))
		}
		if aff := srv.mustAffiliation(t, "ana@example.org"); aff.RegionCode != "south-harbour" || aff.OrganizationCode != "library" {
			t.Fatalf("a refused change was saved: %+v", aff)
		}
	})
	r = c.postForm(me, "/en/me/affiliation", url.Values{"region": {"north"}, "organization": {""}})
	c.mustStatus(r, 303)
	if aff := srv.mustAffiliation(t, "ana@example.org"); aff != (store.Affiliation{RegionCode: "north"}) {
		t.Fatalf("after change: %+v", aff)
	}
	if !strings.Contains(text(c.get(r.Location), ".notification"), "saved") {
		t.Fatal("no confirmation")
	}

	exp := c.get("/en/me/export")
	c.mustStatus(exp, 200)
	var data struct {
		Account struct {
			Region       *struct{ Code, Name string } `json:"region"`
			Organization *struct{ Code, Name string } `json:"organization"`
		} `json:"account"`
	}
	if err := json.Unmarshal([]byte(exp.Body), &data); err != nil {
		t.Fatal(err)
	}
	if data.Account.Region == nil || data.Account.Region.Code != "north" || data.Account.Region.Name != "North District" || data.Account.Organization != nil {
		t.Fatalf("export: %s", exp.Body[:min(len(exp.Body), 400)])
	}

	// Registering without a choice stores none.
	d := srv.client(t)
	dp := d.get("/en/register")
	d.mustStatus(d.postForm(dp, "/en/register", url.Values{"email": {"quiet@example.org"}, "display_name": {"Q"}, "password": {"a long enough password"}}), 303)
	if aff := srv.mustAffiliation(t, "quiet@example.org"); aff != (store.Affiliation{}) {
		t.Fatalf("prefer not to say stored %+v", aff)
	}
	if !strings.Contains(d.get("/en/me/export").Body, `"region": null`) {
		t.Fatal("export of no region is not null")
	}
}
