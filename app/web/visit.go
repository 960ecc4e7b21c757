package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// cookieSeen marks a browser whose first visit is already counted.
const cookieSeen = "beacon_seen"

// countVisit records a visitor's first public page view in the site-wide
// statistics, under the pseudonymous learner id of the cookie (a guest
// gets one now). The seen-cookie makes later pages cost nothing; the
// engine would ignore repeats anyway. Admin pages, errors and non-page
// requests are not visits.
func (s *Server) countVisit(c *fiber.Ctx) error {
	err := c.Next()
	if err != nil || c.Method() != fiber.MethodGet || c.Response().StatusCode() != fiber.StatusOK || c.Cookies(cookieSeen) != "" {
		return err
	}
	seg := firstSegment(c.Path())
	if !s.bundle.Enabled(seg) || strings.HasPrefix(c.Path(), "/"+seg+"/admin") ||
		!strings.HasPrefix(string(c.Response().Header.ContentType()), "text/html") {
		return nil
	}
	if rerr := s.store.RecordVisit(c.UserContext(), s.ensureLearnerID(c), 0, 0, s.localeOf(c)); rerr != nil {
		s.log.Warn("count visit", "err", rerr, "request_id", requestID(c))
		return nil
	}
	s.setCookie(c, cookieSeen, "1", 365*24*time.Hour)
	return nil
}
