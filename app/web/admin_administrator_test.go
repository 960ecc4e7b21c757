package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/PuerkitoBio/goquery"
	"github.com/alexedwards/argon2id"
	"github.com/chromedp/chromedp"
)

// adminCSRF returns a valid _csrf value for the client: from the login
// form for a visitor, from the header's sign-out form when signed in.
func adminCSRF(tb testing.TB, c *client) string {
	tb.Helper()
	page := "/en/login"
	if _, ok := c.cookies["beacon_session"]; ok {
		page = "/en/me"
	}
	r := c.get(page)
	c.mustStatus(r, 200)
	token := r.Doc.Find(`input[name="_csrf"]`).First().AttrOr("value", "")
	if token == "" && page != "/en/login" { // the shared login page carries none
		tb.Fatalf("no CSRF token on %s", page)
	}
	return token
}

// adminUser returns the stored account with email.
func adminUser(tb testing.TB, srv *testServer, email string) *app.User {
	tb.Helper()
	u, err := srv.Store.FindUserByEmail(context.Background(), email)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// adminAuditCount counts the audit entries matching f.
func adminAuditCount(tb testing.TB, srv *testServer, f store.AuditFilter) int {
	tb.Helper()
	f.Limit = 500
	entries, err := srv.Store.Audit(context.Background(), f)
	if err != nil {
		tb.Fatal(err)
	}
	return len(entries)
}

func adminSetting(tb testing.TB, srv *testServer, key, def string) string {
	tb.Helper()
	v, err := srv.Store.Setting(context.Background(), key, def)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestAdministrator_Access(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	learner := srv.signedIn(t, "learner@example.org")
	educator := srv.signedIn(t, "educator@example.org", app.RoleEducator)
	organizer := srv.signedIn(t, "organizer@example.org", app.RoleOrganizer, app.RoleReviewer)
	id := strconv.FormatInt(adminUser(t, srv, "learner@example.org").ID, 10)

	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/en/admin/users", nil},
		{"GET", "/en/admin/users/" + id, nil},
		{"POST", "/en/admin/users/" + id, url.Values{"roles": {app.RoleLearner, app.RoleEducator}}},
		{"GET", "/en/admin/settings", nil},
		{"POST", "/en/admin/settings", url.Values{"four_eyes": {"on"}, "small_group_k": {"5"}}},
		{"GET", "/en/admin/audit", nil},
	}

	t.Run("RouteTable", func(t *testing.T) {
		want := map[string]bool{}
		for _, r := range routes {
			want[r.method+" "+strings.Replace(r.path, "/en/", "/:lang/", 1)] = true
		}
		want["GET /:lang/admin/users/:id"], want["POST /:lang/admin/users/:id"] = true, true
		delete(want, "GET /:lang/admin/users/"+id)
		delete(want, "POST /:lang/admin/users/"+id)
		found := 0
		for _, r := range srv.Routes() {
			if want[r.Method+" "+r.Path] {
				found++
				if r.Access != app.RoleAdministrator {
					t.Errorf("%s %s has access %q, want administrator", r.Method, r.Path, r.Access)
				}
			}
		}
		if found != len(want) {
			t.Fatalf("found %d of the %d administrator routes in the table", found, len(want))
		}
	})

	for _, rt := range routes {
		t.Run(rt.method+rt.path, func(t *testing.T) {
			send := func(c *client) *response {
				if rt.method == "GET" {
					return c.get(rt.path)
				}
				form := url.Values{"_csrf": {adminCSRF(t, c)}}
				for k, v := range rt.form {
					form[k] = v
				}
				return c.post(rt.path, form)
			}
			anon := srv.client(t)
			r := send(anon)
			if rt.method == "GET" {
				anon.mustStatus(r, 303)
				if want := "/en/login?next=" + url.QueryEscape(rt.path); r.Location != want {
					t.Fatalf("anonymous sent to %q, want %q", r.Location, want)
				}
			} else {
				anon.mustStatus(r, 401)
			}
			for name, c := range map[string]*client{"learner": learner, "educator": educator, "organizer+reviewer": organizer} {
				if r := send(c); r.Status != 403 {
					t.Fatalf("%s got %d, want 403", name, r.Status)
				}
			}
			r = send(admin)
			if rt.method == "GET" {
				admin.mustStatus(r, 200)
				if r.Doc.Find("nav.admin-nav").Length() != 1 || r.Doc.Find("h1").Length() != 1 {
					t.Fatal("admin page without its navigation or heading")
				}
			} else {
				admin.mustStatus(r, 303)
			}
		})
	}

	t.Run("Chinese", func(t *testing.T) {
		for _, p := range []string{"/zh-Hans/admin/users", "/zh-Hans/admin/users/" + id, "/zh-Hans/admin/settings", "/zh-Hans/admin/audit"} {
			r := admin.get(p)
			admin.mustStatus(r, 200)
			if got := r.Doc.Find("html").AttrOr("lang", ""); got != "zh-Hans" {
				t.Fatalf("%s: lang %q", p, got)
			}
			if h1 := text(r, "h1"); !strings.ContainsAny(h1, "用户编辑设置审计日志") {
				t.Fatalf("%s: heading %q is not Chinese", p, h1)
			}
		}
	})
}

func TestAdminUsers_Search(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	for _, u := range []*app.User{
		{Email: "ana.silva@example.org", DisplayName: "Ana Silva", Roles: []string{app.RoleLearner}},
		{Email: "bo@example.org", DisplayName: "Bo Chen", Roles: []string{app.RoleEducator}},
	} {
		u.PasswordHash = "x"
		if err := srv.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 55 {
		if err := srv.Store.CreateUser(ctx, &app.User{Email: fmt.Sprintf("bulk%02d@example.org", i), DisplayName: "Bulk", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	emails := func(r *response) []string {
		var out []string
		r.Doc.Find("tr.user-row .user-email").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
		return out
	}
	tests := []struct {
		name, query string
		want        []string
	}{
		{name: "EmailPart", query: "q=silva", want: []string{"ana.silva@example.org"}},
		{name: "EmailPartOtherCase", query: "q=ANA.S", want: []string{"ana.silva@example.org"}},
		{name: "NamePart", query: "q=chen", want: []string{"bo@example.org"}},
		{name: "Role", query: "role=educator", want: []string{"bo@example.org"}},
		{name: "RoleAndQuery", query: "role=educator&q=silva", want: nil},
		{name: "WildcardIsText", query: "q=" + url.QueryEscape("%"), want: nil},
		{name: "UnknownRoleIgnored", query: "role=superuser&q=bo%40", want: []string{"bo@example.org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.get("/en/admin/users?" + tt.query)
			admin.mustStatus(r, 200)
			if got := emails(r); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("RowShowsRolesAndLink", func(t *testing.T) {
		r := admin.get("/en/admin/users?q=bo%40")
		row := r.Doc.Find("tr.user-row").First()
		if got := strings.TrimSpace(row.Find(".user-roles").Text()); got != "Educator" {
			t.Fatalf("roles cell %q", got)
		}
		if got := strings.TrimSpace(row.Find(".user-state").Text()); got != "Active" {
			t.Fatalf("state cell %q", got)
		}
		bo := adminUser(t, srv, "bo@example.org")
		if href := row.Find("a.user-edit").AttrOr("href", ""); href != fmt.Sprintf("/en/admin/users/%d", bo.ID) {
			t.Fatalf("edit link %q", href)
		}
	})

	t.Run("PagingKeepsFilter", func(t *testing.T) {
		r := admin.get("/en/admin/users?q=bulk")
		admin.mustStatus(r, 200)
		if got := text(r, ".result-count"); !strings.HasPrefix(got, "55 accounts") {
			t.Fatalf("count %q", got)
		}
		if n := len(emails(r)); n != 50 {
			t.Fatalf("first page shows %d accounts, want 50", n)
		}
		if r.Doc.Find(".pager-prev").Length() != 0 {
			t.Fatal("first page links a previous page")
		}
		next := r.Doc.Find(".pager-next a").AttrOr("href", "")
		if next != "/en/admin/users?page=2&q=bulk" {
			t.Fatalf("next link %q", next)
		}
		r2 := admin.get(next)
		admin.mustStatus(r2, 200)
		if got := emails(r2); len(got) != 5 || got[0] != "bulk50@example.org" {
			t.Fatalf("second page %v", got)
		}
		if prev := r2.Doc.Find(".pager-prev a").AttrOr("href", ""); prev != "/en/admin/users?q=bulk" {
			t.Fatalf("previous link %q", prev)
		}
		if r2.Doc.Find(".pager-next").Length() != 0 {
			t.Fatal("last page links a next page")
		}
		if got := text(admin.get("/en/admin/users?page=nope&q=bulk"), ".result-count"); !strings.HasPrefix(got, "55 accounts") {
			t.Fatalf("bad page number: count %q", got)
		}
	})
}

func TestAdminUsers_EditRoles(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	srv.signedIn(t, "learner@example.org")
	target := adminUser(t, srv, "learner@example.org")
	path := fmt.Sprintf("/en/admin/users/%d", target.ID)

	page := admin.get(path)
	admin.mustStatus(page, 200)
	if !page.Doc.Find(`input[name=roles][value=learner]`).Is("[checked]") || page.Doc.Find(`input[name=roles][value=educator]`).Is("[checked]") {
		t.Fatal("the form does not show the current roles")
	}
	if page.Doc.Find(".notice").Length() != 0 {
		t.Fatal("the self-lockout notice shows on another account")
	}
	r := admin.postForm(page, path, url.Values{"roles": {app.RoleEducator, app.RoleLearner}})
	admin.mustStatus(r, 303)
	if r.Location != path {
		t.Fatalf("redirect to %q", r.Location)
	}
	after := admin.get(r.Location)
	if got := text(after, ".notification-success"); got != "The account has been saved." {
		t.Fatalf("flash %q", got)
	}
	if !after.Doc.Find(`input[name=roles][value=educator]`).Is("[checked]") {
		t.Fatal("the saved role is not ticked")
	}
	if got := adminUser(t, srv, "learner@example.org").Roles; strings.Join(got, ",") != "learner,educator" {
		t.Fatalf("database roles %v", got)
	}

	// The change is in the audit log, found by the person who made it.
	log := admin.get("/en/admin/audit?person=" + url.QueryEscape("ROOT@example.org"))
	admin.mustStatus(log, 200)
	rows := log.Doc.Find("tr.audit-entry")
	if rows.Length() != 1 {
		t.Fatalf("%d audit rows for root, want 1", rows.Length())
	}
	if got := strings.TrimSpace(rows.Find(".audit-action").Text()); got != "user:update" {
		t.Fatalf("action %q", got)
	}
	if got := strings.Join(strings.Fields(rows.Find(".audit-object").Text()), " "); got != fmt.Sprintf("user %d", target.ID) {
		t.Fatalf("object %q", got)
	}
	if got := strings.TrimSpace(rows.Find(".audit-who").Text()); got != "root@example.org" {
		t.Fatalf("who %q", got)
	}
	if b, a := rows.Find("details pre.audit-before").Text(), rows.Find("details pre.audit-after").Text(); !strings.Contains(b, `"learner"`) || strings.Contains(b, "educator") || !strings.Contains(a, `"educator"`) {
		t.Fatalf("before %s / after %s", b, a)
	}
	if rows.Find("time").AttrOr("datetime", "") == "" || !strings.Contains(rows.Find(".audit-when").Text(), "UTC") {
		t.Fatalf("when %q", rows.Find(".audit-when").Text())
	}
	if n := admin.get("/en/admin/audit?person=learner%40example.org").Doc.Find("tr.audit-entry").Length(); n != 0 {
		t.Fatalf("%d entries for a person who changed nothing", n)
	}
	// Saving the same roles again changes nothing and logs nothing.
	admin.mustStatus(admin.postForm(after, path, url.Values{"roles": {app.RoleLearner, app.RoleEducator}}), 303)
	if n := adminAuditCount(t, srv, store.AuditFilter{ObjectType: "user"}); n != 1 {
		t.Fatalf("%d user audit entries, want 1", n)
	}
}

func TestAdminUsers_Refused(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator, app.RoleEducator)
	srv.signedIn(t, "learner@example.org")
	self := adminUser(t, srv, "root@example.org")
	other := adminUser(t, srv, "learner@example.org")
	selfPath := fmt.Sprintf("/en/admin/users/%d", self.ID)
	otherPath := fmt.Sprintf("/en/admin/users/%d", other.ID)

	tests := []struct {
		name   string
		path   string
		fields url.Values
		field  string // the id the error summary links to
		want   string
	}{
		{name: "ErrSelfAdmin", path: selfPath, fields: url.Values{"roles": {app.RoleEducator}}, field: "roles",
			want: "You cannot remove your own administrator role"},
		{name: "ErrSelfDisable", path: selfPath, fields: url.Values{"roles": {app.RoleAdministrator, app.RoleEducator}, "disabled": {"on"}}, field: "disabled",
			want: "You cannot disable your own account"},
		{name: "ErrNoRole", path: otherPath, fields: url.Values{"roles": nil}, field: "roles", want: "Select at least one role"},
		{name: "ErrUnknownRole", path: otherPath, fields: url.Values{"roles": {"superuser", app.RoleLearner}}, field: "roles", want: "Select roles from the list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := admin.get(tt.path)
			admin.mustStatus(page, 200)
			r := admin.postForm(page, tt.path, tt.fields)
			admin.mustStatus(r, 422)
			if got := r.Doc.Find(`.error-summary a[href="#` + tt.field + `"]`).Text(); !strings.Contains(got, tt.want) {
				t.Fatalf("error summary %q, want %q", text(r, ".error-summary"), tt.want)
			}
			if got := text(r, "#"+tt.field+"-error"); !strings.Contains(got, tt.want) {
				t.Fatalf("field error %q", got)
			}
		})
	}
	if got := adminUser(t, srv, "root@example.org"); strings.Join(got.Roles, ",") != "educator,administrator" && strings.Join(got.Roles, ",") != "administrator,educator" || got.Disabled {
		t.Fatalf("refused changes were saved: %+v", got)
	}
	if got := adminUser(t, srv, "learner@example.org").Roles; strings.Join(got, ",") != "learner" {
		t.Fatalf("refused changes were saved: %v", got)
	}
	if n := adminAuditCount(t, srv, store.AuditFilter{}); n != 0 {
		t.Fatalf("%d audit entries after refused changes", n)
	}
	// The administrator is still signed in and still an administrator.
	admin.mustStatus(admin.get("/en/admin/users"), 200)
	if admin.get(selfPath).Doc.Find(".notice").Length() != 1 {
		t.Fatal("no self-lockout notice on one's own account")
	}

	t.Run("NotFound", func(t *testing.T) {
		for _, p := range []string{"/en/admin/users/999999", "/en/admin/users/nope", "/en/admin/users/-1", "/en/admin/users/0", "/en/admin/users/99999999999999999999"} {
			if r := admin.get(p); r.Status != 404 {
				t.Errorf("GET %s: %d, want 404", p, r.Status)
			}
		}
		r := admin.post("/en/admin/users/999999", url.Values{"_csrf": {adminCSRF(t, admin)}, "roles": {"learner"}})
		admin.mustStatus(r, 404)
	})
}

func TestAdminUsers_DisableEndsSessions(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	victim := srv.signedIn(t, "victim@example.org", app.RoleEducator)
	victim.mustStatus(victim.get("/en/admin/"), 200)
	oldSession := victim.cookies["beacon_session"]
	id := adminUser(t, srv, "victim@example.org").ID
	path := fmt.Sprintf("/en/admin/users/%d", id)

	page := admin.get(path)
	admin.mustStatus(admin.postForm(page, path, url.Values{"roles": {app.RoleEducator}, "disabled": {"on"}}), 303)
	if !adminUser(t, srv, "victim@example.org").Disabled {
		t.Fatal("not disabled in the database")
	}
	// The session the victim already had stops working at once.
	r := victim.get("/en/admin/")
	victim.mustStatus(r, 303)
	if !strings.HasPrefix(r.Location, "/en/login") {
		t.Fatalf("disabled account sent to %q", r.Location)
	}
	login := func() *response {
		c := srv.client(t)
		page := c.get("/en/login")
		return c.postForm(page, "/en/login", url.Values{"email": {"victim@example.org"}, "password": {"a test password"}})
	}
	if r := login(); r.Status != 422 {
		t.Fatalf("disabled account signs in: %d", r.Status)
	}
	list := admin.get("/en/admin/users?q=victim")
	if got := strings.TrimSpace(list.Doc.Find("tr.user-row .user-state").Text()); got != "Disabled" {
		t.Fatalf("state %q", got)
	}
	// Enabling again lets the person sign in; the old session stays ended.
	page = admin.get(path)
	if !page.Doc.Find("input#disabled").Is("[checked]") {
		t.Fatal("the disabled box is not ticked")
	}
	admin.mustStatus(admin.postForm(page, path, url.Values{"roles": {app.RoleEducator}, "disabled": nil}), 303)
	if r := login(); r.Status != 303 {
		t.Fatalf("enabled account cannot sign in: %d", r.Status)
	}
	victim.cookies["beacon_session"] = oldSession
	victim.mustStatus(victim.get("/en/admin/"), 303)
}

func TestAdminSettings_Save(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	page := admin.get("/en/admin/settings")
	admin.mustStatus(page, 200)
	if !page.Doc.Find(`input[name=four_eyes][value=on]`).Is("[checked]") {
		t.Fatal("four-eyes is not on by default")
	}
	if got := page.Doc.Find(`input[name=small_group_k]`).AttrOr("value", ""); got != "5" {
		t.Fatalf("K shows %q, want the default 5", got)
	}
	if page.Doc.Find(`input[name="site_name.en"]`).Length() != 1 || page.Doc.Find(`input[name="site_name.zh-Hans"]`).Length() != 1 {
		t.Fatal("no site name input per locale")
	}

	if got := page.Doc.Find(`input[name=stats_noise]`).AttrOr("value", ""); got != "2" {
		t.Fatalf("statistics noise shown as %q, want the default 2", got)
	}
	r := admin.postForm(page, "/en/admin/settings", url.Values{"four_eyes": {"off"}, "small_group_k": {"7"}, "stats_noise": {"3"},
		"site_name.en": {"  Safe City  "}, "site_name.zh-Hans": {"平安城市"}})
	admin.mustStatus(r, 303)
	after := admin.get(r.Location)
	if got := text(after, ".notification-success"); got != "The settings have been saved." {
		t.Fatalf("flash %q", got)
	}
	if !after.Doc.Find(`input[name=four_eyes][value=off]`).Is("[checked]") || after.Doc.Find(`input[name=small_group_k]`).AttrOr("value", "") != "7" {
		t.Fatal("the form does not show the saved values")
	}
	if v := adminSetting(t, srv, "four_eyes", "on"); v != "off" {
		t.Fatalf("four_eyes stored as %q", v)
	}
	if v := adminSetting(t, srv, "small_group_k", "5"); v != "7" {
		t.Fatalf("small_group_k stored as %q", v)
	}
	if v := adminSetting(t, srv, "stats_noise", "2"); v != "3" {
		t.Fatalf("stats_noise stored as %q", v)
	}
	if got := text(admin.get("/en/admin/stats"), ".stats-k"); !strings.Contains(got, "fewer than 7") || !strings.Contains(got, "up to 3") {
		t.Fatalf("the dashboard does not follow the settings: %q", got)
	}
	visitor := srv.client(t)
	en := visitor.get("/en/")
	if got := text(en, ".brand"); got != "Safe City" {
		t.Fatalf("en header %q", got)
	}
	if got := text(en, "title"); !strings.HasSuffix(got, "Safe City") {
		t.Fatalf("en title %q", got)
	}
	zh := visitor.get("/zh-Hans/courses")
	if got := text(zh, ".brand"); got != "平安城市" {
		t.Fatalf("zh-Hans header %q", got)
	}
	if got := text(zh, "title"); !strings.HasSuffix(got, "平安城市") {
		t.Fatalf("zh-Hans title %q", got)
	}
	if n := adminAuditCount(t, srv, store.AuditFilter{ObjectType: "settings"}); n != 1 {
		t.Fatalf("%d settings audit entries, want 1", n)
	}

	// An empty name brings back the catalog's.
	page = admin.get("/en/admin/settings")
	admin.mustStatus(admin.postForm(page, "/en/admin/settings", url.Values{"four_eyes": {"off"}, "small_group_k": {"7"},
		"site_name.en": {""}, "site_name.zh-Hans": {"平安城市"}}), 303)
	if got := text(visitor.get("/en/"), ".brand"); got != srv.Bundle.Localizer("en").T("site.name", nil) {
		t.Fatalf("en header after clearing %q", got)
	}
	if got := text(visitor.get("/zh-Hans/"), ".brand"); got != "平安城市" {
		t.Fatalf("zh-Hans header %q", got)
	}
	if n := adminAuditCount(t, srv, store.AuditFilter{ObjectType: "settings"}); n != 2 {
		t.Fatalf("%d settings audit entries, want 2", n)
	}
}

func TestAdminSettings_Refused(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	tests := []struct {
		name   string
		fields url.Values
		field  string
		want   string
	}{
		{name: "ErrKTooSmall", fields: url.Values{"small_group_k": {"1"}}, field: "small_group_k", want: "Enter a whole number from 2 to 100"},
		{name: "ErrKTooLarge", fields: url.Values{"small_group_k": {"101"}}, field: "small_group_k", want: "Enter a whole number from 2 to 100"},
		{name: "ErrKNotANumber", fields: url.Values{"small_group_k": {"five"}}, field: "small_group_k", want: "Enter a whole number from 2 to 100"},
		{name: "ErrKEmpty", fields: url.Values{"small_group_k": {""}}, field: "small_group_k", want: "Enter a whole number from 2 to 100"},
		{name: "ErrNoiseTooLarge", fields: url.Values{"stats_noise": {"11"}}, field: "stats_noise", want: "Enter a whole number from 0 to 10"},
		{name: "ErrNoiseNotANumber", fields: url.Values{"stats_noise": {"two"}}, field: "stats_noise", want: "Enter a whole number from 0 to 10"},
		{name: "ErrFourEyes", fields: url.Values{"four_eyes": {"maybe"}}, field: "four_eyes", want: "Select whether the four-eyes rule is on or off"},
		{name: "ErrSiteNameLong", fields: url.Values{"site_name.en": {strings.Repeat("x", 101)}}, field: "site_name-en", want: "100 characters or fewer"},
		{name: "ErrSiteNameLines", fields: url.Values{"site_name.zh-Hans": {"a\nb"}}, field: "site_name-zh-Hans", want: "single line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := admin.get("/en/admin/settings")
			fields := url.Values{"four_eyes": {"off"}, "small_group_k": {"9"}, "site_name.en": {"Changed"}}
			for k, v := range tt.fields {
				fields[k] = v
			}
			r := admin.postForm(page, "/en/admin/settings", fields)
			admin.mustStatus(r, 422)
			if got := r.Doc.Find(`.error-summary a[href="#` + tt.field + `"]`).Text(); !strings.Contains(got, tt.want) {
				t.Fatalf("error summary %q, want %q", text(r, ".error-summary"), tt.want)
			}
			if got := text(r, "#"+tt.field+"-error"); !strings.Contains(got, tt.want) {
				t.Fatalf("field error %q", got)
			}
			if r.Doc.Find("#"+tt.field).Length() != 1 {
				t.Fatalf("the error summary links to #%s, which is not on the page", tt.field)
			}
		})
	}
	if v := adminSetting(t, srv, "four_eyes", "on"); v != "on" {
		t.Fatalf("four_eyes saved from a refused form: %q", v)
	}
	if v := adminSetting(t, srv, "small_group_k", "5"); v != "5" {
		t.Fatalf("small_group_k saved from a refused form: %q", v)
	}
	if got := text(srv.client(t).get("/en/"), ".brand"); got == "Changed" {
		t.Fatal("site name saved from a refused form")
	}
	if n := adminAuditCount(t, srv, store.AuditFilter{}); n != 0 {
		t.Fatalf("%d audit entries after refused forms", n)
	}
}

func TestAdminAudit_Filters(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	srv.signedIn(t, "learner@example.org")
	actor := adminUser(t, srv, "root@example.org")
	target := adminUser(t, srv, "learner@example.org")

	at := func(day int) {
		srv.Store.SetClock(func() time.Time { return time.Date(2027, 3, day, 23, 30, 0, 0, time.UTC) })
	}
	at(1)
	if err := srv.Store.UpdateUser(ctx, actor, target.ID, []string{app.RoleEducator}, false); err != nil {
		t.Fatal(err)
	}
	at(5)
	if err := srv.Store.SetSettings(ctx, actor, map[string]string{"site_name.en": "<b>Bold</b> & Co"}); err != nil {
		t.Fatal(err)
	}
	srv.Store.SetClock(func() time.Time { return time.Now().UTC() })

	actions := func(r *response) []string {
		var out []string
		r.Doc.Find("tr.audit-entry .audit-action").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	tests := []struct {
		name, query string
		want        []string
	}{
		{name: "All", query: "", want: []string{"settings:update", "user:update"}},
		{name: "TypeUser", query: "type=user", want: []string{"user:update"}},
		{name: "TypeSettings", query: "type=settings", want: []string{"settings:update"}},
		{name: "ObjectID", query: fmt.Sprintf("type=user&id=%d", target.ID), want: []string{"user:update"}},
		{name: "OtherObjectID", query: "type=user&id=999", want: nil},
		{name: "ToIsInclusive", query: "to=2027-03-01", want: []string{"user:update"}},
		{name: "FromOnly", query: "from=2027-03-02", want: []string{"settings:update"}},
		{name: "OneDay", query: "from=2027-03-05&to=2027-03-05", want: []string{"settings:update"}},
		{name: "BothDays", query: "from=2027-03-01&to=2027-03-05", want: []string{"settings:update", "user:update"}},
		{name: "DaysBefore", query: "to=2027-02-28", want: nil},
		{name: "Person", query: "person=root%40example.org&type=settings", want: []string{"settings:update"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.get("/en/admin/audit?" + tt.query)
			admin.mustStatus(r, 200)
			if got := actions(r); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("FilterFormKeepsValues", func(t *testing.T) {
		r := admin.get("/en/admin/audit?type=user&from=2027-03-01")
		if r.Doc.Find("form.audit-filter").AttrOr("method", "") != "get" {
			t.Fatal("the filter is not a GET form")
		}
		if r.Doc.Find("input#type").AttrOr("value", "") != "user" || r.Doc.Find("input#from").AttrOr("value", "") != "2027-03-01" {
			t.Fatal("the filter form forgets its values")
		}
	})

	t.Run("ChangesAreEscaped", func(t *testing.T) {
		r := admin.get("/en/admin/audit?type=settings")
		pre := r.Doc.Find("tr.audit-entry details pre.audit-after")
		if !strings.Contains(pre.Text(), "<b>Bold</b> & Co") || pre.Find("b").Length() != 0 {
			t.Fatalf("after %q is not shown as escaped text", pre.Text())
		}
	})

	t.Run("ErrDates", func(t *testing.T) {
		for _, tc := range []struct{ query, field, want string }{
			{"from=2027-02-30", "from", "Enter a real date"},
			{"to=yesterday", "to", "Enter a real date"},
			{"from=" + url.QueryEscape("<script>"), "from", "Enter a real date"},
			{"from=2027-03-05&to=2027-03-01", "to", "The end date must be the same as or after the start date"},
		} {
			r := admin.get("/en/admin/audit?" + tc.query)
			admin.mustStatus(r, 422)
			if got := text(r, "#"+tc.field+"-error"); !strings.Contains(got, tc.want) {
				t.Fatalf("%s: field error %q", tc.query, got)
			}
			if r.Doc.Find(`.error-summary a[href="#`+tc.field+`"]`).Length() != 1 {
				t.Fatalf("%s: no error summary link", tc.query)
			}
			if r.Doc.Find("tr.audit-entry").Length() != 0 {
				t.Fatalf("%s: entries shown for a filter that is not valid", tc.query)
			}
			if v, _ := url.ParseQuery(tc.query); r.Doc.Find("input#"+tc.field).AttrOr("value", "") != v.Get(tc.field) {
				t.Fatalf("%s: the form forgets what was typed", tc.query)
			}
			if r.Doc.Find("nav.admin-nav").Length() != 1 {
				t.Fatalf("%s: the page is broken", tc.query)
			}
		}
	})

	t.Run("OlderEntries", func(t *testing.T) {
		for i := range 105 {
			if err := srv.Store.SetSettings(ctx, actor, map[string]string{"small_group_k": strconv.Itoa(10 + i)}); err != nil {
				t.Fatal(err)
			}
		}
		r := admin.get("/en/admin/audit?type=settings")
		if n := len(actions(r)); n != 100 {
			t.Fatalf("first page shows %d entries, want 100", n)
		}
		if r.Doc.Find(".pager-prev").Length() != 0 {
			t.Fatal("the newest page links to newer entries")
		}
		older := r.Doc.Find(".pager-next a").AttrOr("href", "")
		if !strings.Contains(older, "type=settings") || !strings.Contains(older, "before=") {
			t.Fatalf("older link %q does not keep the filter", older)
		}
		r2 := admin.get(older)
		admin.mustStatus(r2, 200)
		if n := len(actions(r2)); n != 6 {
			t.Fatalf("second page shows %d entries, want 6", n)
		}
		if r2.Doc.Find(".pager-next").Length() != 0 || r2.Doc.Find(".pager-prev a").AttrOr("href", "") != "/en/admin/audit?type=settings" {
			t.Fatal("the last page's links are wrong")
		}
		firstIDs, secondIDs := map[string]bool{}, 0
		r.Doc.Find("tr.audit-entry").Each(func(_ int, s *goquery.Selection) { firstIDs[s.AttrOr("data-id", "")] = true })
		r2.Doc.Find("tr.audit-entry").Each(func(_ int, s *goquery.Selection) {
			if firstIDs[s.AttrOr("data-id", "")] {
				secondIDs++
			}
		})
		if secondIDs != 0 {
			t.Fatalf("%d entries shown on both pages", secondIDs)
		}
	})
}

func TestAdministrator_CSRF(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "root@example.org", app.RoleAdministrator)
	srv.signedIn(t, "learner@example.org")
	target := adminUser(t, srv, "learner@example.org")
	userPath := fmt.Sprintf("/en/admin/users/%d", target.ID)
	admin.mustStatus(admin.get(userPath), 200) // the admin has a CSRF cookie

	for _, tc := range []struct {
		name, path string
		form       url.Values
	}{
		{"UserMissing", userPath, url.Values{"roles": {app.RoleAdministrator}, "disabled": {"on"}}},
		{"UserForged", userPath, url.Values{"_csrf": {"forged"}, "roles": {app.RoleAdministrator}}},
		{"SettingsMissing", "/en/admin/settings", url.Values{"four_eyes": {"off"}, "small_group_k": {"9"}}},
		{"SettingsForged", "/en/admin/settings", url.Values{"_csrf": {"forged"}, "four_eyes": {"off"}, "small_group_k": {"9"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.post(tc.path, tc.form)
			admin.mustStatus(r, 403)
			if !strings.Contains(text(r, "main"), "This form has expired") {
				t.Fatalf("no localized CSRF message: %q", text(r, "main"))
			}
		})
	}
	if got := adminUser(t, srv, "learner@example.org"); strings.Join(got.Roles, ",") != "learner" || got.Disabled {
		t.Fatalf("a refused post changed the account: %+v", got)
	}
	if v := adminSetting(t, srv, "four_eyes", "on"); v != "on" {
		t.Fatalf("a refused post changed four_eyes: %q", v)
	}
	if n := adminAuditCount(t, srv, store.AuditFilter{}); n != 0 {
		t.Fatalf("%d audit entries after refused posts", n)
	}
}

// TestBrowser_AdministratorPages: an administrator searches accounts,
// changes roles, meets the self-lockout error, saves settings and filters
// the audit log — in Chromium with JavaScript off, axe-checked, in English
// and Chinese.
func TestBrowser_AdministratorPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	hash, _ := argon2id.CreateHash("a browser password", argon2id.DefaultParams)
	if err := srv.Store.CreateUser(context.Background(), &app.User{Email: "root@example.org", DisplayName: "Root", PasswordHash: hash,
		Roles: []string{app.RoleAdministrator}, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	srv.signedIn(t, "ana@example.org")
	self := adminUser(t, srv, "root@example.org")
	ana := adminUser(t, srv, "ana@example.org")

	b := newBrowser(t, base, "en")
	b.lang = "administrator-en"
	b.signIn("root@example.org", "a browser password")
	b.do(chromedp.Navigate(base + "/en/admin/users"))
	b.check("users")
	b.fill("#q", "ana@")
	b.click(`form[action="/en/admin/users"] button[type=submit]`)
	if n := b.count("tr.user-row"); n != 1 {
		t.Fatalf("search shows %d rows", n)
	}
	b.click(fmt.Sprintf(`a[href="/en/admin/users/%d"]`, ana.ID))
	b.check("user-edit")
	b.do(chromedp.Click(chromedp.CSS("#roles-educator")))
	b.click(fmt.Sprintf(`form[action="/en/admin/users/%d"] button[type=submit]`, ana.ID))
	if got := b.text(".notification-success"); got != "The account has been saved." {
		t.Fatalf("after saving: %q", got)
	}
	if got := adminUser(t, srv, "ana@example.org").Roles; strings.Join(got, ",") != "learner,educator" {
		t.Fatalf("roles %v", got)
	}
	b.do(chromedp.Navigate(fmt.Sprintf("%s/en/admin/users/%d", base, self.ID)))
	b.do(chromedp.Click(chromedp.CSS("#disabled")))
	b.click(fmt.Sprintf(`form[action="/en/admin/users/%d"] button[type=submit]`, self.ID))
	if n := b.count(".error-summary"); n != 1 {
		t.Fatal("self-lockout shows no error summary")
	}
	b.check("user-edit-error")

	b.do(chromedp.Navigate(base + "/en/admin/settings"))
	b.check("settings")
	b.do(chromedp.Click(chromedp.CSS("#four_eyes-off")))
	b.fill("#site_name-en", "Safe City")
	b.click(`form[action="/en/admin/settings"] button[type=submit]`)
	if got := b.text(".brand"); got != "Safe City" {
		t.Fatalf("header after saving %q", got)
	}
	b.do(chromedp.SetValue(chromedp.CSS("#small_group_k"), "1"))
	b.click(`form[action="/en/admin/settings"] button[type=submit]`)
	if n := b.count("#small_group_k-error"); n != 1 {
		t.Fatal("K out of range shows no field error")
	}
	b.check("settings-error")

	b.do(chromedp.Navigate(base + "/en/admin/audit"))
	b.check("audit")
	if n := b.count("tr.audit-entry"); n != 2 {
		t.Fatalf("audit log shows %d entries, want 2", n)
	}
	b.do(chromedp.Navigate(base + "/en/admin/audit?from=2027-02-30"))
	b.check("audit-error")

	zh := newBrowser(t, base, "zh-CN")
	zh.lang = "administrator-zh-Hans"
	zh.signIn("root@example.org", "a browser password")
	for _, p := range []string{"/zh-Hans/admin/users", fmt.Sprintf("/zh-Hans/admin/users/%d", ana.ID), "/zh-Hans/admin/settings", "/zh-Hans/admin/audit"} {
		zh.do(chromedp.Navigate(base + p))
		zh.check(strings.ReplaceAll(strings.TrimPrefix(p, "/zh-Hans/admin/"), "/", "-"))
	}
}
