package web

import (
	"context"
	"net/url"
	"time"

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

// feedCancelKeep is how long the Atom feed keeps a cancelled alert's
// entry after its Cancel was sent, marked as cancelled, so that readers
// who saw the alert learn it is over (the feed's subtitle says so).
const feedCancelKeep = 48 * time.Hour

// alertFeed serves the active public alerts (every region), then the
// alerts cancelled in the last feedCancelKeep (each entry keeps the id it
// had, marked cancelled, with the Cancel's text), as an Atom feed, in the
// language of ?lang= when it names an enabled locale, else the site's
// default. Its <updated> is the last change that shaped it, including an
// entry leaving (store.AlertFeedChanged), so it never goes back.
func (s *Server) alertFeed(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang, self := s.bundle.Default(), s.baseURL(c)+"/feeds/alerts.atom"
	if q := c.Query("lang"); q != "" && s.localeOn(ctx, q) {
		lang = q
		self += "?lang=" + url.QueryEscape(q)
	}
	now := s.now()
	active := s.activeAlerts(ctx)
	cancelled, err := s.feedCancellations(ctx, now)
	if err != nil {
		return err
	}
	updated, err := s.store.AlertFeedChanged(ctx, now, feedCancelKeep)
	if err != nil {
		return err
	}
	opts, err := s.capOptions(c)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	l := s.bundle.Localizer(lang)
	body, err := cap.Feed(active, cap.FeedOptions{Options: opts, Locale: lang, SelfURL: self, Updated: updated,
		Title:     l.T("alert.feed.title", map[string]any{"Site": s.siteNameIn(ctx, lang)}),
		Subtitle:  l.T("alert.feed.subtitle", map[string]any{"Hours": int(feedCancelKeep / time.Hour)}),
		CAPURL:    func(identifier string) string { return base + "/alerts/" + identifier + ".cap" },
		Cancelled: cancelled,
		CancelledTitle: func(headline, locale string, allClear bool) string {
			id := "alert.feed.cancelled_title"
			if allClear {
				id = "alert.feed.all_clear_title"
			}
			return s.bundle.Localizer(locale).T(id, map[string]any{"Headline": headline})
		},
		AllClearTitle: func(headline, locale string) string {
			return s.bundle.Localizer(locale).T("alert.feed.all_clear_title", map[string]any{"Headline": headline})
		}})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, feedMaxAge)
	return c.Send(body)
}

// feedCancellations are the public alerts withdrawn by a Cancel sent in
// the last feedCancelKeep, newest Cancel first, each with its Cancel.
func (s *Server) feedCancellations(ctx context.Context, now time.Time) ([]cap.Cancellation, error) {
	cancels, err := s.store.CancelsSince(ctx, now.Add(-feedCancelKeep))
	if err != nil {
		return nil, err
	}
	var out []cap.Cancellation
	for _, c := range cancels {
		if c.Sent.After(now) {
			continue
		}
		for _, ref := range c.References {
			a, err := s.store.FindAlert(ctx, ref)
			if app.ErrorCode(err) == app.ENOTFOUND {
				continue
			}
			if err != nil {
				return nil, err
			}
			if a.Public() && a.SupersededBy == c.Identifier {
				out = append(out, cap.Cancellation{Alert: a, Cancel: c})
			}
		}
	}
	return out, nil
}
