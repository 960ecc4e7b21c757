package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// idLike matches text that looks like a message id ("admin.nav.home"):
// the localizer shows the id itself when a catalog lacks it.
var idLike = regexp.MustCompile(`[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+){1,5}`)

// checkLocalized fails when a page is not in lang: its html lang and dir,
// its hreflang alternates, and no message id shown in place of a text.
func checkLocalized(t *testing.T, srv *testServer, r *response, lang, path string) {
	t.Helper()
	if r.Doc == nil {
		t.Fatalf("%s: not HTML", path)
	}
	html := r.Doc.Find("html")
	if got := html.AttrOr("lang", ""); got != lang {
		t.Errorf("%s: html lang=%q, want %q", path, got, lang)
	}
	wantDir := srv.Bundle.Localizer(lang).Dir()
	if got := html.AttrOr("dir", ""); got != wantDir {
		t.Errorf("%s: dir=%q, want %q", path, got, wantDir)
	}
	if lang == "ar" && wantDir != "rtl" {
		t.Errorf("Arabic is not right to left")
	}
	ids := srv.Bundle.MessageIDs(srv.Bundle.Default())
	var shown []string
	r.Doc.Find("body").Each(func(_ int, s *goquery.Selection) {
		for _, m := range idLike.FindAllString(s.Text(), -1) {
			if ids[m] {
				shown = append(shown, m)
			}
		}
	})
	r.Doc.Find("[title],[aria-label],[placeholder],[alt]").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"title", "aria-label", "placeholder", "alt"} {
			if v, ok := s.Attr(a); ok && ids[strings.TrimSpace(v)] {
				shown = append(shown, v)
			}
		}
	})
	if len(shown) > 0 {
		t.Errorf("%s: message ids shown instead of text: %v", path, shown)
	}
}

// TestPages_EveryPageEveryLocale opens every public and admin page in every
// enabled locale (an administrator holds every role) and checks that each
// answers 200 in its language and direction with no message id showing.
func TestPages_EveryPageEveryLocale(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	public := []string{"/", "/courses", "/courses?q=a", "/courses/cyber-hygiene", "/courses/cyber-hygiene/lessons/" + pc.Lessons[1].Slug,
		"/courses/cyber-hygiene/quiz", "/courses/emergency-preparedness", "/campaigns", "/campaigns/security-education-day-2027",
		"/login", "/register", "/me"}
	admin := adminPages(t, srv, "every-locale@example.org", "an every locale password")
	staff := srv.client(t)
	login := staff.get("/en/login")
	staff.mustStatus(staff.postForm(login, "/en/login", url.Values{"email": {"every-locale@example.org"}, "password": {"an every locale password"}}), 303)
	for _, lang := range srv.Bundle.Locales() {
		t.Run(lang, func(t *testing.T) {
			guest := srv.client(t)
			for _, p := range public {
				r := guest.get("/" + lang + p)
				guest.mustStatus(r, 200)
				checkLocalized(t, srv, r, lang, "/"+lang+p)
			}
			result := guest.completeCourse(lang, pc)
			checkLocalized(t, srv, result, lang, "quiz result")
			for _, p := range admin {
				p = strings.Replace(p, ":lang", lang, 1)
				r := staff.get(p)
				if r.Status != 200 {
					t.Errorf("%s: status %d", p, r.Status)
					continue
				}
				checkLocalized(t, srv, r, lang, p)
			}
		})
	}
}
