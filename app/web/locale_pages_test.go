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

// TestLocales_ContentFallbackErrorsAndCertificates: a lesson not yet
// translated shows in its source language with a localized notice;
// validation errors and the certificate page speak the visitor's language.
func TestLocales_ContentFallbackErrorsAndCertificates(t *testing.T) {
	srv := MustOpenServer(t)
	ep := srv.course(t, "emergency-preparedness")
	ch := srv.course(t, "cyber-hygiene")
	for _, lang := range srv.Bundle.Locales() {
		t.Run(lang, func(t *testing.T) {
			l := srv.Bundle.Localizer(lang)
			c := srv.client(t)
			c.lang = lang

			// emergency-preparedness lessons exist in en and zh-Hans only.
			r := c.get("/" + lang + "/courses/" + ep.Slug + "/lessons/" + ep.Lessons[0].Slug)
			c.mustStatus(r, 200)
			notice := strings.Contains(r.Body, l.T("content.fallback", nil))
			if want := lang != "en" && lang != "zh-Hans"; notice != want {
				t.Errorf("fallback notice shown=%v, want %v", notice, want)
			}
			if title := strings.TrimSpace(r.Doc.Find("main h1").Text()); lang != "en" && lang != "zh-Hans" && title != ep.Lessons[0].Title["en"] {
				t.Errorf("fallback lesson title %q, want the English %q", title, ep.Lessons[0].Title["en"])
			}
			// cyber-hygiene is whole in every language: no notice, its own title.
			r = c.get("/" + lang + "/courses/" + ch.Slug + "/lessons/" + ch.Lessons[0].Slug)
			if strings.Contains(r.Body, l.T("content.fallback", nil)) || strings.TrimSpace(r.Doc.Find("main h1").Text()) != ch.Lessons[0].Title[lang] {
				t.Errorf("cyber-hygiene lesson not shown in %s: %q", lang, r.Doc.Find("main h1").Text())
			}

			// A registration with every field wrong: errors in the page's language.
			reg := c.get("/" + lang + "/register")
			bad := c.postForm(reg, "/"+lang+"/register", url.Values{"email": {"not-an-email"}, "display_name": {""}, "password": {"short"}})
			c.mustStatus(bad, 422)
			summary := bad.Doc.Find(".error-summary").Text()
			for _, id := range []string{"form.error_summary", "account.error.email_invalid", "account.error.name_required", "account.error.password_short"} {
				if want := l.T(id, nil); !strings.Contains(summary, want) {
					t.Errorf("error summary lacks %s = %q:\n%s", id, want, summary)
				}
			}
			checkLocalized(t, srv, bad, lang, "register errors")

			// The certificate page follows the visitor's language.
			result := c.completeCourse(lang, ch)
			reg = c.get("/" + lang + "/register")
			c.mustStatus(c.postForm(reg, "/"+lang+"/register", url.Values{"email": {"cert-" + lang + "@example.org"}, "display_name": {"Nour " + lang}, "password": {"a long enough password"}}), 303)
			_ = result
			course := c.get("/" + lang + "/courses/" + ch.Slug)
			href := course.Doc.Find(`a[href^="/certificates/"]`).AttrOr("href", "")
			if href == "" {
				t.Fatal("no certificate link")
			}
			anyone := srv.client(t)
			anyone.lang = lang
			cert := anyone.get(href)
			anyone.mustStatus(cert, 200)
			checkLocalized(t, srv, cert, lang, href)
			if !strings.Contains(cert.Doc.Find("main").Text(), ch.Title[lang]) {
				t.Errorf("certificate does not name the course in %s (%q)", lang, ch.Title[lang])
			}
		})
	}
}
