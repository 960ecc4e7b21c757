package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"time"

	"beacon/app/config"
)

// defaultTimeout bounds one message's whole conversation with the server.
const defaultTimeout = 30 * time.Second

// Options configure a Mailer.
type Options struct {
	// Server is the parsed BEACON_SMTP_URL.
	Server config.SMTP
	// RootCAs verify the server's certificate; nil uses the system's.
	RootCAs *x509.CertPool
	// Hello is the name given in EHLO; "" = "localhost".
	Hello string
	// Timeout bounds each message; 0 = 30 s.
	Timeout time.Duration
	// Now is the clock for the Date header; nil = time.Now.
	Now func() time.Time
}

// Mailer sends messages through one SMTP server. It holds no connection
// between messages, so it is safe for concurrent use.
type Mailer struct {
	opts Options
}

// New returns a Mailer for opts.Server, or nil when no server is
// configured (callers test for nil: no mail).
func New(opts Options) *Mailer {
	if !opts.Server.Enabled() {
		return nil
	}
	if opts.Hello == "" {
		opts.Hello = "localhost"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Mailer{opts: opts}
}

// Send delivers msg to the server: a TLS session first (STARTTLS, or TLS
// from the start), then AUTH PLAIN when a user name is configured, then
// the message. A server that offers no STARTTLS, a certificate that does
// not verify, or a refused login stops before anything is sent.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	srv := m.opts.Server
	raw, err := compose(srv.From, msg, m.opts.Now())
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, m.opts.Timeout)
	defer cancel()
	tlsConf := &tls.Config{ServerName: srv.Host, RootCAs: m.opts.RootCAs, MinVersion: tls.VersionTLS12}
	dialer := &net.Dialer{}
	var conn net.Conn
	if srv.Security == config.SMTPImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: tlsConf}).DialContext(ctx, "tcp", srv.Addr())
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", srv.Addr())
	}
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", srv.Addr(), err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, srv.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: greeting from %s: %w", srv.Addr(), err)
	}
	defer c.Close()
	if err := m.converse(c, tlsConf, srv.From.Address, msg.To, raw); err != nil {
		return fmt.Errorf("mail to %s via %s: %w", srv.Addr(), redactedTo(msg.To), err)
	}
	return nil
}

// converse runs the SMTP dialogue on an open client.
func (m *Mailer) converse(c *smtp.Client, tlsConf *tls.Config, from, to string, raw []byte) error {
	srv := m.opts.Server
	if err := c.Hello(m.opts.Hello); err != nil {
		return fmt.Errorf("ehlo: %w", err)
	}
	if srv.Security == config.SMTPStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("the server offers no STARTTLS; refusing to send in the clear (use smtps:// for TLS from the start)")
		}
		if err := c.StartTLS(tlsConf); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if srv.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the server offers no AUTH, but BEACON_SMTP_URL has a user name")
		}
		// net/smtp's PlainAuth itself refuses a connection without TLS.
		if err := c.Auth(smtp.PlainAuth("", srv.Username, srv.Password, srv.Host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return c.Quit()
}

// redactedTo keeps the domain of an address for logs: enough to see which
// provider refused, without writing who was mailed.
func redactedTo(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == '@' {
			return "…" + addr[i:]
		}
	}
	return "…"
}
