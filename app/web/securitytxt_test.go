package web_test

import (
	"strings"
	"testing"
	"time"

	"beacon/app/web"
)

// TestSecurityTxt: with BEACON_SECURITY_CONTACT set the site says where to
// report a vulnerability at /.well-known/security.txt (RFC 9116: Contact
// and an Expires in the future, less than a year ahead); without it there
// is no such file.
func TestSecurityTxt(t *testing.T) {
	t.Run("Contact", func(t *testing.T) {
		srv := MustOpenServer(t, func(o *web.Options) {
			o.SecurityContacts = []string{"mailto:security@city.example", "https://city.example/security"}
			o.BaseURL = "https://learn.city.example"
		})
		c := srv.client(t)
		r := c.get("/.well-known/security.txt")
		c.mustStatus(r, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(ct, "utf-8") {
			t.Errorf("Content-Type %q, want text/plain; charset=utf-8", ct)
		}
		fields := map[string][]string{}
		for line := range strings.SplitSeq(strings.TrimSpace(r.Body), "\n") {
			k, v, ok := strings.Cut(line, ": ")
			if !ok {
				t.Fatalf("line %q is not a field", line)
			}
			fields[k] = append(fields[k], v)
		}
		if got := fields["Contact"]; len(got) != 2 || got[0] != "mailto:security@city.example" || got[1] != "https://city.example/security" {
			t.Errorf("Contact %q", got)
		}
		if got := fields["Canonical"]; len(got) != 1 || got[0] != "https://learn.city.example/.well-known/security.txt" {
			t.Errorf("Canonical %q", got)
		}
		if len(fields["Expires"]) != 1 {
			t.Fatalf("Expires %q", fields["Expires"])
		}
		exp, err := time.Parse(time.RFC3339, fields["Expires"][0])
		if err != nil || !exp.After(time.Now()) || exp.After(time.Now().AddDate(1, 0, 0)) {
			t.Errorf("Expires %q: want a time within the next year (%v)", fields["Expires"][0], err)
		}
	})
	t.Run("None", func(t *testing.T) {
		srv := MustOpenServer(t)
		c := srv.client(t)
		c.mustStatus(c.get("/.well-known/security.txt"), 404)
	})
}
