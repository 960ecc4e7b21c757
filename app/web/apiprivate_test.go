package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/cli"
	"beacon/app/content"
	"beacon/app/store"
	"beacon/app/testenv"
)

// TestAPITokensAdmin: an administrator sees an account's tokens on its
// page and revokes one, with an audit entry; the token stops working.
func TestAPITokensAdmin(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			st := open(t)
			srv := mustOpenServerOn(t, st)
			owner := srv.signedIn(t, "holder@example.org", app.RoleOrganizer)
			tok := owner.createToken("Leaked one", "365")
			admin := srv.signedIn(t, "admin@example.org", app.RoleAdministrator)
			uid := srv.userID(t, "holder@example.org")
			page := admin.get("/en/admin/users/" + itoa(uid))
			admin.mustStatus(page, 200)
			row := page.Doc.Find("#token-list .token-row")
			if row.Length() != 1 || strings.TrimSpace(row.Find(".token-name").Text()) != "Leaked one" ||
				strings.TrimSpace(row.Find(".token-prefix").Text()) != tok[:12]+"…" || strings.Contains(page.Body, tok) {
				t.Fatalf("admin page lists %d tokens: %s", row.Length(), row.Text())
			}
			id := row.AttrOr("data-token", "")
			// A token id under another account is not found.
			other := srv.userID(t, "admin@example.org")
			r := admin.postForm(page, "/en/admin/users/"+itoa(uid)+"/tokens/"+id+"/revoke", nil)
			admin.mustStatus(r, 303)
			mustProblem(t, srv.client(t).api("/api/v1/me", tok), 401)
			r = admin.post("/en/admin/users/"+itoa(other)+"/tokens/"+id+"/revoke", map[string][]string{"_csrf": {admin.csrf()}})
			if r.Status != 404 {
				t.Fatalf("revoke under another account: %d", r.Status)
			}
			entries, err := st.Audit(context.Background(), store.AuditFilter{ObjectType: "api_token", ObjectID: id})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range entries {
				if e.Action == "api_token:revoke" && e.Actor == "admin@example.org" {
					found = true
				}
			}
			if !found {
				t.Fatalf("no api_token:revoke entry by the administrator: %+v", entries)
			}
			if admin.get("/en/admin/users/"+itoa(uid)).Doc.Find("#token-list .token-row").Length() != 0 {
				t.Fatal("the revoked token is still listed")
			}
			// Not an administrator: 403.
			page = owner.get("/en/me/tokens")
			r = owner.post("/en/admin/users/"+itoa(uid)+"/tokens/"+id+"/revoke", map[string][]string{"_csrf": {page.Doc.Find("input[name=_csrf]").First().AttrOr("value", "")}})
			if r.Status != 403 {
				t.Fatalf("an organizer revoking through the admin route: %d", r.Status)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// TestAPIMyProgress: a learner's progress and certificates as the API
// tells them, on SQLite and PostgreSQL.
func TestAPIMyProgress(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			c := srv.signedIn(t, "learn@example.org")
			tok := c.createToken("progress", "30")
			api := srv.client(t)
			var empty struct {
				Items []any `json:"items"`
				Total int   `json:"total"`
			}
			mustJSON(t, api.api("/api/v1/me/progress", tok), &empty)
			if empty.Total != 0 || len(empty.Items) != 0 {
				t.Fatalf("progress before any: %+v", empty)
			}
			pc := srv.course(t, "cyber-hygiene")
			c.completeCourse("en", pc)
			other := srv.course(t, "emergency-preparedness")
			c.mustStatus(c.postForm(c.get("/en/courses/"+other.Slug+"/lessons/"+other.Lessons[0].Slug),
				"/en/courses/"+other.Slug+"/lessons/"+other.Lessons[0].Slug+"/complete", nil), 303)

			var prog struct {
				Items []struct {
					Course      string  `json:"course"`
					Title       string  `json:"title"`
					Started     bool    `json:"started"`
					Lessons     int     `json:"lessons"`
					LessonsDone int     `json:"lessons_done"`
					Completed   bool    `json:"completed"`
					CompletedAt *string `json:"completed_at"`
					BestScore   *int    `json:"best_score"`
					Attempts    int     `json:"attempts"`
				} `json:"items"`
				Total int `json:"total"`
			}
			mustJSON(t, api.api("/api/v1/me/progress?lang=fr", tok), &prog)
			if prog.Total != 2 {
				t.Fatalf("progress: %+v", prog)
			}
			byCourse := map[string]int{}
			for i, it := range prog.Items {
				byCourse[it.Course] = i
			}
			done := prog.Items[byCourse["cyber-hygiene"]]
			if !done.Completed || done.CompletedAt == nil || done.LessonsDone != len(pc.Lessons) || done.Lessons != len(pc.Lessons) ||
				done.Attempts != 1 || done.BestScore == nil || *done.BestScore != 100 || done.Title != pc.Title["fr"] {
				t.Fatalf("completed course: %+v", done)
			}
			half := prog.Items[byCourse["emergency-preparedness"]]
			if half.Completed || half.LessonsDone != 1 || half.Attempts != 0 || half.BestScore != nil || !half.Started {
				t.Fatalf("started course: %+v", half)
			}
			// Paging.
			mustJSON(t, api.api("/api/v1/me/progress?limit=1&offset=1", tok), &prog)
			if len(prog.Items) != 1 || prog.Total != 2 {
				t.Fatalf("page 2: %+v", prog)
			}

			var certs struct {
				Items []struct {
					Code            string `json:"code"`
					Course          string `json:"course"`
					VerificationURL string `json:"verification_url"`
				} `json:"items"`
			}
			mustJSON(t, api.api("/api/v1/me/certificates", tok), &certs)
			if len(certs.Items) != 1 || certs.Items[0].Course != "cyber-hygiene" || !strings.HasSuffix(certs.Items[0].VerificationURL, "/certificates/"+certs.Items[0].Code) {
				t.Fatalf("certificates: %+v", certs)
			}
			if v := srv.client(t).get(strings.TrimPrefix(certs.Items[0].VerificationURL, "http://example.com")); v.Status != 200 {
				t.Fatalf("verification page: %d", v.Status)
			}
			// Another learner's token sees none of it.
			tok2 := srv.signedIn(t, "other@example.org").createToken("x", "30")
			mustJSON(t, api.api("/api/v1/me/certificates", tok2), &certs)
			if len(certs.Items) != 0 {
				t.Fatal("another learner sees certificates")
			}
		})
	}
}

// TestAPIContentExport: a course comes out in the pack format and parses
// back to the same course; pack.zip imports through beacon import's code.
func TestAPIContentExport(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) { contentExport(t, mustOpenServerOn(t, open(t))) })
	}
}

func contentExport(t *testing.T, srv *testServer) {
	tok := srv.signedIn(t, "edu@example.org", app.RoleEducator).createToken("export", "30")
	api := srv.client(t)
	var doc content.CourseDocument
	mustJSON(t, api.api("/api/v1/content/courses/cyber-hygiene", tok), &doc)
	dir := t.TempDir()
	for _, f := range doc.Files {
		full := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(f.Text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pack, err := content.Parse(os.DirFS(dir), content.Options{Locales: srv.Bundle.Locales()})
	if err != nil || len(pack.Courses) != 1 {
		t.Fatalf("parse the exported course: %v", err)
	}
	want := srv.course(t, "cyber-hygiene").Course
	got := pack.Courses[0]
	if got.Slug != want.Slug || !reflect.DeepEqual(got.Title, want.Title) || len(got.Lessons) != len(want.Lessons) ||
		len(got.Quiz.Questions) != len(want.Quiz.Questions) {
		t.Fatalf("round trip: %+v", got)
	}
	for i := range want.Lessons {
		if !reflect.DeepEqual(got.Lessons[i].Body, want.Lessons[i].Body) || !reflect.DeepEqual(got.Lessons[i].Title, want.Lessons[i].Title) {
			t.Fatalf("lesson %s differs after the round trip", want.Lessons[i].Slug)
		}
	}
	if len(want.Title) < 2 {
		t.Fatal("the seed course should carry several languages")
	}
	mustProblem(t, api.api("/api/v1/content/courses/no-such-course", tok), 404)

	// pack.zip: the same archive as the admin download.
	zr := api.api("/api/v1/content/pack.zip", tok)
	body := []byte(zr.Body)
	if zr.Status != 200 || zr.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("pack.zip: %d %s", zr.Status, zr.Header.Get("Content-Type"))
	}
	if _, err := zip.NewReader(bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	fsys, err := content.ReadZip(body, content.ZipLimits{})
	if err != nil {
		t.Fatal(err)
	}
	fresh := testenv.MustOpenStore(t)
	res, err := cli.ImportFS(context.Background(), fresh, fsys, srv.Bundle.Locales())
	if err != nil {
		t.Fatalf("import the API's pack: %v", err)
	}
	courses, err := fresh.PublishedCourses(context.Background())
	if err != nil || len(courses) != 4 {
		t.Fatalf("imported %d courses (%v), result %+v", len(courses), err, res)
	}
}

// TestAPIStatsMatchDashboard: on a demo population, every table the API
// gives equals the dashboard's CSV cell for cell, hidden cells included,
// site-wide and for the campaign, for each "who".
func TestAPIStatsMatchDashboard(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := demoServerOn(t, db, open, 300)
			statsMatchDashboard(t, srv, srv.Store)
		})
	}
}

func statsMatchDashboard(t *testing.T, srv *testServer, st *store.Store) {
	ctx := context.Background()
	camps, err := st.Campaigns(ctx, time.Time{})
	if err != nil || len(camps) == 0 {
		t.Fatalf("campaigns: %v", err)
	}
	cp := camps[0]
	org := srv.signedIn(t, "stats-org@example.org", app.RoleOrganizer)
	tok := org.createToken("stats", "30")
	api := srv.client(t)
	from, to := cp.Starts.UTC().Format(time.DateOnly), cp.Ends.UTC().Format(time.DateOnly)

	type cell struct {
		Value      *int64 `json:"value"`
		Text       string `json:"text"`
		Suppressed bool   `json:"suppressed"`
	}
	type table struct {
		Head    string   `json:"head"`
		Columns []string `json:"columns"`
		Rows    []struct {
			Key   string `json:"key"`
			Label string `json:"label"`
			Total bool   `json:"total"`
			Cells []cell `json:"cells"`
		} `json:"rows"`
	}
	hidden, shown := 0, 0
	for _, scope := range []string{"site", cp.Slug} {
		var index struct {
			Tables []struct {
				Table string `json:"table"`
				URL   string `json:"url"`
			} `json:"tables"`
		}
		mustJSON(t, api.api("/api/v1/stats?scope="+scope+"&from="+from+"&to="+to, tok), &index)
		if len(index.Tables) < 7 {
			t.Fatalf("%s: %d tables", scope, len(index.Tables))
		}
		csvBase := "/en/admin/stats.csv"
		if scope != "site" {
			csvBase = "/en/admin/campaigns/" + scope + "/stats.csv"
		}
		for _, who := range []string{"all", "guests", "registered"} {
			for _, tb := range index.Tables {
				q := "?from=" + from + "&to=" + to + "&who=" + who
				var got table
				mustJSON(t, api.api("/api/v1/stats/"+tb.Table+q+"&scope="+scope+"&lang=en", tok), &got)
				r := org.get(csvBase + q + "&table=" + tb.Table)
				org.mustStatus(r, 200)
				lines, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if len(lines) != len(got.Rows)+1 {
					t.Fatalf("%s %s %s: %d CSV lines, %d API rows", scope, tb.Table, who, len(lines), len(got.Rows))
				}
				if !reflect.DeepEqual(lines[0], append([]string{got.Head}, got.Columns...)) {
					t.Fatalf("%s %s: header %q vs %q %q", scope, tb.Table, lines[0], got.Head, got.Columns)
				}
				for i, row := range got.Rows {
					line := lines[i+1]
					if line[0] != row.Label || len(line) != len(row.Cells)+1 {
						t.Fatalf("%s %s %s row %d: CSV %q, API %+v", scope, tb.Table, who, i, line, row)
					}
					for j, c := range row.Cells {
						if line[j+1] != c.Text {
							t.Fatalf("%s %s %s row %q col %d: CSV %q, API %+v", scope, tb.Table, who, row.Key, j, line[j+1], c)
						}
						if c.Suppressed {
							hidden++
							if c.Value != nil {
								t.Fatalf("a hidden cell has a value: %+v", c)
							}
						} else if c.Value != nil {
							shown++
						}
					}
				}
			}
		}
	}
	if hidden == 0 || shown == 0 {
		t.Fatalf("the demo population should give hidden (%d) and shown (%d) cells", hidden, shown)
	}

	// The close-out report: the same figures as its regions.csv.
	var rep struct {
		Goal struct {
			Completions cell `json:"completions"`
		} `json:"goal"`
		Regions []struct {
			Name    string `json:"name"`
			Total   bool   `json:"total"`
			None    bool   `json:"none"`
			Started cell   `json:"started"`
		} `json:"regions"`
	}
	mustJSON(t, api.api("/api/v1/campaigns/"+cp.Slug+"/report", tok), &rep)
	r := org.get("/en/admin/campaigns/" + cp.Slug + "/report/regions.csv")
	org.mustStatus(r, 200)
	csvRegions, err := csvLines(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(csvRegions) != len(rep.Regions)+1 { // + the header line
		t.Fatalf("report: %d CSV region lines, %d API rows", len(csvRegions), len(rep.Regions))
	}
	for i, reg := range rep.Regions {
		want := csvRegions[i+1][1]
		got := "*"
		if reg.Started.Value != nil {
			got = formatInt(*reg.Started.Value)
		}
		if got != want || reg.Started.Suppressed != (want == "*") {
			t.Fatalf("region %d: CSV %q, API %+v", i, want, reg)
		}
	}
	mustProblem(t, api.api("/api/v1/campaigns/no-such/report", tok), 404)
	mustProblem(t, api.api("/api/v1/stats/nonsense", tok), 404)
	mustProblem(t, api.api("/api/v1/stats/summary?who=xyz", tok), 400)
	mustProblem(t, api.api("/api/v1/stats?scope=no-such", tok), 404)
}

func csvLines(body string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}
