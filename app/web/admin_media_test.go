package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/store"

	"github.com/PuerkitoBio/goquery"
)

// testPNG returns a real w×h PNG; shade makes different bytes.
func testPNG(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{shade, uint8(x), uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a real multipart/form-data body: the fields, then the file
// (when fileName is not empty) in the field "file".
func (c *client) upload(target string, fields url.Values, fileName string, data []byte) *response {
	c.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				c.tb.Fatal(err)
			}
		}
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			c.tb.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			c.tb.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		c.tb.Fatal(err)
	}
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// mediaCount is how many images the library holds.
func mediaCount(t *testing.T, srv *testServer) int {
	t.Helper()
	list, err := srv.Store.ListMedia(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

const mediaBase = "/en/admin/media"

// TestAdminMedia_Upload: an educator uploads a PNG named .JPG; it is
// stored under a clean .png name, listed with a thumbnail and the Markdown
// to paste, served publicly with its type, and shown by a lesson that
// refers to media/<name>.
func TestAdminMedia_Upload(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
	img := testPNG(t, 320, 200, 40)

	page := edu.get(mediaBase)
	edu.mustStatus(page, 200)
	form := page.Doc.Find(`form[action="` + mediaBase + `"]`)
	if form.AttrOr("enctype", "") != "multipart/form-data" || form.Find(`input[type=file][name=file]`).Length() != 1 {
		t.Fatal("no multipart upload form")
	}
	if text(page, "main") == "" || page.Doc.Find(`.admin-nav a[href="/en/admin/media"]`).Length() != 1 {
		t.Fatal("no link to the media library in the admin navigation")
	}
	csrf := form.Find("input[name=_csrf]").AttrOr("value", "")

	r := edu.upload(mediaBase, url.Values{"_csrf": {csrf}}, "Exit Map.JPG", img)
	edu.mustStatus(r, 303)
	if r.Location != mediaBase+"?uploaded=exit-map.png#uploaded" {
		t.Fatalf("redirect to %q", r.Location)
	}
	list := edu.get(r.Location)
	edu.mustStatus(list, 200)
	markdown := "![Describe the picture](media/exit-map.png)"
	if got := text(list, "#uploaded .media-markdown"); got != markdown {
		t.Fatalf("banner Markdown %q", got)
	}
	row := list.Doc.Find(`tr[id="media-exit-map.png"]`)
	thumb := row.Find("img")
	if thumb.AttrOr("src", "") != "/media/exit-map.png" || thumb.AttrOr("alt", "") != "Preview of exit-map.png" ||
		thumb.AttrOr("width", "") != "160" || thumb.AttrOr("height", "") != "100" || thumb.AttrOr("loading", "") != "lazy" {
		h, _ := goquery.OuterHtml(thumb)
		t.Fatalf("thumbnail %s", h)
	}
	if got := strings.TrimSpace(row.Find(".media-markdown").Text()); got != markdown {
		t.Fatalf("row Markdown %q", got)
	}
	if !strings.Contains(row.Text(), "PNG, 320 × 200 pixels") {
		t.Fatalf("row details %q", row.Text())
	}
	if row.Find(`a[href="/en/admin/media/exit-map.png/delete"]`).Length() != 1 {
		t.Fatal("no delete link")
	}
	entries, _ := srv.Store.Audit(context.Background(), store.AuditFilter{ObjectType: "media", ObjectID: "exit-map.png"})
	if len(entries) != 1 || entries[0].Action != "media:upload" || entries[0].Actor != "edu@example.org" {
		t.Fatalf("audit %+v", entries)
	}

	t.Run("SameBytesStoredOnce", func(t *testing.T) {
		r := edu.upload(mediaBase, url.Values{"_csrf": {csrf}}, "copy.png", img)
		if r.Status != 303 || !strings.Contains(r.Location, "uploaded=exit-map.png") || mediaCount(t, srv) != 1 {
			t.Fatalf("second upload of the same bytes: %d %s, %d files", r.Status, r.Location, mediaCount(t, srv))
		}
	})

	t.Run("TakenNameNumbered", func(t *testing.T) {
		r := edu.upload(mediaBase, url.Values{"_csrf": {csrf}}, "exit-map.png", testPNG(t, 10, 10, 90))
		if r.Status != 303 || !strings.Contains(r.Location, "uploaded=exit-map-2.png") {
			t.Fatalf("upload of another image with a taken name: %d %s", r.Status, r.Location)
		}
	})

	t.Run("Served", func(t *testing.T) {
		guest := srv.client(t)
		r := guest.get("/media/exit-map.png")
		guest.mustStatus(r, 200)
		if r.Body != string(img) {
			t.Fatal("served bytes differ from the upload")
		}
		m, _ := srv.Store.FindMedia(context.Background(), "exit-map.png")
		for header, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
			"Content-Disposition": `inline; filename="exit-map.png"`, "ETag": `"` + m.SHA256 + `"`, "Content-Encoding": ""} {
			if got := r.Header.Get(header); got != want {
				t.Errorf("%s = %q, want %q", header, got, want)
			}
		}
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") {
			t.Errorf("Cache-Control = %q", cc)
		}
		req := httptest.NewRequest("GET", "/media/exit-map.png", nil)
		req.Header.Set("If-None-Match", `"`+m.SHA256+`"`)
		if r := guest.send(req); r.Status != 304 || r.Body != "" {
			t.Errorf("If-None-Match: %d, %d bytes", r.Status, len(r.Body))
		}
		for _, bad := range []string{"/media/nothing.png", "/media/EXIT-MAP.png", "/media/exit-map.svg", "/media/..%2fbeacon.db", "/media/exit%20map.png"} {
			if r := guest.get(bad); r.Status != 404 {
				t.Errorf("%s: %d, want 404", bad, r.Status)
			}
		}
	})

	t.Run("LessonShowsIt", func(t *testing.T) {
		ctx := context.Background()
		c := srv.course(t, "cyber-hygiene").Course
		l := &c.Lessons[0]
		l.Body["en"] += "\n\n![A map of the exits](media/exit-map.png)\n\n[Open the map](media/exit-map.png) or ![elsewhere](https://example.org/x.png).\n"
		if _, err := srv.Store.ImportPack(ctx, &app.Pack{Courses: []app.Course{c}}); err != nil {
			t.Fatal(err)
		}
		guest := srv.client(t)
		page := guest.get("/en/courses/cyber-hygiene/lessons/" + l.Slug)
		guest.mustStatus(page, 200)
		shown := page.Doc.Find(`.prose img[src="/media/exit-map.png"]`)
		if shown.Length() != 1 || shown.AttrOr("alt", "") != "A map of the exits" || shown.AttrOr("loading", "") != "lazy" {
			t.Fatalf("lesson image: %d found in %s", shown.Length(), text(page, ".prose"))
		}
		if page.Doc.Find(`.prose a[href="/media/exit-map.png"]`).Length() != 1 {
			t.Fatal("a link to media/<name> is not rewritten")
		}
		if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self'") {
			t.Fatalf("CSP %q", csp)
		}
		// The preview in the lesson editor shows it the same way.
		ep := edu.get("/en/admin/courses/cyber-hygiene/lessons/" + l.Slug)
		prev := edu.postForm(ep, "/en/admin/courses/cyber-hygiene/lessons/"+l.Slug, url.Values{"title": {"Preview"},
			"body": {"![Exits](media/exit-map.png)"}, "action": {"preview"}})
		edu.mustStatus(prev, 200)
		if prev.Doc.Find(`.preview img[src="/media/exit-map.png"]`).Length() != 1 {
			t.Fatal("the preview does not show the image")
		}

		// Deleting it: the confirmation page names the lesson that shows it.
		confirm := edu.get(mediaBase + "/exit-map.png/delete")
		edu.mustStatus(confirm, 200)
		if confirm.Doc.Find(`.media-uses a[href="/en/admin/courses/cyber-hygiene/lessons/`+l.Slug+`"]`).Length() != 1 {
			t.Fatalf("the lesson using the image is not listed: %s", text(confirm, "main"))
		}
		edu.mustStatus(edu.postForm(confirm, mediaBase+"/exit-map.png/delete", nil), 303)
		guest.mustStatus(guest.get("/media/exit-map.png"), 404)
		entries, _ := srv.Store.Audit(ctx, store.AuditFilter{ObjectType: "media", ObjectID: "exit-map.png"})
		if len(entries) != 2 || entries[0].Action != "media:delete" {
			t.Fatalf("audit after delete %+v", entries)
		}
		edu.mustStatus(edu.get(mediaBase+"/exit-map.png/delete"), 404)
	})
}

// TestAdminMedia_BadUploads: each bad file re-shows the page with the
// error beside the field and in the summary, and stores nothing.
func TestAdminMedia_BadUploads(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
	page := edu.get(mediaBase)
	csrf := page.Doc.Find(`form[action="`+mediaBase+`"] input[name=_csrf]`).AttrOr("value", "")
	good := testPNG(t, 8, 8, 1)
	var wide bytes.Buffer
	if err := png.Encode(&wide, image.NewGray(image.Rect(0, 0, 8001, 1))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"NoFile", "", nil, "Choose an image file to upload"},
		{"EmptyFile", "empty.png", []byte{}, "Choose an image file to upload"},
		{"HTMLNamedPNG", "page.png", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "must be a PNG, JPEG, WebP or GIF image"},
		{"SVG", "icon.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "must be a PNG, JPEG, WebP or GIF image"},
		{"TruncatedPNG", "cut.png", good[:len(good)-12], "damaged or incomplete"},
		{"TooLarge", "big.png", append(append([]byte(nil), good...), make([]byte, 2<<20)...), "2 MB or smaller"},
		{"TooManyPixels", "wide.png", wide.Bytes(), "8,000 × 8,000 pixels or smaller"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := edu.upload(mediaBase, url.Values{"_csrf": {csrf}}, tt.file, tt.data)
			edu.mustStatus(r, 422)
			if got := text(r, `.error-summary a[href="#file"]`); !strings.Contains(got, tt.want) {
				t.Errorf("summary %q, want %q", got, tt.want)
			}
			if got := text(r, "#file-error"); !strings.Contains(got, tt.want) {
				t.Errorf("field error %q", got)
			}
			if mediaCount(t, srv) != 0 {
				t.Fatal("a refused upload stored an image")
			}
		})
	}

	t.Run("Localized", func(t *testing.T) {
		zh := edu.get("/zh-Hans/admin/media")
		r := edu.upload("/zh-Hans/admin/media", url.Values{"_csrf": {zh.Doc.Find("input[name=_csrf]").AttrOr("value", "")}}, "page.png", []byte("<html></html>"))
		edu.mustStatus(r, 422)
		if got := text(r, "#file-error"); !strings.Contains(got, "必须是 PNG、JPEG、WebP 或 GIF 图片") {
			t.Errorf("zh-Hans field error %q", got)
		}
	})

	t.Run("ErrNoCSRF", func(t *testing.T) {
		r := edu.upload(mediaBase, nil, "fine.png", good)
		edu.mustStatus(r, 403)
		r = edu.upload(mediaBase, url.Values{"_csrf": {"forged"}}, "fine.png", good)
		edu.mustStatus(r, 403)
		if mediaCount(t, srv) != 0 {
			t.Fatal("an upload without a valid CSRF token was stored")
		}
	})
}

// TestAdminMedia_Access: the library is for educators; images are public.
func TestAdminMedia_Access(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
	page := edu.get(mediaBase)
	csrf := page.Doc.Find("input[name=_csrf]").AttrOr("value", "")
	edu.mustStatus(edu.upload(mediaBase, url.Values{"_csrf": {csrf}}, "map.png", testPNG(t, 4, 4, 3)), 303)

	anon := srv.client(t)
	r := anon.get(mediaBase)
	anon.mustStatus(r, 303)
	if !strings.HasPrefix(r.Location, "/en/login?next=") {
		t.Fatalf("anonymous visitor sent to %q", r.Location)
	}
	anon.mustStatus(anon.get("/media/map.png"), 200)

	for _, roles := range [][]string{{app.RoleLearner}, {app.RoleReviewer}, {app.RoleOrganizer}} {
		u := srv.signedIn(t, roles[0]+"@example.org", roles...)
		u.mustStatus(u.get(mediaBase), 403)
		u.mustStatus(u.get(mediaBase+"/map.png/delete"), 403)
		token := u.csrf()
		u.mustStatus(u.upload(mediaBase, url.Values{"_csrf": {token}}, "x.png", testPNG(t, 3, 3, 7)), 403)
		u.mustStatus(u.post(mediaBase+"/map.png/delete", url.Values{"_csrf": {token}}), 403)
		if page := u.get("/en/admin/"); page.Status == 200 && page.Doc.Find(`a[href="/en/admin/media"]`).Length() != 0 {
			t.Errorf("%s is offered the media library", roles[0])
		}
	}
	if n := mediaCount(t, srv); n != 1 {
		t.Fatalf("%d images after refused requests", n)
	}
	// An administrator holds every role.
	admin := srv.signedIn(t, "admin@example.org", app.RoleAdministrator)
	admin.mustStatus(admin.get(mediaBase), 200)
}
