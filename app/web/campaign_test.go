package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/PuerkitoBio/goquery"
)

// newCampaign creates a campaign through the organizers' form and returns its slug.
func newCampaign(t *testing.T, org *client, slug string, starts, ends time.Time, courses ...string) {
	t.Helper()
	page := org.get("/en/admin/campaigns/new")
	org.mustStatus(page, 200)
	r := org.postForm(page, "/en/admin/campaigns/new", url.Values{"slug": {slug}, "title": {"Storm week"},
		"description": {"Get ready before storms."}, "time_zone": {"Asia/Shanghai"},
		"starts": {starts.In(shanghai(t)).Format("2006-01-02T15:04")}, "ends": {ends.In(shanghai(t)).Format("2006-01-02T15:04")},
		"goal": {"100"}, "courses": courses})
	org.mustStatus(r, 303)
	if r.Location != "/en/admin/campaigns/"+slug {
		t.Fatalf("created campaign went to %q", r.Location)
	}
}

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestCampaign_CreateWithErrorsThenRight(t *testing.T) {
	srv := MustOpenServer(t)
	org := srv.signedIn(t, "org@example.org", app.RoleOrganizer)
	page := org.get("/en/admin/campaigns/new")
	org.mustStatus(page, 200)
	if page.Doc.Find(`input[name=courses]`).Length() < 3 || page.Doc.Find(`select#time_zone option[value="Asia/Shanghai"]`).Length() != 1 {
		t.Fatal("form lacks course checkboxes or the zone select")
	}
	// Everything wrong at once: 422, every error listed, nothing saved.
	r := org.postForm(page, "/en/admin/campaigns/new", url.Values{"slug": {"Bad Slug"}, "title": {""}, "time_zone": {"Mars/Base"},
		"starts": {"tomorrow"}, "ends": {"2027-01-01T00:00"}, "goal": {"-3"}, "courses": {"no-such-course"}, "regions": {"atlantis"}})
	org.mustStatus(r, 422)
	got := map[string]bool{}
	r.Doc.Find(".error-summary a").Each(func(_ int, s *goqueryS) { got[s.AttrOr("href", "")] = true })
	for _, f := range []string{"#slug", "#title", "#time_zone", "#goal", "#courses", "#regions"} {
		if !got[f] {
			t.Errorf("error summary lacks %s: %v", f, got)
		}
	}
	// Dates in the wrong order.
	r = org.postForm(page, "/en/admin/campaigns/new", url.Values{"slug": {"storm-week"}, "title": {"Storm week"}, "time_zone": {"UTC"},
		"starts": {"2027-05-10T09:00"}, "ends": {"2027-05-01T09:00"}, "goal": {"10"}, "courses": {"cyber-hygiene"}})
	org.mustStatus(r, 422)
	if text(r, "#ends-error") == "" {
		t.Fatal("no error beside the end")
	}
	if _, err := srv.Store.FindCampaign(context.Background(), "storm-week"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a refused form saved a campaign: %v", err)
	}
	// Right: stored with its zone; times shown in that zone with the offset.
	r = org.postForm(page, "/en/admin/campaigns/new", url.Values{"slug": {"storm-week"}, "title": {"Storm week"}, "time_zone": {"Asia/Shanghai"},
		"starts": {"2027-05-01T09:00"}, "ends": {"2027-05-10T18:00"}, "goal": {"10"}, "courses": {"cyber-hygiene", "emergency-preparedness"}})
	org.mustStatus(r, 303)
	cp, err := srv.Store.FindCampaign(context.Background(), "storm-week")
	if err != nil {
		t.Fatal(err)
	}
	if cp.TimeZone != "Asia/Shanghai" || !cp.Starts.Equal(time.Date(2027, 5, 1, 1, 0, 0, 0, time.UTC)) || len(cp.Courses) != 2 || cp.GoalCompletions != 10 {
		t.Fatalf("stored %+v", cp)
	}
	show := org.get(r.Location)
	org.mustStatus(show, 200)
	if s := text(show, ".campaign-starts"); !strings.Contains(s, "09:00") || !strings.Contains(s, "+08:00") {
		t.Fatalf("start shown as %q", s)
	}
	// Taken slug.
	r = org.postForm(page, "/en/admin/campaigns/new", url.Values{"slug": {"storm-week"}, "title": {"Again"}, "time_zone": {"UTC"},
		"starts": {"2027-05-01T09:00"}, "ends": {"2027-05-10T18:00"}, "goal": {"0"}, "courses": {"cyber-hygiene"}})
	org.mustStatus(r, 422)
	// Audited, and listed under upcoming.
	if es, _ := srv.Store.Audit(context.Background(), store.AuditFilter{ObjectType: "campaign", ObjectID: "storm-week"}); len(es) != 1 || es[0].Action != "campaign:create" {
		t.Fatalf("audit %+v", es)
	}
	list := org.get("/en/admin/campaigns")
	if list.Doc.Find(`#phase-upcoming ~ table tr[data-slug="storm-week"], section:has(#phase-upcoming) tr[data-slug="storm-week"]`).Length() == 0 {
		t.Fatal("list does not show the campaign under upcoming")
	}
	// The pack's campaign is listed and editable.
	edit := org.get("/en/admin/campaigns/security-education-day-2027/edit")
	org.mustStatus(edit, 200)
	r = org.postForm(edit, "/en/admin/campaigns/security-education-day-2027/edit", url.Values{"goal": {"20000"}})
	org.mustStatus(r, 303)
	seed, _ := srv.Store.FindCampaign(context.Background(), "security-education-day-2027")
	if seed.GoalCompletions != 20000 || seed.TimeZone != "" || !seed.Starts.Equal(time.Date(2027, 4, 7, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("pack campaign after edit: %+v", seed)
	}
	// Bad dates on edit: 422.
	r = org.postForm(edit, "/en/admin/campaigns/security-education-day-2027/edit", url.Values{"starts": {"2027-13-45T99:00"}})
	org.mustStatus(r, 422)
}

// goqueryS keeps the test readable.
type goqueryS = goquery.Selection

func TestCampaign_TranslateAndClose(t *testing.T) {
	srv := MustOpenServer(t)
	org := srv.signedIn(t, "org@example.org", app.RoleOrganizer)
	now := time.Now()
	newCampaign(t, org, "quake-drill", now.Add(-time.Hour), now.Add(72*time.Hour), "emergency-preparedness")
	page := org.get("/en/admin/campaigns/quake-drill/translate/zh-Hans")
	org.mustStatus(page, 200)
	org.mustStatus(org.postForm(page, "/en/admin/campaigns/quake-drill/translate/zh-Hans", url.Values{"title": {"地震演练"}, "description": {"请您提前做好准备。"}}), 303)
	zh := srv.client(t).get("/zh-Hans/campaigns/quake-drill")
	if got := text(zh, "h1"); got != "地震演练" {
		t.Fatalf("zh title %q", got)
	}
	if zh.Doc.Find(".notice").Length() != 0 {
		t.Fatal("translated page shows the fallback notice")
	}
	// Source locale and unknown locales are not translation targets.
	org.mustStatus(org.get("/en/admin/campaigns/quake-drill/translate/en"), 404)
	org.mustStatus(org.get("/en/admin/campaigns/quake-drill/translate/xx"), 404)
	// Close early: confirm page, then the campaign has ended.
	confirm := org.get("/en/admin/campaigns/quake-drill/close")
	org.mustStatus(confirm, 200)
	org.mustStatus(org.postForm(confirm, "/en/admin/campaigns/quake-drill/close", nil), 303)
	cp, _ := srv.Store.FindCampaign(context.Background(), "quake-drill")
	if cp.ClosedAt == nil || cp.Ends.After(time.Now()) {
		t.Fatalf("closed campaign %+v", cp)
	}
	org.mustStatus(org.postForm(confirm, "/en/admin/campaigns/quake-drill/close", nil), 409)
	es, _ := srv.Store.Audit(context.Background(), store.AuditFilter{ObjectType: "campaign", ObjectID: "quake-drill"})
	actions := map[string]bool{}
	for _, e := range es {
		actions[e.Action] = true
	}
	if !actions["campaign:translate"] || !actions["campaign:close"] {
		t.Fatalf("audit actions %v", actions)
	}
	// Ended campaigns cannot be joined.
	g := srv.client(t)
	land := g.get("/en/campaigns/quake-drill")
	if land.Doc.Find("form.campaign-join").Length() != 0 {
		t.Fatal("ended campaign offers the join button")
	}
	g.mustStatus(g.post("/en/campaigns/quake-drill/join", url.Values{"_csrf": {g.csrf()}}), 409)
}

func TestCampaign_ChannelJoinAndAutoJoin(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	org := srv.signedIn(t, "org@example.org", app.RoleOrganizer)
	now := time.Now()
	newCampaign(t, org, "cyber-month", now.Add(-time.Hour), now.Add(30*24*time.Hour), "cyber-hygiene")
	show := org.get("/en/admin/campaigns/cyber-month")
	// A channel without a name is refused.
	org.mustStatus(org.postForm(show, "/en/admin/campaigns/cyber-month/channels", url.Values{"name": {""}}), 422)
	r := org.postForm(show, "/en/admin/campaigns/cyber-month/channels", url.Values{"name": {"Library posters"}})
	org.mustStatus(r, 303)
	code := r.Location[strings.LastIndex(r.Location, "/")+1:]
	chPage := org.get(r.Location)
	org.mustStatus(chPage, 200)
	if !strings.Contains(text(chPage, ".channel-link"), "/c/"+code) {
		t.Fatalf("channel page link %q", text(chPage, ".channel-link"))
	}
	// QR codes: a real PNG and well-formed SVG.
	pngResp := org.get(r.Location + ".png")
	org.mustStatus(pngResp, 200)
	if ct := pngResp.Header.Get("Content-Type"); ct != "image/png" {
		t.Fatalf("png content type %q", ct)
	}
	img, err := png.Decode(bytes.NewReader([]byte(pngResp.Body)))
	if err != nil || img.Bounds().Dx() < 256 {
		t.Fatalf("png: %v", err)
	}
	svgResp := org.get(r.Location + ".svg")
	org.mustStatus(svgResp, 200)
	if ct := svgResp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
		t.Fatalf("svg content type %q", ct)
	}
	dec := xml.NewDecoder(strings.NewReader(svgResp.Body))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("svg root %q", root)
	}
	// Forged codes and slugs: 404, also for a channel of another campaign.
	org.mustStatus(org.get("/en/admin/campaigns/cyber-month/channels/zzzzzzzz.png"), 404)
	org.mustStatus(org.get("/en/admin/campaigns/security-education-day-2027/channels/"+code+".svg"), 404)
	org.mustStatus(org.get("/en/admin/campaigns/NOPE/channels/"+code), 404)
	org.mustStatus(srv.client(t).get("/c/zzzzzzzz"), 404)
	org.mustStatus(srv.client(t).get("/c/../etc"), 404)
	org.mustStatus(srv.client(t).get("/en/campaigns/no-such"), 404)

	// A Chinese-speaking guest follows the link and lands in Chinese.
	g := srv.client(t)
	g.lang = "zh-CN,zh;q=0.9"
	follow := g.get("/c/" + code)
	if follow.Status != 303 || follow.Location != "/zh-Hans/campaigns/cyber-month" {
		t.Fatalf("/c/ answered %d to %q", follow.Status, follow.Location)
	}
	land := g.get(follow.Location)
	g.mustStatus(land, 200)
	if land.Doc.Find(".notice").Length() != 1 {
		t.Fatal("untranslated campaign lacks the fallback notice")
	}
	learner := g.cookies["beacon_learner"]
	if learner == "" {
		t.Fatal("no learner cookie after following the link")
	}
	// Joining from another site is refused; from the landing page, joins once.
	forged := httptest.NewRequest("POST", "/zh-Hans/campaigns/cyber-month/join", strings.NewReader(""))
	forged.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	forged.Header.Set("Origin", "https://evil.example")
	g.mustStatus(g.send(forged), 403)
	cp, _ := srv.Store.FindCampaign(ctx, "cyber-month")
	if _, err := srv.Store.FindParticipant(ctx, cp.ID, learner); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatal("a refused join saved a participant")
	}
	joinPage := g.get("/zh-Hans/campaigns/cyber-month")
	for i := 0; i < 2; i++ { // a double submit, or the back button
		g.mustStatus(g.postForm(joinPage, "/zh-Hans/campaigns/cyber-month/join", nil), 303)
	}
	p, err := srv.Store.FindParticipant(ctx, cp.ID, learner)
	if err != nil {
		t.Fatal(err)
	}
	chans, _ := srv.Store.Channels(ctx, cp.ID)
	if len(chans) != 1 || p.ChannelID != chans[0].ID || p.How != store.JoinedByButton {
		t.Fatalf("participant %+v, channels %+v", p, chans)
	}
	if chans[0].Visits != 1 || chans[0].Learners != 1 || chans[0].Participants != 1 {
		t.Fatalf("joining twice counted twice: %+v", chans[0])
	}
	land = g.get("/zh-Hans/campaigns/cyber-month")
	if land.Doc.Find(".campaign-joined").Length() != 1 {
		t.Fatal("page does not say the guest joined")
	}
	// Completing the featured course counts toward the goal.
	g.completeCourse("zh-Hans", srv.course(t, "cyber-hygiene"))
	if n, _ := srv.Store.CampaignProgress(ctx, cp); n != 1 {
		t.Fatalf("progress %d, want 1", n)
	}
	// Another guest, no button: completing inside the window joins automatically, with no channel.
	g2 := srv.client(t)
	g2.completeCourse("en", srv.course(t, "cyber-hygiene"))
	p2, err := srv.Store.FindParticipant(ctx, cp.ID, g2.cookies["beacon_learner"])
	if err != nil || p2.How != store.JoinedByCompletion || p2.ChannelID != 0 {
		t.Fatalf("auto-join: %+v %v", p2, err)
	}
	// Outside the window (the seed campaign is in 2027): no auto-join.
	seed, _ := srv.Store.FindCampaign(ctx, "security-education-day-2027")
	if _, err := srv.Store.FindParticipant(ctx, seed.ID, g2.cookies["beacon_learner"]); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("auto-joined a campaign outside its window: %v", err)
	}
	// The leaderboard counts learners and hides groups under K.
	land = g.get("/en/campaigns/cyber-month")
	if got := text(land, ".campaign-board .board-participants"); !strings.Contains(got, "–") {
		t.Fatalf("leaderboard cell %q", got)
	}
}
