package web

import (
	"log/slog"
	"net/mail"
	"strings"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/auth"
	"beacon/app/store"
	"github.com/gofiber/fiber/v2"
)

// Field limits for account forms.
const (
	maxEmail       = 254
	maxDisplayName = 100
)

// accountForm is what register and login keep between a failed post and
// the form shown again (never the password).
type accountForm struct {
	Email       string
	DisplayName string
	Next        string
	// Region and Organization are the codes chosen on registration ("" =
	// prefer not to say).
	Region       string
	Organization string
}

func (s *Server) registerForm(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/"+s.localeOf(c)+"/me", fiber.StatusSeeOther)
	}
	return s.registerPage(c, accountForm{Next: safeNext(c.Query("next"), "")}, nil)
}

// registerPage renders the registration form with the regions and
// organizations to choose from (422 when errs are given).
func (s *Server) registerPage(c *fiber.Ctx, form accountForm, errs app.FieldErrors) error {
	aff, err := s.affiliationChoices(c.UserContext(), s.localeOf(c),
		store.Affiliation{RegionCode: form.Region, OrganizationCode: form.Organization})
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/register", fiber.Map{"Form": form, "Errors": errs, "Affiliation": aff,
		"Meta": &pageMeta{Title: l.T("account.register.title", nil), Description: l.T("seo.description.register", nil)}})
}

// register creates an account; the visitor's guest progress becomes the
// account's, completed courses issue their certificates, and the visitor
// is signed in.
func (s *Server) register(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	form := accountForm{Email: strings.TrimSpace(c.FormValue("email")), DisplayName: strings.TrimSpace(c.FormValue("display_name")),
		Next: safeNext(c.FormValue("next"), "")}
	password := c.FormValue("password")
	aff := readAffiliation(c)
	form.Region, form.Organization = aff.RegionCode, aff.OrganizationCode
	var errs app.FieldErrors
	if form.Email == "" {
		errs = append(errs, app.FieldError("email", "account.error.email_required"))
	} else if !validEmail(form.Email) {
		errs = append(errs, app.FieldError("email", "account.error.email_invalid"))
	}
	if form.DisplayName == "" {
		errs = append(errs, app.FieldError("display_name", "account.error.name_required"))
	} else if utf8.RuneCountInString(form.DisplayName) > maxDisplayName {
		errs = append(errs, app.FieldError("display_name", "account.error.name_too_long"))
	}
	if err := auth.CheckPasswordFor(password, form.Email); err != nil {
		errs = append(errs, app.FieldError("password", app.ErrorMessageID(err)))
	}
	if len(form.Email) > maxEmail {
		form.Email = form.Email[:maxEmail]
	}
	affErrs, err := s.affiliationErrors(c.UserContext(), aff)
	if err != nil {
		return err
	}
	errs = append(errs, affErrs...)
	if len(errs) > 0 {
		return s.registerPage(c, form, errs)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if s.opts.Mailer != nil {
		// With mail, the answer never says whether the address has an account.
		return s.registerByMail(c, form, hash, aff)
	}
	u := &app.User{Email: form.Email, DisplayName: form.DisplayName, PasswordHash: hash, Roles: []string{app.RoleLearner},
		Locale: lang, LearnerID: s.learnerID(c)}
	if err := s.store.CreateUserWithAffiliation(c.UserContext(), u, aff); err != nil {
		if app.ErrorCode(err) == app.ECONFLICT {
			return s.registerPage(c, form, app.FieldErrors{app.FieldError("email", "account.error.email_taken")})
		}
		if fe, ok := s.storeFieldErrors(err); ok { // a region or organization deleted meanwhile
			return s.registerPage(c, form, fe)
		}
		return err
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	s.flash(c, "flash.registered")
	return c.Redirect(safeNext(form.Next, "/"+lang+"/me"), fiber.StatusSeeOther)
}

func (s *Server) accountFormError(c *fiber.Ctx, tmpl string, form accountForm, errs app.FieldErrors) error {
	c.Status(fiber.StatusUnprocessableEntity)
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, tmpl, fiber.Map{"Form": form, "Errors": errs,
		"Meta": &pageMeta{Title: l.T("account.login.title", nil)}})
}

func validEmail(e string) bool {
	if len(e) > maxEmail || strings.ContainsAny(e, " \t\r\n<>") {
		return false
	}
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e[strings.LastIndex(e, "@"):], ".")
}

// signIn claims the guest learner's progress for the account, applies the
// completion rule to every course, starts a session and sets its cookie,
// and gives the browser a new CSRF secret, so that a token planted before
// sign-in (session fixation's cousin) is worthless after it.
func (s *Server) signIn(c *fiber.Ctx, u *app.User) error {
	ctx := c.UserContext()
	if guest := c.Cookies(cookieLearner); validID(guest) && guest != u.LearnerID {
		if err := s.store.ClaimLearner(ctx, u.ID, guest); err != nil {
			return err
		}
	}
	courses, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	actor := store.Actor{LearnerID: u.LearnerID, User: u, Locale: s.localeOf(c)}
	if _, err := s.store.SyncCompletions(ctx, actor, courses); err != nil {
		return err
	}
	token, err := s.store.StartSession(ctx, u.ID, sessionTTL, auth.DeviceOf(c.Get(fiber.HeaderUserAgent)))
	if err != nil {
		return err
	}
	s.setCookie(c, cookieSession, token, sessionTTL)
	s.rotateCSRF(c)
	s.clearCookie(c, cookieLearner)
	c.Locals("user", u)
	return nil
}

func (s *Server) loginForm(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next"), "/"+s.localeOf(c)+"/me"), fiber.StatusSeeOther)
	}
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "account/login", fiber.Map{"Form": accountForm{Next: safeNext(c.Query("next"), "")},
		"Meta": &pageMeta{Title: l.T("account.login.title", nil), Description: l.T("seo.description.login", nil)}})
}

// login checks the password (argon2id) and signs the visitor in. A wrong
// email and a wrong password get the same answer.
func (s *Server) login(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	form := accountForm{Email: strings.TrimSpace(c.FormValue("email")), Next: safeNext(c.FormValue("next"), "")}
	password := c.FormValue("password")
	if len(form.Email) > maxEmail {
		form.Email = form.Email[:maxEmail]
	}
	var errs app.FieldErrors
	if form.Email == "" {
		errs = append(errs, app.FieldError("email", "account.error.email_required"))
	}
	if password == "" {
		errs = append(errs, app.FieldError("password", "account.error.password_required"))
	}
	if len(errs) > 0 || len(password) > auth.MaxLength {
		if len(errs) == 0 {
			errs = app.FieldErrors{app.FieldError("email", "account.error.login_failed")}
		}
		return s.accountFormError(c, "account/login", form, errs)
	}
	u, err := s.store.FindUserByEmail(c.UserContext(), form.Email)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return err
	}
	hash := "" // no account: VerifyPassword spends the same time and says no
	if u != nil {
		hash = u.PasswordHash
	}
	match, err := auth.VerifyPassword(password, hash)
	if err != nil || !match || u == nil || u.Disabled {
		s.logSignIn(c, u, false)
		return s.accountFormError(c, "account/login", form, app.FieldErrors{app.FieldError("email", "account.error.login_failed")})
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	s.logSignIn(c, u, true)
	s.flash(c, "flash.logged_in")
	return c.Redirect(safeNext(form.Next, "/"+lang+"/me"), fiber.StatusSeeOther)
}

// logSignIn writes a sign-in decision to the log for whoever watches for
// password guessing: the account's id when the address has one (never the
// address or the password), the client and the outcome. The answer to the
// visitor stays the same whatever the reason.
func (s *Server) logSignIn(c *fiber.Ctx, u *app.User, ok bool) {
	var id int64
	reason := "ok"
	switch {
	case u == nil:
		reason = "unknown_account"
	case u.Disabled:
		id, reason = u.ID, "disabled"
	case !ok:
		id, reason = u.ID, "wrong_password"
	default:
		id = u.ID
	}
	level := slog.LevelInfo
	if !ok {
		level = slog.LevelWarn
	}
	s.log.Log(c.UserContext(), level, "sign-in", "outcome", reason, "user_id", id,
		"client", s.clientAddr(c).String(), "request_id", requestID(c))
}

// logout ends the session and forgets the learner on this browser.
func (s *Server) logout(c *fiber.Ctx) error {
	if token := c.Cookies(cookieSession); token != "" {
		if err := s.store.DeleteSession(c.UserContext(), token); err != nil {
			return err
		}
		s.sessions.forget(token)
	}
	s.clearCookie(c, cookieSession)
	s.clearCookie(c, cookieLearner)
	// Nothing personal is left on this browser: its pages may be shared again.
	s.clearCookie(c, cookiePrivate)
	c.Locals(localAnonymousAgain, true)
	c.Locals("user", nil)
	s.flash(c, "flash.logged_out")
	forgetDevice(c)
	return c.Redirect("/"+s.localeOf(c)+"/", fiber.StatusSeeOther)
}
