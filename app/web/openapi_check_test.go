package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"beacon/app/web"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// apiDocument is the OpenAPI document every API response in the tests is
// checked against (checkAPIResponse); built once per test binary.
type apiDocument struct {
	doc      map[string]any
	paths    []string // path templates, literal ones first
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema // by JSON pointer
}

// apiDocURL names the document for the schema compiler.
const apiDocURL = "https://beacon.test/api/v1/openapi.json"

var (
	apiDocOnce sync.Once
	apiDoc     *apiDocument
	apiDocErr  error
)

// loadAPIDocument assembles and prepares the document once.
func loadAPIDocument() (*apiDocument, error) {
	apiDocOnce.Do(func() {
		raw, err := web.OpenAPIDocument()
		if err != nil {
			apiDocErr = err
			return
		}
		d := &apiDocument{schemas: map[string]*jsonschema.Schema{}}
		if err := json.Unmarshal(raw, &d.doc); err != nil {
			apiDocErr = err
			return
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			apiDocErr = err
			return
		}
		d.compiler = jsonschema.NewCompiler()
		d.compiler.DefaultDraft(jsonschema.Draft2020)
		d.compiler.AssertFormat()
		if err := d.compiler.AddResource(apiDocURL, inst); err != nil {
			apiDocErr = err
			return
		}
		paths, _ := d.doc["paths"].(map[string]any)
		for p := range paths {
			d.paths = append(d.paths, p)
		}
		sort.Slice(d.paths, func(i, j int) bool {
			ci, cj := strings.Count(d.paths[i], "{"), strings.Count(d.paths[j], "{")
			if ci != cj {
				return ci < cj
			}
			return d.paths[i] < d.paths[j]
		})
		apiDoc = d
	})
	return apiDoc, apiDocErr
}

// schema compiles (once) the schema at a JSON pointer of the document.
func (d *apiDocument) schema(ptr string) (*jsonschema.Schema, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.schemas[ptr]; ok {
		return s, nil
	}
	s, err := d.compiler.Compile(apiDocURL + "#" + ptr)
	if err != nil {
		return nil, err
	}
	d.schemas[ptr] = s
	return s, nil
}

// match finds the documented path template of a request path.
func (d *apiDocument) match(path string) (string, bool) {
	segs := strings.Split(path, "/")
	for _, p := range d.paths {
		ts := strings.Split(p, "/")
		if len(ts) != len(segs) {
			continue
		}
		ok := true
		for i := range ts {
			if !(strings.HasPrefix(ts[i], "{") && strings.HasSuffix(ts[i], "}") && segs[i] != "") && ts[i] != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return p, true
		}
	}
	return "", false
}

// pointerToken escapes one JSON pointer token.
func pointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// checkAPIResponse checks one response to an /api/v1/ request against the
// OpenAPI document: its status must be documented for the path and method
// (or covered by "default"), its content type must be one the document
// gives, and its JSON body must validate against the schema there. An
// undocumented path or method must answer a problem. Mismatches are test
// errors naming the path, the status and the reason.
func checkAPIResponse(tb testing.TB, req *http.Request, r *response) {
	tb.Helper()
	if req.Method == http.MethodOptions {
		return // CORS preflight and Allow: no body, described by HTTP itself
	}
	d, err := loadAPIDocument()
	if err != nil {
		tb.Errorf("OpenAPI document: %v", err)
		return
	}
	where := fmt.Sprintf("%s %s → %d", req.Method, req.URL.RequestURI(), r.Status)
	method := strings.ToLower(req.Method)
	if method == "head" {
		method = "get"
	}
	tmpl, ok := d.match(req.URL.Path)
	var op map[string]any
	if ok {
		item, _ := d.doc["paths"].(map[string]any)[tmpl].(map[string]any)
		op, _ = item[method].(map[string]any)
	}
	if op == nil {
		// Undocumented path or method: only a problem may answer.
		if r.Status < 400 {
			tb.Errorf("%s: not documented in the OpenAPI document", where)
			return
		}
		checkAPIBody(tb, d, where, r, req.Method, "/components/responses/Problem", map[string]any{
			"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{}}}}, "/components/schemas/Problem")
		return
	}
	responses, _ := op["responses"].(map[string]any)
	code := strconv.Itoa(r.Status)
	ptr := "/paths/" + pointerToken(tmpl) + "/" + method + "/responses/"
	resp, ok := responses[code].(map[string]any)
	if ok {
		ptr += code
	} else if resp, ok = responses[code[:1]+"XX"].(map[string]any); ok {
		ptr += code[:1] + "XX"
	} else if resp, ok = responses["default"].(map[string]any); ok && r.Status >= 400 {
		ptr += "default"
	} else {
		tb.Errorf("%s: status not documented for %s %s", where, strings.ToUpper(method), tmpl)
		return
	}
	if ref, _ := resp["$ref"].(string); ref != "" {
		ptr = strings.TrimPrefix(ref, "#")
		resp = d.resolve(ptr)
	}
	checkAPIBody(tb, d, where, r, req.Method, ptr, resp, "")
}

// resolve returns the object at a JSON pointer of the document.
func (d *apiDocument) resolve(ptr string) map[string]any {
	var cur any = d.doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, _ := cur.(map[string]any)
		cur = m[tok]
	}
	m, _ := cur.(map[string]any)
	return m
}

// checkAPIBody checks the content type and body of a response against
// the documented response object at ptr (schemaPtr overrides the schema).
func checkAPIBody(tb testing.TB, d *apiDocument, where string, r *response, method, ptr string, resp map[string]any, schemaPtr string) {
	tb.Helper()
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if r.Body != "" {
			tb.Errorf("%s: documented without a body, got %d bytes", where, len(r.Body))
		}
		return
	}
	if r.Status == http.StatusNotModified {
		if r.Body != "" {
			tb.Errorf("%s: 304 with a body", where)
		}
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		tb.Errorf("%s: content type %q: %v", where, r.Header.Get("Content-Type"), err)
		return
	}
	if _, ok := content[mt]; !ok {
		tb.Errorf("%s: content type %s is not documented (%v)", where, mt, keys(content))
		return
	}
	if method == http.MethodHead || !strings.HasSuffix(mt, "json") {
		return // a binary body (a pack zip) is checked by its media type only
	}
	if schemaPtr == "" {
		schemaPtr = ptr + "/content/" + pointerToken(mt) + "/schema"
	}
	sch, err := d.schema(schemaPtr)
	if err != nil {
		tb.Errorf("%s: compile the schema at %s: %v", where, schemaPtr, err)
		return
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(r.Body))
	if err != nil {
		tb.Errorf("%s: body is not JSON: %v", where, err)
		return
	}
	if err := sch.Validate(inst); err != nil {
		tb.Errorf("%s: body does not match the schema at %s: %v", where, schemaPtr, err)
	}
}

// keys lists a map's keys, sorted.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
