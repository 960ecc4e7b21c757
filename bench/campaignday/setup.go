package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// signIn logs b in through the login form as a browser without
// JavaScript would: GET the form (its _csrf, when the page has one), POST
// email and password, expect 303, and follow it so that the flash cookie
// is shown and cleared.
func signIn(ctx context.Context, w *worker, b *browser, lang, email, password string) error {
	page := w.do(ctx, b, call{kind: "login_form", path: "/" + lang + "/login", cookies: true})
	if page.err != nil {
		return fmt.Errorf("login form: %w", page.err)
	}
	f, err := findForm(page.body, `form[action$="/login"]`)
	if err != nil {
		return fmt.Errorf("login form: %w", err)
	}
	v := f.values()
	v.Set("email", email)
	v.Set("password", password)
	r := w.do(ctx, b, call{kind: "login", method: http.MethodPost, path: "/" + lang + "/login", form: v, cookies: true, want: []int{http.StatusSeeOther}})
	if r.err != nil {
		return fmt.Errorf("sign in as %s: %w (page says: %s)", email, r.err, pageError(r.body))
	}
	if b.cookies["beacon_session"] == "" {
		return fmt.Errorf("sign in as %s: no beacon_session cookie", email)
	}
	if r = w.do(ctx, b, call{kind: "login_next", path: r.location, cookies: true}); r.err != nil {
		return fmt.Errorf("after sign-in, %s: %w", r.location, r.err)
	}
	return nil
}

// createChannel adds a tracked link to a campaign through the organizer's
// form and returns its code.
func createChannel(ctx context.Context, w *worker, b *browser, slug, name string) (string, error) {
	admin := "/en/admin/campaigns/" + url.PathEscape(slug)
	page := w.do(ctx, b, call{kind: "admin_campaign", path: admin, cookies: true})
	if page.err != nil {
		return "", fmt.Errorf("campaign admin page: %w", page.err)
	}
	f, err := findForm(page.body, `form[action$="/channels"]`)
	if err != nil {
		return "", err
	}
	v := f.values()
	v.Set("name", name)
	r := w.do(ctx, b, call{kind: "channel_create", method: http.MethodPost, path: admin + "/channels", form: v, cookies: true, want: []int{http.StatusSeeOther}})
	if r.err != nil {
		return "", fmt.Errorf("create channel: %w (page says: %s)", r.err, pageError(r.body))
	}
	i := strings.LastIndex(r.location, "/channels/")
	if i < 0 {
		return "", fmt.Errorf("create channel: redirected to %q", r.location)
	}
	code := r.location[i+len("/channels/"):]
	// Show the channel page, as the organizer's browser would (flash).
	w.do(ctx, b, call{kind: "admin_channel", path: r.location, cookies: true})
	return code, nil
}

// pageError pulls the first error message out of an error page, for
// setup failures.
func pageError(body []byte) string {
	s := string(body)
	for _, marker := range []string{`class="field-error"`, `<h1>`} {
		if i := strings.Index(s, marker); i >= 0 {
			s = s[i:]
			if j := strings.Index(s, "</"); j > 0 {
				s = s[:j]
			}
			s = s[strings.Index(s, ">")+1:]
			return strings.Join(strings.Fields(s), " ")
		}
	}
	if len(s) > 120 {
		s = s[:120]
	}
	return strings.Join(strings.Fields(s), " ")
}
