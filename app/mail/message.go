package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"time"
)

// Message is one plain-text mail to one recipient.
type Message struct {
	To      string // a bare address, "ana@example.org"
	Subject string // one line; UTF-8
	Body    string // UTF-8, lines separated by "\n"
}

// compose writes msg as an RFC 5322 message from from, dated now: UTF-8
// text in quoted-printable, so that every line stays short and 7-bit, and
// a subject in RFC 2047 encoded words when it is not plain ASCII.
func compose(from netmail.Address, msg Message, now time.Time) ([]byte, error) {
	to, err := netmail.ParseAddress(msg.To)
	if err != nil || to.Address != msg.To {
		return nil, fmt.Errorf("recipient %q is not a bare mail address", msg.To)
	}
	id, err := messageID(from.Address)
	if err != nil {
		return nil, err
	}
	subject := strings.Join(strings.Fields(msg.Subject), " ") // one line, no CR or LF
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", (&netmail.Address{Address: to.Address}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", id)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	// RFC 3834: a machine wrote this; vacation responders stay quiet.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(msg.Body, "\r\n", "\n")
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, fmt.Errorf("encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("encode body: %w", err)
	}
	return b.Bytes(), nil
}

// messageID is a new "<random@domain>" with the sender's domain.
func messageID(from string) (string, error) {
	domain := "beacon.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	return "<" + hex.EncodeToString(raw) + "@" + domain + ">", nil
}
