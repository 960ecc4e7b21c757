package web

import (
	"context"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// registerByMail ends a valid registration when SMTP is configured: the
// answer is "check your e-mail" whether or not the address has an
// account. In the outbox, a new address gets a confirmation link (the
// account is made when it is opened); an address that has an account gets
// a note saying so, with links to sign in and to reset the password.
func (s *Server) registerByMail(c *fiber.Ctx, form accountForm, hash string, aff store.Affiliation) error {
	lang := s.localeOf(c)
	ml := s.mailLinkFor(c, lang)
	su := store.Signup{Email: form.Email, DisplayName: form.DisplayName, PasswordHash: hash, Locale: lang, Affiliation: aff}
	s.outbox.add(func(ctx context.Context) { s.mailSignup(ctx, ml, su) })
	return c.Redirect("/"+lang+"/register/sent", fiber.StatusSeeOther)
}

// mailSignup mails the confirmation link, or the "you already have an
// account" note.
func (s *Server) mailSignup(ctx context.Context, ml mailLink, su store.Signup) {
	u, err := s.store.FindUserByEmail(ctx, su.Email)
	switch {
	case err == nil:
		s.sendMail(ctx, "signup_existing", ml, u.Email, "mail.existing", map[string]any{
			"Login": ml.Base + "/" + ml.Lang + "/login", "Forgot": ml.Base + "/" + ml.Lang + "/password/forgot"})
		return
	case app.ErrorCode(err) != app.ENOTFOUND:
		s.log.Error("registration: find account", "err", err)
		return
	}
	token, err := s.store.CreateSignup(ctx, su, signupTTL)
	if err != nil {
		s.log.Error("registration: keep signup", "err", err)
		return
	}
	s.sendMail(ctx, "signup_confirm", ml, store.NormalizeEmail(su.Email), "mail.signup", map[string]any{
		"Link": ml.Base + "/" + ml.Lang + "/register/confirm/" + token, "Hours": int(signupTTL / time.Hour)})
}

// registerSent is the answer to every registration when mail is on.
func (s *Server) registerSent(c *fiber.Ctx) error {
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/sent", fiber.Map{"Title": l.T("register.sent.title", nil), "TextID": "register.sent.text",
		"Meta":  titled(l, "register.sent.title", l.T("nav.register", nil)),
		"Hours": int(signupTTL / time.Hour)})
}

// confirmForm shows the button that makes the account of a live
// confirmation link. Opening the link changes nothing: mail scanners that
// fetch links must not use it up.
func (s *Server) confirmForm(c *fiber.Ctx) error {
	noStore(c)
	token := c.Params("token")
	su, err := s.store.FindSignup(c.UserContext(), token)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return s.confirmInvalid(c, "register.confirm.invalid_text")
	}
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/confirm", fiber.Map{"Title": l.T("register.confirm.title", nil), "Email": su.Email,
		"Action": "/" + s.localeOf(c) + "/register/confirm/" + token})
}

func (s *Server) confirmInvalid(c *fiber.Ctx, textID string) error {
	c.Status(fiber.StatusNotFound)
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/confirm", fiber.Map{"Title": l.T("register.confirm.invalid_title", nil), "Invalid": true, "TextID": textID})
}

// confirm makes the account of a live confirmation link and signs this
// browser in; its guest progress becomes the account's, as on
// registration without mail.
func (s *Server) confirm(c *fiber.Ctx) error {
	noStore(c)
	u, err := s.store.ConfirmSignup(c.UserContext(), c.Params("token"), s.learnerID(c))
	switch app.ErrorCode(err) {
	case app.ENOTFOUND:
		return s.confirmInvalid(c, "register.confirm.invalid_text")
	case app.ECONFLICT:
		return s.confirmInvalid(c, "register.confirm.taken_text")
	}
	if err != nil {
		return err
	}
	s.log.Info("account confirmed", "user_id", u.ID, "request_id", requestID(c))
	if err := s.signIn(c, u); err != nil {
		return err
	}
	s.flash(c, "flash.registered")
	return c.Redirect("/"+s.localeOf(c)+"/me", fiber.StatusSeeOther)
}
