package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/content"
)

// postFile posts a multipart form with one file field and the CSRF token.
func (c *client) postFile(target, field, name string, data []byte, csrf string) *response {
	c.tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", csrf)
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", target, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.send(req)
}

func TestAdminPack_DownloadAndUpload(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "admin@example.org", app.RoleAdministrator)
	page := admin.get("/en/admin/packs")
	admin.mustStatus(page, 200)
	zipResp := admin.get("/en/admin/packs/site.zip")
	admin.mustStatus(zipResp, 200)
	if zipResp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("content type %q", zipResp.Header.Get("Content-Type"))
	}
	fsys, err := content.ReadZip([]byte(zipResp.Body), content.ZipLimits{})
	if err != nil {
		t.Fatal(err)
	}
	pack, err := content.Parse(fsys, content.Options{Locales: srv.Bundle.Locales()})
	if err != nil || len(pack.Courses) != 4 {
		t.Fatalf("downloaded pack: %v", err)
	}
	csrf := page.Doc.Find("input[name=_csrf]").First().AttrOr("value", "")

	// Same pack back: nothing changes.
	r := admin.postFile("/en/admin/packs", "pack", "site.zip", []byte(zipResp.Body), csrf)
	admin.mustStatus(r, 200)
	if !strings.Contains(text(r, ".notification"), "0 new, 0 updated, 4 unchanged") {
		t.Fatalf("re-import: %s", text(r, ".notification"))
	}
	// A changed title is imported and live at once.
	pack.Courses[0].Title["en"] = "Cyber hygiene, revised"
	var buf bytes.Buffer
	if err := content.WriteZip(&buf, pack); err != nil {
		t.Fatal(err)
	}
	r = admin.postFile("/en/admin/packs", "pack", "changed.zip", buf.Bytes(), csrf)
	admin.mustStatus(r, 200)
	if c := srv.course(t, pack.Courses[0].Slug); c.Title["en"] != "Cyber hygiene, revised" {
		t.Fatal("imported change not live")
	}
	if e, _ := srv.Store.Audit(context.Background(), storeAuditObject("pack")); len(e) != 2 {
		t.Fatalf("%d pack audit entries", len(e))
	}

	t.Run("ErrBadPack", func(t *testing.T) {
		pack.Courses[0].Title["en"] = "Should not land"
		pack.Courses[0].Quiz.PassPercent = 0
		var bad bytes.Buffer
		content.WriteZip(&bad, pack)
		r := admin.postFile("/en/admin/packs", "pack", "bad.zip", bad.Bytes(), csrf)
		admin.mustStatus(r, 422)
		if !strings.Contains(text(r, ".problem-list"), "course.yaml") || !strings.Contains(text(r, ".problem-list"), "pass_percent") {
			t.Fatalf("problems: %s", text(r, ".notice"))
		}
		if c := srv.course(t, pack.Courses[0].Slug); c.Title["en"] != "Cyber hygiene, revised" {
			t.Fatal("a refused pack changed the course")
		}
	})
	t.Run("ErrNotZip", func(t *testing.T) {
		r := admin.postFile("/zh-Hans/admin/packs", "pack", "x.zip", []byte("not a zip"), csrf)
		admin.mustStatus(r, 422)
		if !strings.Contains(text(r, ".error-summary"), "zip") {
			t.Fatal("no localized error")
		}
	})
	t.Run("ErrCSRF", func(t *testing.T) {
		admin.mustStatus(admin.postFile("/en/admin/packs", "pack", "site.zip", []byte(zipResp.Body), "forged"), 403)
	})
	t.Run("ErrNotAdministrator", func(t *testing.T) {
		edu := srv.signedIn(t, "edu2@example.org", app.RoleEducator)
		edu.mustStatus(edu.get("/en/admin/packs/site.zip"), 403)
	})
}
