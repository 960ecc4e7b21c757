package web

import (
	"context"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/auth"
	"beacon/app/mail"

	"github.com/gofiber/fiber/v2"
)

// Lifetimes of the links Beacon hands out.
const (
	// resetTTL is how long a mailed reset link works.
	resetTTL = time.Hour
	// adminResetTTL is how long a link an administrator issued works: it
	// reaches the person by some other way (a call, a message), slower.
	adminResetTTL = 24 * time.Hour
	// signupTTL is how long a registration waits for its confirmation.
	signupTTL = 24 * time.Hour
)

// noStore keeps a page holding a secret link out of every cache and out
// of the Referer header of links followed from it.
func noStore(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
}

// mailLink is what a mail job needs from the request that asked for it:
// fiber.Ctx must not be kept past the handler.
type mailLink struct {
	Lang string // language of the mail and of its links
	Base string // absolute site URL, baseURL
	Site string // the site's name in Lang
}

func (s *Server) mailLinkFor(c *fiber.Ctx, lang string) mailLink {
	return mailLink{Lang: lang, Base: s.baseURL(c), Site: s.siteName(c, s.bundle.Localizer(lang))}
}

// sendMail sends one localized message and logs the outcome without the
// recipient's address.
func (s *Server) sendMail(ctx context.Context, kind string, ml mailLink, to, id string, data map[string]any) {
	l := s.bundle.Localizer(ml.Lang)
	data["Site"] = ml.Site
	msg := mail.Message{To: to, Subject: l.T(id+".subject", data), Body: l.T(id+".body", data)}
	if err := s.opts.Mailer.Send(ctx, msg); err != nil {
		s.log.Error("mail not sent", "kind", kind, "err", err)
		return
	}
	s.log.Info("mail sent", "kind", kind, "lang", ml.Lang)
}

// forgotForm asks for the address to send a reset link to; without SMTP
// it says how to get help instead.
func (s *Server) forgotForm(c *fiber.Ctx) error {
	return s.forgotPage(c, accountForm{}, nil)
}

func (s *Server) forgotPage(c *fiber.Ctx, form accountForm, errs app.FieldErrors) error {
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/forgot", fiber.Map{"Title": l.T("password.forgot.title", nil), "Form": form, "Errors": errs,
		"Mail": s.opts.Mailer != nil, "Minutes": int(resetTTL / time.Minute),
		"Meta": &pageMeta{Description: l.T("seo.description.password", nil)}})
}

// forgot answers every well-formed address with the same page, at once;
// the lookup, the link and the mail happen in the outbox, and only an
// enabled account gets a mail.
func (s *Server) forgot(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	if s.opts.Mailer == nil {
		return s.forgotPage(c, accountForm{}, nil)
	}
	form := accountForm{Email: strings.TrimSpace(c.FormValue("email"))}
	if len(form.Email) > maxEmail {
		form.Email = form.Email[:maxEmail]
	}
	switch {
	case form.Email == "":
		return s.forgotPage(c, form, app.FieldErrors{app.FieldError("email", "account.error.email_required")})
	case !validEmail(form.Email):
		return s.forgotPage(c, form, app.FieldErrors{app.FieldError("email", "account.error.email_invalid")})
	}
	ml := s.mailLinkFor(c, lang)
	email := form.Email
	s.outbox.add(func(ctx context.Context) { s.mailReset(ctx, ml, email) })
	return c.Redirect("/"+lang+"/password/sent", fiber.StatusSeeOther)
}

// mailReset mails a reset link when an enabled account uses email; for
// any other address it does nothing.
func (s *Server) mailReset(ctx context.Context, ml mailLink, email string) {
	u, err := s.store.FindUserByEmail(ctx, email)
	if err != nil {
		if app.ErrorCode(err) != app.ENOTFOUND {
			s.log.Error("password reset: find account", "err", err)
		}
		return
	}
	if u.Disabled {
		return
	}
	token, err := s.store.CreatePasswordReset(ctx, nil, u.ID, resetTTL)
	if err != nil {
		s.log.Error("password reset: create link", "err", err)
		return
	}
	s.sendMail(ctx, "password_reset", ml, u.Email, "mail.reset", map[string]any{
		"Link": ml.Base + "/" + ml.Lang + "/password/reset/" + token, "Minutes": int(resetTTL / time.Minute)})
}

// forgotSent is the answer to every reset request.
func (s *Server) forgotSent(c *fiber.Ctx) error {
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/sent", fiber.Map{"Title": l.T("password.sent.title", nil), "TextID": "password.sent.text",
		"Meta":    titled(l, "password.sent.title", l.T("password.forgot.title", nil)),
		"Minutes": int(resetTTL / time.Minute)})
}

// resetForm shows the new-password form of a live reset link.
func (s *Server) resetForm(c *fiber.Ctx) error {
	noStore(c)
	token := c.Params("token")
	u, err := s.store.FindPasswordResetUser(c.UserContext(), token)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return s.resetInvalid(c)
	}
	if err != nil {
		return err
	}
	return s.resetPage(c, u, token, nil)
}

func (s *Server) resetPage(c *fiber.Ctx, u *app.User, token string, errs app.FieldErrors) error {
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/reset", fiber.Map{"Title": l.T("password.reset.title", nil), "Account": u,
		"Action": "/" + s.localeOf(c) + "/password/reset/" + token, "Errors": errs})
}

// resetInvalid answers a link that is unknown, used, replaced or expired.
func (s *Server) resetInvalid(c *fiber.Ctx) error {
	c.Status(fiber.StatusNotFound)
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/reset", fiber.Map{"Title": l.T("password.reset.invalid_title", nil), "Invalid": true})
}

// reset sets the new password of a live reset link: every session of the
// account ends, the link stops working, and this browser is signed in
// (the person just proved they hold the link and chose the password).
func (s *Server) reset(c *fiber.Ctx) error {
	noStore(c)
	ctx := c.UserContext()
	token := c.Params("token")
	password, confirm := c.FormValue("password"), c.FormValue("password_confirm")
	u, err := s.store.FindPasswordResetUser(ctx, token)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return s.resetInvalid(c)
	}
	if err != nil {
		return err
	}
	var errs app.FieldErrors
	if err := auth.CheckPasswordFor(password, u.Email); err != nil {
		errs = append(errs, app.FieldError("password", app.ErrorMessageID(err)))
	} else if confirm != password {
		errs = append(errs, app.FieldError("password_confirm", "password.reset.error.mismatch"))
	}
	if len(errs) > 0 {
		return s.resetPage(c, u, token, errs)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u, err = s.store.ResetPassword(ctx, token, hash)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return s.resetInvalid(c)
	}
	if err != nil {
		return err
	}
	// Sessions ended in the database; this instance's short cache of them too.
	s.sessions.clear()
	s.log.Info("password reset", "user_id", u.ID, "request_id", requestID(c))
	if err := s.signIn(c, u); err != nil {
		return err
	}
	s.flash(c, "flash.password_reset")
	return c.Redirect("/"+s.localeOf(c)+"/me", fiber.StatusSeeOther)
}
