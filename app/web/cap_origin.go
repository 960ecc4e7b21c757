package web

import (
	"context"
	"net/url"
	"strings"

	"beacon/app"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// settingCAPSender is the site setting that names the CAP <sender>; empty
// means the sender derived from the base URL.
const settingCAPSender = "cap_sender"

// defaultCAPSender is the CAP <sender> when none is set: "beacon@" and the
// host of the configured base URL, "localhost" when none is configured
// (never the request's Host header, so that references stay stable).
func (s *Server) defaultCAPSender() string {
	host := "localhost"
	if u, err := url.Parse(s.opts.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "beacon@" + host
}

// capSender is the CAP <sender> new messages are published with: the
// setting, else defaultCAPSender. Published messages keep their own
// (app.Alert.Sender).
func (s *Server) capSender(ctx context.Context) string {
	if v := s.cachedSettings(ctx)[settingCAPSender]; v != "" && app.ValidCAPSender(v) {
		return v
	}
	return s.defaultCAPSender()
}

// alertOrigin is what a message published now records: today's sender and
// configured base URL.
func (s *Server) alertOrigin(ctx context.Context) store.AlertOrigin {
	return store.AlertOrigin{Sender: s.capSender(ctx), WebBase: s.opts.BaseURL}
}

// PinAlertOrigins records today's sender (and configured base URL) with
// every published alert that has none yet: those published before Beacon
// kept them, and those imported from packs that carried no sender. From
// then on their CAP documents and the references to them stay as they
// are whatever the settings become. serve calls it at start; the pack
// upload after each import.
func (s *Server) PinAlertOrigins(ctx context.Context) error {
	_, err := s.store.FillAlertOrigins(ctx, s.alertOrigin(ctx))
	return err
}

// capRegions maps every region code to its region (with its geocodes, not
// its boundary: capBoundaries adds those an alert needs), for CAP areas.
func (s *Server) capRegions(ctx context.Context) (map[string]*app.Region, error) {
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*app.Region, len(regions))
	for i := range regions {
		out[regions[i].Code] = &regions[i]
	}
	return out, nil
}

// capWeb is the <web> link maker for a's CAP document: with the site
// address a was published with when it recorded one, so that a published
// document never changes; otherwise def.
func (s *Server) capWeb(ctx context.Context, a *app.Alert, def func(identifier, locale string) string) func(identifier, locale string) string {
	if a.WebBase == "" {
		return def
	}
	base := strings.TrimRight(a.WebBase, "/")
	return func(identifier, locale string) string {
		if !s.localeOn(ctx, locale) {
			locale = s.bundle.Default()
		}
		return base + "/" + locale + "/alerts/" + identifier
	}
}

// readCAPSender reads the settings form's CAP sender, trimmed; a form
// from before the setting existed keeps the stored value.
func (s *Server) readCAPSender(c *fiber.Ctx, form *settingsForm) error {
	if !c.Request().PostArgs().Has("cap_sender") {
		v, err := s.store.Setting(c.UserContext(), settingCAPSender, "")
		if err != nil {
			return err
		}
		form.CAPSender = v
		return nil
	}
	form.CAPSender = clip(c.FormValue("cap_sender"), 400)
	return nil
}

// capBoundaries wraps a CAP region lookup so that the regions in codes
// come with their boundaries, loaded in one query.
func (s *Server) capBoundaries(ctx context.Context, find func(string) *app.Region, codes []string) (func(string) *app.Region, error) {
	if find == nil || len(codes) == 0 {
		return find, nil
	}
	boundaries, err := s.store.RegionBoundaries(ctx, codes)
	if err != nil {
		return nil, err
	}
	return func(code string) *app.Region {
		r := find(code)
		if r == nil || boundaries[code] == nil {
			return r
		}
		withBoundary := *r
		withBoundary.Boundary = boundaries[code]
		return &withBoundary
	}, nil
}
