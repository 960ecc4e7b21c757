package web_test

import (
	"context"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/cli"
	"beacon/app/store"
	"beacon/app/testenv"

	"github.com/PuerkitoBio/goquery"
)

// chartsDemoServer is a server over 2,000 demo learners on db.
func chartsDemoServer(t *testing.T, db string, open func(testing.TB) *store.Store) *testServer {
	t.Helper()
	return demoServerOn(t, db, open, 2000)
}

// demoServerOn is a server over n demo learners on db: a fresh SQLite demo
// file (the tests add accounts to it) or the PostgreSQL test base.
func demoServerOn(t *testing.T, db string, open func(testing.TB) *store.Store, n int) *testServer {
	t.Helper()
	var st *store.Store
	if db == "sqlite" {
		t.Setenv("BEACON_BENCH_DIR", t.TempDir())
		st = testenv.DemoStore(t, n)
	} else {
		st = open(t)
	}
	srv := mustOpenServerOn(t, st)
	if db != "sqlite" {
		if err := cli.GenerateDemo(context.Background(), st, n, 1, nil); err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

// demoCampaign is the seed campaign the demo data fills.
func demoCampaign(t *testing.T, srv *testServer) *app.Campaign {
	t.Helper()
	camps, err := srv.Store.Campaigns(context.Background(), time.Time{})
	if err != nil || len(camps) == 0 {
		t.Fatalf("no demo campaign: %v", err)
	}
	return camps[0]
}

// chartOn is the chart whose title has id's title id, checked well-formed.
func chartOn(t *testing.T, doc *goquery.Document, id string) *goquery.Selection {
	t.Helper()
	svg := doc.Find(`svg[aria-labelledby="` + id + `-title ` + id + `-desc"]`)
	if svg.Length() != 1 {
		t.Fatalf("chart %s: %d found", id, svg.Length())
	}
	markup, err := goquery.OuterHtml(svg)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(markup), new(struct{})); err != nil {
		t.Errorf("chart %s is not well-formed XML: %v", id, err)
	}
	return svg
}

// definitionLinks checks that every link to the definitions page names a
// definition that page has, and returns the anchors linked.
func definitionLinks(t *testing.T, doc *goquery.Document, defs *goquery.Document) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	doc.Find(`a[href*="/admin/stats/definitions"]`).Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		_, anchor, _ := strings.Cut(href, "#")
		if anchor == "" {
			return
		}
		seen[anchor] = true
		if defs.Find("#"+anchor).Length() != 1 {
			t.Errorf("link %q (%q) names no definition", href, a.Text())
		}
	})
	return seen
}

func TestStatsDashboardCharts(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := chartsDemoServer(t, db, open)
			cp := demoCampaign(t, srv)
			org := srv.signedIn(t, "charts-"+db+"@example.org", app.RoleOrganizer)
			defs := org.get("/en/admin/stats/definitions")
			org.mustStatus(defs, 200)
			for _, base := range []string{"/en/admin/campaigns/" + cp.Slug + "/stats", "/en/admin/stats?from=" +
				cp.Starts.UTC().Format(time.DateOnly) + "&to=" + cp.Ends.UTC().Format(time.DateOnly)} {
				r := org.get(base)
				org.mustStatus(r, 200)

				daily := chartOn(t, r.Doc, "chart-daily")
				if got := daily.Find(".chart-legend").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(got, "|") != "Visitors|Completed" {
					t.Errorf("%s: daily legend %q", base, got)
				}
				if n := daily.Find(".chart-tick").Length(); n < 3 {
					t.Errorf("%s: daily chart has %d ticks", base, n)
				}
				if n, days := daily.Find(".chart-label").Length(), r.Doc.Find("#daily-table tbody tr").Length()-1; n < 3 || (days > 10 && n >= days) {
					t.Errorf("%s: %d day labels for %d days", base, n, days)
				}
				if s := text(r, "#daily .chart-summary"); !strings.HasPrefix(s, "The busiest day for visitors was ") {
					t.Errorf("%s: daily summary %q", base, s)
				}

				funnel := chartOn(t, r.Doc, "chart-funnel")
				if got := funnel.Find(".chart-label").Length(); got != 4 {
					t.Errorf("%s: funnel has %d steps", base, got)
				}
				if n := funnel.Find(".chart-note").Length(); n != 6 {
					t.Errorf("%s: %d funnel steps give their shares, want 6 lines", base, n)
				}
				if s := text(r, "#funnel-heading ~ .stats-pair .chart-summary"); !regexp.MustCompile(`^Of [\d,]+ visitors, [\d,]+ completed a course \(\d+%\)\.$`).MatchString(s) {
					t.Errorf("%s: funnel summary %q", base, s)
				}

				region := chartOn(t, r.Doc, "chart-region")
				drawn := 0
				r.Doc.Find("#by-region-table tbody tr:not(.stats-total)").Each(func(_ int, tr *goquery.Selection) {
					if c := tr.Find("td").Eq(1); !c.HasClass("cell-hidden") && strings.TrimSpace(c.Text()) != "0" {
						drawn++
					}
				})
				if n := region.Find("rect.chart-bar").Length(); n != drawn {
					t.Errorf("%s: region chart draws %d bars for %d shown regions", base, n, drawn)
				}
				if s := text(r, "#by-region .chart-summary"); !strings.HasPrefix(s, "Of the regions given, ") || strings.Contains(s, "Not stated") {
					t.Errorf("%s: region summary %q", base, s)
				}
				// A suppressed region is never named in the summary.
				r.Doc.Find("#by-region-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
					if tr.Find("td").Eq(1).HasClass("cell-hidden") && strings.Contains(text(r, "#by-region .chart-summary"), tr.Find("th").Text()) {
						t.Errorf("%s: the summary names %q, whose count is hidden", base, tr.Find("th").Text())
					}
				})

				seen := definitionLinks(t, r.Doc, defs.Doc)
				for _, want := range []string{"visitors", "started", "completed", "certified", "completion_rate", "pass_rate", "average_score", "funnel"} {
					if !seen[want] {
						t.Errorf("%s: no link to the definition of %s", base, want)
					}
				}
			}

			// The demo report: its goal and funnel, where they differ, are explained.
			rep := org.get("/en/admin/campaigns/" + cp.Slug + "/report")
			org.mustStatus(rep, 200)
			goal := regexp.MustCompile(`([\d,]+) courses? completed`).FindStringSubmatch(text(rep, ".campaign-progress"))
			people := strings.TrimSpace(rep.Doc.Find(`.campaign-funnel tr[data-step="completed"] .funnel-count`).Text())
			note := text(rep, "#goal-heading ~ .report-goal-vs-funnel")
			switch {
			case goal == nil:
				t.Errorf("report goal %q", text(rep, ".campaign-progress"))
			case goal[1] != people && (!strings.Contains(note, goal[1]+" course completions") || !strings.Contains(note, people+" people")):
				t.Errorf("goal %s and funnel %s differ, explained by %q", goal[1], people, note)
			case goal[1] == people && note != "":
				t.Errorf("goal and funnel agree (%s), yet a note explains a difference: %q", people, note)
			}
			// Completions count each course a person completes: never
			// fewer than the people who completed, but for the noise.
			if goal != nil {
				g, _ := strconv.Atoi(strings.ReplaceAll(goal[1], ",", ""))
				p, _ := strconv.Atoi(strings.ReplaceAll(people, ",", ""))
				if g < p-4 {
					t.Errorf("the goal counts %d completions, fewer than the funnel's %d people who completed", g, p)
				}
			}
			if rep.Doc.Find("#funnel-heading ~ .report-goal-vs-funnel").Length() != rep.Doc.Find("#goal-heading ~ .report-goal-vs-funnel").Length() {
				t.Errorf("the note stands beside the goal but not the funnel")
			}

			// Arabic: the charts mirror and tick labels come from the page's localizer.
			ar := org.get("/ar/admin/campaigns/" + cp.Slug + "/stats")
			org.mustStatus(ar, 200)
			for _, id := range []string{"chart-daily", "chart-region", "chart-funnel"} {
				if dir, _ := chartOn(t, ar.Doc, id).Attr("direction"); dir != "rtl" {
					t.Errorf("Arabic %s has direction %q", id, dir)
				}
			}
			if s := text(ar, "#daily .chart-summary"); !strings.HasPrefix(s, "كان أكثر الأيام زوارًا") {
				t.Errorf("Arabic daily summary %q", s)
			}
		})
	}
}

func TestFigureDefinitions(t *testing.T) {
	srv := MustOpenServer(t)
	reportScenario(t, srv, "defs-week")
	org := srv.signedIn(t, "defs@example.org", app.RoleOrganizer)
	ids := map[string][]string{}
	for _, lang := range []string{"en", "ar", "es", "fr", "ru", "zh-Hans"} {
		r := org.get("/" + lang + "/admin/stats/definitions")
		org.mustStatus(r, 200)
		r.Doc.Find("section.stats-def").Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("id")
			ids[lang] = append(ids[lang], id)
			if strings.TrimSpace(s.Find("h2").Text()) == "" || strings.TrimSpace(s.Find("p").Text()) == "" {
				t.Errorf("%s: definition %s is empty", lang, id)
			}
			if strings.Contains(s.Text(), "admin.stats.def") {
				t.Errorf("%s: definition %s shows its key", lang, id)
			}
		})
		if lang == "ar" && r.Doc.Find(`html[dir="rtl"]`).Length() != 1 {
			t.Errorf("Arabic definitions are not right to left")
		}
	}
	for _, want := range []string{"visitors", "started", "completed", "completion_rate", "certified", "attempts", "pass_rate",
		"average_score", "funnel", "goal", "participants", "channel", "hidden", "noise"} {
		for lang, got := range ids {
			if !strings.Contains(" "+strings.Join(got, " ")+" ", " "+want+" ") {
				t.Errorf("%s: no definition of %s", lang, want)
			}
		}
	}
	en := org.get("/en/admin/stats/definitions")
	// What the figures count, in truth: completion needs the quiz passed,
	// the goal counts completions, the funnel people; "*" and "–" are hidden.
	for anchor, words := range map[string][]string{
		"completed": {"every lesson", "passed it"},
		"goal":      {"counts twice", "counts once"},
		"hidden":    {"“*”", "“–”", "never drawn"},
		"visitors":  {"once, on the day of their first visit"},
	} {
		body := text(en, "#"+anchor+" p")
		for _, w := range words {
			if !strings.Contains(body, w) {
				t.Errorf("definition %s lacks %q: %s", anchor, w, body)
			}
		}
	}
	// One click away on the report too.
	report := org.get("/en/admin/campaigns/defs-week/report")
	org.mustStatus(report, 200)
	seen := definitionLinks(t, report.Doc, en.Doc)
	for _, want := range []string{"goal", "funnel", "participants", "channel"} {
		if !seen[want] {
			t.Errorf("the report does not link the definition of %s", want)
		}
	}
	// Staff only.
	if r := srv.client(t).get("/en/admin/stats/definitions"); r.Status == 200 {
		t.Errorf("the definitions page is open to anyone")
	}
}

func TestReportRegionsTable(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			reportScenario(t, srv, "regions-week")
			org := srv.signedIn(t, "regions-"+db+"@example.org", app.RoleOrganizer)
			r := org.get("/en/admin/campaigns/regions-week/report")
			org.mustStatus(r, 200)
			head := r.Doc.Find("#regions-heading").Parent().Find(".campaign-board thead th").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
			if strings.Join(head, "|") != "Region|People taking part|Completed a course|Share who completed" {
				t.Errorf("regions table headed %q", head)
			}
			rows := map[string][]string{}
			r.Doc.Find(".campaign-board tbody tr, .campaign-board tfoot tr").Each(func(_ int, tr *goquery.Selection) {
				rows[strings.TrimSpace(tr.Find("th").Text())] = tr.Find("td").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
			})
			north := rows["North District"]
			if len(north) != 3 || !near(north[0], 12, 2) || !near(north[1], 6, 2) || !strings.HasSuffix(north[2], "%") {
				t.Errorf("North row %q: want about 12 taking part, about 6 completed, a share", north)
			}
			if east := rows["East District"]; len(east) != 3 || !hiddenCell(east[0]) || !hiddenCell(east[1]) || !hiddenCell(east[2]) {
				t.Errorf("East row %q: a small group, hidden in every column", east)
			}
			if all := rows["All regions"]; len(all) != 3 || !near(all[0], 24, 2) || !near(all[1], 12, 2) {
				t.Errorf("total row %q", all)
			}
			// The charts beside the tables: a suppressed region draws no bar and is not named.
			reg := chartOn(t, r.Doc, "chart-campaign-regions")
			if n := reg.Find("rect.chart-bar").Length(); n != 2 {
				t.Errorf("region chart draws %d bars, want 2 (east hidden)", n)
			}
			if s := text(r, "#regions-heading ~ .report-chart .chart-summary"); s != "Of the regions given, North District had the most people taking part ("+north[0]+")." {
				t.Errorf("regions summary %q", s)
			}
			chartOn(t, r.Doc, "chart-campaign-funnel")
			ch := chartOn(t, r.Doc, "chart-campaign-channels")
			if n := ch.Find(".chart-legend").Length(); n != 2 {
				t.Errorf("channel chart legend has %d entries", n)
			}
			// One featured course: completions and completers are the
			// same people and the same published figure, so no note.
			if r.Doc.Find(".report-goal-vs-funnel").Length() != 0 {
				t.Errorf("a note explains a difference that is not there")
			}
			// The public results share the table.
			if err := srv.Store.SetCampaignResults(context.Background(), srv.signedInUser(t, "pub-"+db+"@example.org", app.RoleOrganizer), "regions-week", true); err != nil {
				t.Fatal(err)
			}
			pub := srv.client(t).get("/en/campaigns/regions-week/results")
			if pub.Status != 200 || pub.Doc.Find(".campaign-board thead th").Length() != 4 {
				t.Errorf("public results %d: regions table has %d columns", pub.Status, pub.Doc.Find(".campaign-board thead th").Length())
			}
			chartOn(t, pub.Doc, "chart-campaign-funnel")
		})
	}
}
