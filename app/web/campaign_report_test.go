package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/store"
	"beacon/app/testenv"

	"github.com/PuerkitoBio/goquery"
)

// reportScenario is a running campaign around cyber-hygiene (goal 20)
// with a "Posters" channel and synthetic participation written through
// the rollups' own bulk path:
//
//	north: 12 started, 6 completed, all by the Posters channel
//	south: 10 started, 5 completed, no channel
//	east:   2 started, 1 completed, no channel (a small group)
//
// So 24 people started, 12 completed, 12 course completions (60 %), and
// nobody holds a certificate. With K = 5 east is hidden in both columns;
// the noise (D = 2) keeps it uncertain, so south and the total stay shown,
// each within D of its count (TestSuppressionAttacker checks the
// protection itself).
func reportScenario(t *testing.T, srv *testServer, slug string) *app.Campaign {
	t.Helper()
	ctx := context.Background()
	org := srv.signedInUser(t, "planner-"+slug+"@example.org", app.RoleOrganizer)
	now := time.Now().UTC().Truncate(time.Second)
	cp := &app.Campaign{Slug: slug, SourceLocale: "en", Starts: now.Add(-48 * time.Hour), Ends: now.Add(10 * 24 * time.Hour),
		GoalCompletions: 20, Courses: []string{"cyber-hygiene"}, Regions: []string{}, TimeZone: "UTC",
		Title: app.Text{"en": "Report week"}, Description: app.Text{}}
	if err := srv.Store.CreateCampaign(ctx, org, cp); err != nil {
		t.Fatal(err)
	}
	ch, err := srv.Store.CreateChannel(ctx, org, slug, "Posters", campaign.NewCode)
	if err != nil {
		t.Fatal(err)
	}
	pc := srv.course(t, "cyber-hygiene")
	at := now.Add(-24 * time.Hour)
	var learners []store.DemoLearner
	add := func(region string, started, completed int, channel int64) {
		for i := 0; i < started; i++ {
			id := app.NewID()
			l := store.DemoLearner{LearnerID: id, Locale: "en", Channel: channel, Scopes: []int64{0, cp.ID}, Visit: at,
				User: &app.User{Email: fmt.Sprintf("%s-%s-%d@people.example.org", slug, region, i), DisplayName: "Secret Person " + region,
					Locale: "en", RegionCode: region},
				Lessons: []app.LessonProgress{{LearnerID: id, CourseID: pc.ID, LessonSlug: pc.Lessons[0].Slug, CompletedAt: at.Add(time.Minute)}}}
			if i < completed {
				l.Completions = []app.Completion{{LearnerID: id, CourseID: pc.ID, CompletedAt: at.Add(time.Hour)}}
			}
			learners = append(learners, l)
		}
	}
	add("north", 12, 6, ch.ID)
	add("south", 10, 5, 0)
	add("east", 2, 1, 0)
	if err := srv.Store.LoadDemo(ctx, learners, []*app.PublishedCourse{pc}); err != nil {
		t.Fatal(err)
	}
	got, err := srv.Store.FindCampaign(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// boardCells reads a region table: region name → participants cell text,
// plus the total ("" key).
func boardCells(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find(".campaign-board tbody tr").Each(func(_ int, tr *goquery.Selection) {
		out[strings.TrimSpace(tr.Find("th").Text())] = strings.TrimSpace(tr.Find(".board-participants").Text())
	})
	out[""] = strings.TrimSpace(doc.Find(".campaign-board .board-total-participants").Text())
	return out
}

// hiddenCell reports whether a published cell is hidden.
func hiddenCell(v string) bool { return strings.Contains(v, "–") }

// goalDone reads "N courses completed out of a goal of G" from a page.
func goalDone(t *testing.T, r *response) int {
	t.Helper()
	m := regexp.MustCompile(`(\d+) courses completed out of a goal of 20 \((\d+)%\)`).FindStringSubmatch(text(r, ".campaign-progress"))
	if m == nil {
		t.Fatalf("goal progress %q", text(r, ".campaign-progress"))
	}
	n, _ := strconv.Atoi(m[1])
	if pct, _ := strconv.Atoi(m[2]); pct != n*100/20 {
		t.Errorf("goal percent %d%% does not follow the published %d", pct, n)
	}
	return n
}

func TestCampaignFigures_LandingPageFromRollups(t *testing.T) {
	srv := MustOpenServer(t)
	reportScenario(t, srv, "report-week")
	land := srv.client(t).get("/en/campaigns/report-week")
	if land.Status != 200 {
		t.Fatalf("landing page %d", land.Status)
	}
	if n := goalDone(t, land); n < 10 || n > 14 {
		t.Errorf("goal progress %d, want 12 within the noise", n)
	}
	cells := boardCells(land.Doc)
	if !near(cells["North District"], 12, 2) || !near(cells["South District"], 10, 2) || !near(cells[""], 24, 2) || !hiddenCell(cells["East District"]) {
		t.Errorf("board %v: want north about 12, south about 10, total about 24, east hidden", cells)
	}
	// Rates follow the published counts.
	rates := land.Doc.Find(".campaign-board tbody tr").First().Find(".board-rate").Text()
	if !strings.HasSuffix(strings.TrimSpace(rates), "%") || !strings.HasSuffix(strings.TrimSpace(text(land, ".board-total-rate")), "%") {
		t.Errorf("rates %q / %q", rates, text(land, ".board-total-rate"))
	}
	// The hidden rows come after the shown ones (most people first).
	var order []string
	land.Doc.Find(".campaign-board tbody th").Each(func(_ int, s *goquery.Selection) { order = append(order, strings.TrimSpace(s.Text())) })
	if strings.Join(order, "|") != "North District|South District|East District" {
		t.Errorf("order %v", order)
	}
	// No link to results while they are not published.
	if land.Doc.Find(".campaign-results-link").Length() != 0 {
		t.Error("results link shown while results are not published")
	}
	// The small-group setting is read: with K = 2, east (2 people) shows.
	admin := srv.signedIn(t, "admin-k@example.org", app.RoleAdministrator)
	page := admin.get("/en/admin/settings")
	admin.mustStatus(admin.postForm(page, "/en/admin/settings", url.Values{"small_group_k": {"2"}}), 303)
	land = srv.client(t).get("/en/campaigns/report-week")
	cells = boardCells(land.Doc)
	// East's 2 participants are shown (its completers and non-completers,
	// 1 each, stay hidden, and the noise keeps them uncertain).
	if !strings.Contains(text(land, ".campaign-board caption"), "smaller than 2") || !near(cells["North District"], 12, 2) ||
		!near(cells["East District"], 2, 2) {
		t.Errorf("with K=2: %v", cells)
	}
}

func TestCampaignReport_BeforeAndAfterTheEnd(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	cp := reportScenario(t, srv, "report-week")
	org := srv.signedIn(t, "org-report@example.org", app.RoleOrganizer)
	show := org.get("/en/admin/campaigns/report-week")
	if show.Doc.Find(`a.campaign-report-link[href="/en/admin/campaigns/report-week/report"]`).Length() != 1 {
		t.Fatal("the campaign page lacks the report link")
	}
	r := org.get("/en/admin/campaigns/report-week/report")
	org.mustStatus(r, 200)
	if r.Doc.Find(".report-provisional").Length() != 1 || r.Doc.Find(".report-final").Length() != 0 {
		t.Fatal("a running campaign's report does not say it is not final")
	}
	if got := text(r, ".report-provisional"); !strings.Contains(got, cp.Ends.Format("2006")) {
		t.Errorf("provisional notice %q does not say when it will be final", got)
	}
	if got := r.Doc.Find(".report-goal-state").AttrOr("data-state", ""); got != "not_reached" {
		t.Errorf("goal state %q", got)
	}
	funnel := map[string]string{}
	r.Doc.Find(".campaign-funnel tbody tr").Each(func(_ int, tr *goquery.Selection) {
		funnel[tr.AttrOr("data-step", "")] = strings.TrimSpace(tr.Find(".funnel-count").Text())
	})
	if !near(funnel["visited"], 24, 2) || funnel["started"] != funnel["visited"] || !near(funnel["completed"], 12, 2) || !hiddenCell(funnel["certified"]) {
		t.Errorf("funnel %v", funnel)
	}
	var posters []string
	r.Doc.Find(".report-channels tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if strings.TrimSpace(tr.Find("th").Text()) == "Posters" {
			tr.Find("td").Each(func(_ int, td *goquery.Selection) { posters = append(posters, strings.TrimSpace(td.Text())) })
		}
	})
	if len(posters) != 4 || !near(posters[0], 12, 2) || posters[1] != posters[0] || !near(posters[2], 6, 2) || !strings.HasSuffix(posters[3], "%") {
		t.Errorf("Posters channel %v", posters)
	}
	cells := boardCells(r.Doc)
	if !hiddenCell(cells["East District"]) || !near(cells["South District"], 10, 2) || !near(cells[""], 24, 2) {
		t.Errorf("report regions %v", cells)
	}
	// The report and the landing page are one release: the same numbers.
	if land := boardCells(srv.client(t).get("/en/campaigns/report-week").Doc); fmt.Sprint(land) != fmt.Sprint(cells) {
		t.Errorf("report regions %v differ from the landing page's %v", cells, land)
	}

	// Closed: the report is final and says so.
	if err := srv.Store.CloseCampaign(ctx, srv.signedInUser(t, "closer@example.org", app.RoleOrganizer), "report-week"); err != nil {
		t.Fatal(err)
	}
	r = org.get("/en/admin/campaigns/report-week/report")
	org.mustStatus(r, 200)
	if r.Doc.Find(".report-final").Length() != 1 || r.Doc.Find(".report-provisional").Length() != 0 {
		t.Fatal("a closed campaign's report is not final")
	}
	if got := r.Doc.Find(".report-goal-state").AttrOr("data-state", ""); got != "not_reached" || !strings.Contains(text(r, ".report-goal-state"), "Goal not reached") {
		t.Errorf("final goal state %q %q", got, text(r, ".report-goal-state"))
	}
	if closed := boardCells(r.Doc); fmt.Sprint(closed) != fmt.Sprint(cells) {
		t.Errorf("figures changed on closing: %v", cells)
	}
	// Chinese: same figures, translated page.
	zh := org.get("/zh-Hans/admin/campaigns/report-week/report")
	org.mustStatus(zh, 200)
	if !strings.Contains(text(zh, "h1"), "报告") {
		t.Errorf("zh title %q", text(zh, "h1"))
	}
	// Other roles may not read it.
	edu := srv.signedIn(t, "edu-report@example.org", app.RoleEducator)
	edu.mustStatus(edu.get("/en/admin/campaigns/report-week/report"), 403)
	edu.mustStatus(edu.get("/en/admin/campaigns/report-week/report.csv"), 403)
}

func TestCampaignReport_CSV(t *testing.T) {
	srv := MustOpenServer(t)
	reportScenario(t, srv, "report-week")
	org := srv.signedIn(t, "org-csv@example.org", app.RoleOrganizer)
	r := org.get("/en/admin/campaigns/report-week/report.csv")
	org.mustStatus(r, 200)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "report-week-report.csv") {
		t.Fatalf("disposition %q", cd)
	}
	if !strings.HasPrefix(r.Body, "\ufeff") {
		t.Fatal("the report CSV lacks the UTF-8 byte order mark")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
	cr.FieldsPerRecord = -1
	lines, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Sections: a heading line (one field), a header line, rows.
	sections := map[string]map[string][]string{}
	var cur map[string][]string
	for _, l := range lines {
		if len(l) == 1 {
			cur = map[string][]string{}
			sections[l[0]] = cur
			continue
		}
		if cur != nil {
			cur[l[0]] = l[1:]
		}
	}
	regions := sections["Regions"]
	if regions == nil || strings.Join(regions["Region"], "|") != "People taking part|Completed a course|Completion rate (%)" {
		t.Fatalf("regions section %v (all %v)", regions, lines)
	}
	if got := regions["North District"]; !near(got[0], 12, 2) || !near(got[1], 6, 2) || got[2] == "" {
		t.Errorf("north %v", got)
	}
	if got := regions["East District"]; got[0] != "*" || got[1] != "*" || got[2] != "" {
		t.Errorf("east %v", got)
	}
	if got := regions["South District"]; !near(got[0], 10, 2) || !near(got[1], 5, 2) {
		t.Errorf("south %v", got)
	}
	if got := regions["Total"]; !near(got[0], 24, 2) || !near(got[1], 12, 2) {
		t.Errorf("total %v", got)
	}
	if got := sections["Funnel"]["Earned a certificate"]; len(got) == 0 || got[0] != "*" {
		t.Errorf("funnel %v", sections["Funnel"])
	}
	if got := sections["Channels"]["Posters"]; !near(got[0], 12, 2) || !near(got[2], 6, 2) {
		t.Errorf("channels %v", sections["Channels"])
	}
	if got := sections["Goal"]["20"]; len(got) < 3 || !near(got[0], 12, 2) || got[2] != "Goal not reached" {
		t.Errorf("goal %v", sections["Goal"])
	}
	// The same figures as the page.
	page := boardCells(org.get("/en/admin/campaigns/report-week/report").Doc)
	if page["North District"] != regions["North District"][0] || page[""] != regions["Total"][0] {
		t.Errorf("CSV regions %v differ from the page's %v", regions, page)
	}
	if strings.Contains(r.Body, "@") || strings.Contains(r.Body, "Secret Person") {
		t.Error("the CSV holds personal data")
	}
	// Localized headers.
	zh := org.get("/zh-Hans/admin/campaigns/report-week/report.csv")
	org.mustStatus(zh, 200)
	if !strings.Contains(zh.Body, "地区,参与人数") {
		t.Errorf("zh CSV headers: %s", zh.Body)
	}
}

func TestCampaignResults_OpenOnlyWhenPublished(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	reportScenario(t, srv, "report-week")
	anon := srv.client(t)
	anon.mustStatus(anon.get("/en/campaigns/report-week/results"), 404)
	anon.mustStatus(anon.get("/en/campaigns/no-such/results"), 404)

	org := srv.signedIn(t, "org-results@example.org", app.RoleOrganizer)
	edit := org.get("/en/admin/campaigns/report-week/edit")
	org.mustStatus(edit, 200)
	if edit.Doc.Find(`input[type=checkbox][name=publish_results]`).Length() != 1 {
		t.Fatal("the form lacks the publish checkbox")
	}
	// Without the CSRF token: refused, nothing changes.
	fields := url.Values{"publish_results": {"on"}}
	noToken := url.Values{}
	edit.Doc.Find(`form[action="/en/admin/campaigns/report-week/edit"] input, form[action="/en/admin/campaigns/report-week/edit"] textarea`).Each(func(_ int, s *goquery.Selection) {
		if n := s.AttrOr("name", ""); n != "" && n != "_csrf" {
			noToken.Set(n, s.AttrOr("value", ""))
		}
	})
	noToken.Set("publish_results", "on")
	org.mustStatus(org.post("/en/admin/campaigns/report-week/edit", noToken), 403)
	anon.mustStatus(anon.get("/en/campaigns/report-week/results"), 404)

	org.mustStatus(org.postForm(edit, "/en/admin/campaigns/report-week/edit", fields), 303)
	entries, err := srv.Store.Audit(ctx, store.AuditFilter{ObjectType: "campaign", ObjectID: "report-week"})
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range entries {
		if e.Action == "campaign:results" && strings.Contains(e.After, `"publish_results":true`) && strings.Contains(e.Before, `"publish_results":false`) {
			audited = true
		}
	}
	if !audited {
		t.Fatalf("no campaign:results audit entry: %+v", entries)
	}
	if !org.get("/en/admin/campaigns/report-week/edit").Doc.Find(`input[name=publish_results]`).Is("[checked]") {
		t.Error("the form does not show the setting on")
	}

	res := anon.get("/en/campaigns/report-week/results")
	anon.mustStatus(res, 200)
	if n := goalDone(t, res); n < 10 || n > 14 {
		t.Errorf("results goal progress %d", n)
	}
	cells := boardCells(res.Doc)
	if !near(cells["North District"], 12, 2) || !hiddenCell(cells["East District"]) || !near(cells[""], 24, 2) {
		t.Errorf("results regions %v", cells)
	}
	if res.Doc.Find(".campaign-funnel").Length() != 1 {
		t.Error("results lack the funnel")
	}
	// Aggregates only: no channel names, no people.
	for _, bad := range []string{"@", "Secret Person", "Posters", "report-week-"} {
		if strings.Contains(res.Body, bad) {
			t.Errorf("results page holds %q", bad)
		}
	}
	land := anon.get("/en/campaigns/report-week")
	if land.Doc.Find(`.campaign-results-link a[href="/en/campaigns/report-week/results"]`).Length() != 1 {
		t.Error("the landing page does not link the results")
	}
	zh := anon.get("/zh-Hans/campaigns/report-week/results")
	anon.mustStatus(zh, 200)

	// Off again: 404, and the link goes.
	edit = org.get("/en/admin/campaigns/report-week/edit")
	org.mustStatus(org.postForm(edit, "/en/admin/campaigns/report-week/edit", url.Values{"publish_results": {""}}), 303)
	anon.mustStatus(anon.get("/en/campaigns/report-week/results"), 404)
	if anon.get("/en/campaigns/report-week").Doc.Find(".campaign-results-link").Length() != 0 {
		t.Error("the link stays after unpublishing")
	}
}

// TestCampaignResults_SettingOnEveryDatabase checks the open-results
// setting (migration 0004) and its audit entry on SQLite and PostgreSQL.
func TestCampaignResults_SettingOnEveryDatabase(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			ctx := context.Background()
			actor := &app.User{Email: "org@example.org", DisplayName: "Org", PasswordHash: "x", Roles: []string{app.RoleOrganizer}, Locale: "en"}
			if err := st.CreateUser(ctx, actor); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Second)
			cp := &app.Campaign{Slug: "open-week", SourceLocale: "en", Starts: now, Ends: now.Add(time.Hour), Courses: []string{},
				Regions: []string{}, Title: app.Text{"en": "Open week"}, Description: app.Text{}}
			if err := st.CreateCampaign(ctx, actor, cp); err != nil {
				t.Fatal(err)
			}
			if on, err := st.CampaignResultsPublished(ctx, cp.ID); err != nil || on {
				t.Fatalf("new campaign publishes results: %v %v", on, err)
			}
			for _, on := range []bool{true, true, false} {
				if err := st.SetCampaignResults(ctx, actor, "open-week", on); err != nil {
					t.Fatal(err)
				}
				if got, err := st.CampaignResultsPublished(ctx, cp.ID); err != nil || got != on {
					t.Fatalf("setting %v read back %v %v", on, got, err)
				}
			}
			entries, err := st.Audit(ctx, store.AuditFilter{ObjectType: "campaign", ObjectID: "open-week"})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range entries {
				if e.Action == "campaign:results" {
					n++
				}
			}
			if n != 2 { // on, then off; setting it on twice changes nothing
				t.Fatalf("%d campaign:results entries, want 2", n)
			}
			if err := st.SetCampaignResults(ctx, actor, "no-such", true); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("unknown campaign: %v", err)
			}
			// The campaign's own edits leave the setting alone.
			if err := st.SetCampaignResults(ctx, actor, "open-week", true); err != nil {
				t.Fatal(err)
			}
			if err := st.UpdateCampaign(ctx, actor, "open-week", "campaign:update", func(c *app.Campaign, _ time.Time) error {
				c.GoalCompletions = 7
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if on, _ := st.CampaignResultsPublished(ctx, cp.ID); !on {
				t.Fatal("editing the campaign turned the results off")
			}
		})
	}
}
