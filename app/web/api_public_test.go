package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/testenv"
)

// Shapes of the public API's answers as a client decodes them.
type (
	apiListOf[T any] struct {
		Items  []T    `json:"items"`
		Total  int    `json:"total"`
		Limit  int    `json:"limit"`
		Offset int    `json:"offset"`
		Next   string `json:"next"`
	}
	apiCourseT struct {
		Slug, Lang, Title, Summary, URL string
		Languages                       []string
		LessonCount                     int `json:"lesson_count"`
		Quiz                            *struct {
			Questions, Bank, MaxAttempts int
			PassPercent                  int `json:"pass_percent"`
		}
		Lessons []struct {
			Slug, Lang, Title, URL string
			Number                 int
			BodyHTML               string `json:"body_html"`
		}
	}
	apiCampaignT struct {
		Slug, Lang, Title, Status, URL string
		Results                        string
		Progress                       struct {
			Goal        int
			Completions *int
			Percent     *int
			State       string
			K           int
		}
		Leaderboard []apiRowT
	}
	apiRowT struct {
		Region, Name, Lang string
		Total              bool
		Participants       *int
		Completed          *int
	}
	apiAlertT struct {
		Identifier, Lang, Headline, Phase, CAP, URL, MsgType string
		Regions                                              []string
	}
	apiRegionT struct {
		Code, Parent, Name, Lang string
		Geocodes                 []struct{ Name, Value string }
		HasBoundary              bool `json:"has_boundary"`
	}
)

// englishOnly imports a published course written only in English.
func englishOnly(tb testing.TB, srv *testServer) {
	tb.Helper()
	course := app.Course{Slug: "english-only", SourceLocale: "en", Topic: "cyber", Categories: []string{}, ReviewBy: "2027-01-01",
		Title: app.Text{"en": "English only course"}, Summary: app.Text{"en": "Only in English."},
		Lessons: []app.Lesson{{Slug: "one", File: "01-one", Title: app.Text{"en": "Lesson one"}, Body: app.Text{"en": "## What to do\n\nRead this."}}}}
	if _, err := srv.Store.ImportPack(context.Background(), &app.Pack{Courses: []app.Course{course}}); err != nil {
		tb.Fatal(err)
	}
}

// getLang fetches path with an Accept-Language header.
func (c *client) getLang(path, acceptLanguage string) *response {
	c.tb.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	return c.send(req)
}

// TestAPICourses: the catalog and one course with its lessons, in the
// language asked (?lang=, then Accept-Language), falling back to the
// source language with "lang" saying so; quiz settings but never answers.
func TestAPICourses(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			englishOnly(t, srv)
			c := srv.client(t)

			var list apiListOf[apiCourseT]
			r := c.get("/api/v1/courses?lang=fr")
			mustJSON(t, r, &list)
			if list.Total != 5 || len(list.Items) != 5 || r.Header.Get("Content-Language") != "fr" {
				t.Fatalf("total %d, %d items, Content-Language %q", list.Total, len(list.Items), r.Header.Get("Content-Language"))
			}
			bySlug := map[string]apiCourseT{}
			for _, it := range list.Items {
				bySlug[it.Slug] = it
			}
			ch := bySlug["cyber-hygiene"]
			if ch.Title != srv.course(t, "cyber-hygiene").Title["fr"] || ch.Lang != "fr" || ch.LessonCount != 3 ||
				!strings.HasSuffix(ch.URL, "/fr/courses/cyber-hygiene") || len(ch.Languages) != 6 {
				t.Errorf("cyber-hygiene in French: %+v", ch)
			}
			if ch.Quiz == nil || ch.Quiz.PassPercent != 70 || ch.Quiz.Questions != 6 || ch.Quiz.Bank < 6 {
				t.Errorf("quiz settings %+v", ch.Quiz)
			}
			if eo := bySlug["english-only"]; eo.Lang != "en" || eo.Title != "English only course" || eo.Quiz != nil {
				t.Errorf("fallback: %+v", eo)
			}

			// Arabic by Accept-Language; an unknown ?lang falls back to it.
			for _, path := range []string{"/api/v1/courses/cyber-hygiene", "/api/v1/courses/cyber-hygiene?lang=de"} {
				var ar apiCourseT
				r = c.getLang(path, "ar-EG,ar;q=0.9")
				mustJSON(t, r, &ar)
				if ar.Lang != "ar" || ar.Title != "النظافة الرقمية: كيف تحمي نفسك على الإنترنت" || r.Header.Get("Content-Language") != "ar" {
					t.Errorf("%s in Arabic: lang %q, title %q", path, ar.Lang, ar.Title)
				}
			}
			// zh-CN reaches zh-Hans, as on the pages.
			var zh apiCourseT
			mustJSON(t, c.get("/api/v1/courses/english-only?lang=zh-CN"), &zh)
			if zh.Lang != "en" || zh.Lessons[0].Lang != "en" || !strings.HasSuffix(zh.URL, "/zh-Hans/courses/english-only") {
				t.Errorf("fallback detail: %+v", zh)
			}

			// The lessons in order, each body as its page renders it.
			var fr apiCourseT
			r = c.get("/api/v1/courses/cyber-hygiene?lang=fr")
			mustJSON(t, r, &fr)
			if len(fr.Lessons) != 3 || fr.Lessons[0].Slug != "passwords" || fr.Lessons[2].Number != 3 || fr.Lessons[0].Lang != "fr" {
				t.Fatalf("lessons %+v", fr.Lessons)
			}
			for _, l := range fr.Lessons {
				page := c.get("/fr/courses/cyber-hygiene/lessons/" + l.Slug)
				if l.BodyHTML == "" || !strings.Contains(page.Body, l.BodyHTML) || strings.Contains(l.BodyHTML, "<script") {
					t.Errorf("lesson %s: body is not the page's (%d bytes)", l.Slug, len(l.BodyHTML))
				}
			}
			// Never the answers: no choice flags, no explanations, no questions.
			pc := srv.course(t, "cyber-hygiene")
			for _, lang := range []string{"en", "fr"} {
				body := c.get("/api/v1/courses/cyber-hygiene?lang=" + lang).Body
				q := pc.Quiz.Questions[0]
				if strings.Contains(body, `"correct"`) || strings.Contains(body, `"choices"`) || strings.Contains(body, q.Prompt[lang]) || strings.Contains(body, q.Explanation[lang]) {
					t.Errorf("%s: the course answer carries quiz content", lang)
				}
			}
			mustProblem(t, c.get("/api/v1/courses/no-such-course"), http.StatusNotFound)
		})
	}
}

// TestAPICampaigns: campaigns by status, one campaign's goal progress and
// leaderboard exactly as its landing page publishes them (same release,
// same suppression), and the open results only when published.
func TestAPICampaigns(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			reportScenario(t, srv, "report-week")
			c := srv.client(t)

			var all apiListOf[apiCampaignT]
			mustJSON(t, c.get("/api/v1/campaigns"), &all)
			status := map[string]string{}
			for _, it := range all.Items {
				status[it.Slug] = it.Status
			}
			if all.Total != 2 || status["report-week"] != "active" || status["security-education-day-2027"] == "" {
				t.Fatalf("campaigns %v (total %d)", status, all.Total)
			}
			for _, st := range []string{"active", "upcoming", "past"} {
				var l apiListOf[apiCampaignT]
				mustJSON(t, c.get("/api/v1/campaigns?status="+st), &l)
				for _, it := range l.Items {
					if it.Status != st {
						t.Errorf("?status=%s gave %s (%s)", st, it.Slug, it.Status)
					}
				}
			}
			mustProblem(t, c.get("/api/v1/campaigns?status=running"), http.StatusBadRequest)

			var cp apiCampaignT
			mustJSON(t, c.get("/api/v1/campaigns/report-week"), &cp)
			land := c.get("/en/campaigns/report-week")
			if cp.Progress.Completions == nil || *cp.Progress.Completions != goalDone(t, land) || cp.Progress.Goal != 20 ||
				cp.Progress.Percent == nil || *cp.Progress.Percent != *cp.Progress.Completions*100/20 {
				t.Errorf("progress %+v, landing page says %q", cp.Progress, text(land, ".campaign-progress"))
			}
			board := boardCells(land.Doc)
			names := map[string]apiRowT{}
			for _, row := range cp.Leaderboard {
				if row.Total {
					continue
				}
				names[row.Name] = row
				cell := board[row.Name]
				if row.Participants == nil != hiddenCell(cell) || row.Participants != nil && fmt.Sprint(*row.Participants) != cell {
					t.Errorf("region %s: API %v, landing page %q", row.Name, row.Participants, cell)
				}
			}
			if e, ok := names["East District"]; !ok || e.Participants != nil || e.Completed != nil || e.Region != "east" {
				t.Errorf("the small group east is not hidden: %+v", e)
			}
			if cp.Results != "" {
				t.Errorf("results link %q before they are published", cp.Results)
			}
			mustProblem(t, c.get("/api/v1/campaigns/report-week/results"), http.StatusNotFound)
			mustProblem(t, c.get("/api/v1/campaigns/no-such/results"), http.StatusNotFound)
			mustProblem(t, c.get("/api/v1/campaigns/no-such"), http.StatusNotFound)

			// Published results: the same figures as the results page, in French.
			if err := srv.Store.SetCampaignResults(context.Background(), srv.organizer(t), "report-week", true); err != nil {
				t.Fatal(err)
			}
			mustJSON(t, c.get("/api/v1/campaigns/report-week?lang=fr"), &cp)
			if !strings.HasSuffix(cp.Results, "/api/v1/campaigns/report-week/results") || cp.Lang != "en" {
				t.Errorf("results link %q, lang %q (the campaign is only in English)", cp.Results, cp.Lang)
			}
			var res struct {
				Campaign, Lang string
				Final          bool
				Funnel         []struct {
					Step  string
					Count *int
				}
				Regions  []apiRowT
				Progress struct{ Completions *int }
			}
			r := c.get("/api/v1/campaigns/report-week/results?lang=fr")
			mustJSON(t, r, &res)
			page := c.get("/fr/campaigns/report-week/results")
			if res.Campaign != "report-week" || res.Final || len(res.Funnel) != 4 || res.Lang != "fr" {
				t.Errorf("results %+v", res)
			}
			if res.Progress.Completions == nil || *res.Progress.Completions != *cp.Progress.Completions {
				t.Errorf("results progress %v, landing %v", res.Progress.Completions, cp.Progress.Completions)
			}
			frBoard := boardCells(page.Doc)
			for _, row := range res.Regions {
				if row.Total || row.Name == "" {
					continue
				}
				if cell := frBoard[row.Name]; row.Participants == nil != hiddenCell(cell) {
					t.Errorf("results region %s: API %v, page %q", row.Name, row.Participants, cell)
				}
			}
		})
	}
}

// TestAPIAlerts: the alerts in force, by region (an alert for a district
// reaches its parts, not its neighbours), one alert with its CAP and page
// links, archived ones by identifier, French and fallback texts.
func TestAPIAlerts(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			srv.publishAlert(t, alertFixture("api-north", func(a *app.Alert) {
				a.Regions = []string{"north"}
				a.Severity = "Severe"
			}))
			srv.publishAlert(t, alertFixture("api-english", func(a *app.Alert) {
				a.Regions = []string{"south"}
				a.Event, a.Headline = app.Text{"en": "Storm"}, app.Text{"en": "Storm warning"}
				a.Description, a.Instruction = app.Text{"en": "Wind."}, app.Text{"en": "Stay in."}
			}))
			srv.publishAlert(t, alertFixture("api-old"))
			srv.followUp(t, "api-old", "Cancel", "api-old-cancel", nil)
			c := srv.client(t)

			ids := func(path string) []string {
				t.Helper()
				var l apiListOf[apiAlertT]
				mustJSON(t, c.get(path), &l)
				var out []string
				for _, a := range l.Items {
					out = append(out, a.Identifier)
				}
				return out
			}
			// The seed's drill covers everyone; api-north is the most severe.
			if got := ids("/api/v1/alerts"); strings.Join(got, " ") != "api-north api-english drill-2026-emergency-warnings" &&
				strings.Join(got, " ") != "api-north drill-2026-emergency-warnings api-english" {
				t.Errorf("active alerts %v", got)
			}
			for region, want := range map[string]string{
				"north-riverside": "api-north drill-2026-emergency-warnings",
				"north":           "api-north drill-2026-emergency-warnings",
				"south-harbour":   "api-english drill-2026-emergency-warnings",
				"east":            "drill-2026-emergency-warnings",
			} {
				if got := strings.Join(ids("/api/v1/alerts?region="+region), " "); got != want {
					t.Errorf("region %s: %s, want %s", region, got, want)
				}
			}
			mustProblem(t, c.get("/api/v1/alerts?region=atlantis"), http.StatusNotFound)

			var a apiAlertT
			r := c.get("/api/v1/alerts/api-north?lang=fr")
			mustJSON(t, r, &a)
			if a.Headline != "Titre de api-north" || a.Lang != "fr" || a.Phase != "active" ||
				!strings.HasSuffix(a.CAP, "/alerts/api-north.cap") || !strings.HasSuffix(a.URL, "/fr/alerts/api-north") {
				t.Errorf("alert %+v", a)
			}
			if cap := c.get(strings.TrimPrefix(a.CAP, "http://localhost")); cap.Status != http.StatusOK {
				t.Errorf("CAP link %s: %d", a.CAP, cap.Status)
			}
			mustJSON(t, c.get("/api/v1/alerts/api-english?lang=ar"), &a)
			if a.Lang != "en" || a.Headline != "Storm warning" {
				t.Errorf("fallback alert %+v", a)
			}
			mustJSON(t, c.get("/api/v1/alerts/api-old"), &a)
			if a.Phase != "cancelled" {
				t.Errorf("cancelled alert phase %q", a.Phase)
			}
			mustProblem(t, c.get("/api/v1/alerts/no-such-alert"), http.StatusNotFound)
			mustProblem(t, c.get("/api/v1/alerts/bad.identifier"), http.StatusNotFound)
		})
	}
}

// TestAPIRegions: every region with its parent and its name in the
// language asked, or in another one (named by lang) when it has none.
func TestAPIRegions(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			c := srv.client(t)
			get := func(path string) map[string]apiRegionT {
				t.Helper()
				var l apiListOf[apiRegionT]
				mustJSON(t, c.get(path), &l)
				if l.Total != 12 || len(l.Items) != 12 {
					t.Fatalf("%s: %d of %d regions", path, len(l.Items), l.Total)
				}
				out := map[string]apiRegionT{}
				for _, r := range l.Items {
					out[r.Code] = r
				}
				return out
			}
			zh := get("/api/v1/regions?lang=zh-Hans&limit=100")
			if r := zh["north-riverside"]; r.Name != "河滨" || r.Lang != "zh-Hans" || r.Parent != "north" {
				t.Errorf("zh-Hans: %+v", r)
			}
			if r := zh["north"]; r.Parent != "" {
				t.Errorf("a top region has parent %q", r.Parent)
			}
			// No French names: the English one, marked.
			fr := get("/api/v1/regions?lang=fr&limit=100")
			if r := fr["south-harbour"]; r.Name != "Harbour" || r.Lang != "en" {
				t.Errorf("fr fallback: %+v", r)
			}
			// Geocodes in the list; the boundary as a GeoJSON Feature,
			// the geometry CAP documents give as polygons.
			if r := fr["north"]; !r.HasBoundary || len(r.Geocodes) != 1 || r.Geocodes[0].Name != "ISO3166-2" || r.Geocodes[0].Value != "XX-01" {
				t.Errorf("north: %+v", r)
			}
			var f struct {
				Type, ID string
				Geometry struct {
					Type        string
					Coordinates [][][2]float64
				}
				Properties apiRegionT
			}
			mustJSON(t, c.get("/api/v1/regions/north-riverside?lang=zh-Hans"), &f)
			ring := f.Geometry.Coordinates
			if f.Type != "Feature" || f.ID != "north-riverside" || f.Geometry.Type != "Polygon" || len(ring) != 1 || len(ring[0]) != 5 ||
				ring[0][1] != [2]float64{10.2, 50.22} || f.Properties.Name != "河滨" || f.Properties.Geocodes[0].Value != "0101" {
				t.Errorf("region feature: %+v", f)
			}
			if r := c.get("/api/v1/regions/atlantis"); r.Status != 404 || !strings.Contains(r.Header.Get("Content-Type"), "problem+json") {
				t.Errorf("unknown region: %d %s", r.Status, r.Header.Get("Content-Type"))
			}
		})
	}
}

// TestAPIPagination: limit and offset cut pages; next and the Link header
// name the following page (keeping the other parameters) until the last.
func TestAPIPagination(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	var seen []string
	path := "/api/v1/regions?lang=zh-Hans&limit=5"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("no last page")
		}
		var l apiListOf[apiRegionT]
		r := c.get(path)
		mustJSON(t, r, &l)
		if l.Total != 12 || l.Limit != 5 || l.Offset != pages*5 {
			t.Fatalf("%s: total %d, limit %d, offset %d", path, l.Total, l.Limit, l.Offset)
		}
		for _, it := range l.Items {
			seen = append(seen, it.Code)
		}
		link := r.Header.Get("Link")
		if l.Next == "" {
			if link != "" || len(l.Items) != 2 {
				t.Errorf("last page: Link %q, %d items", link, len(l.Items))
			}
			break
		}
		if link != "<"+l.Next+`>; rel="next"` || !strings.Contains(l.Next, "lang=zh-Hans") || !strings.Contains(l.Next, fmt.Sprintf("offset=%d", (pages+1)*5)) {
			t.Errorf("next %q, Link %q", l.Next, link)
		}
		path = strings.TrimPrefix(l.Next, "http://localhost")
	}
	if len(seen) != 12 || seen[0] == seen[5] {
		t.Errorf("pages gave %v", seen)
	}
	var past apiListOf[apiRegionT]
	mustJSON(t, c.get("/api/v1/regions?offset=50"), &past)
	if len(past.Items) != 0 || past.Total != 12 || past.Next != "" {
		t.Errorf("past the end: %+v", past)
	}
	var def apiListOf[apiCourseT]
	mustJSON(t, c.get("/api/v1/courses"), &def)
	if def.Limit != 20 || def.Offset != 0 {
		t.Errorf("defaults: limit %d, offset %d", def.Limit, def.Offset)
	}
}
