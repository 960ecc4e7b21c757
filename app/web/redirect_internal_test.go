package web

import (
	"strings"
	"testing"
)

// TestSafeNext: only same-site paths pass, re-encoded so that the Location
// header carries printable ASCII alone; everything else gives the fallback.
func TestSafeNext(t *testing.T) {
	const fb = "/en/me"
	cases := []struct {
		name, next, want string
	}{
		{"empty", "", fb},
		{"plain path", "/en/courses", "/en/courses"},
		{"path with query", "/en/courses?q=fire+safety&page=2", "/en/courses?q=fire+safety&page=2"},
		{"escapes kept", "/en/courses?q=%C3%A9t%C3%A9", "/en/courses?q=%C3%A9t%C3%A9"},
		{"non-ASCII re-encoded", "/en/courses?q=été", "/en/courses?q=%C3%A9t%C3%A9"},
		{"space re-encoded", "/en/courses?q=a b", "/en/courses?q=a%20b"},
		{"quote re-encoded", "/en/x\"<y>", "/en/x%22%3Cy%3E"},
		{"relative", "en/me", fb},
		{"absolute URL", "https://evil.example/", fb},
		{"scheme", "javascript:alert(1)", fb},
		{"scheme-relative", "//evil.example", fb},
		{"backslash-relative", "/\\evil.example", fb},
		{"backslash inside", "/en\\..\\evil", fb},
		{"raw CRLF", "/x\r\nSet-Cookie:evil=1", fb},
		{"raw tab", "/\t/evil.example", fb},
		{"raw NUL", "/x\x00", fb},
		{"raw DEL", "/x\x7f", fb},
		{"encoded CRLF", "/x%0d%0aSet-Cookie:evil=1", fb},
		{"encoded tab", "/%09/evil.example", fb},
		{"encoded DEL", "/x%7f", fb},
		{"encoded slash pair", "/%2F/evil.example", fb},
		{"encoded backslash", "/%5Cevil.example", fb},
		{"bad escape", "/x%zz", fb},
		{"too long", "/" + strings.Repeat("a", 600), fb},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := safeNext(tc.next, fb); got != tc.want {
				t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}
