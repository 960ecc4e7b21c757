package web_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"beacon/app"
)

// titleLocales are the six catalogs every page is titled in.
var titleLocales = []string{"ar", "en", "es", "fr", "ru", "zh-Hans"}

// TestPageTitlesEverywhere walks every GET route of the route table in all
// six locales (public pages as a guest, the rest as an administrator, and
// an error page) and checks that each HTML page's <title> says where the
// visitor is: not empty, carrying the site's name, not the site's name
// alone, and different from the title of every other kind of page.
func TestPageTitlesEverywhere(t *testing.T) {
	srv := MustOpenServer(t)
	admin := adminPages(t, srv, "titles-admin@example.org", "a titles password")
	pc := srv.course(t, "cyber-hygiene")
	guest := srv.client(t)
	staff := srv.signedIn(t, "titles@example.org", app.RoleAdministrator)
	// A certificate, so that its page and the lookup's answer exist.
	learner := srv.signedIn(t, "titles-learner@example.org")
	result := learner.completeCourse("en", pc)
	code := strings.TrimPrefix(result.Doc.Find(`a[href^="/certificates/"]`).First().AttrOr("href", ""), "/certificates/")
	if code == "" {
		t.Fatal("no certificate link on the result page")
	}
	attempt := learner.get("/en/me").Doc.Find(`a[href*="/quiz/results/"]`).First().AttrOr("href", "")
	attempt = attempt[strings.LastIndex(attempt, "/")+1:]
	if attempt == "" {
		t.Fatal("no attempt on the learner's page")
	}
	params := strings.NewReplacer(":course", pc.Slug, ":lesson", pc.Lessons[0].Slug, ":question", pc.Quiz.Questions[0].ID,
		":locale", "zh-Hans", ":number", "1", ":attempt", attempt, ":identifier", "drill-2026-emergency-warnings", ":id", "1",
		":code", code, ":name", "dot.png", ":slug", "security-education-day-2027", ":token", "no-such-token", ":kind", "site", ":file", "x.png")

	type page struct{ kind, path string }
	seen := map[string]page{} // title → the first page that had it
	checked := 0
	for _, rt := range srv.Routes() {
		if rt.Method != http.MethodGet || strings.HasPrefix(rt.Path, "/api/") {
			continue
		}
		path := params.Replace(rt.Path)
		if strings.HasPrefix(rt.Path, "/:lang/admin") {
			// adminPages filled the admin pages' parameters, in route order.
			if !adminPage(rt.Path) {
				continue // a download
			}
			path, admin = admin[0], admin[1:]
		}
		for _, lang := range titleLocales {
			target := strings.Replace(path, ":lang", lang, 1)
			// Public pages as a guest and as the learner (its own quiz
			// result, "My learning" with progress); the rest as staff.
			visitors := []*client{guest, learner}
			if rt.Access != "" {
				visitors = []*client{staff}
			}
			for _, c := range visitors {
				r := c.get(target)
				if r.Doc == nil || r.Status >= 300 && r.Status < 400 {
					if lang == "en" {
						t.Logf("not an HTML page: %s (%d %s)", target, r.Status, r.Header.Get("Content-Type"))
					}
					continue // not an HTML page (a feed, an image, JSON) or a redirect
				}
				kind := rt.Path
				if r.Status >= 400 {
					kind = "error " + http.StatusText(r.Status)
				}
				title := strings.TrimSpace(r.Doc.Find("head title").Text())
				where := target + " (" + kind + ")"
				switch {
				case title == "":
					t.Errorf("%s: no title", where)
					continue
				case !strings.Contains(title, "Beacon"):
					t.Errorf("%s: title %q lacks the site's name", where, title)
				case title == "Beacon":
					t.Errorf("%s: title is the site's name alone", where)
				}
				if first, ok := seen[title]; ok && first.kind != kind {
					t.Errorf("%s: title %q is also the title of %s (%s)", where, title, first.path, first.kind)
				} else if !ok {
					seen[title] = page{kind, target}
				}
				checked++
			}
		}
	}
	// The error page itself, in every language.
	for _, lang := range titleLocales {
		r := guest.get("/" + lang + "/courses/no-such-course")
		if r.Status != http.StatusNotFound {
			t.Fatalf("missing course: %d", r.Status)
		}
		title := strings.TrimSpace(r.Doc.Find("head title").Text())
		if title == "" || title == "Beacon" || !strings.Contains(title, "Beacon") {
			t.Errorf("%s not-found page title %q", lang, title)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d pages checked", checked)
	}
	titles := make([]string, 0, len(seen))
	for k := range seen {
		titles = append(titles, k)
	}
	sort.Strings(titles)
	t.Logf("checked %d pages, %d distinct titles", checked, len(titles))
}

// adminPage mirrors adminPages' choice of admin routes (all but downloads).
func adminPage(p string) bool {
	if !strings.HasPrefix(p, "/:lang/admin") {
		return false
	}
	for _, ext := range []string{".zip", ".csv", ".png", ".svg"} {
		if strings.HasSuffix(p, ext) {
			return false
		}
	}
	return true
}
