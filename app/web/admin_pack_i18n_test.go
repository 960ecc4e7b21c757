package web_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/content"
)

// TestAdminPack_ProblemsLocalized checks that a refused pack's problems are
// listed in the page's language, by file and line.
func TestAdminPack_ProblemsLocalized(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "admin@example.org", app.RoleAdministrator)
	page := admin.get("/zh-Hans/admin/packs")
	admin.mustStatus(page, 200)
	csrf := page.Doc.Find("input[name=_csrf]").First().AttrOr("value", "")
	zipResp := admin.get("/zh-Hans/admin/packs/site.zip")
	admin.mustStatus(zipResp, 200)
	fsys, err := content.ReadZip([]byte(zipResp.Body), content.ZipLimits{})
	if err != nil {
		t.Fatal(err)
	}
	pack, err := content.Parse(fsys, content.Options{Locales: srv.Bundle.Locales()})
	if err != nil {
		t.Fatal(err)
	}
	pack.Courses[0].Quiz.PassPercent = 0
	var bad bytes.Buffer
	if err := content.WriteZip(&bad, pack); err != nil {
		t.Fatal(err)
	}
	courseFile := "courses/" + pack.Courses[0].Slug + "/course.yaml:"

	t.Run("BadPackInChinese", func(t *testing.T) {
		r := admin.postFile("/zh-Hans/admin/packs", "pack", "bad.zip", bad.Bytes(), csrf)
		admin.mustStatus(r, 422)
		list := text(r, ".problem-list")
		if !strings.Contains(list, courseFile) || !strings.Contains(list, "quiz.pass_percent 必须在 1 到 100 之间") {
			t.Fatalf("problems: %s", list)
		}
		if strings.Contains(list, "must be") {
			t.Errorf("problems in English on the zh-Hans page: %s", list)
		}
	})
	t.Run("BadPackInEnglish", func(t *testing.T) {
		r := admin.postFile("/en/admin/packs", "pack", "bad.zip", bad.Bytes(), csrf)
		admin.mustStatus(r, 422)
		if list := text(r, ".problem-list"); !strings.Contains(list, courseFile) || !strings.Contains(list, "quiz.pass_percent must be 1–100") {
			t.Fatalf("problems: %s", list)
		}
	})
	t.Run("NotZipInChinese", func(t *testing.T) {
		r := admin.postFile("/zh-Hans/admin/packs", "pack", "x.zip", []byte("not a zip"), csrf)
		admin.mustStatus(r, 422)
		if list := text(r, ".problem-list"); !strings.Contains(list, "x.zip") || !strings.Contains(list, "该文件不是有效的 zip 压缩包") {
			t.Fatalf("problems: %s", list)
		}
	})
	t.Run("UnsafeZipInChinese", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("../evil.yaml")
		w.Write([]byte("x: 1\n"))
		zw.Close()
		r := admin.postFile("/zh-Hans/admin/packs", "pack", "evil.zip", buf.Bytes(), csrf)
		admin.mustStatus(r, 422)
		if list := text(r, ".problem-list"); !strings.Contains(list, "条目“../evil.yaml”：不允许包含“..”路径段") {
			t.Fatalf("problems: %s", list)
		}
	})
}
