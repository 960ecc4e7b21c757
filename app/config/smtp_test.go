package config_test

import (
	"strings"
	"testing"

	"beacon/app/config"
)

func TestConfig_ParseSMTP(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    config.SMTP
		wantErr string
	}{
		{name: "empty is no mail", in: ""},
		{name: "starttls with auth and a display name",
			in: "smtp://beacon%40example.org:p%40ss@mail.example.org:2525?from=Beacon%20%3Cnoreply%40example.org%3E",
			want: config.SMTP{Host: "mail.example.org", Port: "2525", Username: "beacon@example.org", Password: "p@ss",
				Security: config.SMTPStartTLS}},
		{name: "default ports", in: "smtps://u:p@mail.example.org?from=noreply@example.org",
			want: config.SMTP{Host: "mail.example.org", Port: "465", Username: "u", Password: "p", Security: config.SMTPImplicitTLS}},
		{name: "local relay in the clear", in: "smtp://localhost:25?tls=none&from=noreply@example.org",
			want: config.SMTP{Host: "localhost", Port: "25", Security: config.SMTPNoTLS}},
		{name: "clear text with a password", in: "smtp://u:secretpw@h?tls=none&from=a@b.org", wantErr: "refuses a user name or password"},
		{name: "no from", in: "smtp://u:secretpw@h", wantErr: "from is missing"},
		{name: "bad from", in: "smtp://h?from=nobody", wantErr: `from "nobody"`},
		{name: "bad scheme", in: "http://h?from=a@b.org", wantErr: `scheme "http"`},
		{name: "no host", in: "smtp://?from=a@b.org", wantErr: "no host"},
		{name: "bad port", in: "smtp://h:99999?from=a@b.org", wantErr: "port"},
		{name: "unknown parameter", in: "smtp://h?from=a@b.org&tsl=none", wantErr: `unknown parameter "tsl"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.ParseSMTP(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secretpw") {
					t.Fatalf("the error repeats the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.From = tt.want.From // checked below
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	s, _ := config.ParseSMTP("smtp://h?from=Beacon%20%3Cnoreply%40example.org%3E")
	if s.From.Name != "Beacon" || s.From.Address != "noreply@example.org" || !s.Enabled() || s.Addr() != "h:587" {
		t.Errorf("from = %+v, addr %s", s.From, s.Addr())
	}
	c := config.Config{Addr: ":1", Database: "x.db", LogFormat: "text", SMTPURL: "smtp://u:secretpw@h"}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "BEACON_SMTP_URL") || strings.Contains(err.Error(), "secretpw") {
		t.Errorf("Validate = %v", err)
	}
}
