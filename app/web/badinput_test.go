package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"beacon/app"
)

// TestFallback_NoticeInReadersLanguage: a course written only in English,
// read in Chinese, shows the English text marked lang="en" and a notice in
// Chinese.
func TestFallback_NoticeInReadersLanguage(t *testing.T) {
	srv := MustOpenServer(t)
	course := app.Course{Slug: "english-only", SourceLocale: "en", Topic: "cyber", Categories: []string{}, ReviewBy: "2027-01-01",
		Title: app.Text{"en": "English only course"}, Summary: app.Text{"en": "Only in English."},
		Lessons: []app.Lesson{{Slug: "one", File: "01-one", Title: app.Text{"en": "Lesson one"}, Body: app.Text{"en": "## What to do\n\nRead this."}}}}
	if _, err := srv.Store.ImportPack(context.Background(), &app.Pack{Courses: []app.Course{course}}); err != nil {
		t.Fatal(err)
	}
	c := srv.client(t)
	for _, path := range []string{"/zh-Hans/courses/english-only", "/zh-Hans/courses/english-only/lessons/one"} {
		r := c.get(path)
		c.mustStatus(r, 200)
		if got := text(r, ".notice"); !strings.Contains(got, "尚未翻译") {
			t.Fatalf("%s: notice %q", path, got)
		}
		if r.Doc.Find(`h1[lang="en"]`).Length() != 1 {
			t.Fatalf("%s: fallback heading not marked lang=en", path)
		}
	}
	r := c.get("/en/courses/english-only/lessons/one")
	if r.Doc.Find(".notice").Length() != 0 {
		t.Fatal("notice shown in the source language")
	}
}

// TestBadInput_NeverAServerError posts garbage to every form of the
// journey, with a valid CSRF token, and expects a 4xx (or the normal
// redirect) and never a 500.
func TestBadInput_NeverAServerError(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	page := c.get("/en/login")
	csrf := page.Doc.Find("input[name=_csrf]").AttrOr("value", "")
	garbage := []url.Values{
		{},
		{"email": {"\x00\xff"}, "password": {strings.Repeat("p", 5000)}, "display_name": {"<script>alert(1)</script>"}},
		{"attempt": {strings.Repeat("A", 20000)}},
		{"attempt": {"eyJjIjoxfQ.sig"}, "q.x": {"y"}},
		{"q.../../etc": {"a", "b"}, "next": {"https://evil.example"}},
		{"email": {"a@b.c"}, "password": {"x"}, "next": {"javascript:alert(1)"}},
	}
	paths := []string{"/en/login", "/en/register", "/en/logout", "/zh-Hans/courses/cyber-hygiene/quiz",
		"/en/courses/cyber-hygiene/lessons/passwords/complete", "/en/courses/nope/quiz", "/en/courses/nope/lessons/x/complete",
		"/en/me/delete", "/en/courses/cyber-hygiene/quiz/results/1"}
	for _, p := range paths {
		for i, g := range garbage {
			form := url.Values{"_csrf": {csrf}}
			for k, v := range g {
				form[k] = v
			}
			r := c.post(p, form)
			if r.Status >= 500 {
				t.Errorf("POST %s with garbage %d: %d", p, i, r.Status)
			}
			if loc := r.Location; loc != "" && !strings.HasPrefix(loc, "/") {
				t.Errorf("POST %s redirected off-site to %q", p, loc)
			}
		}
	}
	// Garbage cookies are ignored, not trusted.
	c2 := srv.client(t)
	c2.cookies["beacon_session"] = "garbage"
	c2.cookies["beacon_learner"] = "../../not-an-id"
	r := c2.get("/en/me")
	c2.mustStatus(r, 200)
	if _, ok := c2.cookies["beacon_session"]; ok {
		t.Fatal("a forged session cookie was kept")
	}
}
