package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"

	"github.com/PuerkitoBio/goquery"
	"github.com/alexedwards/argon2id"
)

// Hostile text as organizers might paste it: every field must show it as
// text, never run it.
const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
)

var alertSeq atomic.Int64

// alertFixture is a valid, public everyone-alert in force for a day, in
// English and French, tuned by mods.
func alertFixture(id string, mods ...func(*app.Alert)) *app.Alert {
	now := time.Now()
	a := &app.Alert{Identifier: id, SourceLocale: "en", Status: "Actual", MsgType: "Alert", Scope: "Public",
		Categories: []string{"Security"}, Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
		Event:       app.Text{"en": "Phishing wave", "fr": "Vague d’hameçonnage"},
		Headline:    app.Text{"en": "Headline of " + id, "fr": "Titre de " + id},
		Description: app.Text{"en": "Fake messages ask for your bank code.\nThey look real.", "fr": "De faux messages demandent votre code."},
		Instruction: app.Text{"en": "Do not answer. Call your bank on its usual number.", "fr": "Ne répondez pas."},
		Effective:   now.Add(-time.Hour).In(time.FixedZone("", 2*3600)).Truncate(time.Second),
		Expires:     now.Add(24 * time.Hour).In(time.FixedZone("", 2*3600)).Truncate(time.Second)}
	for _, m := range mods {
		m(a)
	}
	return a
}

// organizer returns an organizer account for store-level steps.
func (s *testServer) organizer(tb testing.TB) *app.User {
	tb.Helper()
	return s.signedInUser(tb, fmt.Sprintf("organizer-%d@alerts.example.org", alertSeq.Add(1)), app.RoleOrganizer)
}

// publishAlert creates and publishes a (four-eyes off) and drops the
// server's cache of active alerts, as the admin pages do.
func (s *testServer) publishAlert(tb testing.TB, a *app.Alert) *app.Alert {
	tb.Helper()
	ctx := context.Background()
	org := s.organizer(tb)
	if err := s.Store.CreateAlert(ctx, org, a); err != nil {
		tb.Fatalf("create alert %s: %v", a.Identifier, err)
	}
	if err := s.Store.PublishAlert(ctx, org, a.Identifier, false, time.Now()); err != nil {
		tb.Fatalf("publish alert %s: %v", a.Identifier, err)
	}
	s.InvalidateAlerts()
	got, err := s.Store.FindAlert(ctx, a.Identifier)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// followUp drafts an Update or Cancel of a published alert, lets mod
// change it, and publishes it.
func (s *testServer) followUp(tb testing.TB, of, msgType, id string, mod func(*app.Alert)) *app.Alert {
	tb.Helper()
	ctx := context.Background()
	org := s.organizer(tb)
	if _, err := s.Store.DraftFollowUp(ctx, org, of, msgType, id); err != nil {
		tb.Fatalf("draft %s of %s: %v", msgType, of, err)
	}
	if mod != nil {
		if err := s.Store.EditAlert(ctx, org, id, "alert:update", func(a *app.Alert) error { mod(a); return nil }); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.Store.PublishAlert(ctx, org, id, false, time.Now()); err != nil {
		tb.Fatalf("publish %s: %v", id, err)
	}
	s.InvalidateAlerts()
	got, err := s.Store.FindAlert(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// signedInAt returns a client signed in as a learner living in region.
func (s *testServer) signedInAt(tb testing.TB, email, region string) *client {
	tb.Helper()
	u := &app.User{Email: email, DisplayName: "Resident", PasswordHash: testHash(tb), Roles: []string{app.RoleLearner}, Locale: "en", RegionCode: region}
	if err := s.Store.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	c := s.client(tb)
	page := c.get("/en/login")
	c.mustStatus(c.postForm(page, "/en/login", url.Values{"email": {email}, "password": {"a test password"}}), 303)
	return c
}

// bannerIDs lists the identifiers of the alerts in a page's banner, in order.
func bannerIDs(r *response) []string {
	var out []string
	if r.Doc == nil {
		return nil
	}
	r.Doc.Find(".alert-banners .alert-banner .alert-banner-details").Each(func(_ int, s *goquery.Selection) {
		href := s.AttrOr("href", "")
		out = append(out, href[strings.LastIndex(href, "/")+1:])
	})
	return out
}

// testHash is the hash of "a test password", made cheap for tests.
func testHash(tb testing.TB) string {
	tb.Helper()
	hash, err := argon2id.CreateHash("a test password", &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if err != nil {
		tb.Fatal(err)
	}
	return hash
}

func hasID(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// bannerOf returns the banner entry of alert id on a page.
func bannerOf(r *response, id string) *goquery.Selection {
	return r.Doc.Find(`.alert-banner`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find(`.alert-banner-details[href$="/alerts/`+id+`"]`).Length() == 1
	})
}

func TestAlert_BannerOnEveryPageMostSevereFirst(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	srv.publishAlert(t, alertFixture("minor-notice", func(a *app.Alert) { a.Severity = "Minor" }))
	srv.publishAlert(t, alertFixture("extreme-flood", func(a *app.Alert) {
		a.Severity, a.Categories = "Extreme", []string{"Met"}
		a.Lesson = &app.AlertLesson{Course: "cyber-hygiene", Lesson: pc.Lessons[0].Slug}
	}))
	srv.publishAlert(t, alertFixture("severe-scam", func(a *app.Alert) { a.Severity, a.Status = "Severe", "Exercise" }))

	guest := srv.client(t)
	for _, p := range []string{"/en/", "/en/courses", "/en/courses/cyber-hygiene/lessons/" + pc.Lessons[1].Slug, "/en/me", "/en/alerts", "/en/campaigns"} {
		r := guest.get(p)
		guest.mustStatus(r, 200)
		ids := bannerIDs(r)
		// The two most severe show; the seed drill and the minor one are
		// counted in a link to the alerts page (#14).
		if len(ids) != 2 || ids[0] != "extreme-flood" || ids[1] != "severe-scam" {
			t.Fatalf("%s: banner %v, want extreme-flood, severe-scam in that order", p, ids)
		}
		if got := strings.TrimSpace(r.Doc.Find(".alert-banners-more a").Text()); got != "2 more alerts" {
			t.Fatalf("%s: more link %q", p, got)
		}
		region := r.Doc.Find(`main .alert-banners[role="region"]`)
		if region.Length() != 1 || region.AttrOr("aria-label", "") != "Alerts in force" {
			t.Fatalf("%s: banner region missing or unlabelled", p)
		}
		if r.Doc.Find(`.alert-banners [role="alert"]`).Length() != 0 {
			t.Errorf("%s: banner uses role=alert", p)
		}
	}
	r := guest.get("/en/")
	ext := bannerOf(r, "extreme-flood")
	if got := strings.TrimSpace(ext.Find(".alert-banner-severity").Text()); got != "Extreme" {
		t.Errorf("severity word %q", got)
	}
	if !ext.HasClass("alert-banner-extreme") {
		t.Error("extreme alert lacks its severity class")
	}
	if got := strings.TrimSpace(ext.Find(".alert-banner-headline").Text()); got != "Headline of extreme-flood" {
		t.Errorf("headline %q", got)
	}
	if got := strings.TrimSpace(ext.Find(".alert-banner-instruction").Text()); got != "Do not answer. Call your bank on its usual number." {
		t.Errorf("instruction %q", got)
	}
	if got := ext.Find(".alert-banner-learn").AttrOr("href", ""); got != "/en/alerts/extreme-flood/learn" {
		t.Errorf("learn link %q", got)
	}
	if ext.Find(".alert-banner-exercise").Length() != 0 {
		t.Error("an Actual alert is labelled as a drill")
	}
	if bannerOf(r, "severe-scam").Find(".alert-banner-learn").Length() != 0 {
		t.Error("an alert without a lesson offers a learn link")
	}
	sev := bannerOf(r, "severe-scam")
	if got := strings.TrimSpace(sev.Find(".alert-banner-exercise").Text()); got != "Exercise: this is a drill" {
		t.Errorf("drill label %q", got)
	}
	form := ext.Find(`form[action="/en/alerts/extreme-flood/hide"]`)
	// The guest's page is shared by caches: its form carries no per-visitor
	// token (the origin check protects it).
	if form.AttrOr("method", "") != "post" || form.Find(`input[name=_csrf]`).Length() != 0 ||
		form.Find(`input[name=next]`).AttrOr("value", "") != "/en/" || form.Find(`button[type=submit]`).Length() != 1 {
		t.Error("hide form incomplete")
	}
	if r.Doc.Find(".alert-banners .notice").Length() != 0 {
		t.Error("the banner reuses the notice class")
	}

	// A signed-in learner without a region sees the everyone-alerts too.
	learner := srv.signedIn(t, "no-region@alerts.example.org")
	if ids := bannerIDs(learner.get("/en/me")); !hasID(ids, "extreme-flood") {
		t.Errorf("learner without a region sees %v", ids)
	}
	// An error page carries the banner as well.
	nf := guest.get("/en/courses/no-such-course")
	guest.mustStatus(nf, 404)
	if !hasID(bannerIDs(nf), "extreme-flood") {
		t.Error("404 page has no banner")
	}
}

func TestAlert_RegionTargeting(t *testing.T) {
	srv := MustOpenServer(t)
	srv.publishAlert(t, alertFixture("north-storm", func(a *app.Alert) { a.Regions = []string{"north"} }))
	srv.publishAlert(t, alertFixture("everyone-scam"))

	child := srv.signedInAt(t, "hillside@alerts.example.org", "north-hillside")
	parent := srv.signedInAt(t, "north@alerts.example.org", "north")
	south := srv.signedInAt(t, "south@alerts.example.org", "south-harbour")
	guest := srv.client(t)
	for _, tc := range []struct {
		name string
		c    *client
		sees bool
	}{{"north-hillside", child, true}, {"north", parent, true}, {"south-harbour", south, false}, {"guest", guest, false}} {
		for _, p := range []string{"/en/", "/en/courses"} {
			ids := bannerIDs(tc.c.get(p))
			if hasID(ids, "north-storm") != tc.sees {
				t.Errorf("%s on %s sees %v; north-storm shown = %v, want %v", tc.name, p, ids, !tc.sees, tc.sees)
			}
			if !hasID(ids, "everyone-scam") {
				t.Errorf("%s on %s misses the everyone-alert: %v", tc.name, p, ids)
			}
		}
	}
	// Everyone may read a regional alert's page; it names its region.
	r := guest.get("/en/alerts/north-storm")
	guest.mustStatus(r, 200)
	if got := strings.TrimSpace(r.Doc.Find(".alert-facts .alert-areas li").First().Text()); got != "North District" {
		t.Errorf("area %q", got)
	}
	zh := guest.get("/zh-Hans/alerts")
	if got := strings.TrimSpace(zh.Doc.Find(`.alert-list .alert-areas li`).First().Text()); got != "北区" {
		t.Errorf("zh-Hans area %q", got)
	}
}

func TestAlert_Expiry(t *testing.T) {
	srv := MustOpenServer(t)
	now := time.Now().In(time.FixedZone("", 2*3600))
	srv.publishAlert(t, alertFixture("later", func(a *app.Alert) { a.Effective, a.Expires = now.Add(time.Hour), now.Add(2*time.Hour) }))
	srv.publishAlert(t, alertFixture("over", func(a *app.Alert) { a.Effective, a.Expires = now.Add(-2*time.Hour), now.Add(-time.Hour) }))
	soon := srv.publishAlert(t, alertFixture("ending", func(a *app.Alert) { a.Effective, a.Expires = now.Add(-time.Hour), now.Add(2*time.Second) }))
	guest := srv.client(t)
	ids := bannerIDs(guest.get("/en/"))
	if hasID(ids, "later") || hasID(ids, "over") || !hasID(ids, "ending") {
		t.Fatalf("banner %v: want ending only (later is not effective yet, over has expired)", ids)
	}
	idx := guest.get("/en/alerts")
	section := func(heading string) []string {
		var out []string
		idx.Doc.Find(`section[aria-labelledby="` + heading + `"] .alert-item-title a`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, strings.TrimPrefix(s.AttrOr("href", ""), "/en/alerts/"))
		})
		return out
	}
	if a := section("active-heading"); !hasID(a, "ending") || hasID(a, "over") || hasID(a, "later") {
		t.Errorf("active %v", a)
	}
	if u := section("upcoming-heading"); len(u) != 1 || u[0] != "later" {
		t.Errorf("upcoming %v", u)
	}
	if a := section("archive-heading"); !hasID(a, "over") || hasID(a, "ending") {
		t.Errorf("archive %v", a)
	}
	// Once it expires it leaves the banner without waiting for the cache.
	time.Sleep(time.Until(soon.Expires) + 50*time.Millisecond)
	if ids := bannerIDs(guest.get("/en/courses")); hasID(ids, "ending") {
		t.Fatalf("expired alert still in the banner: %v", ids)
	}
	idx = guest.get("/en/alerts")
	if a := section("archive-heading"); !hasID(a, "ending") {
		t.Errorf("expired alert not in the archive: %v", a)
	}
	// The page shows the alert's own offset (+02:00), not the server's.
	page := guest.get("/en/alerts/over")
	if got := page.Doc.Find(".alert-facts time").First().Text(); !strings.Contains(got, "(UTC+02:00)") {
		t.Errorf("effective %q lacks the alert's offset", got)
	}
}

// hiddenCookie returns the hide cookie a response set.
func hiddenCookie(t *testing.T, r *response) *http.Cookie {
	t.Helper()
	for _, line := range r.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err == nil && ck.Name == "beacon_hidden_alerts" {
			return ck
		}
	}
	return nil
}

func TestAlert_Hide(t *testing.T) {
	srv := MustOpenServer(t)
	srv.publishAlert(t, alertFixture("hide-me", func(a *app.Alert) { a.Severity = "Severe" }))
	srv.publishAlert(t, alertFixture("keep-me"))
	c := srv.client(t)
	page := c.get("/en/courses")
	res := c.postForm(page, "/en/alerts/hide-me/hide", nil)
	c.mustStatus(res, 303)
	if res.Location != "/en/courses" {
		t.Fatalf("hide went to %q", res.Location)
	}
	ck := hiddenCookie(t, res)
	if ck == nil || ck.Value != "hide-me" || ck.Path != "/" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Fatalf("hide cookie %+v", ck)
	}
	if left := time.Until(ck.Expires); left < 179*24*time.Hour || left > 181*24*time.Hour {
		t.Errorf("hide cookie lasts %v, want 180 days", left)
	}
	next := c.get(res.Location)
	ids := bannerIDs(next)
	if hasID(ids, "hide-me") || !hasID(ids, "keep-me") {
		t.Fatalf("after hiding: banner %v", ids)
	}
	if got := text(next, ".notification-success"); !strings.Contains(got, "The alert is hidden") {
		t.Errorf("flash %q", got)
	}
	// Still on the alerts page and its own page.
	if r := c.get("/en/alerts/hide-me"); r.Status != 200 || text(r, "h1") != "Headline of hide-me" {
		t.Fatalf("hidden alert page: %d %q", r.Status, text(r, "h1"))
	}
	if !hasID(bannerIDs(srv.client(t).get("/en/")), "hide-me") {
		t.Error("hiding changed what other visitors see")
	}

	// A forged token changes nothing.
	other := srv.client(t)
	other.get("/en/")
	forged := other.post("/en/alerts/keep-me/hide", url.Values{"_csrf": {"forged"}, "next": {"/en/"}})
	other.mustStatus(forged, 403)
	if hiddenCookie(t, forged) != nil || other.cookies["beacon_hidden_alerts"] != "" {
		t.Fatal("a forged hide set the cookie")
	}
	if !hasID(bannerIDs(other.get("/en/")), "keep-me") {
		t.Fatal("a forged hide hid the alert")
	}

	// Only local paths are followed; forged identifiers are 404.
	token := c.csrf()
	for next, want := range map[string]string{"//evil.example/x": "/fr/", "https://evil.example/": "/fr/", "": "/fr/", "/fr/alerts": "/fr/alerts"} {
		r := c.post("/fr/alerts/keep-me/hide", url.Values{"_csrf": {token}, "next": {next}})
		if r.Status != 303 || r.Location != want {
			t.Errorf("next %q: %d to %q, want %q", next, r.Status, r.Location, want)
		}
	}
	for _, bad := range []string{"a.b", "-x", strings.Repeat("x", 101)} {
		if r := c.post("/en/alerts/"+url.PathEscape(bad)+"/hide", url.Values{"_csrf": {token}}); r.Status != 404 {
			t.Errorf("hide %q: %d, want 404", bad, r.Status)
		}
	}

	// At most 20 identifiers, the newest kept.
	for i := range 25 {
		c.post(fmt.Sprintf("/en/alerts/bulk-%02d/hide", i), url.Values{"_csrf": {token}, "next": {"/en/"}})
	}
	kept := strings.Split(c.cookies["beacon_hidden_alerts"], ".")
	if len(kept) != 20 || kept[0] != "bulk-05" || kept[19] != "bulk-24" {
		t.Fatalf("cookie keeps %d: %v", len(kept), kept)
	}
}

func TestAlert_UpdateShowsAgainAndCancelArchives(t *testing.T) {
	srv := MustOpenServer(t)
	srv.publishAlert(t, alertFixture("storm", func(a *app.Alert) { a.Categories = []string{"Met"} }))
	c := srv.client(t)
	page := c.get("/en/")
	c.mustStatus(c.postForm(page, "/en/alerts/storm/hide", nil), 303)
	if hasID(bannerIDs(c.get("/en/")), "storm") {
		t.Fatal("not hidden")
	}
	srv.followUp(t, "storm", "Update", "storm-update-1", func(a *app.Alert) {
		a.Headline["en"] = "The storm is stronger"
		a.Severity = "Severe"
	})
	ids := bannerIDs(c.get("/en/"))
	if hasID(ids, "storm") || !hasID(ids, "storm-update-1") {
		t.Fatalf("after the update the banner shows %v, want the update and not the original", ids)
	}
	orig := c.get("/en/alerts/storm")
	c.mustStatus(orig, 200)
	if got := orig.Doc.Find(`.alert-replaced a`).AttrOr("href", ""); got != "/en/alerts/storm-update-1" {
		t.Errorf("original does not link its update: %q", got)
	}
	if got := text(orig, ".alert-tags .tag"); got != "Replaced by an update" {
		t.Errorf("original phase %q", got)
	}
	upd := c.get("/en/alerts/storm-update-1")
	if got := upd.Doc.Find(`.alert-references a`).AttrOr("href", ""); got != "/en/alerts/storm" {
		t.Errorf("update does not link what it replaces: %q", got)
	}

	srv.followUp(t, "storm-update-1", "Cancel", "storm-cancel", nil)
	ids = bannerIDs(srv.client(t).get("/en/"))
	for _, id := range []string{"storm", "storm-update-1", "storm-cancel"} {
		if hasID(ids, id) {
			t.Errorf("after the cancel the banner shows %s: %v", id, ids)
		}
	}
	idx := c.get("/en/alerts")
	var archive, active []string
	idx.Doc.Find(`section[aria-labelledby="archive-heading"] .alert-item-title a`).Each(func(_ int, s *goquery.Selection) {
		archive = append(archive, strings.TrimPrefix(s.AttrOr("href", ""), "/en/alerts/"))
	})
	idx.Doc.Find(`section[aria-labelledby="active-heading"] .alert-item-title a`).Each(func(_ int, s *goquery.Selection) {
		active = append(active, strings.TrimPrefix(s.AttrOr("href", ""), "/en/alerts/"))
	})
	for _, id := range []string{"storm", "storm-update-1", "storm-cancel"} {
		if !hasID(archive, id) || hasID(active, id) {
			t.Errorf("%s: archive %v, active %v", id, archive, active)
		}
	}
	cancelled := c.get("/en/alerts/storm-update-1")
	if got := text(cancelled, ".alert-tags .tag"); got != "Cancelled" {
		t.Errorf("cancelled update phase %q", got)
	}
	if got := cancelled.Doc.Find(`.alert-replaced a`).AttrOr("href", ""); got != "/en/alerts/storm-cancel" {
		t.Errorf("cancelled alert does not link the cancellation: %q", got)
	}
	if got := text(c.get("/en/alerts/storm-cancel"), ".alert-references p"); got != "This message cancels:" {
		t.Errorf("cancel page chain %q", got)
	}
}

// capSchema finds the OASIS CAP 1.2 schema (kept in the repository for CI).
func capSchema(t *testing.T) string {
	t.Helper()
	root := testenv.Root(t)
	for _, p := range []string{filepath.Join(root, "app/cap/testdata/CAP-v1.2.xsd"), filepath.Join(root, "../shared/schemas/CAP-v1.2.xsd")} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("CAP-v1.2.xsd not found")
	return ""
}

// xmllint runs xmllint with args on body and fails with its output.
func xmllint(t *testing.T, name, body string, args ...string) {
	t.Helper()
	_, err := exec.LookPath("xmllint")
	testenv.Require(t, "xmllint", err == nil, "apt-get install libxml2-utils")
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", append(args, f)...).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint %s: %v\n%s\n%s", name, err, out, body)
	}
}

// capDoc is the part of a CAP document the tests read back.
type capDoc struct {
	XMLName    xml.Name `xml:"urn:oasis:names:tc:emergency:cap:1.2 alert"`
	Identifier string   `xml:"identifier"`
	Sender     string   `xml:"sender"`
	Status     string   `xml:"status"`
	MsgType    string   `xml:"msgType"`
	References string   `xml:"references"`
	Info       []struct {
		Language    string `xml:"language"`
		Event       string `xml:"event"`
		Headline    string `xml:"headline"`
		Description string `xml:"description"`
		Instruction string `xml:"instruction"`
		SenderName  string `xml:"senderName"`
		Web         string `xml:"web"`
		Area        []struct {
			AreaDesc string `xml:"areaDesc"`
		} `xml:"area"`
	} `xml:"info"`
}

func getCAP(t *testing.T, c *client, id string) (capDoc, string) {
	t.Helper()
	r := c.get("/alerts/" + id + ".cap")
	c.mustStatus(r, 200)
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/cap+xml" || (params["charset"] != "" && params["charset"] != "utf-8") {
		t.Fatalf("%s.cap Content-Type %q", id, r.Header.Get("Content-Type"))
	}
	var doc capDoc
	if err := xml.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatalf("%s.cap does not parse: %v\n%s", id, err, r.Body)
	}
	return doc, r.Body
}

func TestAlert_CAPDocumentsValidate(t *testing.T) {
	srv := MustOpenServer(t)
	xsd := capSchema(t)
	srv.publishAlert(t, alertFixture("cap-alert", func(a *app.Alert) {
		a.Regions = []string{"north", "south-harbour"}
		a.Headline["zh-Hans"], a.Headline["ar"] = "网络钓鱼预警", "تحذير من التصيد"
	}))
	srv.followUp(t, "cap-alert", "Update", "cap-alert-update-1", func(a *app.Alert) { a.Severity = "Severe" })
	srv.followUp(t, "cap-alert-update-1", "Cancel", "cap-alert-cancel", nil)
	srv.publishAlert(t, alertFixture("cap-test", func(a *app.Alert) { a.Status = "Test" }))
	c := srv.client(t)
	for _, id := range []string{"cap-alert", "cap-alert-update-1", "cap-alert-cancel", "cap-test"} {
		doc, body := getCAP(t, c, id)
		xmllint(t, id+".cap", body, "--noout", "--schema", xsd)
		if doc.Identifier != id || doc.Sender != "beacon@localhost" {
			t.Errorf("%s: identifier %q sender %q", id, doc.Identifier, doc.Sender)
		}
		if len(doc.Info) < 2 {
			t.Errorf("%s: %d info blocks, want one per language", id, len(doc.Info))
		}
	}
	doc, _ := getCAP(t, c, "cap-alert")
	if len(doc.Info) != 4 || doc.Info[0].Language != "en" {
		t.Fatalf("cap-alert languages: %+v", doc.Info)
	}
	for _, in := range doc.Info {
		if len(in.Area) != 2 {
			t.Errorf("%s: %d areas", in.Language, len(in.Area))
		}
		if !strings.HasSuffix(in.Web, "/"+in.Language+"/alerts/cap-alert") {
			t.Errorf("%s: web %q", in.Language, in.Web)
		}
	}
	if doc.Info[0].Area[0].AreaDesc != "North District" || doc.Info[0].SenderName != "Beacon" {
		t.Errorf("en area %q sender name %q", doc.Info[0].Area[0].AreaDesc, doc.Info[0].SenderName)
	}
	upd, _ := getCAP(t, c, "cap-alert-update-1")
	if upd.MsgType != "Update" || !strings.HasPrefix(upd.References, "beacon@localhost,cap-alert,") {
		t.Errorf("update: msgType %q references %q", upd.MsgType, upd.References)
	}
	cancel, _ := getCAP(t, c, "cap-alert-cancel")
	if cancel.MsgType != "Cancel" || !strings.HasPrefix(cancel.References, "beacon@localhost,cap-alert-update-1,") {
		t.Errorf("cancel: msgType %q references %q", cancel.MsgType, cancel.References)
	}
	// An everyone-alert names everyone in each language.
	srv.publishAlert(t, alertFixture("cap-everyone"))
	every, body := getCAP(t, c, "cap-everyone")
	xmllint(t, "cap-everyone.cap", body, "--noout", "--schema", xsd)
	if every.Info[0].Area[0].AreaDesc != "Everyone" || every.Info[1].Area[0].AreaDesc != "Tout le monde" {
		t.Errorf("everyone areas: %+v", every.Info)
	}

	// Not published, unknown or malformed: 404. A Test message has a CAP
	// document but no public page.
	org := srv.organizer(t)
	if err := srv.Store.CreateAlert(context.Background(), org, alertFixture("cap-draft")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/alerts/cap-draft.cap", "/alerts/nope.cap", "/alerts/a.b.cap", "/en/alerts/cap-draft", "/en/alerts/cap-test",
		"/en/alerts/cap-test/learn", "/en/alerts/cap-alert.cap"} {
		if r := c.get(p); r.Status != 404 {
			t.Errorf("%s: %d, want 404", p, r.Status)
		}
	}
}

// atomFeed is the part of an Atom feed the tests read back.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Title   string   `xml:"title"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
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
	} `xml:"entry"`
	Updated  string `xml:"updated"`
	Subtitle string `xml:"subtitle"`
}

func getFeed(t *testing.T, c *client, target string) (atomFeed, string) {
	t.Helper()
	r := c.get(target)
	c.mustStatus(r, 200)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/atom+xml" {
		t.Fatalf("feed Content-Type %q", r.Header.Get("Content-Type"))
	}
	xmllint(t, "alerts.atom", r.Body, "--noout")
	var f atomFeed
	if err := xml.Unmarshal([]byte(r.Body), &f); err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	return f, r.Body
}

func TestAlert_AtomListsOnlyActiveAlerts(t *testing.T) {
	srv := MustOpenServer(t)
	now := time.Now()
	srv.publishAlert(t, alertFixture("feed-on", func(a *app.Alert) { a.Regions = []string{"west"} }))
	srv.publishAlert(t, alertFixture("feed-later", func(a *app.Alert) { a.Effective, a.Expires = now.Add(time.Hour), now.Add(2*time.Hour) }))
	srv.publishAlert(t, alertFixture("feed-over", func(a *app.Alert) { a.Effective, a.Expires = now.Add(-2*time.Hour), now.Add(-time.Hour) }))
	srv.publishAlert(t, alertFixture("feed-test", func(a *app.Alert) { a.Status = "Test" }))
	srv.publishAlert(t, alertFixture("feed-gone"))
	srv.followUp(t, "feed-gone", "Cancel", "feed-gone-cancel", nil)
	c := srv.client(t)
	f, _ := getFeed(t, c, "/feeds/alerts.atom")
	var ids []string
	for _, e := range f.Entries {
		if e.ID == "http://localhost/alerts/feed-gone.cap" {
			continue // kept as cancelled (TestAtomKeepsCancelled)
		}
		var capLink string
		for _, l := range e.Links {
			if l.Rel == "alternate" && l.Type == "application/cap+xml" {
				capLink = l.Href
			}
		}
		id := strings.TrimSuffix(capLink[strings.LastIndex(capLink, "/")+1:], ".cap")
		ids = append(ids, id)
		if !strings.HasSuffix(capLink, "/alerts/"+id+".cap") {
			t.Errorf("entry %q links %q", e.Title, capLink)
		}
		// The link resolves to the CAP document.
		u, err := url.Parse(capLink)
		if err != nil {
			t.Fatal(err)
		}
		if r := c.get(u.Path); r.Status != 200 {
			t.Errorf("%s: %d", u.Path, r.Status)
		}
	}
	if !hasID(ids, "feed-on") {
		t.Errorf("feed lacks the active alert: %v", ids)
	}
	for _, id := range []string{"feed-later", "feed-over", "feed-test", "feed-gone", "feed-gone-cancel"} {
		if hasID(ids, id) {
			t.Errorf("feed lists %s, which is not in force: %v", id, ids)
		}
	}
	if f.Lang != "en" || f.Title != "Beacon: alerts in force" {
		t.Errorf("feed lang %q title %q", f.Lang, f.Title)
	}
	fr, _ := getFeed(t, c, "/feeds/alerts.atom?lang=fr")
	if fr.Lang != "fr" {
		t.Errorf("?lang=fr gave %q", fr.Lang)
	}
	selfOK := false
	for _, l := range fr.Links {
		selfOK = selfOK || (l.Rel == "self" && strings.HasSuffix(l.Href, "/feeds/alerts.atom?lang=fr"))
	}
	if !selfOK {
		t.Errorf("fr feed self link: %+v", fr.Links)
	}
	for _, e := range fr.Entries {
		if e.Title == "Titre de feed-on" {
			selfOK = false
		}
	}
	if selfOK {
		t.Error("fr feed does not show the French headline")
	}
	if bad, _ := getFeed(t, c, "/feeds/alerts.atom?lang=xx"); bad.Lang != "en" {
		t.Errorf("?lang=xx gave %q", bad.Lang)
	}
	// The alerts page links the feed.
	idx := c.get("/en/alerts")
	if got := idx.Doc.Find(`a[type="application/atom+xml"]`).AttrOr("href", ""); got != "/feeds/alerts.atom?lang=en" {
		t.Errorf("alerts page feed link %q", got)
	}
}

func TestAlert_XSSStaysEscaped(t *testing.T) {
	srv := MustOpenServer(t)
	hostile := func(field string) string { return field + " " + xssScript + " " + xssAttr + " &amp; ]]>" }
	srv.publishAlert(t, alertFixture("xss", func(a *app.Alert) {
		a.Severity = "Extreme"
		a.Event = app.Text{"en": hostile("event"), "fr": hostile("événement")}
		a.Headline = app.Text{"en": hostile("headline"), "fr": hostile("titre")}
		a.Description = app.Text{"en": hostile("description"), "fr": hostile("description-fr")}
		a.Instruction = app.Text{"en": hostile("instruction"), "fr": hostile("consigne")}
	}))
	c := srv.client(t)
	clean := func(r *response, where string) {
		t.Helper()
		if n := r.Doc.Find("script").Length(); n != 1 { // the layout's site.js
			t.Errorf("%s: %d script elements", where, n)
		}
		if r.Doc.Find("img[src=x], [onerror]").Length() != 0 {
			t.Errorf("%s: injected markup", where)
		}
		if strings.Contains(r.Body, xssScript) || strings.Contains(r.Body, xssAttr) {
			t.Errorf("%s: raw payload in the HTML", where)
		}
	}
	home := c.get("/en/")
	clean(home, "home")
	b := bannerOf(home, "xss")
	if got := strings.TrimSpace(b.Find(".alert-banner-headline").Text()); got != hostile("headline") {
		t.Errorf("banner headline %q", got)
	}
	if got := strings.TrimSpace(b.Find(".alert-banner-instruction").Text()); got != hostile("instruction") {
		t.Errorf("banner instruction %q", got)
	}
	show := c.get("/en/alerts/xss")
	clean(show, "alert page")
	if got := text(show, "h1"); got != hostile("headline") {
		t.Errorf("page headline %q", got)
	}
	texts := show.Doc.Find(".alert-text")
	if got := texts.Eq(0).Text(); got != hostile("instruction") {
		t.Errorf("page instruction %q", got)
	}
	if got := texts.Eq(1).Text(); got != hostile("description") {
		t.Errorf("page description %q", got)
	}
	if got := strings.TrimSpace(show.Doc.Find(".alert-facts dd").First().Text()); got != hostile("event") {
		t.Errorf("page event %q", got)
	}
	clean(c.get("/fr/alerts"), "alerts page")
	clean(c.get("/fr/alerts/xss"), "French alert page")

	doc, _ := getCAP(t, c, "xss")
	xmllint(t, "xss.cap", func() string { _, b := getCAP(t, c, "xss"); return b }(), "--noout", "--schema", capSchema(t))
	for _, in := range doc.Info {
		want := map[string][4]string{"en": {hostile("event"), hostile("headline"), hostile("description"), hostile("instruction")},
			"fr": {hostile("événement"), hostile("titre"), hostile("description-fr"), hostile("consigne")}}[in.Language]
		if got := [4]string{in.Event, in.Headline, in.Description, in.Instruction}; got != want {
			t.Errorf("CAP %s read back as %q, want %q", in.Language, got, want)
		}
	}
	f, body := getFeed(t, c, "/feeds/alerts.atom")
	if strings.Contains(body, "<script>") || strings.Contains(body, "<img") {
		t.Error("raw markup in the feed")
	}
	found := false
	for _, e := range f.Entries {
		found = found || e.Title == hostile("headline")
	}
	if !found {
		t.Error("feed does not read back the hostile headline as text")
	}
}

func TestAlert_LearnCountsAndRedirects(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	a := srv.publishAlert(t, alertFixture("learn", func(a *app.Alert) {
		a.Lesson = &app.AlertLesson{Course: "cyber-hygiene", Lesson: pc.Lessons[1].Slug}
	}))
	srv.publishAlert(t, alertFixture("no-lesson"))
	c := srv.client(t)
	home := c.get("/en/")
	learn := bannerOf(home, "learn").Find(".alert-banner-learn").AttrOr("href", "")
	r := c.get(learn)
	c.mustStatus(r, 303)
	if want := "/en/courses/cyber-hygiene/lessons/" + pc.Lessons[1].Slug; r.Location != want {
		t.Fatalf("learn went to %q, want %q", r.Location, want)
	}
	c.mustStatus(c.get(r.Location), 200)
	if r := c.get("/en/alerts/no-lesson/learn"); r.Status != 404 {
		t.Errorf("learn without a lesson: %d", r.Status)
	}
	show := c.get("/en/alerts/learn")
	if got := show.Doc.Find("a.alert-learn").AttrOr("href", ""); got != "/en/alerts/learn/learn" {
		t.Errorf("page learn link %q", got)
	}
	if got := text(show, ".alert-lesson dd"); !strings.Contains(got, pc.Lessons[1].Title["en"]) {
		t.Errorf("page names lesson %q", got)
	}
	// Suggested courses share a category, exclude the lesson's course, at most three.
	var suggested []string
	show.Doc.Find(`section[aria-labelledby="courses-heading"] .card-title a`).Each(func(_ int, s *goquery.Selection) {
		suggested = append(suggested, s.AttrOr("href", ""))
	})
	if len(suggested) == 0 || len(suggested) > 3 || hasID(suggested, "/en/courses/cyber-hygiene") || hasID(suggested, "/en/courses/emergency-preparedness") {
		t.Errorf("suggested %v", suggested)
	}
	if !hasID(suggested, "/en/courses/personal-data-protection") {
		t.Errorf("suggested %v lacks a Security course", suggested)
	}

	events, err := srv.Store.StatEvents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	learner := c.cookies["beacon_learner"]
	var viewed, learned int
	for _, e := range events {
		if e.LearnerID != learner || e.CourseID != a.ID {
			continue
		}
		switch e.Kind {
		case store.StatAlertViewed:
			viewed++
		case store.StatAlertLearned:
			learned++
		}
	}
	if viewed != 1 || learned != 1 {
		t.Fatalf("stat events for the alert: viewed %d, learned %d; want 1 and 1", viewed, learned)
	}
}

func TestAlert_PagesInEveryLocale(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "emergency-preparedness")
	srv.publishAlert(t, alertFixture("every-locale", func(a *app.Alert) {
		a.Severity, a.Categories = "Severe", []string{"Met", "Safety"}
		a.Headline["ar"] = "تحذير من عاصفة"
		a.Lesson = &app.AlertLesson{Course: pc.Slug, Lesson: pc.Lessons[0].Slug}
	}))
	srv.publishAlert(t, alertFixture("every-locale-old", func(a *app.Alert) {
		a.Regions = []string{"east", "west-orchard"}
		a.Effective, a.Expires = time.Now().Add(-3*time.Hour), time.Now().Add(-2*time.Hour)
	}))
	for _, lang := range srv.Bundle.Locales() {
		t.Run(lang, func(t *testing.T) {
			c := srv.client(t)
			for _, p := range []string{"/", "/alerts", "/alerts/every-locale", "/alerts/every-locale-old", "/courses"} {
				r := c.get("/" + lang + p)
				c.mustStatus(r, 200)
				checkLocalized(t, srv, r, lang, "/"+lang+p)
				if !hasID(bannerIDs(r), "every-locale") {
					t.Errorf("/%s%s: no banner", lang, p)
				}
				if r.Doc.Find(`.site-nav a[href="/`+lang+`/alerts"]`).Length() != 1 {
					t.Errorf("/%s%s: no Alerts link in the header", lang, p)
				}
			}
			if lang == "ar" {
				r := c.get("/ar/")
				if r.Doc.Find("html").AttrOr("dir", "") != "rtl" {
					t.Error("Arabic page is not right to left")
				}
				b := bannerOf(r, "every-locale")
				if got := strings.TrimSpace(b.Find(".alert-banner-headline").Text()); got != "تحذير من عاصفة" {
					t.Errorf("Arabic banner headline %q", got)
				}
				if got := b.Find(".alert-banner-instruction").AttrOr("lang", ""); got != "en" {
					t.Errorf("untranslated instruction marked lang=%q, want en", got)
				}
				if got := strings.TrimSpace(b.Find(".alert-banner-severity").Text()); got != srv.Bundle.Localizer("ar").T("cap.severity.Severe", nil) {
					t.Errorf("Arabic severity %q", got)
				}
			}
		})
	}
}

func TestAlert_RoutesDoNotClash(t *testing.T) {
	srv := MustOpenServer(t)
	srv.publishAlert(t, alertFixture("a-b_c-9"))
	c := srv.client(t)
	for p, want := range map[string]int{"/alerts/a-b_c-9.cap": 200, "/feeds/alerts.atom": 200, "/en/alerts/a-b_c-9": 200,
		"/alerts/a-b_c-9": 404, "/en/alerts/a-b_c-9.cap": 404, "/feeds/alerts": 404, "/en/feeds/alerts.atom": 404} {
		if r := c.get(p); r.Status != want {
			t.Errorf("%s: %d, want %d", p, r.Status, want)
		}
	}
	want := map[string]bool{"GET /:lang/alerts": true, "GET /:lang/alerts/:identifier": true, "GET /:lang/alerts/:identifier/learn": true,
		"POST /:lang/alerts/:identifier/hide": true, "GET /alerts/:identifier.cap": true, "GET /feeds/alerts.atom": true}
	for _, rt := range srv.Routes() {
		if key := rt.Method + " " + rt.Path; want[key] {
			delete(want, key)
			if rt.Access != "" {
				t.Errorf("%s is not public", key)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("routes missing: %v", want)
	}
}
