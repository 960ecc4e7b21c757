package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// SMTPSecurity is how the connection to the mail server is protected.
type SMTPSecurity string

// The ways to talk to the mail server.
const (
	// SMTPStartTLS (smtp://) upgrades the connection with STARTTLS and
	// refuses to send when the server does not offer it.
	SMTPStartTLS SMTPSecurity = "starttls"
	// SMTPImplicitTLS (smtps://) speaks TLS from the first byte.
	SMTPImplicitTLS SMTPSecurity = "tls"
	// SMTPNoTLS (smtp://host?tls=none) sends in the clear, for a relay on
	// the same machine; refused with a user name or password.
	SMTPNoTLS SMTPSecurity = "none"
)

// SMTP is the parsed BEACON_SMTP_URL. The zero value means no mail.
type SMTP struct {
	Host     string // host name or address, without port
	Port     string
	Username string // "" = no AUTH
	Password string
	Security SMTPSecurity
	// From is the sender, "Beacon <noreply@example.org>" parsed.
	From mail.Address
}

// Enabled reports whether a mail server is configured.
func (s SMTP) Enabled() bool { return s.Host != "" }

// Addr is host:port for dialing.
func (s SMTP) Addr() string { return net.JoinHostPort(s.Host, s.Port) }

// SMTP returns the parsed mail server settings. Call it after Validate,
// which reports a bad URL; here a bad URL gives no mail.
func (c *Config) SMTP() SMTP {
	s, err := ParseSMTP(c.SMTPURL)
	if err != nil {
		return SMTP{}
	}
	return s
}

// ParseSMTP reads "smtp://user:pass@host:587?from=..." (STARTTLS required,
// port 587 by default), "smtps://user:pass@host?from=..." (TLS from the
// start, port 465 by default) or "smtp://host:25?tls=none&from=..." (no
// TLS, no AUTH: a relay on the same machine). User name and password are
// URL-encoded; from is a mail address with an optional display name,
// URL-encoded too ("Beacon%20%3Cnoreply%40example.org%3E"). "" gives the
// zero SMTP. Errors never repeat the password.
func ParseSMTP(raw string) (SMTP, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return SMTP{}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return SMTP{}, errors.New("not a URL: want smtp://user:password@host:587?from=noreply@example.org")
	}
	var s SMTP
	switch u.Scheme {
	case "smtp":
		s.Security, s.Port = SMTPStartTLS, "587"
	case "smtps":
		s.Security, s.Port = SMTPImplicitTLS, "465"
	default:
		return SMTP{}, fmt.Errorf("scheme %q: want smtp:// (STARTTLS) or smtps:// (TLS)", u.Scheme)
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return SMTP{}, errors.New("the URL names no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTP{}, fmt.Errorf("port %q is not a port number", p)
		}
		s.Port = p
	}
	if u.Path != "" && u.Path != "/" {
		return SMTP{}, errors.New("the URL must have no path")
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "from" && k != "tls" {
			return SMTP{}, fmt.Errorf("unknown parameter %q (known: from, tls)", k)
		}
	}
	switch v := q.Get("tls"); v {
	case "":
	case "none":
		if s.Security != SMTPStartTLS {
			return SMTP{}, errors.New("tls=none goes with smtp://, not smtps://")
		}
		if u.User != nil {
			return SMTP{}, errors.New("tls=none refuses a user name or password: they would cross the network in the clear")
		}
		s.Security = SMTPNoTLS
	default:
		return SMTP{}, fmt.Errorf("tls=%q: only tls=none is known (STARTTLS is the default)", v)
	}
	from := q.Get("from")
	if from == "" {
		return SMTP{}, errors.New("from is missing: add ?from=noreply@example.org (or from=Beacon%20%3Cnoreply%40example.org%3E)")
	}
	a, err := mail.ParseAddress(from)
	if err != nil || strings.ContainsAny(a.Address, "\r\n") {
		return SMTP{}, fmt.Errorf("from %q is not a mail address", from)
	}
	s.From = *a
	return s, nil
}
