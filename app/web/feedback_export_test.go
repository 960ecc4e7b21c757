package web_test

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/testenv"

	"github.com/PuerkitoBio/goquery"
)

// feedbackScenario answers "Was this lesson useful?" for cyber-hygiene:
// lesson 1 in English 9 yes and 3 no, in French 7 yes; lesson 2 in
// English 1 yes and 1 no (a small group). It returns the two lessons' slugs.
func feedbackScenario(t *testing.T, srv *testServer) (first, second string) {
	t.Helper()
	ctx := context.Background()
	pc := srv.course(t, "cyber-hygiene")
	first, second = pc.Lessons[0].Slug, pc.Lessons[1].Slug
	answer := func(lesson, locale, answer string, n int) {
		for range n {
			if err := srv.Store.AnswerLesson(ctx, app.NewID(), pc, lesson, locale, answer); err != nil {
				t.Fatal(err)
			}
		}
	}
	answer(first, "en", app.UsefulYes, 9)
	answer(first, "en", app.UsefulNo, 3)
	answer(first, "fr", app.UsefulYes, 7)
	answer(second, "en", app.UsefulYes, 1)
	answer(second, "en", app.UsefulNo, 1)
	return first, second
}

// feedbackCSVRows reads the feedback CSV: its one header row and its rows
// keyed by "lesson title|language".
func feedbackCSVRows(t *testing.T, body string) ([]string, map[string][]string) {
	t.Helper()
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatal("the feedback CSV lacks the UTF-8 byte order mark")
	}
	lines, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 1 {
		t.Fatal("empty feedback CSV")
	}
	rows := map[string][]string{}
	for _, l := range lines[1:] {
		rows[l[0]+"|"+l[1]] = l[2:]
	}
	return lines[0], rows
}

// TestFeedbackCSV: the educators' feedback table as CSV has one header
// row in the reader's language, one row per lesson and language, the
// same protected figures as the page (small groups hidden), and the
// page links it; organizers may download it, learners may not. On
// SQLite and PostgreSQL.
func TestFeedbackCSV(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			pc := srv.course(t, "cyber-hygiene")
			feedbackScenario(t, srv)
			edu := srv.signedIn(t, "edu-fbcsv@example.org", app.RoleEducator)
			page := edu.get("/en/admin/courses/cyber-hygiene/feedback")
			edu.mustStatus(page, 200)
			if page.Doc.Find(`a.feedback-csv[href="/en/admin/courses/cyber-hygiene/feedback.csv"]`).Length() != 1 {
				t.Fatal("the feedback page does not link its CSV")
			}
			r := edu.get("/en/admin/courses/cyber-hygiene/feedback.csv")
			edu.mustStatus(r, 200)
			if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Fatalf("content type %q", ct)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "beacon-feedback-cyber-hygiene.csv") {
				t.Fatalf("disposition %q", cd)
			}
			head, rows := feedbackCSVRows(t, r.Body)
			if got := strings.Join(head, "|"); got != "Lesson|Language|Yes|No|Answers|Found it useful (%)" {
				t.Fatalf("header %q", got)
			}
			if len(rows) != 3 {
				t.Fatalf("rows %v, want 3", rows)
			}
			en1 := rows[pc.Lessons[0].Title["en"]+"|English"]
			if len(en1) != 4 || !near(en1[0], 9, 2) || !near(en1[1], 3, 2) && en1[1] != "*" || !near(en1[2], 12, 2) {
				t.Errorf("lesson 1 in English: %v", en1)
			}
			if en2 := rows[pc.Lessons[1].Title["en"]+"|English"]; len(en2) != 4 || en2[0] != "*" || en2[1] != "*" || en2[3] != "" {
				t.Errorf("lesson 2 in English shows a small group: %v", en2)
			}
			// The same figures as the page, cell by cell.
			page.Doc.Find("#feedback tbody tr").Each(func(_ int, tr *goquery.Selection) {
				key := strings.TrimSpace(tr.Find("th").Text()) + "|" + strings.TrimSpace(tr.Find("td").First().Text())
				got := rows[key]
				if len(got) != 4 || got[0] != strings.TrimSpace(tr.Find(".feedback-yes").Text()) ||
					got[1] != strings.TrimSpace(tr.Find(".feedback-no").Text()) {
					t.Errorf("%s (%s/%s): CSV %v, page %q", key, tr.AttrOr("data-lesson", ""), tr.AttrOr("data-locale", ""), got, tr.Text())
				}
				if share := strings.TrimSpace(tr.Find(".feedback-share").Text()); share != "–" && got[3]+"%" != share {
					t.Errorf("%s: CSV share %q, page %q", key, got[3], share)
				}
			})
			// Exact counts with K = 1 and no noise.
			setK(t, srv, 1)
			setNoise(t, srv, 0)
			_, rows = feedbackCSVRows(t, edu.get("/en/admin/courses/cyber-hygiene/feedback.csv").Body)
			if got := strings.Join(rows[pc.Lessons[0].Title["en"]+"|English"], ","); got != "9,3,12,75" {
				t.Errorf("exact lesson 1 in English: %s", got)
			}
			if got := strings.Join(rows[pc.Lessons[0].Title["en"]+"|Français"], ","); got != "7,0,7,100" {
				t.Errorf("exact lesson 1 in French: %s", got)
			}
			// Headers in the reader's language.
			fr := edu.get("/fr/admin/courses/cyber-hygiene/feedback.csv")
			edu.mustStatus(fr, 200)
			if head, _ := feedbackCSVRows(t, fr.Body); head[0] != srv.Bundle.Localizer("fr").T("admin.col.lesson", nil) || head[0] == "Lesson" {
				t.Errorf("French header %v", head)
			}
			org := srv.signedIn(t, "org-fbcsv@example.org", app.RoleOrganizer)
			org.mustStatus(org.get("/en/admin/courses/cyber-hygiene/feedback.csv"), 200)
			learner := srv.signedIn(t, "learner-fbcsv@example.org")
			learner.mustStatus(learner.get("/en/admin/courses/cyber-hygiene/feedback.csv"), 403)
		})
	}
}

// TestAPIFeedbackStats: GET /api/v1/stats/feedback/{course} answers an
// educator's or reviewer's token with the feedback table (validated
// against openapi/feedback.json by the test client), hidden figures as
// null and the same numbers as the CSV; reviewers' and organizers' tokens
// too; no token is 401, a learner's token 403, an unknown course 404. On SQLite and PostgreSQL.
func TestAPIFeedbackStats(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			pc := srv.course(t, "cyber-hygiene")
			first, second := feedbackScenario(t, srv)
			edu := srv.signedIn(t, "edu-fbapi@example.org", app.RoleEducator)
			tok := edu.createToken("feedback", "30")
			var body struct {
				Course  string `json:"course"`
				K       int64  `json:"k"`
				Lessons []struct {
					Lesson      string   `json:"lesson"`
					Title       string   `json:"title"`
					Locale      string   `json:"locale"`
					Yes         *int64   `json:"yes"`
					No          *int64   `json:"no"`
					Answers     *int64   `json:"answers"`
					UsefulShare *float64 `json:"useful_share"`
				} `json:"lessons"`
			}
			mustJSON(t, srv.client(t).api("/api/v1/stats/feedback/cyber-hygiene", tok), &body)
			if body.Course != "cyber-hygiene" || body.K != 5 || len(body.Lessons) != 3 {
				t.Fatalf("body %+v", body)
			}
			// Lessons in the course's order.
			if body.Lessons[0].Lesson != first || body.Lessons[2].Lesson != second || body.Lessons[0].Title != pc.Lessons[0].Title["en"] {
				t.Errorf("order %+v", body.Lessons)
			}
			_, rows := feedbackCSVRows(t, edu.get("/en/admin/courses/cyber-hygiene/feedback.csv").Body)
			show := func(p *int64) string {
				if p == nil {
					return "*"
				}
				return strconv.FormatInt(*p, 10)
			}
			langs := map[string]string{"en": "English", "fr": "Français"}
			for _, l := range body.Lessons {
				got := []string{show(l.Yes), show(l.No), show(l.Answers)}
				want := rows[l.Title+"|"+langs[l.Locale]]
				if len(want) != 4 || strings.Join(got, ",") != strings.Join(want[:3], ",") {
					t.Errorf("%s/%s: API %v, CSV %v", l.Lesson, l.Locale, got, want)
				}
				if (l.UsefulShare == nil) != (want[3] == "") {
					t.Errorf("%s/%s: API share %v, CSV %q", l.Lesson, l.Locale, l.UsefulShare, want[3])
				}
			}
			if l := body.Lessons[2]; l.Yes != nil || l.No != nil || l.UsefulShare != nil {
				t.Errorf("the small group is shown: %+v", l)
			}
			// Reviewers and organizers may (as they read item analysis); learners may not.
			for _, who := range []string{app.RoleReviewer, app.RoleOrganizer} {
				c := srv.signedIn(t, who+"-fbapi@example.org", who)
				mustJSON(t, srv.client(t).api("/api/v1/stats/feedback/cyber-hygiene", c.createToken("feedback", "30")), &body)
			}
			mustProblem(t, srv.client(t).api("/api/v1/stats/feedback/cyber-hygiene", ""), 401)
			learner := srv.signedIn(t, "learner-fbapi@example.org")
			mustProblem(t, srv.client(t).api("/api/v1/stats/feedback/cyber-hygiene", learner.createToken("feedback", "30")), 403)
			mustProblem(t, srv.client(t).api("/api/v1/stats/feedback/no-such-course", tok), 404)
		})
	}
}

// TestCampaignItemsLink: the organizer's campaign page links the item
// analysis and the reader feedback of each of the campaign's courses, and
// the organizer may open them (read-only, as every other statistic).
func TestCampaignItemsLink(t *testing.T) {
	srv := MustOpenServer(t)
	reportScenario(t, srv, "items-week")
	org := srv.signedIn(t, "org-items@example.org", app.RoleOrganizer)
	show := org.get("/en/admin/campaigns/items-week")
	org.mustStatus(show, 200)
	link := show.Doc.Find(`a.campaign-items-link[href="/en/admin/courses/cyber-hygiene/items"]`)
	if link.Length() != 1 || !strings.Contains(link.Text(), "item analysis") {
		t.Fatalf("campaign page items link: %d %q", link.Length(), link.Text())
	}
	if show.Doc.Find(`a.campaign-feedback-link[href="/en/admin/courses/cyber-hygiene/feedback"]`).Length() != 1 {
		t.Fatal("campaign page lacks the reader feedback link")
	}
	org.mustStatus(org.get("/en/admin/courses/cyber-hygiene/feedback"), 200)
	items := org.get("/en/admin/courses/cyber-hygiene/items")
	org.mustStatus(items, 200)
	org.mustStatus(org.get("/en/admin/courses/cyber-hygiene/items.csv"), 200)
}
