package web

import (
	"context"
	"net/url"

	"beacon/app"
	"beacon/app/cap"

	"github.com/gofiber/fiber/v2"
)

// feedMaxAge is how long other systems may cache a CAP document or the
// Atom feed: short, because a cancellation must reach them quickly.
const feedMaxAge = "public, max-age=60"

// siteNameIn is the site name in a locale: the setting, else the catalog's.
func (s *Server) siteNameIn(ctx context.Context, locale string) string {
	if v := s.cachedSettings(ctx)[settingSiteNamePrefix+locale]; v != "" {
		return v
	}
	return s.bundle.Localizer(locale).T("site.name", nil)
}

// capOptions say how CAP documents and the feed name the site, link the
// alert pages and name the regions, in each language.
func (s *Server) capOptions(c *fiber.Ctx) (cap.Options, error) {
	ctx := c.UserContext()
	regions, err := s.capRegions(ctx)
	if err != nil {
		return cap.Options{}, err
	}
	names := make(map[string]app.Text, len(regions))
	for code, r := range regions {
		names[code] = r.Name
	}
	base := s.baseURL(c)
	return cap.Options{
		Sender:     s.capSender(ctx),
		SenderName: func(locale string) string { return s.siteNameIn(ctx, locale) },
		Web: func(identifier, locale string) string {
			if !s.localeOn(ctx, locale) {
				locale = s.bundle.Default()
			}
			return base + "/" + locale + "/alerts/" + identifier
		},
		AreaName: func(code, locale string) string {
			name, _ := s.localName(names[code], code, locale)
			return name
		},
		Everyone:   func(locale string) string { return s.bundle.Localizer(locale).T("alert.everyone", nil) },
		Region:     func(code string) *app.Region { return regions[code] },
		CircleArea: func(locale string) string { return s.bundle.Localizer(locale).T("alert.cap.circle_area", nil) },
	}, nil
}

// alertCAP serves a published alert (any status: other systems receive
// Test and System messages too) as a CAP 1.2 document; 404 otherwise.
func (s *Server) alertCAP(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id := c.Params("identifier")
	if !app.ValidAlertIdentifier(id) {
		return app.Errorf(app.ENOTFOUND, "alert.not_found")
	}
	a, err := s.store.FindAlert(ctx, id)
	if err != nil {
		return err
	}
	if a.State != app.AlertPublished {
		return app.Errorf(app.ENOTFOUND, "alert.not_found")
	}
	var refs []*app.Alert
	for _, r := range a.References {
		ra, err := s.store.FindAlert(ctx, r)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		refs = append(refs, ra)
	}
	opts, err := s.capOptions(c)
	if err != nil {
		return err
	}
	opts.Web = s.capWeb(ctx, a, opts.Web)
	if opts.Region, err = s.capBoundaries(ctx, opts.Region, a.Regions); err != nil {
		return err
	}
	doc, err := cap.Document(a, refs, opts)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, cap.ContentType+"; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, feedMaxAge)
	return c.Send(doc)
}

// alertFeed serves the active public alerts (every region) as an Atom
// feed, in the language of ?lang= when it names an enabled locale, else
// the site's default; each entry links its CAP document.
func (s *Server) alertFeed(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang, self := s.bundle.Default(), s.baseURL(c)+"/feeds/alerts.atom"
	if q := c.Query("lang"); q != "" && s.localeOn(ctx, q) {
		lang = q
		self += "?lang=" + url.QueryEscape(q)
	}
	active := s.activeAlerts(ctx)
	updated := s.now()
	if len(active) > 0 {
		updated = active[0].Sent
		for _, a := range active[1:] {
			if a.Sent.After(updated) {
				updated = a.Sent
			}
		}
	}
	opts, err := s.capOptions(c)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	body, err := cap.Feed(active, cap.FeedOptions{Options: opts, Locale: lang, SelfURL: self, Updated: updated,
		Title:  s.bundle.Localizer(lang).T("alert.feed.title", map[string]any{"Site": s.siteNameIn(ctx, lang)}),
		CAPURL: func(identifier string) string { return base + "/alerts/" + identifier + ".cap" }})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, feedMaxAge)
	return c.Send(body)
}
