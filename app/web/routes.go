package web

import (
	"beacon/app"

	"strings"

	"github.com/gofiber/fiber/v2"
)

// Access levels a route may require: public, any signed-in account, or
// one of several roles written "educator|reviewer" (administrators hold
// every role).
const (
	accessPublic   = ""       // anyone
	accessUser     = "signed" // any signed-in account
	accessStaff    = app.RoleEducator + "|" + app.RoleReviewer + "|" + app.RoleOrganizer + "|" + app.RoleAdministrator
	accessEdit     = app.RoleEducator
	accessReview   = app.RoleReviewer
	accessContent  = app.RoleEducator + "|" + app.RoleReviewer
	accessAdmin    = app.RoleAdministrator
	accessOrganize = app.RoleOrganizer
)

// route is one row of THE route table: method, path, who may use it, and
// the handlers (rate limiters first).
type route struct {
	Method  string
	Path    string
	Access  string // accessPublic, accessUser, or an app.Role*
	Handler []fiber.Handler
}

// table is the one place that says which route exists and who may use it.
func (s *Server) table() []route {
	lim := s.opts.Limits
	loginLimit := s.limit(rateRule{"login_account", lim.LoginAccount, keyAccount}, rateRule{"login_address", lim.LoginAddress, s.keyAddress})
	registerLimit := s.limit(rateRule{"register_account", lim.RegisterAccount, keyAccount}, rateRule{"register_address", lim.RegisterAddress, s.keyAddress})
	resetLimit := s.limit(rateRule{"reset_account", lim.ResetAccount, keyAccount}, rateRule{"reset_address", lim.ResetAddress, s.keyAddress})
	resetUseLimit := s.limit(rateRule{"reset_address", lim.ResetAddress, s.keyAddress})
	quizIPLimit := s.limit(rateRule{"quiz_address", lim.QuizAddress, s.keyAddress})
	quizLearnerLimit := s.limit(rateRule{"quiz_learner", lim.QuizLearner, s.keyLearner})
	// Guesses at the current password on the account page count with
	// sign-in guesses at the same account.
	accountLimit := s.limit(rateRule{"login_account", lim.LoginAccount, keySignedIn})
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	rs := []route{
		{"GET", "/healthz", accessPublic, h(s.healthz)},
		{"GET", "/readyz", accessPublic, h(s.readyz)},
		{"GET", "/metrics", accessPublic, h(s.metricsHandler())},
		{"GET", "/.well-known/security.txt", accessPublic, h(s.securityTxt)},
		{"GET", "/", accessPublic, h(s.rootRedirect)},
		// Not kept for everyone: their language follows the visitor, not the URL.
		{"GET", "/certificates/:code", accessPublic, h(s.certificateShow)},
		// Before "/:lang/", which would take "/certificates" for a language.
		{"GET", "/certificates", accessPublic, h(s.certificateLookup)},
		{"GET", "/visit.gif", accessPublic, h(s.visitPixel)},
		// Files every site is asked for at its root (findable.go), before
		// "/:lang/", which would take them (routing ignores a missing
		// trailing slash).
		{"GET", "/robots.txt", accessPublic, h(s.robotsTxt)},
		{"GET", "/sitemap.xml", accessPublic, h(s.sitemap)},
		{"GET", "/favicon.ico", accessPublic, h(s.favicon)},
		{"GET", "/icons/:file", accessPublic, h(s.icon)},
		{"GET", "/sw.js", accessPublic, h(s.serviceWorker)}, // offline.go: the worker must sit at the root

		{"GET", "/:lang/", accessPublic, h(shared, s.home)},
		{"GET", "/:lang/courses", accessPublic, h(shared, s.catalog)},
		{"GET", "/:lang/courses/:course", accessPublic, h(shared, s.courseShow)},
		{"GET", "/:lang/courses/:course/lessons/:lesson", accessPublic, h(shared, fillable, s.lessonShow)},
		{"POST", "/:lang/courses/:course/lessons/:lesson/complete", accessPublic, h(s.lessonComplete)},
		{"GET", "/:lang/courses/:course/quiz", accessPublic, h(s.quizShow)},
		{"POST", "/:lang/courses/:course/quiz", accessPublic, h(quizIPLimit, quizLearnerLimit, s.quizSubmit)},
		{"GET", "/:lang/courses/:course/quiz/results/:attempt", accessPublic, h(s.quizResult)},

		{"GET", "/:lang/register", accessPublic, h(shared, s.registerForm)},
		{"POST", "/:lang/register", accessPublic, h(registerLimit, s.register)},
		{"GET", "/:lang/login", accessPublic, h(shared, s.loginForm)},
		{"POST", "/:lang/login", accessPublic, h(loginLimit, s.login)},
		{"POST", "/:lang/logout", accessPublic, h(s.logout)},
		{"GET", "/:lang/register/sent", accessPublic, h(shared, s.registerSent)},
		{"GET", "/:lang/register/confirm/:token", accessPublic, h(s.confirmForm)},
		{"POST", "/:lang/register/confirm/:token", accessPublic, h(resetUseLimit, s.confirm)},
		{"GET", "/:lang/password/forgot", accessPublic, h(shared, s.forgotForm)},
		{"POST", "/:lang/password/forgot", accessPublic, h(resetLimit, s.forgot)},
		{"GET", "/:lang/password/sent", accessPublic, h(shared, s.forgotSent)},
		{"GET", "/:lang/password/reset/:token", accessPublic, h(s.resetForm)},
		{"POST", "/:lang/password/reset/:token", accessPublic, h(resetUseLimit, s.reset)},

		{"GET", "/:lang/me", accessPublic, h(s.me)},
		{"GET", "/:lang/me/export", accessUser, h(s.meExport)},
		{"GET", "/:lang/me/delete", accessUser, h(s.meDeleteForm)},
		{"POST", "/:lang/me/delete", accessUser, h(s.meDelete)},
		{"GET", "/:lang/me/account", accessUser, h(s.meAccount)},
		{"POST", "/:lang/me/account/password", accessUser, h(accountLimit, s.mePassword)},
		{"POST", "/:lang/me/account/email", accessUser, h(accountLimit, s.meEmail)},
		{"POST", "/:lang/me/account/sessions/end-others", accessUser, h(s.meSessionsEndOthers)},
		{"POST", "/:lang/me/account/sessions/:id/end", accessUser, h(s.meSessionEnd)},

		{"GET", "/:lang/admin/", accessStaff, h(s.adminHome)},

		// Certificates as Open Badges 3.0 credentials (credential.go).
		{"GET", "/certificates/:code/credential.jwt", accessPublic, h(s.credentialDownload)},
		{"GET", "/credentials/issuer", accessPublic, h(s.issuerProfile)},
		{"GET", "/credentials/status/:list", accessPublic, h(s.statusList)},
		{"GET", "/.well-known/jwks.json", accessPublic, h(s.jwks)},
		{"GET", "/.well-known/did.json", accessPublic, h(s.didDocument)},
		{"GET", apiPrefix + "/certificates/:code", accessPublic, h(s.apiCertificateShow)},
		{"GET", "/:lang/manifest.webmanifest", accessPublic, h(s.manifest)},
		{"GET", "/:lang/share/:kind/:file", accessPublic, h(s.shareImage)},
		// Offline reading (offline.go).
		{"GET", "/:lang/offline", accessPublic, h(shared, s.offlinePage)},
	}
	rs = append(rs, s.courseAdminRoutes()...)
	rs = append(rs, s.administratorRoutes()...)
	rs = append(rs, s.mediaRoutes()...)
	rs = append(rs, s.regionRoutes()...)
	rs = append(rs, s.packRoutes()...)
	rs = append(rs, s.campaignRoutes()...)
	rs = append(rs, s.statsRoutes()...)
	rs = append(rs, s.translationRoutes()...)
	rs = append(rs, s.alertRoutes()...)
	rs = append(rs, s.alertAdminRoutes()...)
	rs = append(rs, s.apiRoutes()...)
	rs = append(rs, s.tokenRoutes()...)
	rs = append(rs, s.privateAPIRoutes()...)
	rs = append(rs, s.calendarRoutes()...)
	rs = append(rs, s.feedbackRoutes()...)
	rs = append(rs, s.itemRoutes()...)
	rs = append(rs, s.reportDownloadRoutes()...)
	rs = append(rs, s.printRoutes()...)
	return rs
}

// mount registers the route table; each route's access check runs before
// its handlers. Every GET route also answers HEAD (the same headers, no
// body: load balancers and uptime monitors use it), and every path answers
// OPTIONS with the methods it allows.
func (s *Server) mount() {
	s.routes = s.table()
	s.app.Get("/static/*", s.assets.serve)
	allowed := map[string][]string{"/static/*": {fiber.MethodGet}, "/:lang": {fiber.MethodGet}}
	var paths []string
	for _, r := range s.routes {
		handlers := []fiber.Handler{s.requireAccess(r.Access)}
		if strings.HasPrefix(r.Path, "/:lang/") {
			handlers = append([]fiber.Handler{s.requireLocale}, handlers...)
		}
		handlers = append(handlers, r.Handler...)
		if r.Method == fiber.MethodGet {
			s.app.Get(r.Path, handlers...) // GET and HEAD
		} else {
			s.app.Add(r.Method, r.Path, handlers...)
		}
		if _, ok := allowed[r.Path]; !ok {
			paths = append(paths, r.Path)
		}
		allowed[r.Path] = append(allowed[r.Path], r.Method)
	}
	s.app.Get("/:lang", s.langRedirect)
	for _, p := range append([]string{"/static/*"}, paths...) {
		s.app.Options(p, allowHandler(allowed[p]))
	}
	s.app.Options("/:lang", allowHandler(allowed["/:lang"]))
	for _, p := range paths {
		if strings.HasPrefix(p, apiPrefix+"/") {
			s.app.All(p, apiMethodNotAllowed(allowed[p])) // a problem, not the 404 below
		}
	}
	s.app.Use(unmatched)
}

// unmatched answers a path no route takes: 404, counted in /metrics under
// one label (routeUnmatched) whatever the path.
func unmatched(c *fiber.Ctx) error {
	c.Locals(localUnmatched, true)
	return fiber.ErrNotFound
}

// allowHandler answers OPTIONS: 204 with the methods the path allows.
func allowHandler(methods []string) fiber.Handler {
	allow := allowList(methods)
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderAllow, allow)
		c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// allowList is the Allow header of a path: its methods, HEAD with GET,
// and OPTIONS.
func allowList(methods []string) string {
	seen := map[string]bool{}
	var list []string
	for _, m := range methods {
		if m == fiber.MethodGet && !seen[fiber.MethodHead] {
			list = append(list, fiber.MethodGet, fiber.MethodHead)
			seen[fiber.MethodGet], seen[fiber.MethodHead] = true, true
			continue
		}
		if !seen[m] {
			list = append(list, m)
			seen[m] = true
		}
	}
	return strings.Join(append(list, fiber.MethodOptions), ", ")
}

// Routes lists the route table (method, path, access) for tests and docs.
func (s *Server) Routes() []struct{ Method, Path, Access string } {
	out := make([]struct{ Method, Path, Access string }, 0, len(s.routes))
	for _, r := range s.routes {
		out = append(out, struct{ Method, Path, Access string }{r.Method, r.Path, r.Access})
	}
	return out
}

// requireLocale answers 404 when the first path segment is not an enabled locale.
func (s *Server) requireLocale(c *fiber.Ctx) error {
	if !s.localeOn(c.UserContext(), c.Params("lang")) {
		return unmatched(c) // "/wp-login.php" is no language
	}
	return c.Next()
}

// keyAddress counts by the client's address (clientAddr, never Fiber's
// c.IP()); an IPv6 client by its /64, the share one subscriber gets.
func (s *Server) keyAddress(c *fiber.Ctx) string {
	a := s.clientAddr(c)
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.String()
		}
	}
	return a.String()
}

// keyAccount counts sign-ins by the e-mail address tried, lower-cased.
func keyAccount(c *fiber.Ctx) string {
	e := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	if len(e) > maxEmail {
		e = e[:maxEmail]
	}
	return e
}

// keySignedIn counts by the signed-in account's e-mail address, the key
// keyAccount gives its sign-in attempts.
func keySignedIn(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil {
		return strings.ToLower(u.Email)
	}
	return ""
}

// keyLearner counts by learner; a visitor without one yet is counted by
// address only.
func (s *Server) keyLearner(c *fiber.Ctx) string { return s.learnerID(c) }

var fiberTooMany = *fiber.NewError(fiber.StatusTooManyRequests)

// flashes are the success messages a redirect may carry to the next page
// (the beacon_flash cookie names one); the layout shows only these, so a
// forged cookie cannot put any other text on a page.
var flashes = map[string]bool{
	// accounts and learning
	"flash.registered": true, "flash.logged_in": true, "flash.logged_out": true,
	"flash.account_deleted": true, "flash.lesson_completed": true, "flash.certificate_issued": true,
	"flash.password_changed": true, "flash.email_changed": true, "flash.session_ended": true, "flash.sessions_ended": true,
	"flash.password_reset": true, "me.affiliation.saved": true,
	// courses and review
	"flash.admin.saved": true, "flash.admin.submitted": true, "flash.admin.restored": true, "flash.admin.archived": true,
	"flash.admin.unarchived": true, "flash.admin.deleted": true, "flash.admin.published": true, "flash.admin.returned": true,
	// users, settings, regions and organizations
	"admin.users.saved": true, "admin.settings.saved": true,
	"admin.regions.saved": true, "admin.regions.deleted": true, "admin.orgs.saved": true, "admin.orgs.deleted": true,
	// campaigns
	"admin.campaigns.saved": true, "admin.campaigns.created": true, "admin.campaigns.closed": true,
	"admin.campaigns.translated": true, "admin.campaigns.channel_added": true, "campaign.joined": true, "campaign.already_joined": true,
	// alerts
	"admin.alerts.created": true, "admin.alerts.saved": true, "admin.alerts.translated": true, "admin.alerts.submitted": true,
	"admin.alerts.published": true, "admin.alerts.deleted": true, "admin.alerts.update_started": true, "admin.alerts.cancel_started": true,
	"alert.hidden": true,
	// API tokens
	"tokens.revoked": true,
	// #13 feedback
	"flash.lesson_useful": true,
}
