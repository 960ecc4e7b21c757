package web_test

import (
	"net/url"
	"strings"
	"testing"

	"beacon/app"
)

// TestAccess_EveryRouteEveryRole walks THE route table with every role:
// an anonymous visitor is sent to the login page (or refused with 401 on
// a POST), a signed-in user without the role gets 403, and a user with it
// is let through (any answer but 401, 403 or a server error).
func TestAccess_EveryRouteEveryRole(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	roles := []string{"anonymous", app.RoleLearner, app.RoleEducator, app.RoleReviewer, app.RoleOrganizer, app.RoleAdministrator}
	clients := map[string]*client{"anonymous": srv.client(t)}
	tokens := map[string]string{} // the API takes a bearer token, never the cookie
	for _, r := range roles[1:] {
		clients[r] = srv.signedIn(t, r+"@access.example.org", r)
		tokens[r] = clients[r].createToken("access", "30")
	}
	params := strings.NewReplacer(":lang", "en", ":course", pc.Slug, ":lesson", pc.Lessons[0].Slug, ":question", pc.Quiz.Questions[0].ID,
		":locale", "zh-Hans", ":number", "1", ":attempt", "1", ":identifier", "drill-2026-emergency-warnings", ":id", "1", ":code", "north", ":name", "missing.png", ":slug", "security-education-day-2027")
	skip := map[string]bool{"POST /:lang/logout": true} // it would sign the client out for the rest of the walk
	checked := 0
	for _, rt := range srv.Routes() {
		if skip[rt.Method+" "+rt.Path] {
			continue
		}
		path := params.Replace(rt.Path)
		for _, who := range roles {
			c := clients[who]
			var resp *response
			api := strings.HasPrefix(path, "/api/")
			if api {
				resp = srv.client(t).api(path, tokens[who])
			} else if rt.Method == "GET" {
				resp = c.get(path)
			} else {
				resp = c.post(path, url.Values{"_csrf": {c.csrf()}})
			}
			allowed := rt.Access == ""
			switch {
			case rt.Access == "signed":
				allowed = who != "anonymous"
			case rt.Access != "":
				allowed = who == app.RoleAdministrator || strings.Contains("|"+rt.Access+"|", "|"+who+"|")
			}
			where := rt.Method + " " + path + " as " + who
			switch {
			case resp.Status >= 500:
				t.Errorf("%s: %d", where, resp.Status)
			case allowed && (resp.Status == 401 || resp.Status == 403):
				t.Errorf("%s: refused with %d", where, resp.Status)
			case !allowed && who == "anonymous" && api && resp.Status != 401:
				t.Errorf("%s: %d, want 401", where, resp.Status)
			case !allowed && who == "anonymous" && !api && rt.Method == "GET" && (resp.Status != 303 || !strings.HasPrefix(resp.Location, "/en/login?next=")):
				t.Errorf("%s: %d to %q, want the login page", where, resp.Status, resp.Location)
			case !allowed && who == "anonymous" && rt.Method != "GET" && resp.Status != 401:
				t.Errorf("%s: %d, want 401", where, resp.Status)
			case !allowed && who != "anonymous" && resp.Status != 403:
				t.Errorf("%s: %d, want 403", where, resp.Status)
			}
			checked++
		}
	}
	t.Logf("checked %d route × role pairs", checked)
}
