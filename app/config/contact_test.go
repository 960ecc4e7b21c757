package config_test

import (
	"slices"
	"testing"

	"beacon/app/config"
)

func TestConfig_SecurityContact(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // nil with wantErr
		err  bool
	}{
		{name: "none", in: ""},
		{name: "mail and page", in: " mailto:security@city.example , https://city.example/security ",
			want: []string{"mailto:security@city.example", "https://city.example/security"}},
		{name: "phone", in: "tel:+31-20-555-0100", want: []string{"tel:+31-20-555-0100"}},
		{name: "bare address", in: "security@city.example", err: true},
		{name: "plain http", in: "http://city.example/security", err: true},
		{name: "mailto without address", in: "mailto:", err: true},
		{name: "javascript", in: "javascript:alert(1)", err: true},
		{name: "header injection", in: "mailto:a@b.example\nExpires: never", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.ParseSecurityContacts(tt.in)
			if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
				t.Fatalf("ParseSecurityContacts(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
			}
			c := config.Config{Addr: ":1", Database: "x.db", LogFormat: "text", SecurityContact: tt.in}
			if err := c.Validate(); (err != nil) != tt.err {
				t.Fatalf("Validate with BEACON_SECURITY_CONTACT=%q: %v", tt.in, err)
			}
		})
	}
}
