package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/testenv"
)

// testJPEG returns a real w×h JPEG.
func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMediaResizedCopies: uploading a 2000 px PNG and a 1200 px JPEG makes
// copies 480, 960 and 1440 px wide (only those narrower than the
// original, in the original's format), served at /media/<name>?w= with
// cache headers; a 300 px image gets no copy; a lesson showing them has a
// srcset of the copies; an image stored before copies existed gets its
// copy made when first asked for. SQLite and PostgreSQL.
func TestMediaResizedCopies(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			mediaResizedCopies(t, srv)
		})
	}
}

func mediaResizedCopies(t *testing.T, srv *testServer) {
	ctx := context.Background()
	edu := srv.signedIn(t, "edu@example.org", app.RoleEducator)
	page := edu.get(mediaBase)
	csrf := page.Doc.Find(`form[action="`+mediaBase+`"] input[name=_csrf]`).AttrOr("value", "")
	for _, up := range []struct {
		file string
		data []byte
	}{{"wide.png", testPNG(t, 2000, 1000, 10)}, {"photo.jpg", testJPEG(t, 1200, 900)}, {"small.png", testPNG(t, 300, 200, 20)}} {
		edu.mustStatus(edu.upload(mediaBase, url.Values{"_csrf": {csrf}}, up.file, up.data), 303)
	}
	want := map[string][]int{"wide.png": {480, 960, 1440}, "photo.jpg": {480, 960}, "small.png": nil}
	for name, widths := range want {
		got, err := srv.Store.MediaCopyWidths(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(widths) || (len(got) > 0 && got[len(got)-1] != widths[len(widths)-1]) {
			t.Fatalf("%s: copies %v, want %v", name, got, widths)
		}
	}

	guest := srv.client(t)
	for name, widths := range want {
		orig, _ := srv.Store.FindMedia(ctx, name)
		for _, w := range widths {
			r := guest.get("/media/" + name + "?w=" + itoa(int64(w)))
			guest.mustStatus(r, 200)
			cfg, format, err := image.DecodeConfig(strings.NewReader(r.Body))
			if err != nil {
				t.Fatalf("%s at %d: %v", name, w, err)
			}
			if cfg.Width != w || cfg.Height != (orig.Height*w+orig.Width/2)/orig.Width || r.Header.Get("Content-Type") != orig.ContentType ||
				"image/"+format != orig.ContentType {
				t.Fatalf("%s at %d: %s %d×%d, %s", name, w, format, cfg.Width, cfg.Height, r.Header.Get("Content-Type"))
			}
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") ||
				r.Header.Get("ETag") == "" || r.Header.Get("ETag") == `"`+orig.SHA256+`"` {
				t.Fatalf("%s at %d: Cache-Control %q, ETag %q", name, w, cc, r.Header.Get("ETag"))
			}
		}
	}
	// No upscaled copy, no width outside the list.
	for _, bad := range []string{"/media/small.png?w=480", "/media/photo.jpg?w=1440", "/media/wide.png?w=500", "/media/wide.png?w=x"} {
		if r := guest.get(bad); r.Status != 404 {
			t.Errorf("%s: %d, want 404", bad, r.Status)
		}
	}

	// A lesson shows the images with a srcset of their copies.
	c := srv.course(t, "cyber-hygiene").Course
	l := &c.Lessons[0]
	l.Body["en"] += "\n\n![A wide map](media/wide.png)\n\n![A photo](media/photo.jpg)\n\n![A small icon](media/small.png)\n"
	if _, err := srv.Store.ImportPack(ctx, &app.Pack{Courses: []app.Course{c}}); err != nil {
		t.Fatal(err)
	}
	lesson := guest.get("/en/courses/cyber-hygiene/lessons/" + l.Slug)
	guest.mustStatus(lesson, 200)
	sets := map[string]string{
		"wide.png":  "/media/wide.png?w=480 480w, /media/wide.png?w=960 960w, /media/wide.png?w=1440 1440w, /media/wide.png 2000w",
		"photo.jpg": "/media/photo.jpg?w=480 480w, /media/photo.jpg?w=960 960w, /media/photo.jpg 1200w",
		"small.png": "",
	}
	for name, set := range sets {
		img := lesson.Doc.Find(`.prose img[src="/media/` + name + `"]`)
		if img.Length() != 1 || img.AttrOr("srcset", "") != set {
			t.Fatalf("%s in the lesson: %d found, srcset %q", name, img.Length(), img.AttrOr("srcset", ""))
		}
		if set != "" && !strings.Contains(img.AttrOr("sizes", ""), "100vw") {
			t.Fatalf("%s: sizes %q", name, img.AttrOr("sizes", ""))
		}
		// Its size keeps its room while it loads.
		if m, _ := srv.Store.FindMedia(ctx, name); img.AttrOr("width", "") != itoa(int64(m.Width)) || img.AttrOr("height", "") != itoa(int64(m.Height)) {
			t.Fatalf("%s: width %q height %q", name, img.AttrOr("width", ""), img.AttrOr("height", ""))
		}
	}

	// An image from a pack (or from before copies existed) gets its copy on
	// first request, and keeps it.
	if _, err := srv.Store.ImportPack(ctx, &app.Pack{Media: []app.MediaFile{{Name: "packed.png", Data: testPNG(t, 1000, 500, 30)}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.Store.MediaCopyWidths(ctx, "packed.png"); len(got) != 0 {
		t.Fatalf("pack import made copies %v", got)
	}
	r := guest.get("/media/packed.png?w=960")
	guest.mustStatus(r, 200)
	if cfg, _, err := image.DecodeConfig(strings.NewReader(r.Body)); err != nil || cfg.Width != 960 || cfg.Height != 480 {
		t.Fatalf("lazy copy: %+v %v", cfg, err)
	}
	if got, _ := srv.Store.MediaCopyWidths(ctx, "packed.png"); len(got) != 1 || got[0] != 960 {
		t.Fatalf("lazy copy not kept: %v", got)
	}
	// Deleting the image deletes its copies.
	if err := srv.Store.DeleteMedia(ctx, nil, "wide.png"); err != nil {
		t.Fatal(err)
	}
	if r := guest.get("/media/wide.png?w=480"); r.Status != 404 {
		t.Fatalf("copy of a deleted image: %d", r.Status)
	}
}
