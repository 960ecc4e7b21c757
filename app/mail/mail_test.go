package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"beacon/app/config"
	"beacon/app/mail"
	"beacon/app/testenv"
)

// TestMailerSMTP sends through a real SMTP server started in the test:
// STARTTLS with a self-signed certificate, AUTH PLAIN, a UTF-8 subject and
// body in quoted-printable, and the headers mail readers need.
func TestMailerSMTP(t *testing.T) {
	srv := testenv.MustStartSMTP(t)
	cfg, err := config.ParseSMTP(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	m := mail.New(mail.Options{Server: cfg, RootCAs: srv.RootCAs(), Now: func() time.Time { return now }})
	body := "Bonjour Zoë,\n\nRéinitialisez votre mot de passe : https://beacon.example/fr/password/reset/abc\n\n重置密码 — إعادة تعيين\n" +
		strings.Repeat("long line ", 20) + "\n"
	err = m.Send(context.Background(), mail.Message{To: "zoe@example.org", Subject: "Réinitialiser votre mot de passe — Beacon", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	if !got.TLS || !got.Authed {
		t.Errorf("tls %v, auth %v: want both", got.TLS, got.Authed)
	}
	if got.From != "noreply@beacon.test" || len(got.To) != 1 || got.To[0] != "zoe@example.org" {
		t.Errorf("envelope from %q to %v", got.From, got.To)
	}
	if got.Subject != "Réinitialiser votre mot de passe — Beacon" {
		t.Errorf("subject %q", got.Subject)
	}
	if got.Body != body {
		t.Errorf("body:\n%q\nwant\n%q", got.Body, body)
	}
	for k, want := range map[string]string{"Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "quoted-printable",
		"Mime-Version": "1.0", "Date": "Sat, 05 Dec 2026 10:00:00 +0000", "To": "<zoe@example.org>",
		"From": `"Beacon Test" <noreply@beacon.test>`, "Auto-Submitted": "auto-generated"} {
		if v := got.Header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}
	if id := got.Header.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@beacon.test>") {
		t.Errorf("Message-ID %q", id)
	}
	for _, line := range strings.Split(got.Raw, "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78 octets: %q", line)
		}
		for _, b := range []byte(line) {
			if b >= 0x80 {
				t.Fatalf("8-bit octet in the message: %q", line)
			}
		}
	}

	t.Run("refuses a server it cannot verify", func(t *testing.T) {
		m := mail.New(mail.Options{Server: cfg}) // system roots: the test certificate is unknown
		if err := m.Send(context.Background(), mail.Message{To: "zoe@example.org", Subject: "x", Body: "x"}); err == nil {
			t.Fatal("sent to a server with an unverified certificate")
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		bad := cfg
		bad.Password = "wrong"
		err := mail.New(mail.Options{Server: bad, RootCAs: srv.RootCAs()}).Send(context.Background(),
			mail.Message{To: "zoe@example.org", Subject: "x", Body: "x"})
		if err == nil || !strings.Contains(err.Error(), "auth") {
			t.Fatalf("err = %v, want an auth error", err)
		}
	})
	t.Run("header injection", func(t *testing.T) {
		err := m.Send(context.Background(), mail.Message{To: "a@example.org\r\nBcc: b@example.org", Subject: "x", Body: "x"})
		if err == nil {
			t.Fatal("a recipient with CRLF was accepted")
		}
		if err := m.Send(context.Background(), mail.Message{To: "a@example.org", Subject: "x\r\nBcc: b@example.org", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		if got := srv.Next(t); got.Header.Get("Bcc") != "" || len(got.To) != 1 {
			t.Fatalf("subject injected a header: %v", got.Header)
		}
	})
	if srv.Received() != 2 {
		t.Errorf("received %d messages, want 2", srv.Received())
	}
	if mail.New(mail.Options{}) != nil {
		t.Error("New without a server should be nil")
	}
}
