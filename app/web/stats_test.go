package web_test

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/PuerkitoBio/goquery"
)

// statsFixture records learners' first-time events at fixed times: each
// entry is a learner (a guest when region is "-") who reached kind in the
// course on day.
type statsLearner struct {
	region string // "-" for a guest
	kind   string
	day    string // YYYY-MM-DD
	scope  int64
}

func seedStats(t *testing.T, srv *testServer, courseID int64, learners []statsLearner) {
	t.Helper()
	ctx := context.Background()
	for i, l := range learners {
		at, err := time.Parse(time.DateOnly, l.day)
		if err != nil {
			t.Fatal(err)
		}
		srv.Store.SetClock(func() time.Time { return at.Add(12 * time.Hour) })
		id := app.NewID()
		if l.region != "-" {
			u := &app.User{Email: "stats" + strconv.Itoa(i) + "-" + id[:6] + "@example.org", DisplayName: "L", PasswordHash: "x",
				Roles: []string{app.RoleLearner}, Locale: "en", RegionCode: l.region}
			if err := srv.Store.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			id = u.LearnerID
		}
		course := courseID
		if l.kind == store.StatVisited {
			course = 0
		}
		if err := srv.Store.RecordCampaignEvent(ctx, l.scope, id, l.kind, course, "en"); err != nil {
			t.Fatal(err)
		}
	}
	srv.Store.SetClock(func() time.Time { return time.Now().UTC() })
}

// exact turns the protection off (K = 1, no noise), for tests of what
// the figures count rather than of how they are protected.
func exact(t *testing.T, srv *testServer) {
	t.Helper()
	setK(t, srv, 1)
	setNoise(t, srv, 0)
}

// near reports whether a published count is within d of want.
func near(s string, want, d int) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= want-d && n <= want+d
}

func setK(t *testing.T, srv *testServer, k int) {
	t.Helper()
	if err := srv.Store.SetSetting(context.Background(), "small_group_k", strconv.Itoa(k)); err != nil {
		t.Fatal(err)
	}
}

func figureText(r *response, key string) string {
	return text(r, `.stats-figure[data-key="`+key+`"] dd`)
}

func tableRow(r *response, table, label string) []string {
	var out []string
	sel := r.Doc.Find("#" + table + "-table tbody tr")
	for i := range sel.Nodes {
		row := sel.Eq(i)
		if strings.TrimSpace(row.Find("th").Text()) == label {
			row.Find("td").Each(func(_ int, td *goquery.Selection) { out = append(out, strings.TrimSpace(td.Text())) })
		}
	}
	return out
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("CSV without the UTF-8 byte order mark spreadsheets need for non-Latin headers: %.40q", body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("bad CSV %v:\n%s", err, body)
	}
	return recs
}

func TestStats_FiguresOnKnownData(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	exact(t, srv)
	seedStats(t, srv, pc.ID, []statsLearner{
		{"-", store.StatCompleted, "2027-04-10", 0}, {"-", store.StatCompleted, "2027-04-10", 0}, {"-", store.StatCompleted, "2027-04-11", 0},
		{"north", store.StatStarted, "2027-04-11", 0}, {"north", store.StatStarted, "2027-04-12", 0},
		{"-", store.StatVisited, "2027-04-12", 0},
	})
	org := srv.signedIn(t, "org@stats.example.org", app.RoleOrganizer)
	r := org.get("/en/admin/stats?from=2027-04-01&to=2027-04-30")
	org.mustStatus(r, 200)
	for key, want := range map[string]string{"visitors": "6", "started": "5", "completed": "3", "completion_rate": "60%", "certified": "0", "attempts": "0"} {
		if got := figureText(r, key); got != want {
			t.Errorf("figure %s = %q, want %q", key, got, want)
		}
	}
	if got := tableRow(r, "by-region", "North District"); len(got) != 4 || got[1] != "2" || got[2] != "0" {
		t.Errorf("region North = %v, want started 2 and completed 0 (K = 1: nothing hidden)", got)
	}
	if got := tableRow(r, "by-region", "Not stated"); len(got) != 4 || got[0] != "4" || got[2] != "3" {
		t.Errorf("region Not stated (guests) = %v, want visitors 4, completed 3", got)
	}
	// Guests apart.
	r = org.get("/en/admin/stats?from=2027-04-01&to=2027-04-30&who=guests")
	if got := figureText(r, "started"); got != "3" {
		t.Errorf("guests started = %q, want 3", got)
	}
	if got := figureText(r, "completion_rate"); got != "100%" {
		t.Errorf("guests completion rate = %q, want 100%%", got)
	}
	// The SVG charts name themselves and the region chart draws bars.
	for _, id := range []string{"chart-daily", "chart-region"} {
		svg := r.Doc.Find(`svg[role="img"][aria-labelledby="` + id + `-title ` + id + `-desc"]`)
		if svg.Length() != 1 || svg.ChildrenFiltered("title").Length() != 1 || svg.ChildrenFiltered("desc").Length() != 1 {
			t.Errorf("chart %s missing or unnamed", id)
		}
	}
	// The date filter: only the 12th.
	r = org.get("/en/admin/stats?from=2027-04-12&to=2027-04-12")
	org.mustStatus(r, 200)
	if got := figureText(r, "visitors"); got != "2" {
		t.Errorf("visitors on the 12th = %q, want 2", got)
	}
	if n := r.Doc.Find("#daily-table tbody tr").Length(); n != 2 {
		t.Errorf("daily rows = %d, want one day and the total", n)
	}
	// Per-day CSV: ISO days and plain numbers.
	csvr := org.get("/en/admin/stats.csv?table=daily&from=2027-04-10&to=2027-04-12&who=all")
	org.mustStatus(csvr, 200)
	recs := readCSV(t, csvr.Body)
	if len(recs) != 5 || recs[1][0] != "2027-04-10" || recs[1][1] != "2" || recs[4][0] != "Total" || recs[4][1] != "6" {
		t.Errorf("daily CSV = %v", recs)
	}
}

func TestStats_BadDates(t *testing.T) {
	srv := MustOpenServer(t)
	org := srv.signedIn(t, "org@stats.example.org", app.RoleOrganizer)
	for _, q := range []string{"from=2027-13-01", "to=yesterday", "from=2027-04-10&to=2027-04-01", "from=2020-01-01&to=2027-01-01"} {
		r := org.get("/en/admin/stats?" + q)
		if r.Status != 400 {
			t.Errorf("%s: status %d, want 400", q, r.Status)
			continue
		}
		if r.Doc.Find(".error-summary").Length() != 1 || r.Doc.Find(".field-error").Length() == 0 {
			t.Errorf("%s: no localized field error", q)
		}
		if r.Doc.Find(".stats-figure").Length() != 0 {
			t.Errorf("%s: figures shown despite the error", q)
		}
		if c := org.get("/en/admin/stats.csv?table=summary&" + q); c.Status != 400 {
			t.Errorf("CSV %s: status %d, want 400", q, c.Status)
		}
	}
	zh := org.get("/zh-Hans/admin/stats?from=bad")
	if !strings.Contains(text(zh, "#from-error"), "YYYY-MM-DD") || !strings.Contains(text(zh, "#from-error"), "请") {
		t.Errorf("zh-Hans error = %q", text(zh, "#from-error"))
	}
	if r := org.get("/en/admin/stats.csv?table=nope"); r.Status != 400 {
		t.Errorf("unknown table: %d, want 400", r.Status)
	}
}

func TestStats_SmallGroupsSuppressedEverywhere(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	var ls []statsLearner
	for i := 0; i < 10; i++ {
		ls = append(ls, statsLearner{"north", store.StatStarted, "2027-04-10", 0})
	}
	for i := 0; i < 3; i++ {
		ls = append(ls, statsLearner{"south", store.StatStarted, "2027-04-10", 0})
	}
	seedStats(t, srv, pc.ID, ls) // K stays at its default, 5
	org := srv.signedIn(t, "org@stats.example.org", app.RoleOrganizer)
	r := org.get("/en/admin/stats?from=2027-04-10&to=2027-04-10&who=registered")
	org.mustStatus(r, 200)
	south := tableRow(r, "by-region", "South District")
	if len(south) != 4 || south[1] != "*" {
		t.Fatalf("South = %v, want started hidden", south)
	}
	// North and the total stay shown (no guest came: registered learners
	// are everyone, and the noise keeps South's 3 = 13 - 10 uncertain),
	// within D of their counts.
	north, total := tableRow(r, "by-region", "North District"), tableRow(r, "by-region", "Total")
	if !near(north[1], 10, 2) || !near(total[1], 13, 2) {
		t.Errorf("North %v and Total %v: want about 10 and 13", north, total)
	}
	if strings.Contains(r.Body, ">3<") {
		t.Errorf("the page shows the small group's count somewhere")
	}
	if r.Doc.Find("#by-region .stats-note").Length() != 1 {
		t.Errorf("no note explaining the hidden figures")
	}
	if !strings.Contains(text(r, ".stats-k"), "up to 2 either way") {
		t.Errorf("the page does not say counts are moved at random: %q", text(r, ".stats-k"))
	}
	// The chart draws no bar for South: one bar at most (North) for two regions.
	if n := r.Doc.Find("#chart-region-title").Parent().Find("rect.chart-bar").Length(); n > 1 {
		t.Errorf("region chart draws %d bars; the hidden ones must not be drawn", n)
	}
	// Headline: started is one figure with the region total.
	if got, tot := figureText(r, "started"), total[1]; got != tot {
		t.Errorf("headline started %q differs from the region total %q", got, tot)
	}
	// The same in every CSV.
	for _, table := range []string{"summary", "daily", "region", "organization", "locale", "course", "channel"} {
		c := org.get("/en/admin/stats.csv?table=" + table + "&from=2027-04-10&to=2027-04-10&who=registered")
		org.mustStatus(c, 200)
		if ct := c.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", table, ct)
		}
		if cd := c.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
			t.Errorf("%s: Content-Disposition %q", table, cd)
		}
		for _, rec := range readCSV(t, c.Body)[1:] {
			for _, v := range rec[1:] {
				if n, err := strconv.Atoi(v); err == nil && n < 5 {
					t.Errorf("%s CSV shows a count under K %q: %v", table, v, rec)
				}
			}
		}
		if table == "region" {
			recs := readCSV(t, c.Body)
			var southRow, northRow, totalRow []string
			for _, rec := range recs {
				switch rec[0] {
				case "South District":
					southRow = rec
				case "North District":
					northRow = rec
				case "Total":
					totalRow = rec
				}
			}
			if southRow == nil || southRow[2] != "*" || !near(northRow[2], 10, 2) || !near(totalRow[2], 13, 2) {
				t.Errorf("region CSV = %v", recs)
			}
		}
	}
}

func TestStats_CampaignScope(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	exact(t, srv)
	cp, err := srv.Store.FindCampaign(context.Background(), "security-education-day-2027")
	if err != nil {
		t.Fatal(err)
	}
	day := cp.Starts.UTC().Format(time.DateOnly)
	seedStats(t, srv, pc.ID, []statsLearner{
		{"-", store.StatCompleted, day, cp.ID}, {"-", store.StatCompleted, day, cp.ID},
		{"-", store.StatCompleted, day, 0}, {"-", store.StatCompleted, day, 0}, {"-", store.StatCompleted, day, 0},
	})
	org := srv.signedIn(t, "org@stats.example.org", app.RoleOrganizer)
	r := org.get("/en/admin/campaigns/" + cp.Slug + "/stats")
	org.mustStatus(r, 200)
	if got := figureText(r, "completed"); got != "2" {
		t.Errorf("campaign completed = %q, want 2 (its window by default, its scope only)", got)
	}
	if got := r.Doc.Find(`input[name=from]`).AttrOr("value", ""); got != day {
		t.Errorf("default from = %q, want the campaign's start %s", got, day)
	}
	site := org.get("/en/admin/stats?from=" + day + "&to=" + day)
	if got := figureText(site, "completed"); got != "3" {
		t.Errorf("site-wide completed = %q, want 3", got)
	}
	if r := org.get("/en/admin/campaigns/no-such-campaign/stats"); r.Status != 404 {
		t.Errorf("unknown campaign: %d", r.Status)
	}
	// Campaign CSV, headers in the reader's language.
	c := org.get("/zh-Hans/admin/campaigns/" + cp.Slug + "/stats.csv?table=region")
	org.mustStatus(c, 200)
	recs := readCSV(t, c.Body)
	if strings.Join(recs[0], ",") != "地区,访问者,开始学习,完成学习,获得证书" {
		t.Errorf("zh-Hans header = %v", recs[0])
	}
	if !strings.Contains(c.Header.Get("Content-Disposition"), cp.Slug) {
		t.Errorf("Content-Disposition %q", c.Header.Get("Content-Disposition"))
	}
	// Links: the campaign page links here, the nav links the site-wide page.
	show := org.get("/en/admin/campaigns/" + cp.Slug)
	if show.Doc.Find(`a[href="/en/admin/campaigns/`+cp.Slug+`/stats"]`).Length() != 1 {
		t.Errorf("campaign page does not link its statistics")
	}
	if r.Doc.Find(`.admin-nav a[href="/en/admin/stats"]`).Length() != 1 {
		t.Errorf("admin navigation does not link the statistics")
	}
	if n := r.Doc.Find(`a.stats-csv`).Length(); n != len([]string{"summary", "daily", "region", "organization", "locale", "course", "channel"}) {
		t.Errorf("%d CSV links, want one per table", n)
	}
}

// statsAlert creates an alert through the store, as the admin pages do.
func statsAlert(t *testing.T, srv *testServer, author *app.User, identifier, status string, headline app.Text) *app.Alert {
	t.Helper()
	eff := time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC)
	a := &app.Alert{Identifier: identifier, SourceLocale: "en", Status: status, MsgType: "Alert", Scope: "Public",
		Categories: []string{"Met"}, Urgency: "Expected", Severity: "Severe", Certainty: "Likely",
		Event: app.Text{"en": "Flood"}, Headline: headline, Effective: eff, Expires: eff.AddDate(0, 1, 0)}
	if err := srv.Store.CreateAlert(context.Background(), author, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// alertEvents records alert events at noon UTC of day, through the store.
func alertEvents(t *testing.T, srv *testServer, day string, events ...func(ctx context.Context) error) {
	t.Helper()
	at, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	srv.Store.SetClock(func() time.Time { return at.Add(12 * time.Hour) })
	defer srv.Store.SetClock(func() time.Time { return time.Now().UTC() })
	for _, e := range events {
		if err := e(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStats_AlertsTable(t *testing.T) {
	srv := MustOpenServer(t)
	exact(t, srv)
	author := srv.signedInUser(t, "author@stats.example.org", app.RoleOrganizer)
	flood := statsAlert(t, srv, author, "river-flood", "Actual", app.Text{"en": "River <b>flood</b> warning", "fr": "Alerte crue de la rivière"})
	drill := statsAlert(t, srv, author, "heat-drill", "Exercise", app.Text{"en": "Heat wave drill"})
	reader := &app.User{Email: "reader@stats.example.org", DisplayName: "R", PasswordHash: "x", Roles: []string{app.RoleLearner},
		Locale: "en", RegionCode: "north"}
	if err := srv.Store.CreateUser(context.Background(), reader); err != nil {
		t.Fatal(err)
	}
	guest1, guest2 := app.NewID(), app.NewID()
	rec := func(learner, locale string, a *app.Alert, kind string) func(context.Context) error {
		return func(ctx context.Context) error { return srv.Store.RecordAlertEvent(ctx, learner, locale, a.ID, kind) }
	}
	// Two visitors saw the flood alert (the guest twice) and one of them
	// followed "learn what to do"; another guest saw the drill.
	alertEvents(t, srv, "2027-04-10",
		rec(guest1, "fr", flood, store.StatAlertViewed), rec(guest1, "fr", flood, store.StatAlertViewed),
		rec(guest1, "fr", flood, store.StatAlertLearned), rec(reader.LearnerID, "en", flood, store.StatAlertViewed),
		rec(guest2, "en", drill, store.StatAlertViewed))

	org := srv.signedIn(t, "org@stats.example.org", app.RoleOrganizer)
	r := org.get("/en/admin/stats?from=2027-04-01&to=2027-04-30")
	org.mustStatus(r, 200)
	if got := text(r, "#by-alert-heading"); got != "Alerts" {
		t.Errorf("alerts heading = %q", got)
	}
	if got := tableRow(r, "by-alert", "River <b>flood</b> warning"); strings.Join(got, "|") != "2|1|50%" {
		t.Errorf("flood row = %v, want 2 saw it, 1 followed, 50%%", got)
	}
	if got := tableRow(r, "by-alert", "Heat wave drill (drill)"); strings.Join(got, "|") != "1|0|0%" {
		t.Errorf("drill row = %v, want 1, 0, 0%%", got)
	}
	if strings.Contains(r.Body, "<b>flood</b>") {
		t.Error("the headline's markup reached the page unescaped")
	}
	// Newest alert first.
	if first := strings.TrimSpace(r.Doc.Find("#by-alert-table tbody th").First().Text()); first != "Heat wave drill (drill)" {
		t.Errorf("first alert row %q, want the newest", first)
	}
	// Guests apart: the registered reader's view is not theirs.
	g := org.get("/en/admin/stats?from=2027-04-01&to=2027-04-30&who=guests")
	if got := tableRow(g, "by-alert", "River <b>flood</b> warning"); strings.Join(got, "|") != "1|1|100%" {
		t.Errorf("guests' flood row = %v", got)
	}
	// Alert events are no visits and add no rows to the learning tables.
	if got := figureText(r, "visitors"); got != "0" {
		t.Errorf("visitors = %q: alert views must not count as visits", got)
	}
	for _, table := range []string{"by-region", "by-locale", "by-organization", "by-channel"} {
		if n := r.Doc.Find("#" + table + "-table tbody tr").Length(); n != 0 {
			t.Errorf("%s has %d rows from alert events alone", table, n)
		}
	}
	// The date range: nothing before the 10th.
	early := org.get("/en/admin/stats?from=2027-04-01&to=2027-04-09")
	if n := early.Doc.Find("#by-alert-table").Length(); n != 0 || early.Doc.Find("#by-alert .stats-empty").Length() != 1 {
		t.Errorf("alerts table before any view: %d tables, want the empty note", n)
	}

	// French: the French headline; the drill falls back to English, marked.
	fr := org.get("/fr/admin/stats?from=2027-04-01&to=2027-04-30")
	org.mustStatus(fr, 200)
	if got := text(fr, "#by-alert-heading"); got != "Alertes" {
		t.Errorf("fr heading = %q", got)
	}
	if got := tableRow(fr, "by-alert", "Alerte crue de la rivière"); len(got) != 3 || got[0] != "2" || got[1] != "1" {
		t.Errorf("fr flood row = %v", got)
	}
	drillTh := fr.Doc.Find(`#by-alert-table tr[data-label="Heat wave drill (exercice)"] th`)
	if drillTh.Length() != 1 || drillTh.AttrOr("lang", "") != "en" {
		t.Errorf("fr drill row: %d, lang %q; want the English headline marked lang=en", drillTh.Length(), drillTh.AttrOr("lang", ""))
	}

	// CSV: the header in the page's language, plain numbers.
	c := org.get("/fr/admin/stats.csv?table=alert&from=2027-04-01&to=2027-04-30&who=all")
	org.mustStatus(c, 200)
	recs := readCSV(t, c.Body)
	if strings.Join(recs[0], "|") != "Alerte|L’ont vue|Ont suivi « Que faire »|Part qui l’a suivi" {
		t.Errorf("fr CSV header = %q", recs[0])
	}
	found := false
	for _, rec := range recs[1:] {
		if rec[0] == "Alerte crue de la rivière" {
			found = rec[1] == "2" && rec[2] == "1" && strings.HasPrefix(rec[3], "50")
		}
	}
	if !found || len(recs) != 3 {
		t.Errorf("fr CSV = %q", recs)
	}
	if cd := c.Header.Get("Content-Disposition"); !strings.Contains(cd, "-alert-2027-04-01-2027-04-30.csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if n := r.Doc.Find(`a.stats-csv[href*="table=alert&"]`).Length(); n != 1 {
		t.Errorf("%d CSV links for the alerts table, want 1", n)
	}

	// Campaign pages have no alerts table.
	cp, err := srv.Store.FindCampaign(context.Background(), "security-education-day-2027")
	if err != nil {
		t.Fatal(err)
	}
	camp := org.get("/en/admin/campaigns/" + cp.Slug + "/stats")
	org.mustStatus(camp, 200)
	if camp.Doc.Find("#by-alert").Length() != 0 {
		t.Error("a campaign page shows the site-wide alerts table")
	}
	if r := org.get("/en/admin/campaigns/" + cp.Slug + "/stats.csv?table=alert"); r.Status != 400 {
		t.Errorf("campaign alerts CSV: %d, want 400 (no such table there)", r.Status)
	}
}

func TestStats_AlertsTableSuppressed(t *testing.T) {
	srv := MustOpenServer(t)
	author := srv.signedInUser(t, "author@stats.example.org", app.RoleOrganizer)
	flood := statsAlert(t, srv, author, "river-flood", "Actual", app.Text{"en": "River flood warning"})
	var events []func(context.Context) error
	for i := 0; i < 12; i++ {
		learner := app.NewID()
		events = append(events, func(ctx context.Context) error {
			return srv.Store.RecordAlertEvent(ctx, learner, "en", flood.ID, store.StatAlertViewed)
		})
		if i < 2 {
			events = append(events, func(ctx context.Context) error {
				return srv.Store.RecordAlertEvent(ctx, learner, "en", flood.ID, store.StatAlertLearned)
			})
		}
	}
	alertEvents(t, srv, "2027-04-10", events...) // K stays at its default, 5
	pc := srv.course(t, "cyber-hygiene")
	seedStats(t, srv, pc.ID, []statsLearner{{"-", store.StatStarted, "2027-04-10", 0}, {"-", store.StatStarted, "2027-04-10", 0}})
	org := srv.signedIn(t, "org@stats.example.org", app.RoleOrganizer)
	r := org.get("/en/admin/stats?from=2027-04-10&to=2027-04-10")
	org.mustStatus(r, 200)
	if got := tableRow(r, "by-alert", "River flood warning"); len(got) != 3 || !near(got[0], 12, 2) || got[1] != "*" || got[2] != "–" {
		t.Errorf("flood row = %v, want about 12 saw it, 2 followed hidden and no share", got)
	}
	if r.Doc.Find("#by-alert .stats-note").Length() != 1 {
		t.Error("no note explaining the hidden figures")
	}
	// Guests only: 12 guests; the registered column is empty and hidden.
	reg := org.get("/en/admin/stats?from=2027-04-10&to=2027-04-10&who=registered")
	if got := tableRow(reg, "by-alert", "River flood warning"); len(got) != 3 || got[0] != "*" || got[1] != "*" {
		t.Errorf("registered flood row = %v", got)
	}
	// The course table hides its small groups too (2 learners started).
	if got := tableRow(r, "by-course", r.Doc.Find("#by-course-table tbody th").First().Text()); len(got) != 3 || got[0] != "*" {
		t.Errorf("course row = %v, want started <5", got)
	}
	c := org.get("/en/admin/stats.csv?table=alert&from=2027-04-10&to=2027-04-10&who=all")
	org.mustStatus(c, 200)
	for _, rec := range readCSV(t, c.Body)[1:] {
		if rec[2] != "*" || rec[3] != "–" {
			t.Errorf("alerts CSV shows a small count: %v", rec)
		}
	}
}
