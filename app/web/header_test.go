package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestLargeHeaders: a long search with the 16 KB of cookies browsers may
// send is served; headers far beyond that get a clear 431, never a 500.
func TestLargeHeaders(t *testing.T) {
	srv := MustOpenServer(t)
	base := srv.listen(t) // over TCP: fasthttp answers 431 itself, before any handler
	cookies := func(total int) string {
		var b strings.Builder
		for i := 0; b.Len() < total; i++ {
			fmt.Fprintf(&b, "tracker%d=%s; ", i, strings.Repeat("v", 1000))
		}
		return b.String()
	}
	send := func(t *testing.T, cookie string) *http.Response {
		req, err := http.NewRequest("GET", base+"/en/courses?q="+strings.Repeat("fire+safety+", 200), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Cookie", cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	t.Run("Browser16KB", func(t *testing.T) {
		if resp := send(t, cookies(16<<10)); resp.StatusCode != 200 {
			t.Errorf("16 KB of cookies and a 2 KB query: status %d, want 200", resp.StatusCode)
		}
	})
	t.Run("Refused64KB", func(t *testing.T) {
		resp := send(t, cookies(64<<10))
		if resp.StatusCode != 431 {
			t.Fatalf("64 KB of cookies: status %d, want 431", resp.StatusCode)
		}
		body, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(body), "cookies") {
			t.Errorf("431 page does not say what to do: %.300s", body)
		}
	})
}
