package web_test

import (
	"net/url"
	"strings"
	"testing"

	"beacon/app"

	"github.com/PuerkitoBio/goquery"
)

// xssCorpus are payloads an educator might type, by accident or not.
var xssCorpus = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(2)>`,
	`<svg onload=alert(3)>`,
	`[click](javascript:alert(4))`,
	`<a href="javascript:alert(5)">x</a>`,
	`{{.CSRF}}<iframe src="//evil.example"></iframe>`,
	`' onmouseover='alert(6)`,
}

// assertNoScript fails when a page holds script the site did not write:
// inline scripts, event-handler attributes, javascript: URLs, frames.
func assertNoScript(t *testing.T, where string, r *response) {
	t.Helper()
	if r.Doc == nil {
		t.Fatalf("%s: not HTML (%d)", where, r.Status)
	}
	r.Doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		node := s.Get(0)
		if node.Data == "script" && s.AttrOr("src", "") == "" {
			t.Errorf("%s: inline script %q", where, s.Text())
		}
		if node.Data == "iframe" || node.Data == "svg" || node.Data == "object" {
			t.Errorf("%s: <%s> element", where, node.Data)
		}
		for _, a := range node.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%s: event handler %s=%q on <%s>", where, a.Key, a.Val, node.Data)
			}
			if (a.Key == "href" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("%s: %s=%q", where, a.Key, a.Val)
			}
		}
	})
}

// TestXSS_EveryAuthoringField types each payload into every field an
// educator and a reviewer can fill, publishes, and checks every page that
// shows them, in the admin area and on the public site.
func TestXSS_EveryAuthoringField(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "x-edu@example.org", app.RoleEducator)
	rev := srv.signedIn(t, "x-rev@example.org", app.RoleReviewer)
	for i, p := range xssCorpus {
		slug := "xss-" + string(rune('a'+i))
		base := "/en/admin/courses/" + slug
		edu.mustStatus(edu.postForm(edu.get("/en/admin/courses/new"), "/en/admin/courses", url.Values{"slug": {slug}, "source_locale": {"en"},
			"title": {"T " + p}, "summary": {"S " + p}, "topic": {"cyber"}}), 303)
		edu.mustStatus(edu.postForm(edu.get(base+"/lessons/new"), base+"/lessons", url.Values{"slug": {"l"}, "title": {"L " + p},
			"body": {"## H " + p + "\n\n" + p + "\n\n![img " + p + "](javascript:alert(7))"}, "action": {"save"}}), 303)
		edu.mustStatus(edu.postForm(edu.get(base+"/quiz/questions/new"), base+"/quiz/questions", url.Values{"type": {"single"},
			"prompt": {"Q " + p}, "choice_0_text": {"A " + p}, "choice_0_right": {"on"}, "choice_1_text": {"B " + p}, "explanation": {"E " + p}}), 303)
		tr := edu.get(base + "/translations/zh-Hans")
		edu.mustStatus(edu.postForm(tr, base+"/translations/zh-Hans", url.Values{"f0": {"标题 " + p}, "f1": {"简介 " + p}}), 303)
		preview := edu.postForm(edu.get(base+"/lessons/l"), base+"/lessons/l", url.Values{"title": {"L " + p}, "body": {p}, "action": {"preview"}})
		for _, page := range []string{base, base + "/lessons/l", base + "/quiz/questions/q1", base + "/translations/zh-Hans", base + "/settings", "/en/admin/courses"} {
			assertNoScript(t, page, edu.get(page))
		}
		assertNoScript(t, "preview", preview)
		edu.mustStatus(edu.postForm(edu.get(base), base+"/submit", nil), 303)
		review := rev.get(base + "/review")
		assertNoScript(t, "review", review)
		returned := rev.postForm(review, base+"/return", url.Values{"comment": {"C " + p}})
		rev.mustStatus(returned, 303)
		assertNoScript(t, "returned", edu.get(base))
		edu.mustStatus(edu.postForm(edu.get(base), base+"/submit", nil), 303)
		rev.mustStatus(rev.postForm(rev.get(base+"/review"), base+"/publish", nil), 303)

		guest := srv.client(t)
		for _, page := range []string{"/en/", "/en/courses", "/en/courses?q=" + url.QueryEscape(p), "/en/courses/" + slug,
			"/en/courses/" + slug + "/lessons/l", "/zh-Hans/courses/" + slug, "/en/courses/" + slug + "/quiz"} {
			r := guest.get(page)
			guest.mustStatus(r, 200)
			assertNoScript(t, page, r)
		}
		quiz := guest.get("/en/courses/" + slug + "/quiz")
		res := guest.postForm(quiz, "/en/courses/"+slug+"/quiz", rightAnswers(t, quiz, srv.course(t, slug), false))
		assertNoScript(t, "result", guest.get(res.Location))
	}
}
