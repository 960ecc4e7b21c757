package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"

	"github.com/PuerkitoBio/goquery"
)

// mapScenario is a running campaign with learners in the seed's leaf
// regions (all bounded) and in "island", a region without a boundary:
//
//	north-riverside 30, north-hillside 25, south-harbour 20,
//	south-old-town 12, east-industrial-park 9, island 15,
//	east-university 2 and west-lakeside 3 (small groups: hidden).
func mapScenario(t *testing.T, srv *testServer, slug string) {
	t.Helper()
	ctx := context.Background()
	org := srv.signedInUser(t, "planner-"+slug+"@example.org", app.RoleOrganizer)
	if err := srv.Store.CreateRegion(ctx, org, app.Region{Code: "island", Name: app.Text{"en": "Far Island", "ar": "الجزيرة البعيدة"}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	cp := &app.Campaign{Slug: slug, SourceLocale: "en", Starts: now.Add(-48 * time.Hour), Ends: now.Add(10 * 24 * time.Hour),
		GoalCompletions: 50, Courses: []string{"cyber-hygiene"}, Regions: []string{}, TimeZone: "UTC",
		Title: app.Text{"en": "Map week"}, Description: app.Text{}}
	if err := srv.Store.CreateCampaign(ctx, org, cp); err != nil {
		t.Fatal(err)
	}
	pc := srv.course(t, "cyber-hygiene")
	at := now.Add(-24 * time.Hour)
	var learners []store.DemoLearner
	for region, n := range map[string]int{"north-riverside": 30, "north-hillside": 25, "south-harbour": 20, "south-old-town": 12,
		"east-industrial-park": 9, "island": 15, "east-university": 2, "west-lakeside": 3} {
		for i := range n {
			id := app.NewID()
			l := store.DemoLearner{LearnerID: id, Locale: "en", Scopes: []int64{0, cp.ID}, Visit: at,
				User:    &app.User{Email: fmt.Sprintf("%s-%s-%d@people.example.org", slug, region, i), DisplayName: "Person", Locale: "en", RegionCode: region},
				Lessons: []app.LessonProgress{{LearnerID: id, CourseID: pc.ID, LessonSlug: pc.Lessons[0].Slug, CompletedAt: at.Add(time.Minute)}}}
			if i%2 == 0 {
				l.Completions = []app.Completion{{LearnerID: id, CourseID: pc.ID, CompletedAt: at.Add(time.Hour)}}
			}
			learners = append(learners, l)
		}
	}
	if err := srv.Store.LoadDemo(ctx, learners, []*app.PublishedCourse{pc}); err != nil {
		t.Fatal(err)
	}
}

// mapAreas reads a page's map: area title → its path.
func mapAreas(doc *goquery.Document) map[string]*goquery.Selection {
	out := map[string]*goquery.Selection{}
	doc.Find("svg.choropleth-map path.map-area").Each(func(_ int, p *goquery.Selection) {
		out[strings.TrimSpace(p.Find("title").Text())] = p
	})
	return out
}

// checkMap checks a page's map against its region table (name → the
// figure the map shades, as the table shows it; hidden ones "").
func checkMap(t *testing.T, page string, doc *goquery.Document, table map[string]string, bounded map[string]bool) {
	t.Helper()
	areas := mapAreas(doc)
	want := 0
	for name, fig := range table {
		if !bounded[name] {
			continue
		}
		want++
		if fig == "" {
			p := areas[name+": Too few to show"]
			if p == nil {
				t.Errorf("%s: hidden %s has no hatched area (areas %v)", page, name, areaNames(areas))
				continue
			}
			if fill, _ := p.Attr("fill"); !strings.HasPrefix(fill, "url(#") || !p.HasClass("map-hidden") {
				t.Errorf("%s: hidden %s is filled %q", page, name, fill)
			}
			continue
		}
		p := areas[name+": "+fig]
		if p == nil {
			t.Errorf("%s: %s (%s) has no area (areas %v)", page, name, fig, areaNames(areas))
			continue
		}
		if fill, _ := p.Attr("fill"); !strings.HasPrefix(fill, "#") || p.HasClass("map-hidden") {
			t.Errorf("%s: shown %s is filled %q", page, name, fill)
		}
	}
	if len(areas) != want {
		t.Errorf("%s: %d areas, want one per bounded region of the table (%d)", page, len(areas), want)
	}
	if doc.Find(".choropleth .map-legend-hidden").Length() != 1 || doc.Find(".choropleth .map-legend-class").Length() == 0 {
		t.Errorf("%s: legend %q", page, doc.Find(".map-legend").Text())
	}
	// Orchard had nobody: drawn unshaded, so that the map keeps its shape,
	// and said so in the legend.
	if doc.Find(`svg.choropleth-map path.map-none title:contains("Orchard: No one counted")`).Length() != 1 ||
		doc.Find(".choropleth .map-legend-none").Length() != 1 {
		t.Errorf("%s: Orchard, where no one was counted, is not drawn unshaded", page)
	}
	var unbounded []string
	doc.Find(".stats-map-unbounded li").Each(func(_ int, li *goquery.Selection) { unbounded = append(unbounded, li.Text()) })
	if strings.Join(unbounded, "|") != "Far Island" {
		t.Errorf("%s: regions without a boundary listed %v, want Far Island", page, unbounded)
	}
	if !strings.Contains(doc.Find(".stats-map").Text(), "The table below has the same figures.") {
		t.Errorf("%s: the map does not point to its table", page)
	}
}

func areaNames(m map[string]*goquery.Selection) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestParticipationMap(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			mapScenario(t, srv, "map-week")
			bounded := map[string]bool{}
			regions, err := srv.Store.Regions(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			hasBoundary, err := srv.Store.BoundedRegions(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range regions {
				bounded[r.Name["en"]] = hasBoundary[r.Code]
			}
			if len(hasBoundary) != 12 || bounded["Far Island"] {
				t.Fatalf("seed boundaries %v", hasBoundary)
			}
			org := srv.signedIn(t, "map-reader@example.org", app.RoleOrganizer)

			for _, path := range []string{"/en/admin/stats", "/en/admin/campaigns/map-week/stats"} {
				page := org.get(path)
				org.mustStatus(page, 200)
				table := map[string]string{}
				hidden := 0
				page.Doc.Find("#by-region-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
					if tr.HasClass("stats-total") || strings.TrimSpace(tr.Find("th").Text()) == "Not stated" {
						return // not a region: never on the map
					}
					td := tr.Find("td").Eq(1) // Started: the figure the region chart and the map show
					fig := strings.TrimSpace(td.Text())
					if td.HasClass("cell-hidden") {
						fig = ""
						hidden++
					}
					table[strings.TrimSpace(tr.Find("th").Text())] = fig
				})
				if len(table) != 8 || hidden < 2 {
					t.Fatalf("%s: region table %v", path, table)
				}
				checkMap(t, path, page.Doc, table, bounded)
				svg, _ := goquery.OuterHtml(page.Doc.Find("svg.choropleth-map"))
				fig, _ := goquery.OuterHtml(page.Doc.Find(".choropleth"))
				t.Logf("%s: the map's SVG is %d bytes, with its legend %d", path, len(svg), len(fig))
			}

			page := org.get("/en/admin/campaigns/map-week/report")
			org.mustStatus(page, 200)
			table := map[string]string{}
			for name, fig := range boardCells(page.Doc) {
				if name == "" {
					continue
				}
				if hiddenCell(fig) {
					fig = ""
				}
				table[name] = fig
			}
			if len(table) != 8 {
				t.Fatalf("report region table %v", table)
			}
			checkMap(t, "report", page.Doc, table, bounded)
			if page.Doc.Find("#map-report-region").Length() != 1 {
				t.Error("report map id")
			}

			// Arabic: the same map, its legend in Arabic numbers and words.
			ar := org.get("/ar/admin/stats")
			org.mustStatus(ar, 200)
			if n := ar.Doc.Find("svg.choropleth-map path.map-area").Length(); n != 7 {
				t.Errorf("Arabic map has %d areas, want 7", n)
			}
			if !strings.Contains(ar.Doc.Find(".map-legend-hidden").Text(), "أقل من أن يُعرض") {
				t.Errorf("Arabic legend %q", ar.Doc.Find(".map-legend").Text())
			}
			if !strings.Contains(ar.Doc.Find(".stats-map-unbounded").Text(), "الجزيرة البعيدة") {
				t.Errorf("Arabic unbounded list %q", ar.Doc.Find(".stats-map-unbounded").Text())
			}
		})
	}
}
