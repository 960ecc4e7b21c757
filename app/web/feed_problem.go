package web

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// problemXML is an RFC 9457 problem details document in XML (its
// appendix A): what a CAP or Atom reader gets instead of an HTML page.
type problemXML struct {
	XMLName xml.Name `xml:"urn:ietf:rfc:7807 problem"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Type    string   `xml:"type"`
	Title   string   `xml:"title"`
	Status  int      `xml:"status"`
	Detail  string   `xml:"detail"`
}

// problemXMLType is the media type of problemXML.
const problemXMLType = "application/problem+xml"

// feedResourceFormat says in which format an error on the path must be
// told: "xml" for CAP documents and feeds, "text" for calendars, "" for
// the HTML error page.
func feedResourceFormat(path string) string {
	switch {
	case strings.HasSuffix(path, ".ics"):
		return "text"
	case strings.HasSuffix(path, ".cap"), strings.HasPrefix(path, "/feeds/"):
		return "xml"
	}
	return ""
}

// feedProblem answers an error on a CAP document, a feed or a calendar in
// that resource's own family of formats (problem+xml, or plain text for
// calendars), localized in the request's language (?lang= on feeds), and
// reports whether it answered; other paths are left to the HTML page.
func (s *Server) feedProblem(c *fiber.Ctx, status int, msgID string) (bool, error) {
	format := feedResourceFormat(c.Path())
	if format == "" {
		return false, nil
	}
	loc := s.localeOf(c)
	if q := c.Query("lang"); q != "" && s.localeOn(c.UserContext(), q) {
		loc = q
	}
	l := s.bundle.Localizer(loc)
	title, detail := l.T(fmt.Sprintf("error.title.%d", status), nil), l.T(msgID, nil)
	c.Status(status)
	c.Set(fiber.HeaderContentLanguage, loc)
	if status < 500 && status != fiber.StatusTooManyRequests {
		c.Set(fiber.HeaderCacheControl, feedMaxAge)
	} else {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	if format == "text" {
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		return true, c.SendString(fmt.Sprintf("%d %s\n%s\n", status, title, detail))
	}
	out, err := xml.MarshalIndent(problemXML{Lang: loc, Type: "about:blank", Title: title, Status: status, Detail: detail}, "", "  ")
	if err != nil {
		return true, fmt.Errorf("feed problem: %w", err)
	}
	c.Set(fiber.HeaderContentType, problemXMLType+"; charset=utf-8")
	return true, c.Send(append(append([]byte(xml.Header), out...), '\n'))
}
