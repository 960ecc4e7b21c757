package web

import (
	"context"
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

func (s *Server) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
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
