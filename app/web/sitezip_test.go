package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"beacon/app"
)

// noisePNG is a PNG that does not compress: about 4 bytes a pixel.
func noisePNG(t *testing.T, w, h int, seed uint64) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.UintN(256))
	}
	img.Set(0, 0, color.NRGBA{A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// uploadFile posts a multipart form with one file in field.
func (c *client) uploadFile(target string, fields url.Values, field, fileName string, data []byte) *response {
	c.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(field, fileName)
	if err != nil {
		c.tb.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// TestSiteZipRoundTrip: a site whose lesson shows an image downloads
// site.zip; a fresh site uploads it and serves the image and the same
// lessons. The images make the zip larger than the 3 MiB other routes
// accept, as a real library does.
func TestSiteZipRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := MustOpenServer(t)
	edu := a.signedIn(t, "zip-edu@example.org", app.RoleEducator)
	images := map[string][]byte{}
	for i, name := range []string{"exit-map.png", "shelter.png", "radio.png"} {
		img := noisePNG(t, 600, 600, uint64(i+1)) // about 1.4 MiB each
		r := edu.upload("/en/admin/media", url.Values{"_csrf": {edu.csrf()}}, name, img)
		edu.mustStatus(r, 303)
		images[name] = img
	}
	course := a.course(t, "cyber-hygiene").Course
	course.Lessons[0].Body["en"] += "\n\n![A map of the exits](media/exit-map.png)\n"
	if _, err := a.Store.ImportPack(ctx, &app.Pack{Courses: []app.Course{course}}); err != nil {
		t.Fatal(err)
	}

	admin := a.signedIn(t, "zip-admin@example.org", app.RoleAdministrator)
	dl := admin.get("/en/admin/packs/site.zip")
	admin.mustStatus(dl, 200)
	zr, err := zip.NewReader(strings.NewReader(dl.Body), int64(len(dl.Body)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	for name := range images {
		if !slices.Contains(names, "media/"+name) {
			t.Errorf("site.zip lacks media/%s: %v", name, names)
		}
	}
	if len(dl.Body) <= 3<<20 {
		t.Fatalf("site.zip is %d bytes; the test wants one over the 3 MiB body limit of other routes", len(dl.Body))
	}
	t.Logf("site.zip: %d entries, %d bytes", len(names), len(dl.Body))

	b := MustOpenServer(t)
	badmin := b.signedIn(t, "zip-admin-b@example.org", app.RoleAdministrator)
	page := badmin.get("/en/admin/packs")
	badmin.mustStatus(page, 200)
	r := badmin.uploadFile("/en/admin/packs", url.Values{"_csrf": {badmin.csrf()}}, "pack", "site.zip", []byte(dl.Body))
	badmin.mustStatus(r, 200)
	if r.Doc.Find(".error-summary").Length() != 0 {
		t.Fatalf("upload refused: %s", text(r, "main"))
	}
	guest := b.client(t)
	for name, img := range images {
		m := guest.get("/media/" + name)
		guest.mustStatus(m, 200)
		if m.Body != string(img) {
			t.Errorf("/media/%s on the new site differs from the upload", name)
		}
	}
	lesson := guest.get("/en/courses/cyber-hygiene/lessons/" + course.Lessons[0].Slug)
	guest.mustStatus(lesson, 200)
	if lesson.Doc.Find(`.prose img[src="/media/exit-map.png"]`).Length() != 1 {
		t.Error("the lesson on the new site does not show the image")
	}
	lessons := func(s *testServer) string {
		cs, err := s.Store.PublishedCourses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			for _, l := range c.Lessons {
				out = append(out, fmt.Sprintf("%s/%s %q %d", c.Slug, l.Slug, l.Title["en"], len(l.Body["en"])))
			}
		}
		slices.Sort(out)
		return strings.Join(out, "\n")
	}
	if got, want := lessons(b), lessons(a); got != want {
		t.Errorf("lessons on the new site:\n%s\nwant:\n%s", got, want)
	}
}

// TestBodyLimits: only the pack upload, with a session, may send a body
// over 3 MiB; elsewhere a large body is refused with 413 before any handler.
func TestBodyLimits(t *testing.T) {
	srv := MustOpenServer(t)
	base := srv.listen(t)
	post := func(path, cookie string, size int) int {
		t.Helper()
		req, err := http.NewRequest("POST", base+path, bytes.NewReader(bytes.Repeat([]byte("a"), size)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/octet-stream")
		if cookie != "" {
			req.Header.Set("Cookie", "beacon_session="+cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 413 // the server may close before reading all of it
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("/en/login", "x", 5<<20); got != 413 {
		t.Errorf("5 MiB to /en/login: %d, want 413", got)
	}
	if got := post("/en/admin/packs", "", 5<<20); got != 413 {
		t.Errorf("5 MiB to the pack upload without a session: %d, want 413", got)
	}
	if got := post("/en/admin/packs", "forged", 5<<20); got != 413 {
		t.Errorf("5 MiB to the pack upload with a forged session cookie: %d, want 413 before the body is read", got)
	}
	learner := srv.signedIn(t, "big-learner@example.org")
	if got := post("/en/admin/packs", sessionCookie(t, learner), 5<<20); got != 413 {
		t.Errorf("5 MiB to the pack upload with a learner's session: %d, want 413", got)
	}
	admin := sessionCookie(t, srv.signedIn(t, "big-admin@example.org", app.RoleAdministrator))
	if got := post("/en/admin/packs", admin, 5<<20); got == 413 || got >= 500 {
		t.Errorf("5 MiB to the pack upload with an administrator's session: %d, want it read (then refused as no zip)", got)
	}
	if got := post("/en/admin/packs", admin, 60<<20); got != 413 {
		t.Errorf("60 MiB to the pack upload: %d, want 413", got)
	}
}

// sessionCookie is the beacon_session value a signed-in test client holds.
func sessionCookie(tb testing.TB, c *client) string {
	tb.Helper()
	v := c.cookies["beacon_session"]
	if v == "" {
		tb.Fatal("the client holds no session")
	}
	return v
}

// TestLessonEditor_MediaPaths: the lesson editor refuses an image or link
// that points outside the media library, as the pack check does, with a
// localized error beside the body; media/<name> is saved.
func TestLessonEditor_MediaPaths(t *testing.T) {
	srv := MustOpenServer(t)
	edu := srv.signedIn(t, "paths-edu@example.org", app.RoleEducator)
	lesson := "/en/admin/courses/cyber-hygiene/lessons/passwords"
	for _, dest := range []string{"media/../../x.png", "media/../secret", "/media/x.png", "media//etc/passwd", `media\x.png`, "./media/x.png", "media/sub/x.png"} {
		page := edu.get(lesson)
		r := edu.postForm(page, lesson, url.Values{"body": {"Look:\n\n![Map](" + dest + ")\n"}, "action": {"save"}})
		edu.mustStatus(r, 422)
		if !strings.Contains(text(r, "#body-error"), "outside the media library") {
			t.Errorf("%s: error beside the body %q", dest, text(r, "#body-error"))
		}
		fr := edu.postForm(edu.get("/fr"+lesson[3:]), "/fr"+lesson[3:], url.Values{"body": {"![Carte](" + dest + ")"}, "action": {"save"}})
		if !strings.Contains(text(fr, "#body-error"), "hors de la médiathèque") {
			t.Errorf("%s: French error %q", dest, text(fr, "#body-error"))
		}
	}
	if cs, _ := srv.Store.FindCourseState(context.Background(), "cyber-hygiene"); cs.Draft != nil {
		t.Fatal("a refused body was saved")
	}
	page := edu.get(lesson)
	edu.mustStatus(edu.postForm(page, lesson, url.Values{"body": {"![Map](media/exit-map.png)"}, "action": {"save"}}), 303)
}
