package web_test

import (
	"context"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/testenv"
)

// TestCertificateQR serves a certificate's QR code as an SVG image that
// any cache may keep, holding the certificate's public address; a code
// typed in another form is redirected and an unknown one is a 404. On
// SQLite and PostgreSQL.
func TestCertificateQR(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv, base := liveServer(t, open(t))
			_, cert := certifiedLearner(t, srv, "qr@example.org")
			c := srv.client(t)
			page := c.get("/certificates/" + cert.Code)
			c.mustStatus(page, 200)
			src := page.Doc.Find(".certificate-qr img").AttrOr("src", "")
			if src != "/certificates/"+cert.Code+"/qr.svg" || page.Doc.Find(".certificate-qr img").AttrOr("alt", "") == "" {
				t.Fatalf("certificate QR image %q", src)
			}
			r := c.get(src)
			c.mustStatus(r, 200)
			if ct := r.Header.Get("Content-Type"); ct != "image/svg+xml" {
				t.Errorf("Content-Type %q", ct)
			}
			if cc := r.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
				t.Errorf("Cache-Control %q", cc)
			}
			c.mustRevalidate(src, r)
			if !strings.Contains(r.Body, "<title>"+base+"/certificates/"+cert.Code+"</title>") || !strings.Contains(r.Body, "<path") {
				t.Errorf("QR SVG: %.300s", r.Body)
			}
			moved := c.get("/certificates/" + strings.ToLower(cert.Code) + "/qr.svg")
			c.mustStatus(moved, 301)
			if moved.Location != src {
				t.Errorf("typed code went to %q", moved.Location)
			}
			c.mustStatus(c.get("/certificates/AAAA-AAAA-AAAA/qr.svg"), 404)
		})
	}
}

// TestLessonPrintLinks gives a lesson's links into the site the absolute
// address the print stylesheet writes out, and leaves links to other
// sites (printed from their href) and in-page anchors alone. On SQLite
// and PostgreSQL.
func TestLessonPrintLinks(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv, base := liveServer(t, open(t))
			if _, err := srv.Store.ImportPack(context.Background(), &app.Pack{Courses: []app.Course{linkCourse()}}); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"en", "ar", "zh-Hans"} {
				for _, path := range []string{"/" + lang + "/courses/print-links/lessons/one", "/" + lang + "/courses/print-links/print"} {
					r := srv.client(t).get(path)
					if r.Status != 200 {
						t.Fatalf("%s: %d", path, r.Status)
					}
					next := r.Doc.Find(`.prose a[href="/` + lang + `/courses/print-links/lessons/two"]`).First()
					if got := next.AttrOr("data-print-href", ""); got != base+"/"+lang+"/courses/print-links/lessons/two" {
						t.Errorf("%s: relative link prints as %q", path, got)
					}
					out := r.Doc.Find(`.prose a[href="https://guide.example.org/safety"]`).First()
					if _, has := out.Attr("data-print-href"); has || out.Length() == 0 {
						t.Errorf("%s: the outside link is missing or carries data-print-href", path)
					}
				}
			}
		})
	}
}
