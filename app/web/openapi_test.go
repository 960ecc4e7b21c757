package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"beacon/app/testenv"
)

// TestOpenAPIDocumentValid: the document served by a live server passes
// an outside OpenAPI 3.1 validator (@apidevtools/swagger-parser, which
// also resolves every $ref), and documents every /api/v1 route.
func TestOpenAPIDocumentValid(t *testing.T) {
	modules := testenv.NodeModules(t, "@apidevtools/swagger-parser")
	srv := MustOpenServer(t)
	base := srv.listen(t)
	resp, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
		t.Fatalf("GET openapi.json: %d, ETag %q, %v", resp.StatusCode, resp.Header.Get("ETag"), err)
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	const script = `require("@apidevtools/swagger-parser").validate(process.argv[1])
  .then(api => console.log("valid:", api.info.title, api.openapi))
  .catch(err => { console.error(err.message); process.exit(1); });`
	cmd := exec.Command("node", "-e", script, file)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("swagger-parser rejects the document: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "valid: Beacon API 3.1.0") {
		t.Errorf("swagger-parser said %s", out)
	}

	var doc struct {
		Paths map[string]map[string]any
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	for _, r := range srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in the OpenAPI document (as %s)", r.Method, r.Path, p)
		}
	}
}

// errorRecorder stands in for a test to catch what a check reports.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (r *errorRecorder) Helper() {}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestAPISchemaCheck: the check every API answer in the tests goes
// through (checkAPIResponse, called by send) catches a wrong body, an
// undocumented status, a wrong content type and an undocumented path, and
// lets a right answer pass.
func TestAPISchemaCheck(t *testing.T) {
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	okList := `{"items":[{"code":"north","name":"North","lang":"en"}],"total":1,"limit":20,"offset":0}`
	for _, tc := range []struct {
		name, path string
		r          response
		bad        string // a word the report must hold; "" = no report
	}{
		{"Right", "/api/v1/regions", response{Status: 200, Header: jsonType, Body: okList}, ""},
		{"WrongType", "/api/v1/regions", response{Status: 200, Header: jsonType, Body: strings.Replace(okList, `"north"`, `7`, 1)}, "schema"},
		{"ExtraField", "/api/v1/regions", response{Status: 200, Header: jsonType, Body: strings.Replace(okList, `"lang":"en"`, `"lang":"en","secret":1`, 1)}, "schema"},
		{"UndocumentedStatus", "/api/v1/regions", response{Status: 201, Header: jsonType, Body: okList}, "not documented"},
		{"ContentType", "/api/v1/regions", response{Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: okList}, "content type"},
		{"UndocumentedPath", "/api/v1/secrets", response{Status: 200, Header: jsonType, Body: `{}`}, "not documented"},
		{"ProblemShape", "/api/v1/secrets", response{Status: 404, Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: `{"error":"x"}`}, "schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &errorRecorder{TB: t}
			checkAPIResponse(rec, httptest.NewRequest(http.MethodGet, tc.path, nil), &tc.r)
			switch {
			case tc.bad == "" && len(rec.errs) > 0:
				t.Errorf("a right answer was reported: %v", rec.errs)
			case tc.bad != "" && (len(rec.errs) == 0 || !strings.Contains(rec.errs[0], tc.bad) || !strings.Contains(rec.errs[0], tc.path)):
				t.Errorf("reports %v, want one naming %s and %q", rec.errs, tc.path, tc.bad)
			}
		})
	}
}
