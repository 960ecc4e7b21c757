package web

import (
	"strconv"
	"strings"
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// tokenRoutes are the pages where people manage personal API tokens: their
// own (/me/tokens) and, for administrators, anyone's (on the account page).
func (s *Server) tokenRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/me/tokens", accessUser, h(s.meTokens)},
		{"POST", "/:lang/me/tokens", accessUser, h(s.meTokenCreate)},
		{"POST", "/:lang/me/tokens/:token/revoke", accessUser, h(s.meTokenRevoke)},
		{"POST", "/:lang/admin/users/:id/tokens/:token/revoke", accessAdmin, h(s.adminTokenRevoke)},
	}
}

// tokenForm is the create form's state between a failed post and the page
// shown again.
type tokenForm struct {
	Name    string
	Expires string // days, "0" = never
}

// meTokens lists the signed-in account's API tokens beside the create form.
func (s *Server) meTokens(c *fiber.Ctx) error {
	return s.tokensPage(c, tokenForm{Expires: "90"}, nil, "")
}

// tokensPage renders /me/tokens; created is a token just made, shown this
// once (the page is then kept out of every cache).
func (s *Server) tokensPage(c *fiber.Ctx, form tokenForm, errs app.FieldErrors, created string) error {
	u := currentUser(c)
	list, err := s.store.UserAPITokens(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	noStore(c)
	return s.render(c, "me/tokens", fiber.Map{
		"Title":  s.bundle.Localizer(s.localeOf(c)).T("tokens.title", nil),
		"Tokens": tokenViews(list, s.now()), "Form": form, "Errors": errs, "Created": created,
		"Lifetimes": app.APITokenLifetimes, "NameMax": app.APITokenNameMax,
	})
}

// tokenView is a token as a list shows it.
type tokenView struct {
	app.APIToken
	Expired bool
}

func tokenViews(list []app.APIToken, now time.Time) []tokenView {
	out := make([]tokenView, 0, len(list))
	for _, t := range list {
		out = append(out, tokenView{APIToken: t, Expired: !t.Active(now)})
	}
	return out
}

// meTokenCreate makes a token and shows it once, on the answer itself (not
// POST → redirect → GET), so that it is never kept in a cookie, URL or cache.
func (s *Server) meTokenCreate(c *fiber.Ctx) error {
	u := currentUser(c)
	form := tokenForm{Name: strings.TrimSpace(c.FormValue("name")), Expires: c.FormValue("expires")}
	var errs app.FieldErrors
	if fe := app.ValidateAPITokenName(form.Name); fe != nil {
		errs = append(errs, fe)
		form.Name = clip(form.Name, app.APITokenNameMax)
	}
	days, err := strconv.Atoi(form.Expires)
	known := err == nil
	if known {
		known = false
		for _, d := range app.APITokenLifetimes {
			known = known || d == days
		}
	}
	if !known {
		errs = append(errs, app.FieldError("expires", "tokens.error.expires_invalid"))
		form.Expires = "90"
	}
	if len(errs) > 0 {
		return s.tokensPage(c, form, errs, "")
	}
	token, _, err := s.store.CreateAPIToken(c.UserContext(), u, form.Name, time.Duration(days)*24*time.Hour)
	if err != nil {
		return err
	}
	return s.tokensPage(c, tokenForm{Expires: "90"}, nil, token)
}

// tokenIDParam reads a positive token id from the path (ENOTFOUND otherwise).
func tokenIDParam(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("token"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	return id, nil
}

// meTokenRevoke revokes one of the signed-in account's tokens; another
// account's token is not found.
func (s *Server) meTokenRevoke(c *fiber.Ctx) error {
	id, err := tokenIDParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	if err := s.store.RevokeAPIToken(c.UserContext(), u, u.ID, id); err != nil {
		return err
	}
	s.flash(c, "tokens.revoked")
	return c.Redirect("/"+s.localeOf(c)+"/me/tokens", fiber.StatusSeeOther)
}

// adminTokenRevoke lets an administrator revoke a token of the account
// :id (a token seen in the wrong place, a person who left).
func (s *Server) adminTokenRevoke(c *fiber.Ctx) error {
	u, err := s.findUser(c)
	if err != nil {
		return err
	}
	id, err := tokenIDParam(c)
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(c.UserContext(), currentUser(c), u.ID, id); err != nil {
		return err
	}
	s.flash(c, "tokens.revoked")
	return c.Redirect("/"+s.localeOf(c)+"/admin/users/"+strconv.FormatInt(u.ID, 10)+"#tokens", fiber.StatusSeeOther)
}

// userTokens lists an account's tokens for its admin page.
func (s *Server) userTokens(c *fiber.Ctx, u *app.User) ([]tokenView, error) {
	list, err := s.store.UserAPITokens(c.UserContext(), u.ID)
	if err != nil {
		return nil, err
	}
	return tokenViews(list, s.now()), nil
}
