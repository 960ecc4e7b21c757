package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// securityTxtTTL is how far ahead security.txt's Expires lies: RFC 9116
// asks for less than a year, so that a stale file is noticed.
const securityTxtTTL = 180 * 24 * time.Hour

// securityTxt serves /.well-known/security.txt (RFC 9116): how to report a
// vulnerability to whoever runs this site, from BEACON_SECURITY_CONTACT.
// Without a contact there is no such file (404).
func (s *Server) securityTxt(c *fiber.Ctx) error {
	if len(s.opts.SecurityContacts) == 0 {
		return fiber.ErrNotFound
	}
	var b strings.Builder
	for _, contact := range s.opts.SecurityContacts {
		b.WriteString("Contact: " + contact + "\n")
	}
	b.WriteString("Expires: " + s.now().Add(securityTxtTTL).Truncate(24*time.Hour).Format(time.RFC3339) + "\n")
	b.WriteString("Preferred-Languages: " + strings.Join(s.bundle.Locales(), ", ") + "\n")
	if base := s.opts.BaseURL; base != "" {
		b.WriteString("Canonical: " + base + "/.well-known/security.txt\n")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Type("txt", "utf-8")
	return c.SendString(b.String())
}
