package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"beacon/app/web"
)

// problem is a problem details body as clients read it.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

// mustProblem reads a problem details answer with the status wanted.
func mustProblem(tb testing.TB, r *response, status int) problem {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("status %d, want %d (%s)", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		tb.Fatalf("content type %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		tb.Fatalf("problem body %q: %v", r.Body, err)
	}
	if p.Status != status || p.Title == "" || p.Type == "" {
		tb.Fatalf("problem %+v: want status %d, a type and a title", p, status)
	}
	return p
}

// mustJSON decodes a 200 JSON answer into v.
func mustJSON(tb testing.TB, r *response, v any) {
	tb.Helper()
	if r.Status != http.StatusOK {
		tb.Fatalf("status %d, want 200 (%s)", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		tb.Fatalf("content type %q", ct)
	}
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		tb.Fatalf("body %q: %v", r.Body, err)
	}
}

// TestAPIProblemDetails: every error under /api/v1 is an RFC 9457
// problem with a title in the request's language: unknown paths, unknown
// resources, bad paging parameters, methods a path does not take.
func TestAPIProblemDetails(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)

	t.Run("UnknownPath", func(t *testing.T) {
		p := mustProblem(t, c.get("/api/v1/no-such-thing"), http.StatusNotFound)
		if p.Title != "No such resource" || p.Instance != "/api/v1/no-such-thing" || p.Type != "about:blank" {
			t.Errorf("problem %+v", p)
		}
	})
	t.Run("French", func(t *testing.T) {
		p := mustProblem(t, c.get("/api/v1/no-such-thing?lang=fr"), http.StatusNotFound)
		if p.Title != "Ressource introuvable" {
			t.Errorf("title %q, want the French one", p.Title)
		}
		req := httptest.NewRequest(http.MethodGet, "/api/v1/courses/no-such-course", nil)
		req.Header.Set("Accept-Language", "fr-CA,fr;q=0.9")
		r := c.send(req)
		p = mustProblem(t, r, http.StatusNotFound)
		if p.Title != "Cours introuvable" || r.Header.Get("Content-Language") != "fr" {
			t.Errorf("problem %+v, Content-Language %q", p, r.Header.Get("Content-Language"))
		}
	})
	t.Run("MethodNotAllowed", func(t *testing.T) {
		r := c.post("/api/v1/openapi.json", nil)
		p := mustProblem(t, r, http.StatusMethodNotAllowed)
		if p.Title != "Method not allowed" || !strings.Contains(r.Header.Get("Allow"), "GET") {
			t.Errorf("problem %+v, Allow %q", p, r.Header.Get("Allow"))
		}
	})
	t.Run("BadLimit", func(t *testing.T) {
		for _, q := range []string{"limit=0", "limit=101", "limit=ten", "offset=-1", "offset=x"} {
			p := mustProblem(t, c.get("/api/v1/courses?"+q), http.StatusBadRequest)
			if !strings.Contains(p.Title, "limit") && !strings.Contains(p.Title, "offset") {
				t.Errorf("%s: title %q names no parameter", q, p.Title)
			}
		}
		p := mustProblem(t, c.get("/api/v1/courses?limit=500&lang=ar"), http.StatusBadRequest)
		if !strings.Contains(p.Title, "limit") || p.Title == "limit must be a whole number from 1 to 100" {
			t.Errorf("Arabic title %q", p.Title)
		}
	})
}

// TestAPIETag: answers carry a strong ETag; sending it back gives 304
// without a body; a changed language gives another tag. Requests with
// credentials are kept by no cache.
func TestAPIETag(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	for _, path := range []string{"/api/v1/openapi.json", "/api/v1/courses", "/api/v1/regions?lang=fr"} {
		r := c.get(path)
		etag := r.Header.Get("ETag")
		if r.Status != http.StatusOK || !strings.HasPrefix(etag, `"`) || r.Header.Get("Cache-Control") != "public, max-age=60" {
			t.Fatalf("%s: status %d, ETag %q, Cache-Control %q", path, r.Status, etag, r.Header.Get("Cache-Control"))
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-None-Match", `"other", `+etag)
		again := c.send(req)
		if again.Status != http.StatusNotModified || again.Body != "" || again.Header.Get("ETag") != etag {
			t.Errorf("%s with If-None-Match: status %d, body %d bytes, ETag %q", path, again.Status, len(again.Body), again.Header.Get("ETag"))
		}
		req = httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-None-Match", `"stale"`)
		if r := c.send(req); r.Status != http.StatusOK {
			t.Errorf("%s with a stale tag: status %d", path, r.Status)
		}
		req = httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer nothing")
		if r := c.send(req); r.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s with Authorization: Cache-Control %q", path, r.Header.Get("Cache-Control"))
		}
	}
	en, fr := c.get("/api/v1/courses?lang=en"), c.get("/api/v1/courses?lang=fr")
	if en.Header.Get("ETag") == fr.Header.Get("ETag") || fr.Header.Get("Content-Language") != "fr" {
		t.Errorf("en and fr share ETag %q; Content-Language %q", en.Header.Get("ETag"), fr.Header.Get("Content-Language"))
	}
}

// TestOpenAPIFragmentsMerge: fragments add their paths and components to
// the base; a path or component defined twice is an error at start-up.
func TestOpenAPIFragmentsMerge(t *testing.T) {
	base := `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"tags":[{"name":"a"}],"paths":{"/a":{}},"components":{"schemas":{"P":{}}}}`
	ok := fstest.MapFS{
		"base.json": {Data: []byte(base)},
		"one.json":  {Data: []byte(`{"tags":[{"name":"b"}],"paths":{"/b":{}},"components":{"schemas":{"Q":{}},"parameters":{"x":{}}}}`)},
		"two.json":  {Data: []byte(`{"paths":{"/c":{}},"components":{"schemas":{"R":{}}}}`)},
	}
	raw, err := web.MergeOpenAPI(ok)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tags       []struct{ Name string }
		Paths      map[string]any
		Components map[string]map[string]any
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) != 3 || len(doc.Tags) != 2 || doc.Tags[1].Name != "b" || len(doc.Components["schemas"]) != 3 || len(doc.Components["parameters"]) != 1 {
		t.Errorf("merged %s", raw)
	}
	for name, frag := range map[string]string{
		"DuplicatePath":      `{"paths":{"/a":{}}}`,
		"DuplicateComponent": `{"components":{"schemas":{"P":{}}}}`,
		"DuplicateAcross":    `{"paths":{"/b":{}}}`,
		"DuplicateTag":       `{"tags":[{"name":"a"}]}`,
		"NotAFragment":       `{"info":{}}`,
		"NotJSON":            `{`,
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"base.json": ok["base.json"], "one.json": ok["one.json"], "zz.json": {Data: []byte(frag)}}
			if _, err := web.MergeOpenAPI(fsys); err == nil || !strings.Contains(err.Error(), "zz.json") {
				t.Errorf("error %v, want one naming zz.json", err)
			}
		})
	}
	if _, err := web.OpenAPIDocument(); err != nil {
		t.Errorf("the embedded fragments: %v", err)
	}
}
