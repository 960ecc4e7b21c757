package web

import (
	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// adminUserResetLink issues a one-time password reset link for an
// account and shows it once, on the account's page, for the administrator
// to pass on (a call, a message): the way back in when the site sends no
// mail, or the person lost their mailbox. Older links of the account stop
// working; the audit log records "user:reset_link". The page is answered
// directly (not POST → redirect → GET) so that the link is never kept in
// a cookie, a URL or a cache.
func (s *Server) adminUserResetLink(c *fiber.Ctx) error {
	u, err := s.findUser(c)
	if err != nil {
		return err
	}
	token, err := s.store.CreatePasswordReset(c.UserContext(), currentUser(c), u.ID, adminResetTTL)
	if err != nil {
		return err
	}
	lang := s.localeOf(c)
	if u.Locale != "" && s.bundle.Enabled(u.Locale) {
		lang = u.Locale // the link opens in the person's language
	}
	s.log.Info("password reset link issued", "user_id", u.ID, "by", currentUser(c).ID, "request_id", requestID(c))
	noStore(c)
	tokens, err := s.userTokens(c, u)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(s.localeOf(c))
	return s.adminRender(c, "admin/user/edit", fiber.Map{
		"Title":   l.T("admin.users.edit.title", map[string]any{"Email": u.Email}),
		"Account": u, "Form": userFormOf(u), "Roles": app.Roles, "Self": currentUser(c).ID == u.ID, "Tokens": tokens,
		"ResetLink": s.baseURL(c) + "/" + lang + "/password/reset/" + token, "ResetHours": int(adminResetTTL.Hours()),
	})
}
