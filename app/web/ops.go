package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process is up.
func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// readyz answers 200 when the database is reachable and every migration is
// applied, else 503.
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unreachable")
	}
	if s.opts.Migrations != nil {
		pending, err := s.store.Pending(ctx, s.opts.Migrations)
		if err != nil || len(pending) > 0 {
			return c.Status(fiber.StatusServiceUnavailable).SendString("migrations pending")
		}
	}
	return c.SendString("ready")
}

// metricsHandler serves the Prometheus metrics to those metricsAllowed.
func (s *Server) metricsHandler() fiber.Handler {
	serve := adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		if !s.metricsAllowed(c) {
			// 404, as for any page that does not exist: the public learns
			// nothing, not even that metrics are served here.
			return fiber.ErrNotFound
		}
		return serve(c)
	}
}

// metricsAllowed reports a request that may read /metrics: from one of
// Options.MetricsAllow (the client address as clientAddr resolves it: the
// TCP peer, or behind a trusted proxy the address that proxy saw), or with
// the bearer token, compared in constant time.
func (s *Server) metricsAllowed(c *fiber.Ctx) bool {
	if tok := s.opts.MetricsToken; tok != "" {
		if sent, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok {
			want, got := sha256.Sum256([]byte(tok)), sha256.Sum256([]byte(strings.TrimSpace(sent)))
			if subtle.ConstantTimeCompare(want[:], got[:]) == 1 {
				return true
			}
		}
	}
	a := s.clientAddr(c)
	if !a.IsValid() {
		return false
	}
	for _, p := range s.opts.MetricsAllow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// rootRedirect sends / to the visitor's best locale.
func (s *Server) rootRedirect(c *fiber.Ctx) error {
	c.Set(fiber.HeaderVary, "Accept-Language, Cookie")
	return c.Redirect("/"+s.localeOf(c)+"/", fiber.StatusFound)
}

// langRedirect adds the trailing slash to /{lang}, and sends an unknown
// first segment to the best locale's home.
func (s *Server) langRedirect(c *fiber.Ctx) error {
	if s.localeOn(c.UserContext(), c.Params("lang")) {
		return c.Redirect("/"+c.Params("lang")+"/", fiber.StatusMovedPermanently)
	}
	return fiber.ErrNotFound
}
