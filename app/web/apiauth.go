package web

import (
	"strconv"
	"strings"
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// Authentication of the JSON API: a personal API token in
// "Authorization: Bearer <token>" (RFC 6750), and nothing else. The
// session middleware skips /api/ paths, so a session cookie never
// authenticates the API: no request a browser sends on its own (a form
// or an image on another site) can act as anyone there, and no CSRF
// question arises.

// localAPIToken is the Locals key of the token that authenticated the request.
const localAPIToken = "api_token"

// apiAccess is requireAccess for /api/ paths: public routes pass (a token
// sent to them is not looked at); private routes need a live token whose
// owner holds the route's access level now (roles are read at every
// request, so a role removed is a permission lost at once). It answers
// 401 problems with a WWW-Authenticate challenge, and 403 when the owner
// lacks the role. Failed token attempts count under the token_address
// rate limit; past it the answer is 429.
func (s *Server) apiAccess(c *fiber.Ctx, access string) error {
	if access == accessPublic {
		return c.Next()
	}
	header := c.Get(fiber.HeaderAuthorization)
	if header == "" {
		c.Set(fiber.HeaderWWWAuthenticate, "Bearer")
		return app.Errorf(app.EUNAUTHORIZED, "error.unauthorized")
	}
	scheme, token, _ := strings.Cut(header, " ")
	var u *app.User
	var tok app.APIToken
	var err error = app.Errorf(app.EUNAUTHORIZED, "error.unauthorized")
	if strings.EqualFold(scheme, "Bearer") {
		u, tok, err = s.store.FindAPITokenUser(c.UserContext(), strings.TrimSpace(token))
	}
	if err != nil {
		if app.ErrorCode(err) != app.EUNAUTHORIZED {
			return err
		}
		if wait, over := s.tokenFailure(c); over {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
			return &fiberTooMany
		}
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
		return err
	}
	c.Locals("user", u)
	c.Locals(localAPIToken, tok)
	if access != accessUser && !hasAnyRole(u, access) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="insufficient_scope"`)
		return app.Errorf(app.EFORBIDDEN, "error.forbidden")
	}
	return c.Next()
}

// tokenFailure counts one failed token attempt from the client's address
// and reports whether the address is past the token_address limit, and
// how many seconds remain of its window. A counter that fails lets the
// request through, as every limit does.
func (s *Server) tokenFailure(c *fiber.Ctx) (int, bool) {
	r := s.opts.Limits.TokenAddress
	if r.Max <= 0 || r.Window <= 0 {
		return 0, false
	}
	now := s.now()
	hits, resetsAt, err := s.rates.HitRateLimit(c.UserContext(), s.rateBucket("token_address", s.keyAddress(c)), r.Window, now)
	if err != nil {
		s.log.Warn("rate limit not checked; request let through", "limit", "token_address", "err", err, "request_id", requestID(c))
		return 0, false
	}
	if hits <= int64(r.Max) {
		return 0, false
	}
	return max(int((resetsAt.Sub(now)+time.Second-1)/time.Second), 1), true
}
