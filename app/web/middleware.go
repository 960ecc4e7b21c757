package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
)

// Cookie names.
const (
	cookieSession = "beacon_session"
	cookieLearner = "beacon_learner"
	cookieCSRF    = "beacon_csrf"
	cookieLocale  = "beacon_locale"
	cookieFlash   = "beacon_flash"
)

const sessionTTL = 30 * 24 * time.Hour

// csp allows nothing inline and nothing from elsewhere.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// middleware installs the chain in the documented order: recover → page
// cache → request id → access log → security headers → cross-origin reads
// (cors.go) → compression →
// UTF-8 check (utf8.go) → locale → session → cross-site check → after-change marks. Role checks (and the CSRF token of
// private forms) run per route (routes.go). A page served from the page
// cache skips everything after it: it is counted in the metrics
// (beacon_page_cache_total), not logged line by line, as a CDN would.
func (s *Server) middleware() {
	s.app.Use(recover.New())
	s.app.Use(s.cachePages)
	s.app.Use(requestid.New())
	s.app.Use(s.accessLog)
	s.app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: csp,
		ReferrerPolicy:        "strict-origin-when-cross-origin",
		PermissionPolicy:      "camera=(), microphone=(), geolocation=(), interest-cohort=()",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            31536000,
	}))
	s.app.Use(s.crossOrigin)
	s.app.Use(compress.New(compress.Config{Level: compress.LevelDefault}))
	s.app.Use(s.validText)
	s.app.Use(s.locale)
	s.app.Use(s.session)
	s.app.Use(s.csrf)
	s.app.Use(s.afterChange)
}

func requestID(c *fiber.Ctx) string {
	if v, ok := c.Locals(requestid.ConfigDefault.ContextKey).(string); ok {
		return v
	}
	return ""
}

// accessLog logs each request once, and feeds the Prometheus metrics.
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.app.Config().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	d := time.Since(start)
	routePath := c.Route().Path
	label := routePath
	if c.Locals(localUnmatched) != nil {
		label = routeUnmatched
	}
	s.metrics.requests.WithLabelValues(label, c.Method(), strconv.Itoa(status)).Inc()
	s.metrics.duration.WithLabelValues(label).Observe(d.Seconds())
	if !strings.HasPrefix(c.Path(), "/static/") {
		path := c.Path()
		if strings.HasSuffix(routePath, "/:token") {
			path = routePath // a reset or confirmation link is a secret: keep it out of logs
		}
		s.log.Info("request", "method", c.Method(), "path", path, "status", status,
			"duration_ms", float64(d.Microseconds())/1000, "request_id", requestID(c))
	}
	return nil
}

// locale puts the request's locale in Locals: the first path segment when
// it names an enabled locale, else the visitor's best match. The locale
// cookie that "/" reads is set by the visit pixel (visit.go), so that pages
// themselves set no cookie.
func (s *Server) locale(c *fiber.Ctx) error {
	seg := firstSegment(c.Path())
	if s.localeOn(c.UserContext(), seg) {
		c.Locals("locale", seg)
	} else {
		c.Locals("locale", s.bundle.MatchAmong(c.Cookies(cookieLocale), c.Get(fiber.HeaderAcceptLanguage), s.enabledLocales(c.UserContext())))
	}
	return c.Next()
}

func firstSegment(p string) string {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return p
}

// localeOf returns the locale chosen by the locale middleware.
func (s *Server) localeOf(c *fiber.Ctx) string {
	if l, ok := c.Locals("locale").(string); ok && l != "" {
		return l
	}
	// Errors raised before the middleware ran (an oversized body) still
	// answer in the page's language.
	if seg := firstSegment(c.Path()); s.bundle.Enabled(seg) {
		return seg
	}
	return s.bundle.Match(c.Cookies(cookieLocale), c.Get(fiber.HeaderAcceptLanguage))
}

// session loads the signed-in account from the session cookie, if any.
func (s *Server) session(c *fiber.Ctx) error {
	token := c.Cookies(cookieSession)
	if token == "" || strings.HasPrefix(c.Path(), "/static/") || isAPI(c) { // the API takes tokens only (apiauth.go)
		return c.Next()
	}
	u, err := s.sessionUser(c, token)
	switch app.ErrorCode(err) {
	case app.EINTERNAL:
		if err != nil {
			return err
		}
		c.Locals("user", u)
	default: // unknown or expired: forget the cookie
		s.clearCookie(c, cookieSession)
	}
	return c.Next()
}

// currentUser returns the signed-in account, or nil for a guest.
func currentUser(c *fiber.Ctx) *app.User {
	u, _ := c.Locals("user").(*app.User)
	return u
}

// csrf protects every unsafe request against cross-site forgery in two
// layers. First the browser's own word, as Go's
// net/http.CrossOriginProtection reads it: Sec-Fetch-Site must be
// same-origin or none, or, without it, Origin must name this site; a
// request with neither comes from no browser (or one too old to be made to
// post across sites) and passes. That is all a form on a shared page can
// have, since a page kept by caches carries no per-visitor token. Second,
// the _csrf token of private forms: when sent it must be right, and routes
// for signed-in accounts require it (requireAccess). The token is an HMAC
// of the visitor's CSRF cookie under the server secret: no server-side
// state, valid on every instance. A refusal changes nothing and answers 403.
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if !s.sameOrigin(c) {
		return app.Errorf(app.EFORBIDDEN, "error.csrf")
	}
	if sent := c.FormValue("_csrf"); sent != "" {
		cookie := c.Cookies(cookieCSRF)
		if cookie == "" || !hmac.Equal([]byte(sent), []byte(s.csrfToken(cookie))) {
			return app.Errorf(app.EFORBIDDEN, "error.csrf")
		}
		c.Locals(localCSRFToken, true)
	}
	return c.Next()
}

// afterChange follows an unsafe request that succeeded. The visitor now
// has something personal (progress, a joined campaign, a hidden alert, a
// session or a flash message): cookiePrivate keeps their pages out of
// shared caches from then on. A change in the admin area drops this
// instance's kept pages and cached sessions at once.
func (s *Server) afterChange(c *fiber.Ctx) error {
	if !unsafeMethod(c) {
		return c.Next()
	}
	err := c.Next()
	if err == nil && c.Response().StatusCode() < 400 {
		// A new value each time: the progress cache (pagefill.go) is keyed by it.
		if c.Locals(localAnonymousAgain) == nil {
			s.setCookie(c, cookiePrivate, strconv.FormatInt(time.Now().UnixNano(), 36), 365*24*time.Hour)
		}
		if seg := firstSegment(c.Path()); strings.HasPrefix(c.Path(), "/"+seg+"/admin/") {
			s.pages.invalidate()
			s.sessions.clear() // roles, disabled accounts
		}
	}
	return err
}

// Locals keys of csrf: a request that carried a right _csrf token; a
// request that left the browser with nothing personal (a logout).
const (
	localCSRFToken      = "csrf_token"
	localAnonymousAgain = "anonymous_again"
)

// sameOrigin applies the browser's word on where an unsafe request comes
// from (see csrf).
func (s *Server) sameOrigin(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default: // cross-site, same-site (a sibling host)
		return false
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // "null" (a sandboxed frame, a file) and garbage
	}
	if u.Host == string(c.Request().Host()) {
		return true
	}
	if b, err := url.Parse(s.baseURL(c)); err == nil && b.Host == u.Host && b.Scheme == u.Scheme {
		return true
	}
	return false
}

func (s *Server) csrfToken(cookie string) string {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte("csrf:" + cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// formToken returns the _csrf value for forms on this page, setting the
// CSRF cookie first when the visitor has none.
func (s *Server) formToken(c *fiber.Ctx) string {
	cookie := c.Cookies(cookieCSRF)
	if len(cookie) < 20 {
		cookie = app.NewToken()
		s.setCookie(c, cookieCSRF, cookie, 365*24*time.Hour)
		c.Request().Header.SetCookie(cookieCSRF, cookie)
	}
	return s.csrfToken(cookie)
}

// rotateCSRF gives the visitor a new CSRF cookie: every _csrf token made
// for the old one stops working. Forms rendered later in this request get
// tokens for the new one.
func (s *Server) rotateCSRF(c *fiber.Ctx) {
	cookie := app.NewToken()
	s.setCookie(c, cookieCSRF, cookie, 365*24*time.Hour)
	c.Request().Header.SetCookie(cookieCSRF, cookie)
}

// requireAccess enforces a route's access level: anonymous visitors are sent
// to the login page, signed-in users without the role get 403. Under /api/
// the API's rules apply instead (apiAccess: bearer tokens, 401/403 problems).
func (s *Server) requireAccess(access string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if isAPI(c) {
			return s.apiAccess(c, access)
		}
		if access == accessPublic {
			return c.Next()
		}
		u := currentUser(c)
		if u == nil {
			if !unsafeMethod(c) {
				return c.Redirect("/"+s.localeOf(c)+"/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
			}
			return app.Errorf(app.EUNAUTHORIZED, "error.unauthorized")
		}
		if unsafeMethod(c) && c.Locals(localCSRFToken) == nil {
			// Private forms carry the token; a request without it is refused
			// even from this site's own origin.
			return app.Errorf(app.EFORBIDDEN, "error.csrf")
		}
		if access != accessUser && !hasAnyRole(u, access) {
			return app.Errorf(app.EFORBIDDEN, "error.forbidden")
		}
		return c.Next()
	}
}

// learnerID is the pseudonymous learner of this request: the account's
// learner when signed in, else the guest cookie ("" when none yet). A page
// rendered to be shared (pagecache.go) has no learner: it shows nobody's
// progress.
func (s *Server) learnerID(c *fiber.Ctx) string {
	if sharedPage(c) {
		return ""
	}
	if u := currentUser(c); u != nil {
		return u.LearnerID
	}
	if v := c.Cookies(cookieLearner); validID(v) {
		return v
	}
	return ""
}

// ensureLearnerID returns the learner id, creating the guest cookie when
// the visitor has none.
func (s *Server) ensureLearnerID(c *fiber.Ctx) string {
	if id := s.learnerID(c); id != "" {
		return id
	}
	id := app.NewID()
	s.setCookie(c, cookieLearner, id, 365*24*time.Hour)
	c.Request().Header.SetCookie(cookieLearner, id)
	return id
}

// validID accepts the shape app.NewID makes: 22 URL-safe base64 characters.
func validID(s string) bool {
	if len(s) != 22 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) setCookie(c *fiber.Ctx, name, value string, ttl time.Duration) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", Expires: time.Now().Add(ttl),
		HTTPOnly: true, Secure: s.secureCookies(c), SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", Expires: time.Unix(1, 0), MaxAge: -1,
		HTTPOnly: true, Secure: s.secureCookies(c), SameSite: fiber.CookieSameSiteLaxMode})
}

// flash remembers a message id for the next page the visitor sees.
func (s *Server) flash(c *fiber.Ctx, messageID string) {
	s.setCookie(c, cookieFlash, messageID, time.Minute)
}

// takeFlash reads and clears the flash; only known message ids are shown.
func (s *Server) takeFlash(c *fiber.Ctx) string {
	v := c.Cookies(cookieFlash)
	if v == "" {
		return ""
	}
	s.clearCookie(c, cookieFlash)
	if !flashes[v] {
		return ""
	}
	return v
}

// unsafeMethod reports a request that may change something.
func unsafeMethod(c *fiber.Ctx) bool {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return false
	}
	return true
}

// isAPI reports a JSON API request.
func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// safeNext accepts only a path on this site as a redirect target, and
// returns it re-encoded so that the Location header carries nothing but
// printable ASCII; anything else gives fallback. Refused: no leading "/",
// a scheme-relative "//" or "/\\" (browsers read a backslash as a slash),
// any backslash, any control character (bytes below 0x20 and 0x7f) before
// or after percent-decoding (a "%0d%0a" would split the header; a "%09"
// is dropped by browsers, turning "/%09/evil.example" into "//evil.example"),
// and anything a URL parser reads as having a scheme or a host.
func safeNext(next, fallback string) string {
	if next == "" || len(next) > 512 || !localPath(next) {
		return fallback
	}
	decoded, err := url.PathUnescape(next)
	if err != nil || !localPath(decoded) {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return fallback
	}
	return escapeLocation(next)
}

// localPath reports a same-site absolute path: one leading slash, no
// backslash and no control character anywhere.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f {
			return false
		}
	}
	return true
}

// escapeLocation percent-encodes every byte of a checked path that is not
// printable ASCII or that a header or URL would misread (space, quotes,
// angle brackets), keeping the escapes already there.
func escapeLocation(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		if ch <= 0x20 || ch >= 0x7f || strings.IndexByte("\"<>`{|}^", ch) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// hasAnyRole reports whether u holds one of the roles in "a|b|c".
func hasAnyRole(u *app.User, roles string) bool {
	for _, r := range strings.Split(roles, "|") {
		if u.HasRole(r) {
			return true
		}
	}
	return false
}
