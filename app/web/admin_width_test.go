package web_test

import (
	"strings"
	"testing"
)

// TestStaffPagesUseTheWidth: staff pages (tables, charts) use the screen's
// width; citizen pages keep the reading column.
func TestStaffPagesUseTheWidth(t *testing.T) {
	srv := MustOpenServer(t)
	org := srv.signedIn(t, "wide@example.org", "organizer", "educator")
	var href string
	for _, path := range []string{"/en/admin/", "/en/admin/stats", "/ar/admin/stats", "/en/admin/courses"} {
		r := org.get(path)
		href = r.Doc.Find(`link[rel=stylesheet]`).First().AttrOr("href", "")
		org.mustStatus(r, 200)
		if class, _ := r.Doc.Find("main#main").Attr("class"); !strings.Contains(class, "container-wide") {
			t.Errorf("%s: main class %q, want container-wide", path, class)
		}
	}
	for _, path := range []string{"/en/courses", "/en/me"} {
		r := org.get(path)
		org.mustStatus(r, 200)
		if class, _ := r.Doc.Find("main#main").Attr("class"); strings.Contains(class, "container-wide") {
			t.Errorf("%s: a citizen page is wide (%q)", path, class)
		}
	}
	css := srv.client(t).get(href)
	if !strings.Contains(css.Body, ".container-wide { max-width: 100rem; }") {
		t.Error("the stylesheet does not widen staff pages")
	}
}
