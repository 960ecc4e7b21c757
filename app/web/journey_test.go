package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/web"

	"github.com/PuerkitoBio/goquery"
)

func TestRoot_RedirectsToBestLocale(t *testing.T) {
	srv := MustOpenServer(t)
	tests := []struct {
		name, accept, cookie, want string
	}{
		{name: "Default", want: "/en/"},
		{name: "ChineseMainland", accept: "zh-CN,zh;q=0.9,en;q=0.5", want: "/zh-Hans/"},
		{name: "ChineseSingapore", accept: "zh-SG", want: "/zh-Hans/"},
		{name: "ChinesePlain", accept: "zh", want: "/zh-Hans/"},
		{name: "EnglishRegion", accept: "en-GB", want: "/en/"},
		{name: "NotEnabled", accept: "de-DE", want: "/en/"},
		{name: "SpanishMexico", accept: "es-MX,es;q=0.9", want: "/es/"},
		{name: "FrenchCanada", accept: "fr-CA", want: "/fr/"},
		{name: "RussianRussia", accept: "ru-RU", want: "/ru/"},
		{name: "ArabicEgypt", accept: "ar-EG", want: "/ar/"},
		{name: "UnknownThenSpanish", accept: "de-DE,es;q=0.7", want: "/es/"},
		{name: "CookieWins", accept: "zh-CN", cookie: "en", want: "/en/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.client(t)
			c.lang = tt.accept
			if tt.cookie != "" {
				c.cookies["beacon_locale"] = tt.cookie
			}
			r := c.get("/")
			c.mustStatus(r, 302)
			if r.Location != tt.want {
				t.Fatalf("redirect to %q, want %q", r.Location, tt.want)
			}
		})
	}
}

func TestPages_AnswerInEachLocale(t *testing.T) {
	srv := MustOpenServer(t)
	paths := []string{"/", "/courses", "/courses/cyber-hygiene", "/courses/cyber-hygiene/lessons/phishing",
		"/courses/cyber-hygiene/quiz", "/login", "/register", "/me"}
	for _, lang := range srv.Bundle.Locales() {
		for _, p := range paths {
			t.Run(lang+p, func(t *testing.T) {
				c := srv.client(t)
				r := c.get("/" + lang + p)
				c.mustStatus(r, 200)
				if got := r.Doc.Find("html").AttrOr("lang", ""); got != lang {
					t.Fatalf("html lang=%q, want %q", got, lang)
				}
				if got, want := r.Doc.Find("html").AttrOr("dir", ""), map[bool]string{true: "rtl", false: "ltr"}[lang == "ar"]; got != want {
					t.Fatalf("dir=%q, want %q", got, want)
				}
				if n := r.Doc.Find(`link[rel=alternate][hreflang]`).Length(); n != len(srv.Bundle.Locales())+1 {
					t.Fatalf("%d hreflang alternates", n)
				}
				if !strings.Contains(r.Header.Get("Content-Type"), "charset=utf-8") {
					t.Fatalf("content type %q", r.Header.Get("Content-Type"))
				}
				if r.Doc.Find("a.skip-link[href='#main']").Length() != 1 || r.Doc.Find("main#main").Length() != 1 {
					t.Fatal("skip link or main landmark missing")
				}
				// No inline script or handler anywhere.
				r.Doc.Find("script").Each(func(_ int, s *goquery.Selection) {
					if s.AttrOr("src", "") == "" {
						t.Error("inline script found")
					}
				})
				if strings.Contains(r.Body, " onclick=") || strings.Contains(r.Body, " onload=") {
					t.Error("inline event handler found")
				}
			})
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := MustOpenServer(t)
	r := srv.client(t).get("/en/")
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP %q", csp)
	}
	for _, h := range []string{"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
		if r.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
}

func TestCatalog_SearchAndFilter(t *testing.T) {
	srv := MustOpenServer(t)
	tests := []struct {
		name, query string
		want        []string
	}{
		{name: "All", query: "", want: []string{"cyber-hygiene", "emergency-preparedness", "national-security-basics", "personal-data-protection"}},
		{name: "WordInLesson", query: "q=phishing", want: []string{"cyber-hygiene"}},
		{name: "Topic", query: "topic=emergency", want: []string{"emergency-preparedness"}},
		{name: "ChineseWord", query: "q=" + url.QueryEscape("勒索"), want: []string{"cyber-hygiene"}},
		{name: "NoMatch", query: "q=zzzqqq", want: nil},
		{name: "UnknownTopicShowsNothing", query: "topic=nope", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lang := "en"
			if tt.name == "ChineseWord" {
				lang = "zh-Hans"
			}
			c := srv.client(t)
			r := c.get("/" + lang + "/courses?" + tt.query)
			c.mustStatus(r, 200)
			var got []string
			r.Doc.Find(".cards .card-title a").Each(func(_ int, s *goquery.Selection) {
				got = append(got, strings.TrimPrefix(s.AttrOr("href", ""), "/"+lang+"/courses/"))
			})
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if len(tt.want) == 0 && r.Doc.Find(".cards").Length() != 0 {
				t.Fatal("empty result still shows a list")
			}
		})
	}
}

func TestLesson_MarkComplete(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	page := c.get("/en/courses/cyber-hygiene/lessons/passwords")
	c.mustStatus(page, 200)
	if got := text(page, ".caption"); got != "Lesson 1 of 3" {
		t.Fatalf("progress indicator %q", got)
	}
	if page.Doc.Find(".prose h2").Length() == 0 {
		t.Fatal("lesson Markdown not rendered")
	}
	action := "/en/courses/cyber-hygiene/lessons/passwords/complete"

	t.Run("ErrCSRF", func(t *testing.T) {
		r := c.post(action, url.Values{"_csrf": {"forged"}})
		c.mustStatus(r, 403)
		if !strings.Contains(text(r, "main"), "This form has expired") {
			t.Fatalf("no localized CSRF message: %s", text(r, "main"))
		}
		if done, _ := srv.Store.LessonsDone(context.Background(), c.cookies["beacon_learner"], srv.course(t, "cyber-hygiene").ID); len(done) != 0 {
			t.Fatal("a refused post recorded progress")
		}
	})
	t.Run("ErrUnknownLesson", func(t *testing.T) {
		bad := c.post("/en/courses/cyber-hygiene/lessons/nope/complete", url.Values{"_csrf": {page.Doc.Find("input[name=_csrf]").AttrOr("value", "")}})
		c.mustStatus(bad, 404)
	})
	r := c.postForm(page, action, nil)
	c.mustStatus(r, 303)
	if r.Location != "/en/courses/cyber-hygiene/lessons/phishing" {
		t.Fatalf("goes on to %q", r.Location)
	}
	course := c.get("/en/courses/cyber-hygiene")
	if got := text(course, ".progress-text"); got != "1 of 3 lessons complete" {
		t.Fatalf("course progress %q", got)
	}
	done, _ := srv.Store.LessonsDone(context.Background(), c.cookies["beacon_learner"], srv.course(t, "cyber-hygiene").ID)
	if len(done) != 1 || !done["passwords"] {
		t.Fatalf("database holds %v", done)
	}
}

func TestQuiz_Journey(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	c := srv.client(t)
	page := c.get("/en/courses/cyber-hygiene/quiz")
	c.mustStatus(page, 200)
	if n := page.Doc.Find("fieldset.question").Length(); n != pc.Quiz.Draw {
		t.Fatalf("%d questions drawn, want %d", n, pc.Quiz.Draw)
	}
	// Nothing on the page tells the right answer.
	for _, q := range pc.Quiz.Questions {
		if expl := q.Explanation["en"]; expl != "" && strings.Contains(page.Body, expl[:min(40, len(expl))]) {
			t.Fatalf("explanation of %s leaked into the form", q.ID)
		}
	}
	if strings.Contains(strings.ToLower(page.Body), "correct") {
		t.Fatal(`the quiz page mentions "correct"`)
	}
	learner := c.cookies["beacon_learner"]
	attempts := func() int {
		a, _ := srv.Store.Attempts(context.Background(), learner, pc.ID)
		return len(a)
	}
	action := "/en/courses/cyber-hygiene/quiz"

	t.Run("ErrForgedToken", func(t *testing.T) {
		form := rightAnswers(t, page, pc, false)
		form.Set("attempt", "forged.token")
		r := c.postForm(page, action, form)
		r2 := c.post(action, url.Values{"_csrf": {page.Doc.Find("input[name=_csrf]").AttrOr("value", "")}, "attempt": {"x.y"}})
		c.mustStatus(r2, 422)
		_ = r
		if attempts() != 0 {
			t.Fatal("a forged token stored an attempt")
		}
	})
	t.Run("ErrUnknownChoice", func(t *testing.T) {
		form := rightAnswers(t, page, pc, false)
		for k := range form {
			form.Set(k, "no-such-choice")
			break
		}
		r := c.postForm(page, action, form)
		c.mustStatus(r, 422)
		if !strings.Contains(text(r, "main"), "does not exist") || attempts() != 0 {
			t.Fatalf("unknown choice: %s", text(r, "main"))
		}
	})
	t.Run("ErrUnknownQuestion", func(t *testing.T) {
		form := rightAnswers(t, page, pc, false)
		form.Set("q.not-drawn", "a")
		r := c.postForm(page, action, form)
		c.mustStatus(r, 422)
		if attempts() != 0 {
			t.Fatal("stored an attempt")
		}
	})
	t.Run("ErrMissingAnswerKeepsChoices", func(t *testing.T) {
		form := rightAnswers(t, page, pc, false)
		var dropped string
		for k := range form {
			dropped = k
			break
		}
		form.Del(dropped)
		r := c.postForm(page, action, form)
		c.mustStatus(r, 422)
		if r.Doc.Find(".error-summary li").Length() != 1 {
			t.Fatalf("error summary: %s", text(r, ".error-summary"))
		}
		if r.Doc.Find("input:checked").Length() == 0 {
			t.Fatal("answers were not kept")
		}
		if attempts() != 0 {
			t.Fatal("stored an attempt")
		}
	})

	form := rightAnswers(t, page, pc, false)
	r := c.postForm(page, action, form)
	c.mustStatus(r, 303)
	again := c.postForm(page, action, form) // double submit
	c.mustStatus(again, 303)
	if again.Location != r.Location {
		t.Fatalf("double submit gave a second result: %s vs %s", again.Location, r.Location)
	}
	if attempts() != 1 {
		t.Fatalf("%d attempts stored, want 1", attempts())
	}
	result := c.get(r.Location)
	c.mustStatus(result, 200)
	if got := text(result, ".result-verdict"); got != "Passed" {
		t.Fatalf("verdict %q", got)
	}
	if n := result.Doc.Find(".review .explanation").Length(); n != pc.Quiz.Draw {
		t.Fatalf("%d explanations shown", n)
	}
	if result.Doc.Find(".review .choice-right").Length() < pc.Quiz.Draw {
		t.Fatal("right answers not shown")
	}
	// Another visitor cannot read this result.
	other := srv.client(t)
	other.mustStatus(other.get(r.Location), 404)

	// A wrong attempt fails and says so.
	page2 := c.get("/en/courses/cyber-hygiene/quiz")
	r = c.postForm(page2, action, rightAnswers(t, page2, pc, true))
	c.mustStatus(r, 303)
	if got := text(c.get(r.Location), ".result-verdict"); got != "Not passed yet" {
		t.Fatalf("verdict %q", got)
	}
}

func TestQuiz_MaxAttempts(t *testing.T) {
	srv := MustOpenServer(t)
	// A copy of a seed course whose quiz allows one attempt.
	var limited app.Course
	raw, _ := json.Marshal(srv.course(t, "cyber-hygiene").Course)
	_ = json.Unmarshal(raw, &limited)
	limited.Slug = "limited"
	limited.Quiz.MaxAttempts = 1
	if _, err := srv.Store.ImportPack(context.Background(), &app.Pack{Courses: []app.Course{limited}}); err != nil {
		t.Fatal(err)
	}
	pc := srv.course(t, "limited")
	c := srv.client(t)
	page := c.get("/en/courses/limited/quiz")
	second := c.get("/en/courses/limited/quiz") // opened in another tab
	c.mustStatus(c.postForm(page, "/en/courses/limited/quiz", rightAnswers(t, page, pc, true)), 303)
	r := c.postForm(second, "/en/courses/limited/quiz", rightAnswers(t, second, pc, false))
	c.mustStatus(r, 403)
	if !strings.Contains(text(r, "main"), "used all your attempts") {
		t.Fatalf("max attempts message: %s", text(r, "main"))
	}
	again := c.get("/en/courses/limited/quiz")
	if again.Doc.Find("fieldset.question").Length() != 0 || !strings.Contains(text(again, ".notice"), "used all your attempts") {
		t.Fatal("the quiz form is still offered")
	}
	attempts, _ := srv.Store.Attempts(context.Background(), c.cookies["beacon_learner"], pc.ID)
	if len(attempts) != 1 {
		t.Fatalf("%d attempts stored", len(attempts))
	}
}

func TestAccount_GuestProgressIsClaimedAndCertified(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "emergency-preparedness")
	for _, lang := range []string{"en", "zh-Hans"} {
		t.Run(lang, func(t *testing.T) {
			c := srv.client(t)
			result := c.completeCourse(lang, pc)
			if result.Doc.Find(`a[href^="/`+lang+`/register"]`).Length() == 0 {
				t.Fatal("a guest who completed the course is not invited to register")
			}
			reg := c.get("/" + lang + "/register?next=/" + lang + "/courses/" + pc.Slug)
			r := c.postForm(reg, "/"+lang+"/register", url.Values{"email": {lang + "@example.org"}, "display_name": {"Mei " + lang}, "password": {"a long enough password"}})
			c.mustStatus(r, 303)
			if r.Location != "/"+lang+"/courses/"+pc.Slug {
				t.Fatalf("register returns to %q", r.Location)
			}
			course := c.get(r.Location)
			link := course.Doc.Find(`a[href^="/certificates/"]`)
			if link.Length() != 1 {
				t.Fatalf("no certificate link on the course page: %s", text(course, "#cert-heading ~ p"))
			}
			anyone := srv.client(t) // anyone may check it
			cert := anyone.get(link.AttrOr("href", ""))
			anyone.mustStatus(cert, 200)
			if got := text(cert, ".certificate-name"); got != "Mei "+lang {
				t.Fatalf("certificate name %q", got)
			}
			me := c.get("/" + lang + "/me")
			if me.Doc.Find(".certificate-list li").Length() != 1 || me.Doc.Find(".table tbody tr").Length() < 2 {
				t.Fatalf("me page: %s", text(me, "main"))
			}
		})
	}
	c := srv.client(t)
	c.mustStatus(c.get("/certificates/AAAAAAAAAAAA"), 404)
	c.mustStatus(c.get("/certificates/short"), 404)
}

func TestAccount_RegisterValidation(t *testing.T) {
	srv := MustOpenServer(t)
	tests := []struct {
		name, lang, email, display, password, field, message string
	}{
		{"MissingAll", "en", "", "", "", "email", "Enter your email address"},
		{"BadEmail", "en", "not-an-email", "Ana", "long enough password", "email", "right format"},
		{"ShortPassword", "en", "a@example.org", "Ana", "short", "password", "at least 10"},
		{"LongName", "en", "a@example.org", strings.Repeat("x", 101), "long enough password", "display_name", "100 characters"},
		{"ChineseMessages", "zh-Hans", "", "", "", "email", "电子邮箱"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.client(t)
			page := c.get("/" + tt.lang + "/register")
			r := c.postForm(page, "/"+tt.lang+"/register", url.Values{"email": {tt.email}, "display_name": {tt.display}, "password": {tt.password}})
			c.mustStatus(r, 422)
			if r.Doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
				t.Fatalf("error summary does not link #%s: %s", tt.field, text(r, ".error-summary"))
			}
			if !strings.Contains(text(r, "main"), tt.message) {
				t.Fatalf("message %q not shown: %s", tt.message, text(r, ".error-summary"))
			}
			if tt.display != "" && r.Doc.Find("#display_name").AttrOr("value", "") != tt.display {
				t.Fatal("typed name not kept")
			}
			if _, err := srv.Store.FindUserByEmail(context.Background(), tt.email); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatal("an account was created")
			}
		})
	}
	t.Run("DuplicateEmail", func(t *testing.T) {
		for i, want := range []int{303, 422} {
			c := srv.client(t)
			page := c.get("/en/register")
			r := c.postForm(page, "/en/register", url.Values{"email": {"dup@example.org"}, "display_name": {"Dup"}, "password": {"long enough password"}})
			c.mustStatus(r, want)
			if i == 1 && !strings.Contains(text(r, ".error-summary"), "already exists") {
				t.Fatal("duplicate not explained")
			}
		}
	})
}

func TestAccount_LoginLogout(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	page := c.get("/en/register")
	c.mustStatus(c.postForm(page, "/en/register", url.Values{"email": {"lee@example.org"}, "display_name": {"Lee"}, "password": {"correct horse battery"}}), 303)
	logout := c.get("/en/me")
	c.mustStatus(c.postForm(logout, "/en/logout", nil), 303)
	if _, ok := c.cookies["beacon_session"]; ok {
		t.Fatal("session cookie kept after logout")
	}
	me := c.get("/en/me")
	if me.Doc.Find(".notice").Length() == 0 {
		t.Fatal("me page after logout does not show the guest notice")
	}

	login := c.get("/en/login")
	r := c.postForm(login, "/en/login", url.Values{"email": {"lee@example.org"}, "password": {"wrong password here"}})
	c.mustStatus(r, 422)
	if !strings.Contains(text(r, ".error-summary"), "email address or password is not right") {
		t.Fatal("no login error")
	}
	r = c.postForm(login, "/en/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password here"}})
	c.mustStatus(r, 422)
	r = c.postForm(login, "/en/login", url.Values{"email": {"LEE@example.org"}, "password": {"correct horse battery"}, "next": {"//evil.example"}})
	c.mustStatus(r, 303)
	if r.Location != "/en/me" {
		t.Fatalf("open redirect: %q", r.Location)
	}
	if got := text(c.get("/en/me"), ".lead"); !strings.Contains(got, "Lee") {
		t.Fatalf("not signed in: %q", got)
	}
}

func TestAccount_LoginRateLimit(t *testing.T) {
	srv := MustOpenServer(t, func(o *web.Options) { o.Limits.LoginAccount.Max = 3 })
	c := srv.client(t)
	page := c.get("/en/login")
	var last *response
	for i := 0; i < 4; i++ {
		last = c.postForm(page, "/en/login", url.Values{"email": {"x@example.org"}, "password": {"whatever password"}})
	}
	c.mustStatus(last, 429)
	if !strings.Contains(text(last, "main"), "Too many tries") {
		t.Fatalf("429 page: %s", text(last, "main"))
	}
}

func TestMe_ExportAndDelete(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	c := srv.client(t)
	page := c.get("/en/register")
	c.mustStatus(c.postForm(page, "/en/register", url.Values{"email": {"del@example.org"}, "display_name": {"Del"}, "password": {"long enough password"}}), 303)
	c.completeCourse("en", pc)

	exp := c.get("/en/me/export")
	c.mustStatus(exp, 200)
	var data struct {
		Account      struct{ Email string }
		Attempts     []json.RawMessage `json:"quiz_attempts"`
		Certificates []struct{ Code string }
		Progress     []json.RawMessage `json:"lesson_progress"`
	}
	if err := json.Unmarshal([]byte(exp.Body), &data); err != nil {
		t.Fatal(err)
	}
	if data.Account.Email != "del@example.org" || len(data.Attempts) != 1 || len(data.Certificates) != 1 || len(data.Progress) != 3 {
		t.Fatalf("export: %+v", data)
	}
	code := data.Certificates[0].Code

	form := c.get("/en/me/delete")
	c.mustStatus(form, 200)
	r := c.postForm(form, "/en/me/delete", url.Values{"password": {"wrong password!"}})
	c.mustStatus(r, 422)
	if _, err := srv.Store.FindUserByEmail(context.Background(), "del@example.org"); err != nil {
		t.Fatal("account deleted with a wrong password")
	}
	r = c.postForm(form, "/en/me/delete", url.Values{"password": {"long enough password"}})
	c.mustStatus(r, 303)
	if _, err := srv.Store.FindUserByEmail(context.Background(), "del@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatal("account still there")
	}
	srv.client(t).mustStatus(srv.client(t).get("/certificates/"+code), 410) // revoked, named no more
	totals, _ := srv.Store.CountTotals(context.Background(), pc.ID)
	if totals[app.MetricCourseCompleted] != 1 || totals[app.MetricQuizAttempt] != 1 {
		t.Fatalf("anonymous counts lost: %v", totals)
	}
}

func TestBadInput(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	t.Run("OversizedBody", func(t *testing.T) {
		// app.Test refuses large bodies itself, so this goes over a real
		// socket: headers announcing 4 MB (over the 3 MiB body limit), and the server must answer 413
		// before reading the body.
		base := strings.TrimPrefix(srv.listen(t), "http://")
		conn, err := net.Dial("tcp", base)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /zh-Hans/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", base, 4<<20)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 413 || !strings.Contains(string(body), "过大") || !strings.Contains(string(body), `lang="zh-Hans"`) {
			t.Fatalf("oversized body: %d %.300s", resp.StatusCode, body)
		}
	})
	t.Run("UnknownCourse", func(t *testing.T) {
		r := c.get("/zh-Hans/courses/nope")
		c.mustStatus(r, 404)
		if r.Doc.Find("html").AttrOr("lang", "") != "zh-Hans" {
			t.Fatal("404 page not localized")
		}
	})
	t.Run("UnknownAttempt", func(t *testing.T) {
		c.mustStatus(c.get("/en/courses/cyber-hygiene/quiz/results/999999"), 404)
		c.mustStatus(c.get("/en/courses/cyber-hygiene/quiz/results/abc"), 404)
	})
	t.Run("UnknownLocale", func(t *testing.T) {
		c.mustStatus(c.get("/xx/courses"), 404)
	})
}

func TestOperations(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	c.mustStatus(c.get("/healthz"), 200)
	c.mustStatus(c.get("/readyz"), 200)
	c.get("/en/")
	m := c.get("/metrics")
	c.mustStatus(m, 200)
	if !strings.Contains(m.Body, "beacon_http_requests_total") {
		t.Fatal("metrics missing")
	}
	css := c.get(srv.Doc(t, "/en/").Find(`link[rel=stylesheet]`).AttrOr("href", ""))
	c.mustStatus(css, 200)
	if !strings.Contains(css.Header.Get("Cache-Control"), "immutable") {
		t.Fatal("hashed asset not cached long")
	}
}
