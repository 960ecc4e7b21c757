package testenv

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTP user and password the test server accepts.
const (
	SMTPUser     = "beacon"
	SMTPPassword = "mail-pässword"
)

// Mail is one message the test SMTP server received, decoded.
type Mail struct {
	From    string   // envelope sender
	To      []string // envelope recipients
	Raw     string   // the message as sent
	Header  netmail.Header
	Subject string // decoded
	Body    string // decoded from quoted-printable
	// TLS and Authed say how the message arrived.
	TLS, Authed bool
}

// SMTPServer is a real SMTP server on loopback for tests: STARTTLS with a
// self-signed certificate made for the test, AUTH PLAIN offered only over
// TLS, every accepted message kept in arrival order.
type SMTPServer struct {
	tb    testing.TB
	addr  string
	roots *x509.CertPool
	mails chan Mail
	mu    sync.Mutex
	count int
}

// MustStartSMTP starts the server until the test ends.
func MustStartSMTP(tb testing.TB) *SMTPServer {
	tb.Helper()
	cert, roots := selfSigned(tb)
	s := &SMTPServer{tb: tb, roots: roots, mails: make(chan Mail, 100)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{srv: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.AllowInsecureAuth = false
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.ErrorLog = discardLogger{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is a BEACON_SMTP_URL for this server, STARTTLS with the test
// account, sending as "Beacon Test <noreply@beacon.test>".
func (s *SMTPServer) URL() string {
	u := url.URL{Scheme: "smtp", User: url.UserPassword(SMTPUser, SMTPPassword), Host: s.addr,
		RawQuery: url.Values{"from": {"Beacon Test <noreply@beacon.test>"}}.Encode()}
	return u.String()
}

// Addr is the server's host:port.
func (s *SMTPServer) Addr() string { return s.addr }

// RootCAs trust the server's self-signed certificate.
func (s *SMTPServer) RootCAs() *x509.CertPool { return s.roots }

// Next waits for the next message (failing the test after a minute: a
// bound for a broken test, not a timing assertion).
func (s *SMTPServer) Next(tb testing.TB) Mail {
	tb.Helper()
	select {
	case m := <-s.mails:
		return m
	case <-time.After(time.Minute):
		tb.Fatal("no mail arrived at the test SMTP server")
		return Mail{}
	}
}

// Received is how many messages the server has accepted so far.
func (s *SMTPServer) Received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// discardLogger drops go-smtp's connection errors (clients that hang up).
type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

type smtpSession struct {
	srv    *SMTPServer
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (x *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != SMTPUser || pass != SMTPPassword {
			return errors.New("invalid credentials")
		}
		x.authed = true
		return nil
	}), nil
}

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Mail{From: x.from, To: x.to, Raw: string(raw), Authed: x.authed}
	_, m.TLS = x.conn.TLSConnectionState()
	msg, err := netmail.ReadMessage(strings.NewReader(m.Raw))
	if err != nil {
		return err
	}
	m.Header = msg.Header
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		if body, err = io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(body)))); err != nil {
			return err
		}
	}
	m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	x.srv.mu.Lock()
	x.srv.count++
	x.srv.mu.Unlock()
	x.srv.mails <- m
	return nil
}

func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost, valid for a
// day, and a pool that trusts it.
func selfSigned(tb testing.TB) (tls.Certificate, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "beacon test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
