package web_test

import (
	"context"
	"encoding/xml"
	"mime"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"
)

// testClock is a clock the tests move by hand (never by sleeping).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t.UTC().Truncate(time.Second)} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t.UTC()
	c.mu.Unlock()
}

// clockedServer is a seeded server on st whose clock is clk, rendering
// every page afresh (the page cache keeps pages by the real clock).
func clockedServer(tb testing.TB, st *store.Store, clk *testClock) *testServer {
	tb.Helper()
	st.SetClock(clk.Now)
	return mustOpenServerOn(tb, st, func(o *web.Options) { o.Clock = clk.Now; o.NoPageCache = true })
}

// publishAt creates and publishes a at the clock's time.
func (s *testServer) publishAt(tb testing.TB, clk *testClock, a *app.Alert) *app.Alert {
	tb.Helper()
	ctx := context.Background()
	org := s.organizer(tb)
	if err := s.Store.CreateAlert(ctx, org, a); err != nil {
		tb.Fatalf("create alert %s: %v", a.Identifier, err)
	}
	if err := s.Store.PublishAlert(ctx, org, a.Identifier, false, clk.Now()); err != nil {
		tb.Fatalf("publish alert %s: %v", a.Identifier, err)
	}
	s.InvalidateAlerts()
	got, err := s.Store.FindAlert(ctx, a.Identifier)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// followUpAt drafts an Update or Cancel of of, lets mod change it, and
// publishes it at the clock's time.
func (s *testServer) followUpAt(tb testing.TB, clk *testClock, of, msgType, id string, mod func(*app.Alert)) *app.Alert {
	tb.Helper()
	ctx := context.Background()
	org := s.organizer(tb)
	if _, err := s.Store.DraftFollowUpWith(ctx, org, of, msgType, id, mod); err != nil {
		tb.Fatalf("draft %s of %s: %v", msgType, of, err)
	}
	if err := s.Store.PublishAlert(ctx, org, id, false, clk.Now()); err != nil {
		tb.Fatalf("publish %s: %v", id, err)
	}
	s.InvalidateAlerts()
	got, err := s.Store.FindAlert(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// feedEntry finds the entry with the id in a feed (nil when absent).
func feedEntry(f atomFeed, id string) *struct {
	ID    string `xml:"id"`
	Title string `xml:"title"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Summary    string `xml:"summary"`
	Updated    string `xml:"updated"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
} {
	for i := range f.Entries {
		if f.Entries[i].ID == id {
			return &f.Entries[i]
		}
	}
	return nil
}

// capInfoResponse reads the <responseType>s of each <info> of a CAP document.
func capInfoResponse(t *testing.T, body string) [][]string {
	t.Helper()
	var doc struct {
		Info []struct {
			ResponseType []string `xml:"responseType"`
		} `xml:"info"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, in := range doc.Info {
		out = append(out, in.ResponseType)
	}
	return out
}

// startCancel starts a Cancel of id from its admin page in lang and
// returns the form page the organizer lands on.
func startCancel(t *testing.T, org *client, lang, id string) *response {
	t.Helper()
	page := org.get("/" + lang + "/admin/alerts/" + id)
	org.mustStatus(page, 200)
	r := org.postForm(page, "/"+lang+"/admin/alerts/"+id+"/cancel", nil)
	org.mustStatus(r, 303)
	edit := org.get(r.Location)
	org.mustStatus(edit, 200)
	return edit
}

func TestCancelOwnText(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *testServer) { cancelowntext(t, srv) })
}

func cancelowntext(t *testing.T, srv *testServer) {
	ctx := context.Background()
	if err := srv.Store.SetSetting(ctx, "four_eyes", "off"); err != nil {
		t.Fatal(err)
	}
	srv.publishAlert(t, alertFixture("gas"))
	srv.followUp(t, "gas", "Update", "gas-update-1", func(a *app.Alert) {
		a.Headline = app.Text{"en": "Gas leak: stay indoors", "fr": "Fuite de gaz : restez chez vous"}
		a.Description = app.Text{"en": "The leak is growing.", "fr": "La fuite s’aggrave."}
		a.Instruction = app.Text{"en": "Close your windows.", "fr": "Fermez vos fenêtres."}
	})
	org := srv.signedIn(t, "org@cancel.example.org", app.RoleOrganizer)

	// The Update's form keeps the old text and says it is a new message.
	r := org.postForm(org.get("/fr/admin/alerts/gas-update-1"), "/fr/admin/alerts/gas-update-1/update", nil)
	org.mustStatus(r, 303)
	upd := org.get(r.Location)
	if got := text(upd, "#new-message-note"); got != srv.Bundle.Localizer("fr").T("admin.alerts.update_note", nil) {
		t.Errorf("update form note %q", got)
	}
	if got := upd.Doc.Find("#headline").AttrOr("value", ""); got != "Gas leak: stay indoors" {
		t.Errorf("update form headline %q, want the old text to edit", got)
	}
	if err := srv.Store.DeleteAlert(ctx, nil, "gas-update-2"); err != nil {
		t.Fatal(err)
	}

	// Starting a Cancel fills the form with a cancellation text, not the Update's words.
	edit := startCancel(t, org, "en", "gas-update-1")
	if got := edit.Doc.Find("#headline").AttrOr("value", ""); got != "Cancelled: Gas leak: stay indoors" {
		t.Errorf("cancel form headline %q", got)
	}
	if got := edit.Doc.Find("#description").Text(); got != "This warning has been withdrawn." {
		t.Errorf("cancel form description %q", got)
	}
	if got := edit.Doc.Find("#instruction").Text(); strings.Contains(got, "windows") || got == "" {
		t.Errorf("cancel form instruction %q", got)
	}
	if got := text(edit, "#new-message-note"); got != srv.Bundle.Localizer("en").T("admin.alerts.cancel_note", nil) {
		t.Errorf("cancel form note %q", got)
	}
	draft, err := srv.Store.FindAlert(ctx, "gas-cancel")
	if err != nil {
		t.Fatal(err)
	}
	if draft.Headline["fr"] != "Annulé : Fuite de gaz : restez chez vous" || draft.Description["fr"] != "Cette alerte a été retirée." ||
		strings.Contains(draft.Instruction["fr"], "fenêtres") {
		t.Errorf("French cancellation text: %q / %q / %q", draft.Headline["fr"], draft.Description["fr"], draft.Instruction["fr"])
	}

	// The organizer edits it and publishes.
	org.mustStatus(org.postForm(edit, "/en/admin/alerts/gas-cancel/edit", url.Values{
		"description": {"The leak is fixed. The gas company checked every house."}}), 303)
	org.mustStatus(org.postForm(org.get("/en/admin/alerts/gas-cancel"), "/en/admin/alerts/gas-cancel/publish", nil), 303)

	doc, body := getCAP(t, org, "gas-cancel")
	xmllint(t, "gas-cancel.cap", body, "--noout", "--schema", capSchema(t))
	if doc.MsgType != "Cancel" || len(doc.Info) != 2 {
		t.Fatalf("CAP msgType %q, %d infos", doc.MsgType, len(doc.Info))
	}
	if in := doc.Info[0]; in.Language != "en" || in.Headline != "Cancelled: Gas leak: stay indoors" ||
		in.Description != "The leak is fixed. The gas company checked every house." || strings.Contains(in.Instruction, "windows") {
		t.Errorf("CAP en info: %+v", in)
	}
	if in := doc.Info[1]; in.Language != "fr" || in.Headline != "Annulé : Fuite de gaz : restez chez vous" {
		t.Errorf("CAP fr info: %+v", in)
	}
	if got := capInfoResponse(t, body); len(got[0]) != 0 {
		t.Errorf("a Cancel without all clear has responseType %v", got)
	}

	// The cancelled alert's public page says so and shows the cancel text, in en and fr.
	c := srv.client(t)
	for _, tc := range []struct{ lang, heading, headline, description string }{
		{"en", "This alert has been cancelled", "Cancelled: Gas leak: stay indoors", "The leak is fixed. The gas company checked every house."},
		{"fr", "Cette alerte a été annulée", "Annulé : Fuite de gaz : restez chez vous", "Cette alerte a été retirée."},
	} {
		page := c.get("/" + tc.lang + "/alerts/gas-update-1")
		c.mustStatus(page, 200)
		if got := text(page, ".alert-cancel-notice h2"); got != tc.heading {
			t.Errorf("%s: cancel heading %q", tc.lang, got)
		}
		if got := text(page, ".alert-cancel-headline"); got != tc.headline {
			t.Errorf("%s: cancel headline %q", tc.lang, got)
		}
		if got := text(page, ".alert-cancel-description"); got != tc.description {
			t.Errorf("%s: cancel description %q", tc.lang, got)
		}
		if page.Doc.Find(".alert-todo").Length() != 0 || strings.Contains(page.Body, "Close your windows") || strings.Contains(page.Body, "Fermez vos fenêtres") {
			t.Errorf("%s: the cancelled alert still tells people what to do", tc.lang)
		}
	}
}

func TestAllClear(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *testServer) { allclear(t, srv) })
}

func allclear(t *testing.T, srv *testServer) {
	ctx := context.Background()
	if err := srv.Store.SetSetting(ctx, "four_eyes", "off"); err != nil {
		t.Fatal(err)
	}
	srv.publishAlert(t, alertFixture("heat"))
	srv.publishAlert(t, alertFixture("smoke"))
	org := srv.signedIn(t, "org@allclear.example.org", app.RoleOrganizer)

	// An Alert's form has no all-clear choice; a Cancel's has.
	if n := org.get("/en/admin/alerts/new").Doc.Find("#all_clear").Length(); n != 0 {
		t.Error("the new-alert form offers all clear")
	}
	edit := startCancel(t, org, "en", "heat")
	if edit.Doc.Find("#all_clear").Length() != 1 {
		t.Fatal("the cancel form has no all-clear choice")
	}
	org.mustStatus(org.postForm(edit, "/en/admin/alerts/heat-cancel/edit", url.Values{"all_clear": {"yes"}}), 303)
	org.mustStatus(org.postForm(org.get("/en/admin/alerts/heat-cancel"), "/en/admin/alerts/heat-cancel/publish", nil), 303)

	_, body := getCAP(t, org, "heat-cancel")
	xmllint(t, "heat-cancel.cap", body, "--noout", "--schema", capSchema(t))
	for i, rt := range capInfoResponse(t, body) {
		if strings.Join(rt, ",") != "AllClear" {
			t.Errorf("info %d responseType %v, want AllClear", i, rt)
		}
	}
	c := srv.client(t)
	page := c.get("/en/alerts/heat")
	if got := text(page, ".alert-cancel-notice h2"); got != "This alert has been cancelled: all clear" {
		t.Errorf("cancelled page heading %q", got)
	}
	if got := text(c.get("/fr/alerts/heat-cancel"), ".alert-tags .alert-all-clear"); got != "Fin d’alerte" {
		t.Errorf("cancel page all-clear tag %q", got)
	}
	// The banner tells everyone it is over, for the keep window. It shows
	// two alerts at most (#14): this visitor hides the seed drill, as
	// anyone may, so that the all-clear is among them beside smoke.
	srv.InvalidateAlerts()
	home := c.get("/en/")
	c.mustStatus(c.postForm(home, "/en/alerts/"+seedDrill+"/hide", nil), 303)
	b := bannerOf(c.get("/en/"), "heat-cancel")
	if got := strings.TrimSpace(b.Find(".alert-banner-all-clear").Text()); got != "All clear" || b.Find(".alert-banner-severity").Length() != 0 {
		t.Errorf("all-clear banner word %q, severity shown %d", got, b.Find(".alert-banner-severity").Length())
	}
	if got := strings.TrimSpace(b.Find(".alert-banner-headline").Text()); got != "Cancelled: Headline of heat" {
		t.Errorf("all-clear banner headline %q", got)
	}

	// An Update that says all clear: its CAP, and the banner word.
	r := org.postForm(org.get("/en/admin/alerts/smoke"), "/en/admin/alerts/smoke/update", nil)
	org.mustStatus(r, 303)
	upd := org.get(r.Location)
	org.mustStatus(org.postForm(upd, "/en/admin/alerts/smoke-update-1/edit", url.Values{"all_clear": {"yes"},
		"headline": {"The smoke has cleared"}}), 303)
	org.mustStatus(org.postForm(org.get("/en/admin/alerts/smoke-update-1"), "/en/admin/alerts/smoke-update-1/publish", nil), 303)
	srv.InvalidateAlerts()
	_, body = getCAP(t, org, "smoke-update-1")
	xmllint(t, "smoke-update-1.cap", body, "--noout", "--schema", capSchema(t))
	if rt := capInfoResponse(t, body); strings.Join(rt[0], ",") != "AllClear" {
		t.Errorf("update responseType %v", rt)
	}
	home = c.get("/en/")
	if got := strings.TrimSpace(bannerOf(home, "smoke-update-1").Find(".alert-banner-all-clear").Text()); got != "All clear" {
		t.Errorf("banner all-clear word %q", got)
	}
	if got := strings.TrimSpace(bannerOf(c.get("/ar/"), "smoke-update-1").Find(".alert-banner-all-clear").Text()); got != "زال الخطر" {
		t.Errorf("Arabic banner all-clear word %q", got)
	}
	// The feed says all clear on both: the Update in force and the cancelled alert.
	f, _ := getFeed(t, c, "/feeds/alerts.atom")
	for _, tc := range []struct{ id, title, terms string }{
		{"smoke-update-1", "All clear: The smoke has cleared", "Security all-clear "},
		{"heat", "All clear: Headline of heat", "cancelled Security all-clear "},
	} {
		e := feedEntry(f, "http://localhost/alerts/"+tc.id+".cap")
		if e == nil {
			t.Errorf("feed lacks %s", tc.id)
			continue
		}
		terms := ""
		for _, cat := range e.Categories {
			terms += cat.Term + " "
		}
		if e.Title != tc.title || terms != tc.terms {
			t.Errorf("%s entry: title %q categories %q", tc.id, e.Title, terms)
		}
	}
	// The store keeps it (packs: TestStore_ImportAllClear).
	a, err := srv.Store.FindAlert(ctx, "smoke-update-1")
	if err != nil || !a.AllClear {
		t.Fatalf("stored all clear: %v %v", a, err)
	}
}

// eachStore runs f on a seeded server per available database.
func eachStore(t *testing.T, f func(t *testing.T, srv *testServer)) {
	for name, mk := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) { f(t, mustOpenServerOn(t, mk(t))) })
	}
}

// feedStores runs f on a clocked server per available database.
func feedStores(t *testing.T, f func(t *testing.T, srv *testServer, clk *testClock)) {
	for name, mk := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			clk := newTestClock(time.Now())
			f(t, clockedServer(t, mk(t), clk), clk)
		})
	}
}

func TestAtomKeepsCancelled(t *testing.T) {
	feedStores(t, func(t *testing.T, srv *testServer, clk *testClock) {
		t0 := clk.Now()
		week := func(a *app.Alert) {
			a.Effective, a.Expires = t0.Add(-time.Hour), t0.Add(7*24*time.Hour)
		}
		srv.publishAt(t, clk, alertFixture("quake", week))
		clk.Set(t0.Add(time.Hour))
		srv.followUpAt(t, clk, "quake", "Cancel", "quake-cancel", func(a *app.Alert) {
			a.Headline = app.Text{"en": "No aftershock expected", "fr": "Pas de réplique attendue"}
			a.Description = app.Text{"en": "Experts withdrew the warning.", "fr": "Les experts ont retiré l’alerte."}
			a.Instruction = app.Text{}
		})
		c := srv.client(t)
		const entryID = "http://localhost/alerts/quake.cap"
		for _, at := range []time.Duration{time.Hour, 48*time.Hour + time.Hour - time.Second} {
			clk.Set(t0.Add(at))
			srv.InvalidateAlerts()
			f, _ := getFeed(t, c, "/feeds/alerts.atom")
			e := feedEntry(f, entryID)
			if e == nil {
				t.Fatalf("at +%s the cancelled alert's entry is gone", at)
			}
			if e.Title != "Cancelled: Headline of quake" || e.Summary != "Experts withdrew the warning." {
				t.Errorf("cancelled entry title %q summary %q", e.Title, e.Summary)
			}
			terms := ""
			for _, cat := range e.Categories {
				terms += cat.Term + " "
			}
			if !strings.Contains(terms, "cancelled ") {
				t.Errorf("cancelled entry categories %q", terms)
			}
			capLink := ""
			for _, l := range e.Links {
				if l.Rel == "alternate" && l.Type == "application/cap+xml" {
					capLink = l.Href
				}
			}
			if capLink != "http://localhost/alerts/quake-cancel.cap" {
				t.Errorf("cancelled entry links %q, want the Cancel's CAP document", capLink)
			}
			if e.Updated != t0.Add(time.Hour).Format("2006-01-02T15:04:05-07:00") {
				t.Errorf("cancelled entry updated %q", e.Updated)
			}
			if !strings.Contains(f.Subtitle, "48") {
				t.Errorf("feed subtitle %q does not state the keep time", f.Subtitle)
			}
			if feedEntry(f, "http://localhost/alerts/quake-cancel.cap") != nil {
				t.Error("the Cancel message has an entry of its own")
			}
			fr, _ := getFeed(t, c, "/feeds/alerts.atom?lang=fr")
			if e := feedEntry(fr, entryID); e == nil || e.Title != "Annulé : Titre de quake" || e.Summary != "Les experts ont retiré l’alerte." {
				t.Errorf("French cancelled entry: %+v", e)
			}
		}
		clk.Set(t0.Add(49*time.Hour + time.Second))
		srv.InvalidateAlerts()
		f, _ := getFeed(t, c, "/feeds/alerts.atom")
		if feedEntry(f, entryID) != nil {
			t.Error("the cancelled entry outlived the keep window")
		}
	})
}

func TestAtomUpdatedNeverGoesBack(t *testing.T) {
	feedStores(t, func(t *testing.T, srv *testServer, clk *testClock) {
		t0 := clk.Now()
		c := srv.client(t)
		var last time.Time
		step := func(name string, at time.Duration, want time.Time) {
			t.Helper()
			clk.Set(t0.Add(at))
			srv.InvalidateAlerts()
			f, _ := getFeed(t, c, "/feeds/alerts.atom")
			got, err := time.Parse(time.RFC3339, f.Updated)
			if err != nil {
				t.Fatalf("%s: updated %q: %v", name, f.Updated, err)
			}
			if got.Before(last) {
				t.Errorf("%s: <updated> went back from %s to %s", name, last, got)
			}
			if !want.IsZero() && !got.Equal(want) {
				t.Errorf("%s: <updated> %s, want %s", name, got, want)
			}
			last = got
		}
		srv.publishAt(t, clk, alertFixture("river", func(a *app.Alert) { a.Effective, a.Expires = t0, t0.Add(100*time.Hour) }))
		srv.publishAt(t, clk, alertFixture("wind", func(a *app.Alert) { a.Effective, a.Expires = t0, t0.Add(60*time.Hour) }))
		step("publish", 0, t0)
		clk.Set(t0.Add(time.Hour))
		srv.followUpAt(t, clk, "river", "Update", "river-update-1", func(a *app.Alert) { a.Severity = "Severe" })
		step("update", time.Hour, t0.Add(time.Hour))
		clk.Set(t0.Add(2 * time.Hour))
		srv.followUpAt(t, clk, "river-update-1", "Cancel", "river-cancel", nil)
		step("cancel", 2*time.Hour, t0.Add(2*time.Hour))
		step("quiet", 30*time.Hour, t0.Add(2*time.Hour))
		step("window ends", 51*time.Hour, t0.Add(50*time.Hour))
		step("expiry", 61*time.Hour, t0.Add(60*time.Hour))
		step("later", 200*time.Hour, t0.Add(60*time.Hour))
	})
}

// problemDoc is an RFC 9457 problem details document in XML.
type problemDoc struct {
	XMLName xml.Name `xml:"urn:ietf:rfc:7807 problem"`
	Type    string   `xml:"type"`
	Title   string   `xml:"title"`
	Status  int      `xml:"status"`
	Detail  string   `xml:"detail"`
}

func TestFeedErrorsInOwnFormat(t *testing.T) {
	eachStore(t, feedErrorsInOwnFormat)
}

func feedErrorsInOwnFormat(t *testing.T, srv *testServer) {
	c := srv.client(t)
	for _, tc := range []struct{ path, title, detail string }{
		{"/alerts/no-such-alert.cap", "Page not found", "There is no such alert. It may have been withdrawn before it was published."},
		{"/alerts/bad.id.cap", "Page not found", ""},
		{"/feeds/nothing.atom", "Page not found", ""},
		{"/feeds/nothing.atom?lang=fr", "Page introuvable", ""},
	} {
		r := c.get(tc.path)
		if r.Status != 404 {
			t.Errorf("%s: status %d", tc.path, r.Status)
			continue
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/problem+xml" {
			t.Errorf("%s: Content-Type %q", tc.path, r.Header.Get("Content-Type"))
			continue
		}
		xmllint(t, "problem.xml", r.Body, "--noout")
		var p problemDoc
		if err := xml.Unmarshal([]byte(r.Body), &p); err != nil {
			t.Fatalf("%s: %v\n%s", tc.path, err, r.Body)
		}
		if p.Status != 404 || p.Type != "about:blank" || p.Title != tc.title || p.Detail == "" || (tc.detail != "" && p.Detail != tc.detail) {
			t.Errorf("%s: problem %+v", tc.path, p)
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS header on the error", tc.path)
		}
	}
	for _, path := range []string{"/en/alerts/no-such-alert/calendar.ics", "/fr/campaigns/no-such-campaign/calendar.ics", "/en/nothing.ics"} {
		r := c.get(path)
		if r.Status != 404 {
			t.Errorf("%s: status %d", path, r.Status)
		}
		if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/plain" || params["charset"] != "utf-8" {
			t.Errorf("%s: Content-Type %q", path, r.Header.Get("Content-Type"))
		}
		if strings.Contains(r.Body, "<") || !strings.HasPrefix(r.Body, "404 ") {
			t.Errorf("%s: body %q", path, r.Body)
		}
	}
	// Other paths keep the HTML error page.
	if r := c.get("/en/alerts/no-such-alert"); !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("the alert page's 404 is %q", r.Header.Get("Content-Type"))
	}
}
