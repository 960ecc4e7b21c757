package web_test

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/stats"
	"beacon/app/store"
)

// summaryFigure reads one figure of the summary CSV.
func summaryFigure(t *testing.T, org *client, query, label string) string {
	t.Helper()
	r := org.get("/en/admin/stats.csv?table=summary&" + query)
	org.mustStatus(r, 200)
	for _, rec := range readCSV(t, r.Body)[1:] {
		if rec[0] == label {
			return rec[1]
		}
	}
	t.Fatalf("no %q in the summary CSV for %s", label, query)
	return ""
}

// TestStatsDifferencing is the differencing attack: 2 people came
// on 7 April and 2,998 more between 8 and 22 April; the daily table hides
// the 7th, and subtracting "8–22 April" from "7–22 April" must not give
// the 2 back reliably, for any end date. Repeating a query changes
// nothing, so asking again does not average the noise away.
func TestStatsDifferencing(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2027, 4, d, 10, 0, 0, 0, time.UTC) }
	var learners []store.DemoLearner
	for i := range 3000 {
		at := day(8 + i%15) // 8..22 April
		if i < 2 {
			at = day(7)
		}
		learners = append(learners, store.DemoLearner{LearnerID: app.NewID(), Locale: "en", Scopes: []int64{0}, Visit: at})
	}
	if err := srv.Store.LoadDemo(ctx, learners, nil); err != nil {
		t.Fatal(err)
	}
	org := srv.signedIn(t, "org-diff@stats.example.org", app.RoleOrganizer)

	daily := org.get("/en/admin/stats.csv?table=daily&from=2027-04-07&to=2027-04-08&who=all")
	org.mustStatus(daily, 200)
	if recs := readCSV(t, daily.Body); recs[1][0] != "2027-04-07" || recs[1][1] != stats.HiddenText {
		t.Fatalf("the 7th's 2 visitors are shown: %v", recs)
	}
	whole := summaryFigure(t, org, "from=2027-04-07&to=2027-04-22&who=all", "Unique visitors")
	if !near(whole, 3000, 2) {
		t.Fatalf("visitors 7–22 April = %s, want 3,000 within the noise", whole)
	}
	// Subtract each "8–N" from "7–N": every pair differs by the same 2
	// people, and each difference is what an attacker would read.
	diffs := map[int]int{}
	for end := 15; end <= 22; end++ {
		to := "&to=2027-04-" + strconv.Itoa(end) + "&who=all"
		a, _ := strconv.Atoi(summaryFigure(t, org, "from=2027-04-07"+to, "Unique visitors"))
		b, _ := strconv.Atoi(summaryFigure(t, org, "from=2027-04-08"+to, "Unique visitors"))
		diffs[a-b]++
	}
	t.Logf("differences (7–N minus 8–N, N = 15..22) and how often: %v", diffs)
	if diffs[2] > 4 || len(diffs) < 3 {
		t.Errorf("differences of 8 range pairs %v: the 2 hidden visitors show through", diffs)
	}
	for d := range diffs {
		if d < 2-4 || d > 2+4 {
			t.Errorf("a difference of %d: the noise exceeds ±D", d)
		}
	}
	// Asking again gives the same figures, byte for byte.
	again := org.get("/en/admin/stats.csv?table=daily&from=2027-04-07&to=2027-04-08&who=all")
	if again.Body != daily.Body || summaryFigure(t, org, "from=2027-04-07&to=2027-04-22&who=all", "Unique visitors") != whole {
		t.Error("repeating a query changed its figures")
	}
	// The same count is the same figure whatever the range: nobody came
	// on the 23rd, so 8–22 and 8–23 April publish the same number.
	if a, b := summaryFigure(t, org, "from=2027-04-08&to=2027-04-22&who=all", "Unique visitors"),
		summaryFigure(t, org, "from=2027-04-08&to=2027-04-23&who=all", "Unique visitors"); a != b {
		t.Errorf("the same 2,998 people published as %s and %s", a, b)
	}
}

// TestStatsUnknownFilter: a filter Beacon does not know is a clear 400,
// never another filter's figures, on the page and for the CSV, in the
// reader's language.
func TestStatsUnknownFilter(t *testing.T) {
	srv := MustOpenServer(t)
	org := srv.signedIn(t, "org-filter@stats.example.org", app.RoleOrganizer)
	cases := []struct {
		query, field string
		en, fr       string
	}{
		{"who=xyz", "who", "Choose whom to count", "Choisissez qui compter"},
		{"who=ALL", "who", "Choose whom to count", "Choisissez qui compter"},
		{"from=2027-04-31", "from", "Enter a date as YYYY-MM-DD", "Saisissez une date au format YYYY-MM-DD"},
		{"to=22/04/2027", "to", "Enter a date as YYYY-MM-DD", "Saisissez une date au format YYYY-MM-DD"},
	}
	for _, tc := range cases {
		for lang, want := range map[string]string{"en": tc.en, "fr": tc.fr} {
			r := org.get("/" + lang + "/admin/stats?" + tc.query)
			if r.Status != 400 {
				t.Errorf("%s %s: page status %d, want 400", lang, tc.query, r.Status)
				continue
			}
			if got := text(r, "#"+tc.field+"-error"); !strings.Contains(got, want) {
				t.Errorf("%s %s: field error %q, want %q", lang, tc.query, got, want)
			}
			if r.Doc.Find(".stats-figure").Length() != 0 {
				t.Errorf("%s %s: figures shown for a filter Beacon does not know", lang, tc.query)
			}
			c := org.get("/" + lang + "/admin/stats.csv?table=region&" + tc.query)
			if c.Status != 400 || !strings.HasPrefix(c.Header.Get("Content-Type"), "text/plain") || !strings.Contains(c.Body, want) {
				t.Errorf("%s %s: CSV %d %q %q, want 400 with %q", lang, tc.query, c.Status, c.Header.Get("Content-Type"), c.Body, want)
			}
		}
	}
	// An unknown table (the breakdown dimension) is refused the same way.
	for lang, want := range map[string]string{"en": "There is no such statistics table", "fr": "Ce tableau de statistiques n’existe pas"} {
		c := org.get("/" + lang + "/admin/stats.csv?table=postcode")
		if c.Status != 400 || !strings.Contains(c.Body, want) {
			t.Errorf("%s unknown table: %d %q", lang, c.Status, c.Body)
		}
	}
	// Known values still work, and an absent who means everyone.
	for _, q := range []string{"who=guests", "who=registered", "who=all", ""} {
		org.mustStatus(org.get("/en/admin/stats?"+q), 200)
	}
}

// TestCSVNeutralizesFormulas: a channel named like a spreadsheet formula
// reaches the report's channels.csv and stats.csv as text, through the HTTP handlers;
// the rule itself is table-tested in app/stats.
func TestCSVNeutralizesFormulas(t *testing.T) {
	t.Run("Unit", func(t *testing.T) {
		for in, want := range map[string]string{
			`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`, "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)",
			"\tx": "'\tx", "\rx": "'\rx", "12": "12", "North District": "North District", "": "", "a=b": "a=b", "*": "*",
		} {
			if got := stats.NeutralizeCSV(in); got != want {
				t.Errorf("NeutralizeCSV(%q) = %q, want %q", in, got, want)
			}
		}
	})
	srv := MustOpenServer(t)
	exact(t, srv)
	ctx := context.Background()
	const name = `=HYPERLINK("http://x","y")`
	org := srv.signedInUser(t, "planner-csv@example.org", app.RoleOrganizer)
	now := time.Now().UTC().Truncate(time.Second)
	cp := &app.Campaign{Slug: "formula-week", SourceLocale: "en", Starts: now.Add(-48 * time.Hour), Ends: now.Add(48 * time.Hour),
		Courses: []string{"cyber-hygiene"}, Regions: []string{}, TimeZone: "UTC", Title: app.Text{"en": "Formula week"}, Description: app.Text{}}
	if err := srv.Store.CreateCampaign(ctx, org, cp); err != nil {
		t.Fatal(err)
	}
	ch, err := srv.Store.CreateChannel(ctx, org, cp.Slug, name, campaign.NewCode)
	if err != nil {
		t.Fatal(err)
	}
	var learners []store.DemoLearner
	for range 6 {
		learners = append(learners, store.DemoLearner{LearnerID: app.NewID(), Locale: "en", Channel: ch.ID, Scopes: []int64{0, ch.CampaignID},
			Visit: now.Add(-time.Hour)})
	}
	if err := srv.Store.LoadDemo(ctx, learners, nil); err != nil {
		t.Fatal(err)
	}
	c := srv.signedIn(t, "org-csv-formula@example.org", app.RoleOrganizer)
	for _, path := range []string{"/en/admin/campaigns/formula-week/report/channels.csv", "/en/admin/campaigns/formula-week/stats.csv?table=channel"} {
		r := c.get(path)
		c.mustStatus(r, 200)
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, rec := range recs {
			for i, f := range rec {
				if strings.HasPrefix(f, "=") || strings.HasPrefix(f, "+") || strings.HasPrefix(f, "@") {
					t.Errorf("%s: live formula %q", path, f)
				}
				if f == "'"+name {
					found = true
					if i != 0 || len(rec) < 2 || rec[1] != "6" {
						t.Errorf("%s: channel row %q", path, rec)
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: the channel is missing or not neutralized:\n%s", path, r.Body)
		}
	}
}
