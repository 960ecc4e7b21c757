package web

import (
	"context"
	"strings"

	"beacon/app"
	"beacon/app/auth"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// emailForm is what the e-mail form keeps between a failed post and the
// page shown again (never a password).
type emailForm struct {
	Email string
}

// meAccount shows the signed-in account's page: change password, change
// e-mail, and the active sessions.
func (s *Server) meAccount(c *fiber.Ctx) error {
	return s.accountPage(c, "", emailForm{Email: currentUser(c).Email}, nil)
}

// accountPage renders the account page; errs belong to the form named by
// which ("password" or "email"), and make the answer 422.
func (s *Server) accountPage(c *fiber.Ctx, which string, email emailForm, errs app.FieldErrors) error {
	u := currentUser(c)
	sessions, err := s.accountSessions(c, u)
	if err != nil {
		return err
	}
	others := 0
	for _, v := range sessions {
		if !v.Current {
			others++
		}
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "me/account", fiber.Map{
		"Title":  s.bundle.Localizer(s.localeOf(c)).T("me.account.title", nil),
		"Errors": errs, "Which": which, "EmailForm": email,
		"Sessions": sessions, "Others": others, "MinLength": auth.MinLength,
	})
}

// checkCurrentPassword judges the current password typed into field.
func checkCurrentPassword(u *app.User, field, pw string) (*app.Error, error) {
	if pw == "" {
		return app.FieldError(field, "account.error.current_password_required"), nil
	}
	ok, err := auth.VerifyPassword(pw, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return app.FieldError(field, "account.error.password_wrong"), nil
	}
	return nil, nil
}

// mePassword changes the password after checking the current one, and
// signs every other session of the account out.
func (s *Server) mePassword(c *fiber.Ctx) error {
	u := currentUser(c)
	current, next := c.FormValue("current_password"), c.FormValue("new_password")
	var errs app.FieldErrors
	fe, err := checkCurrentPassword(u, "current_password", current)
	if err != nil {
		return err
	}
	if fe != nil {
		errs = append(errs, fe)
	}
	if err := auth.CheckPasswordFor(next, u.Email); err != nil {
		errs = append(errs, app.FieldError("new_password", app.ErrorMessageID(err)))
	} else if fe == nil && next == current {
		errs = append(errs, app.FieldError("new_password", "account.error.password_same"))
	}
	if len(errs) > 0 {
		return s.accountPage(c, "password", emailForm{Email: u.Email}, errs)
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	if _, err := s.store.ChangePassword(c.UserContext(), u, hash, c.Cookies(cookieSession)); err != nil {
		return err
	}
	// The other sessions are gone from the database; this instance's cache
	// of them (keyed by token) goes too, and so does this session's copy of
	// the old hash.
	s.sessions.clear()
	s.notifyAccountChange(c, "password_changed", u.Email, map[string]any{})
	s.flash(c, "flash.password_changed")
	return c.Redirect("/"+s.localeOf(c)+"/me/account", fiber.StatusSeeOther)
}

// meEmail changes the account's e-mail address after checking the
// current password; an address another account has is refused.
func (s *Server) meEmail(c *fiber.Ctx) error {
	u := currentUser(c)
	form := emailForm{Email: strings.TrimSpace(c.FormValue("email"))}
	var errs app.FieldErrors
	switch {
	case form.Email == "":
		errs = append(errs, app.FieldError("email", "account.error.email_required"))
	case !validEmail(form.Email):
		errs = append(errs, app.FieldError("email", "account.error.email_invalid"))
	}
	if len(form.Email) > maxEmail {
		form.Email = form.Email[:maxEmail]
	}
	fe, err := checkCurrentPassword(u, "email_password", c.FormValue("email_password"))
	if err != nil {
		return err
	}
	if fe != nil {
		errs = append(errs, fe)
	}
	if len(errs) > 0 {
		return s.accountPage(c, "email", form, errs)
	}
	old := u.Email
	if err := s.store.ChangeEmail(c.UserContext(), u, form.Email); err != nil {
		if app.ErrorCode(err) == app.ECONFLICT {
			return s.accountPage(c, "email", form, app.FieldErrors{app.FieldError("email", "account.error.email_taken")})
		}
		return err
	}
	s.sessions.clear()
	s.notifyAccountChange(c, "email_changed", old, map[string]any{"New": store.NormalizeEmail(form.Email)})
	s.flash(c, "flash.email_changed")
	return c.Redirect("/"+s.localeOf(c)+"/me/account", fiber.StatusSeeOther)
}

// notifyAccountChange mails the account's address (the old one, when the
// address changed) that its password or address changed, so that a change
// its owner did not make does not go unnoticed. It does nothing without
// SMTP; the mail leaves after the answer, like every other.
func (s *Server) notifyAccountChange(c *fiber.Ctx, kind, to string, data map[string]any) {
	if s.outbox == nil {
		return
	}
	ml := s.mailLinkFor(c, s.localeOf(c))
	data["Forgot"] = ml.Base + "/" + ml.Lang + "/password/forgot"
	s.outbox.add(func(ctx context.Context) { s.sendMail(ctx, kind, ml, to, "mail."+kind, data) })
}
