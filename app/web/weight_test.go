package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"testing"
)

// TestLessonPage_Weight keeps the lesson page (HTML, stylesheet and script,
// as sent gzipped) within the 30 KB budget, for the longest seed lessons in
// every locale.
func TestLessonPage_Weight(t *testing.T) {
	srv := MustOpenServer(t)
	fetch := func(path string) (gz int, raw int) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			w.Write(body)
			w.Close()
			return buf.Len(), len(body)
		}
		r, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(r)
		return len(body), len(plain)
	}
	var paths []string
	for _, lang := range srv.Bundle.Locales() {
		paths = append(paths, "/"+lang+"/courses/personal-data-protection/lessons/your-rights-and-breaches",
			"/"+lang+"/courses/cyber-hygiene/lessons/phishing")
	}
	for _, path := range paths {
		doc := srv.Doc(t, path)
		total, totalRaw := 0, 0
		for _, p := range []string{path, doc.Find(`link[rel=stylesheet]`).AttrOr("href", ""), doc.Find(`script[src]`).AttrOr("src", "")} {
			gz, raw := fetch(p)
			total += gz
			totalRaw += raw
		}
		t.Logf("%s: %d bytes gzipped (%d raw) with CSS and JS", path, total, totalRaw)
		if total > 30*1024 {
			t.Errorf("%s weighs %d bytes gzipped, budget 30 KB", path, total)
		}
	}
}
