package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/testenv"
)

// TestInvalidUTF8: text that is not UTF-8 in a form field (URL-encoded or
// multipart) or a query value gets 400 with a localized message, and
// nothing is stored, on SQLite and PostgreSQL.
func TestInvalidUTF8(t *testing.T) {
	const bad = "Fire \xff\xfe safety"
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			ctx := context.Background()
			refused := func(t *testing.T, c *client, r *response) {
				t.Helper()
				c.mustStatus(r, 400)
				if got := text(r, "main"); !strings.Contains(got, "not valid text") {
					t.Errorf("400 page does not explain: %q", got)
				}
			}
			t.Run("Register", func(t *testing.T) {
				c := srv.client(t)
				page := c.get("/en/register")
				r := c.postForm(page, "/en/register", url.Values{"email": {"utf8@example.org"}, "display_name": {bad},
					"password": {"a long enough password"}, "password_confirm": {"a long enough password"}})
				refused(t, c, r)
				if _, err := srv.Store.FindUserByEmail(ctx, "utf8@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
					t.Errorf("account stored: %v", err)
				}
				// In the visitor's language.
				r = c.postForm(c.get("/fr/register"), "/fr/register", url.Values{"email": {"utf8@example.org"}, "display_name": {bad}})
				c.mustStatus(r, 400)
				if !strings.Contains(text(r, "main"), "texte valide") {
					t.Errorf("French 400 page: %q", text(r, "main"))
				}
			})
			t.Run("LessonEditor", func(t *testing.T) {
				edu := srv.signedIn(t, "utf8-edu@example.org", app.RoleEducator)
				lesson := "/en/admin/courses/cyber-hygiene/lessons/passwords"
				before, err := srv.Store.FindCourseState(ctx, "cyber-hygiene")
				if err != nil {
					t.Fatal(err)
				}
				page := edu.get(lesson)
				edu.mustStatus(page, 200)
				refused(t, edu, edu.postForm(page, lesson, url.Values{"title": {bad}, "action": {"save"}}))
				after, err := srv.Store.FindCourseState(ctx, "cyber-hygiene")
				if err != nil {
					t.Fatal(err)
				}
				if after.DraftRevisionID != before.DraftRevisionID {
					t.Errorf("draft revision %d → %d: a draft was stored", before.DraftRevisionID, after.DraftRevisionID)
				}
			})
			t.Run("CampaignForm", func(t *testing.T) {
				org := srv.signedIn(t, "utf8-org@example.org", app.RoleOrganizer)
				page := org.get("/en/admin/campaigns/new")
				refused(t, org, org.postForm(page, "/en/admin/campaigns/new", url.Values{"slug": {"utf8-week"}, "title": {bad}, "time_zone": {"UTC"},
					"starts": {"2027-05-01T09:00"}, "ends": {"2027-05-10T18:00"}, "goal": {"10"}, "courses": {"cyber-hygiene"}}))
				if _, err := srv.Store.FindCampaign(ctx, "utf8-week"); app.ErrorCode(err) != app.ENOTFOUND {
					t.Errorf("campaign stored: %v", err)
				}
			})
			t.Run("MultipartField", func(t *testing.T) {
				edu := srv.signedIn(t, "utf8-media@example.org", app.RoleEducator)
				n := mediaCount(t, srv)
				r := edu.upload("/en/admin/media", url.Values{"_csrf": {edu.csrf()}, "alt": {bad}}, "photo.png", testPNG(t, 4, 4, 100))
				refused(t, edu, r)
				if mediaCount(t, srv) != n {
					t.Error("image stored")
				}
			})
			t.Run("SearchQuery", func(t *testing.T) {
				c := srv.client(t)
				refused(t, c, c.get("/en/courses?q=%FF%FEfire"))
				refused(t, c, c.get("/en/courses?%FF=fire"))
				c.mustStatus(c.get("/en/courses?q="+url.QueryEscape("sécurité")), 200)
			})
			t.Run("Path", func(t *testing.T) {
				c := srv.client(t)
				refused(t, c, c.get("/en/courses/%FF%FE"))
			})
		})
	}
}
