package web_test

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
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

// TestReportCSVFiles: the close-out report's downloads are one CSV file
// per table (summary, funnel, channels, regions), each parsing with
// encoding/csv into exactly one header row and data rows of the same
// width, with the page's figures; report.zip holds the same four files
// byte for byte (and, once final, the same bytes each time); the old
// report.csv answers 301 to the ZIP; the page links every file; headers
// follow the reader's language; no personal data.
func TestReportCSVFiles(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	reportScenario(t, srv, "report-week")
	org := srv.signedIn(t, "org-csv@example.org", app.RoleOrganizer)
	base := "/en/admin/campaigns/report-week/report"
	files := map[string][][]string{}
	bodies := map[string]string{}
	for _, name := range []string{"summary", "funnel", "channels", "regions"} {
		r := org.get(base + "/" + name + ".csv")
		org.mustStatus(r, 200)
		if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Fatalf("%s: content type %q", name, ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "report-week-report-"+name+".csv") {
			t.Fatalf("%s: disposition %q", name, cd)
		}
		if !strings.HasPrefix(r.Body, "\ufeff") {
			t.Fatalf("%s lacks the UTF-8 byte order mark", name)
		}
		// The default reader insists that every record has the header's width.
		lines, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(lines) < 2 {
			t.Fatalf("%s: %d lines, want a header and data", name, len(lines))
		}
		for _, l := range lines[1:] {
			if fmt.Sprint(l) == fmt.Sprint(lines[0]) {
				t.Fatalf("%s repeats its header row: %v", name, lines)
			}
		}
		files[name], bodies[name] = lines, r.Body
		if strings.Contains(r.Body, "@") || strings.Contains(r.Body, "Secret Person") {
			t.Errorf("%s holds personal data", name)
		}
	}
	rows := func(name string) map[string][]string {
		out := map[string][]string{}
		for _, l := range files[name][1:] {
			out[l[0]] = l[1:]
		}
		return out
	}
	if got := strings.Join(files["regions"][0], "|"); got != "Region|People taking part|Completed a course|Completion rate (%)" {
		t.Fatalf("regions header %q", got)
	}
	regions := rows("regions")
	if got := regions["North District"]; !near(got[0], 12, 2) || !near(got[1], 6, 2) || got[2] == "" {
		t.Errorf("north %v", got)
	}
	if got := regions["East District"]; got[0] != "*" || got[1] != "*" || got[2] != "" {
		t.Errorf("east %v", got)
	}
	if got := regions["Total"]; !near(got[0], 24, 2) || !near(got[1], 12, 2) {
		t.Errorf("total %v", got)
	}
	if got := rows("funnel")["Earned a certificate"]; len(got) == 0 || got[0] != "*" {
		t.Errorf("funnel %v", files["funnel"])
	}
	if got := rows("channels")["Posters"]; !near(got[0], 12, 2) || !near(got[2], 6, 2) {
		t.Errorf("channels %v", files["channels"])
	}
	sum := files["summary"]
	if len(sum) != 2 || sum[1][0] != "report-week" || sum[1][1] != "Report week" || sum[1][5] != "20" || !near(sum[1][6], 12, 2) ||
		sum[1][8] != "Goal not reached" || sum[0][6] != "Course completions" {
		t.Errorf("summary %v", sum)
	}

	// The same figures as the page.
	page := org.get(base)
	org.mustStatus(page, 200)
	board := boardCells(page.Doc)
	for name, v := range regions {
		if name == "Total" {
			name = ""
		}
		if board[name] != v[0] && !(v[0] == "*" && hiddenCell(board[name])) {
			t.Errorf("region %q: CSV %q, page %q", name, v[0], board[name])
		}
	}
	funnel := rows("funnel")
	page.Doc.Find(".campaign-funnel tbody tr").Each(func(_ int, tr *goquery.Selection) {
		label := strings.TrimSpace(tr.Find("th").Text())
		cell := strings.TrimSpace(tr.Find(".funnel-count").Text())
		if got := funnel[label]; len(got) == 0 || (got[0] != cell && !(got[0] == "*" && hiddenCell(cell))) {
			t.Errorf("funnel %q: CSV %v, page %q", label, got, cell)
		}
	})
	// The page links each table and the ZIP.
	for _, name := range []string{"summary", "funnel", "channels", "regions"} {
		if page.Doc.Find(`.report-table-csv a[href="`+base+"/"+name+`.csv"]`).Length() != 1 {
			t.Errorf("the report page lacks the link to %s.csv", name)
		}
	}
	if page.Doc.Find(`a.report-zip[href="`+base+`.zip"]`).Length() != 1 || page.Doc.Find(`a[href="`+base+`.csv"]`).Length() != 0 {
		t.Error("the report page should link report.zip, not report.csv")
	}

	// The ZIP: the four files, byte for byte.
	z := org.get(base + ".zip")
	org.mustStatus(z, 200)
	if ct := z.Header.Get("Content-Type"); ct != "application/zip" {
		t.Fatalf("zip content type %q", ct)
	}
	zr, err := zip.NewReader(strings.NewReader(z.Body), int64(len(z.Body)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != bodies[strings.TrimSuffix(f.Name, ".csv")] {
			t.Errorf("zip %s differs from its download", f.Name)
		}
	}
	if strings.Join(names, " ") != "summary.csv funnel.csv channels.csv regions.csv" {
		t.Errorf("zip holds %v", names)
	}
	// The old address moves to the ZIP for good.
	old := org.get(base + ".csv")
	org.mustStatus(old, 301)
	if old.Location != base+".zip" {
		t.Errorf("report.csv redirects to %q", old.Location)
	}
	// Final: the ZIP has the same bytes each time.
	if err := srv.Store.CloseCampaign(ctx, srv.signedInUser(t, "closer-zip@example.org", app.RoleOrganizer), "report-week"); err != nil {
		t.Fatal(err)
	}
	z1, z2 := org.get(base+".zip"), org.get(base+".zip")
	if z1.Status != 200 || z1.Body != z2.Body {
		t.Error("a final report's ZIP changes between downloads")
	}
	// A table the report does not have; other roles.
	org.mustStatus(org.get(base+"/people.csv"), 404)
	edu := srv.signedIn(t, "edu-csv@example.org", app.RoleEducator)
	edu.mustStatus(edu.get(base+"/regions.csv"), 403)
	edu.mustStatus(edu.get(base+".zip"), 403)
	// Localized headers.
	zh := org.get("/zh-Hans/admin/campaigns/report-week/report/regions.csv")
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
