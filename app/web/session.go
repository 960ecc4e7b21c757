package web

import (
	"context"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// sessionIdle is the idle timeout as the settings cache has it (0 = none).
func (s *Server) sessionIdle(ctx context.Context) time.Duration {
	return store.ParseSessionIdle(s.cachedSettings(ctx)[store.SettingSessionIdle])
}

// sessionView is one of the account's sessions as the account page lists it.
type sessionView struct {
	app.Session
	// Current marks the session of the browser looking at the page.
	Current bool
}

// accountSessions lists the signed-in account's live sessions, this
// browser's first.
func (s *Server) accountSessions(c *fiber.Ctx, u *app.User) ([]sessionView, error) {
	list, err := s.store.UserSessions(c.UserContext(), u.ID, s.sessionIdle(c.UserContext()))
	if err != nil {
		return nil, err
	}
	current := store.SessionID(c.Cookies(cookieSession))
	out := make([]sessionView, 0, len(list))
	for _, ss := range list {
		v := sessionView{Session: ss, Current: ss.ID == current}
		if v.Current {
			out = append([]sessionView{v}, out...)
		} else {
			out = append(out, v)
		}
	}
	return out, nil
}

// meSessionEnd signs one of the account's other sessions out. The
// session is named by its ID (a digest, not the token); another account's
// session is not found.
func (s *Server) meSessionEnd(c *fiber.Ctx) error {
	u := currentUser(c)
	id := c.Params("id")
	if len(id) != 64 || strings.Trim(id, "0123456789abcdef") != "" {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	if id == store.SessionID(c.Cookies(cookieSession)) {
		// This browser's own session ends by signing out.
		return app.Errorf(app.EINVALID, "error.bad_request")
	}
	if err := s.store.EndSession(c.UserContext(), u, id); err != nil {
		return err
	}
	// Cached sessions are keyed by token, which this instance cannot name
	// from the ID: forget them all (each is one query to look up again).
	s.sessions.clear()
	s.flash(c, "flash.session_ended")
	return c.Redirect("/"+s.localeOf(c)+"/me/account#sessions", fiber.StatusSeeOther)
}

// meSessionsEndOthers signs every other session of the account out.
func (s *Server) meSessionsEndOthers(c *fiber.Ctx) error {
	u := currentUser(c)
	if _, err := s.store.EndOtherSessions(c.UserContext(), u, c.Cookies(cookieSession)); err != nil {
		return err
	}
	s.sessions.clear()
	s.flash(c, "flash.sessions_ended")
	return c.Redirect("/"+s.localeOf(c)+"/me/account#sessions", fiber.StatusSeeOther)
}
