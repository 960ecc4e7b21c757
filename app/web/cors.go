package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Resources that other sites and apps may read from a browser: the JSON
// API, the feeds, CAP documents, calendars, signed credentials and the keys
// that verify them. They are public (a token, when the API needs one,
// travels in the Authorization header, never in a cookie), so any origin
// may read them; cookies are never part of the deal.
var crossOriginPrefixes = []string{"/api/", "/feeds/", "/credentials/", "/.well-known/jwks.json", "/.well-known/did.json"}

// crossOriginSuffixes are file-like resources under other paths (one
// alert's CAP document, a campaign's or an alert's calendar, a
// certificate's credential).
var crossOriginSuffixes = []string{".cap", ".ics", ".jwt", ".vc.json"}

// crossOriginPath reports a path that other origins may read.
func crossOriginPath(p string) bool {
	for _, pre := range crossOriginPrefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	for _, suf := range crossOriginSuffixes {
		if strings.HasSuffix(p, suf) {
			return true
		}
	}
	return false
}

// crossOrigin opens the resources crossOriginPath names to every origin:
// Access-Control-Allow-Origin: * with the headers a reader needs, and a
// Cross-Origin-Resource-Policy that lets another origin embed them (the
// security headers set same-origin for everything else). It answers a
// preflight itself. It runs as global middleware so that errors and
// unknown paths under these prefixes carry the same headers.
func (s *Server) crossOrigin(c *fiber.Ctx) error {
	if !crossOriginPath(c.Path()) {
		return c.Next()
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	h.Set(fiber.HeaderAccessControlExposeHeaders, "ETag, Last-Modified, Link, Location, Retry-After, Content-Language")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if c.Method() == fiber.MethodOptions && len(c.Get(fiber.HeaderAccessControlRequestMethod)) > 0 {
		h.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD, OPTIONS")
		h.Set(fiber.HeaderAccessControlAllowHeaders, "Authorization, Accept, Accept-Language, If-None-Match, If-Modified-Since")
		h.Set(fiber.HeaderAccessControlMaxAge, "86400")
		h.Add(fiber.HeaderVary, "Access-Control-Request-Headers")
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Next()
}
