package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/config"
	"beacon/app/content"
	"beacon/app/i18n"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"

	"github.com/PuerkitoBio/goquery"
	"github.com/alexedwards/argon2id"
)

// testServer is a real server on a real SQLite file, seeded with content/.
type testServer struct {
	*web.Server
	Store  *store.Store
	Bundle *i18n.Bundle
}

// MustOpenServer builds a seeded server; opts may tune limits.
func MustOpenServer(tb testing.TB, tune ...func(*web.Options)) *testServer {
	tb.Helper()
	return mustOpenServerOn(tb, testenv.MustOpenStore(tb), tune...)
}

// mustOpenServerOn builds a server on st (SQLite or PostgreSQL), seeded with content/.
func mustOpenServerOn(tb testing.TB, st *store.Store, tune ...func(*web.Options)) *testServer {
	tb.Helper()
	bundle, err := i18n.Load(testenv.Sub(tb, "content/locales"), "en")
	if err != nil {
		tb.Fatal(err)
	}
	pack, err := content.Parse(testenv.Sub(tb, "content"), content.Options{Locales: bundle.Locales()})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := st.ImportPack(context.Background(), pack); err != nil {
		tb.Fatal(err)
	}
	opts := web.Options{Store: st, Bundle: bundle, Templates: testenv.Sub(tb, "templates"), Static: testenv.Sub(tb, "static"),
		Migrations: testenv.Sub(tb, "migrations"), Secret: []byte("test-secret-test-secret-test-secret!"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: roomyLimits(),
		// app.Test's in-memory connection comes from 0.0.0.0: let it read /metrics.
		MetricsAllow: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}}
	for _, f := range tune {
		f(&opts)
	}
	srv, err := web.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return &testServer{Server: srv, Store: st, Bundle: bundle}
}

// roomyLimits are rate limits no ordinary test reaches; tests of the
// limits themselves lower one.
func roomyLimits() config.RateLimits {
	r := config.Rate{Max: 1000, Window: time.Minute}
	return config.RateLimits{LoginAccount: r, LoginAddress: r, RegisterAddress: r, QuizLearner: r, QuizAddress: r}
}

// client is a browser stand-in: it keeps cookies between requests.
type client struct {
	tb      testing.TB
	srv     *testServer
	cookies map[string]string
	lang    string // Accept-Language
	noPixel bool   // do not load the visit pixel (a crawler, a link preview)
}

func (s *testServer) client(tb testing.TB) *client {
	return &client{tb: tb, srv: s, cookies: map[string]string{}}
}

type response struct {
	Status   int
	Header   http.Header
	Body     string
	Doc      *goquery.Document
	Location string
}

func (c *client) do(method, target string, form url.Values) *response {
	c.tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	return c.send(req)
}

// send runs a prepared request with the client's cookies, as do does.
func (c *client) send(req *http.Request) *response {
	c.tb.Helper()
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := c.srv.App().Test(req, -1)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	raw, _ := io.ReadAll(resp.Body)
	r := &response{Status: resp.StatusCode, Header: resp.Header, Body: string(raw), Location: resp.Header.Get("Location")}
	if strings.HasPrefix(req.URL.Path, "/api/v1/") {
		checkAPIResponse(c.tb, req, r) // every API answer a test sees matches the OpenAPI document
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "html") {
		r.Doc, _ = goquery.NewDocumentFromReader(strings.NewReader(r.Body))
		// A browser loads the page's images: the visit pixel counts the view.
		if src, ok := r.Doc.Find("img.visit-pixel").Attr("src"); ok && req.Method == http.MethodGet && !c.noPixel {
			px := c.send(httptest.NewRequest(http.MethodGet, src, nil))
			if px.Status != http.StatusOK {
				c.tb.Fatalf("visit pixel %s: status %d", src, px.Status)
			}
		}
	}
	return r
}

func (c *client) get(target string) *response { return c.do("GET", target, nil) }

func (c *client) post(target string, form url.Values) *response { return c.do("POST", target, form) }

// postForm submits the page's form with the given action as a browser
// would — hidden and filled-in fields, ticked boxes, selected options —
// with fields replacing what the page holds.
func (c *client) postForm(page *response, action string, fields url.Values) *response {
	c.tb.Helper()
	form := url.Values{}
	sel := page.Doc.Find(`form[action="` + action + `"]`)
	if sel.Length() == 0 {
		c.tb.Fatalf("no form with action %s on the page", action)
	}
	sel.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok || name == "" {
			return
		}
		if _, disabled := s.Attr("disabled"); disabled {
			return
		}
		switch goquery.NodeName(s) {
		case "textarea":
			form.Add(name, s.Text())
		case "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			form.Add(name, opt.AttrOr("value", ""))
		default:
			switch s.AttrOr("type", "text") {
			case "checkbox", "radio":
				if _, checked := s.Attr("checked"); checked {
					form.Add(name, s.AttrOr("value", "on"))
				}
			case "submit", "button", "file":
			default:
				form.Add(name, s.AttrOr("value", ""))
			}
		}
	})
	for k, v := range fields {
		form[k] = v
	}
	return c.post(action, form)
}

func (c *client) mustStatus(r *response, want int) {
	c.tb.Helper()
	if r.Status != want {
		c.tb.Fatalf("status %d, want %d; body: %.400s", r.Status, want, r.Body)
	}
}

func text(r *response, sel string) string {
	if r.Doc == nil {
		return ""
	}
	return strings.TrimSpace(r.Doc.Find(sel).Text())
}

// course returns a seeded course.
func (s *testServer) course(tb testing.TB, slug string) *app.PublishedCourse {
	tb.Helper()
	c, err := s.Store.FindPublishedCourse(context.Background(), slug)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// rightAnswers reads the quiz page and returns form fields answering
// every drawn question right (using the course data, as only a test can).
func rightAnswers(tb testing.TB, page *response, c *app.PublishedCourse, wrong bool) url.Values {
	tb.Helper()
	form := url.Values{}
	page.Doc.Find("fieldset.question").Each(func(_ int, fs *goquery.Selection) {
		qid := strings.TrimPrefix(fs.AttrOr("id", ""), "q-")
		q, ok := c.Quiz.Question(qid)
		if !ok {
			tb.Fatalf("page shows unknown question %s", qid)
		}
		for _, ch := range q.Choices {
			if ch.Correct != wrong {
				form.Add("q."+qid, ch.ID)
				if wrong && q.Type != app.QuestionMultiple {
					break
				}
			}
		}
	})
	return form
}

// completeCourse marks every lesson complete and passes the quiz.
func (c *client) completeCourse(lang string, pc *app.PublishedCourse) *response {
	c.tb.Helper()
	for _, l := range pc.Lessons {
		page := c.get("/" + lang + "/courses/" + pc.Slug + "/lessons/" + l.Slug)
		c.mustStatus(page, 200)
		c.mustStatus(c.postForm(page, "/"+lang+"/courses/"+pc.Slug+"/lessons/"+l.Slug+"/complete", nil), 303)
	}
	quiz := c.get("/" + lang + "/courses/" + pc.Slug + "/quiz")
	c.mustStatus(quiz, 200)
	res := c.postForm(quiz, "/"+lang+"/courses/"+pc.Slug+"/quiz", rightAnswers(c.tb, quiz, pc, false))
	c.mustStatus(res, 303)
	return c.get(res.Location)
}

// Doc fetches a page as a fresh visitor and returns its document.
func (s *testServer) Doc(tb testing.TB, path string) *goquery.Document {
	tb.Helper()
	r := s.client(tb).get(path)
	if r.Doc == nil {
		tb.Fatalf("%s is not HTML", path)
	}
	return r.Doc
}

// listen serves the app on a loopback port until the test ends and returns its base URL.
func (s *testServer) listen(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = s.App().Listener(ln) }()
	tb.Cleanup(func() { _ = s.App().Shutdown() })
	return "http://" + ln.Addr().String()
}

// signedIn returns a client signed in as a new account holding roles.
func (s *testServer) signedIn(tb testing.TB, email string, roles ...string) *client {
	tb.Helper()
	hash, err := argon2id.CreateHash("a test password", &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if err != nil {
		tb.Fatal(err)
	}
	if len(roles) == 0 {
		roles = []string{app.RoleLearner}
	}
	u := &app.User{Email: email, DisplayName: strings.Split(email, "@")[0], PasswordHash: hash, Roles: roles, Locale: "en"}
	if err := s.Store.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	c := s.client(tb)
	page := c.get("/en/login")
	r := c.postForm(page, "/en/login", url.Values{"email": {email}, "password": {"a test password"}})
	c.mustStatus(r, 303)
	return c
}

func storeAuditCourse(slug string) store.AuditFilter {
	return store.AuditFilter{ObjectType: "course", ObjectID: slug}
}

// csrf returns the client's _csrf token, read from a page with a form.
func (c *client) csrf() string {
	c.tb.Helper()
	r := c.get("/en/register")
	if r.Status == 303 {
		r = c.get("/en/me")
	}
	return r.Doc.Find("input[name=_csrf]").First().AttrOr("value", "")
}

func storeAuditObject(objType string) store.AuditFilter {
	return store.AuditFilter{ObjectType: objType}
}

// signedInUser creates an account with roles and returns it, for store-level steps.
func (s *testServer) signedInUser(tb testing.TB, email string, roles ...string) *app.User {
	tb.Helper()
	u := &app.User{Email: email, DisplayName: "Author", PasswordHash: "x", Roles: roles, Locale: "en"}
	if err := s.Store.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return u
}

// mustRevalidate asks target again with If-None-Match set to the ETag of
// its first answer r: the answer is 304 with no body.
func (c *client) mustRevalidate(target string, r *response) {
	c.tb.Helper()
	etag := r.Header.Get("ETag")
	if etag == "" {
		c.tb.Fatalf("%s has no ETag", target)
	}
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("If-None-Match", etag)
	if again := c.send(req); again.Status != 304 || again.Body != "" {
		c.tb.Errorf("%s with If-None-Match: %d, %d bytes", target, again.Status, len(again.Body))
	}
}
