package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestCrossOriginReads: feeds, CAP documents and the API may be read by
// any origin (errors and unknown paths there too); pages stay same-origin.
func TestCrossOriginReads(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	for _, tc := range []struct {
		path   string
		open   bool
		status int
	}{
		{"/feeds/alerts.atom", true, http.StatusOK},
		{"/api/v1/no-such-thing", true, http.StatusNotFound},
		{"/alerts/no-such-alert.cap", true, http.StatusNotFound},
		{"/en/courses", false, http.StatusOK},
		{"/en/login", false, http.StatusOK},
	} {
		r := c.get(tc.path)
		if r.Status != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.path, r.Status, tc.status)
		}
		acao, corp := r.Header.Get("Access-Control-Allow-Origin"), r.Header.Get("Cross-Origin-Resource-Policy")
		if tc.open && (acao != "*" || corp != "cross-origin") {
			t.Errorf("GET %s: Access-Control-Allow-Origin %q, Cross-Origin-Resource-Policy %q; want * and cross-origin", tc.path, acao, corp)
		}
		if !tc.open && (acao != "" || corp != "same-origin") {
			t.Errorf("GET %s: Access-Control-Allow-Origin %q, Cross-Origin-Resource-Policy %q; want none and same-origin", tc.path, acao, corp)
		}
	}
	req := httptest.NewRequest(http.MethodOptions, "/feeds/alerts.atom", nil)
	req.Header.Set("Origin", "https://aggregator.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "if-none-match")
	r := c.send(req)
	if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "*" ||
		r.Header.Get("Access-Control-Allow-Headers") == "" || r.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight: status %d, headers %v", r.Status, r.Header)
	}
}
