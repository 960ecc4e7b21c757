package web

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/campaign"
	"beacon/app/qr"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// ---- Public: the tracked link ----

// channelFollow is a channel's tracked link (/c/{code}, printed on posters
// as a QR code): it sends the visitor to the landing page in their
// language with the code in a cookie; the landing page's visit pixel
// counts the visit for the channel (visit.go). A link preview or a
// prefetching scanner follows the link but loads no pixel, so it counts
// nothing; the landing page itself stays shareable by caches.
func (s *Server) channelFollow(c *fiber.Ctx) error {
	code := c.Params("code")
	if !campaign.ValidCode(code) {
		return app.Errorf(app.ENOTFOUND, "campaign.channel_not_found")
	}
	ch, err := s.store.FindChannel(c.UserContext(), code)
	if err != nil {
		return err
	}
	s.setCookie(c, cookieChannel, code, channelTTL)
	c.Set(fiber.HeaderCacheControl, privateCacheControl)
	return c.Redirect("/"+s.localeOf(c)+"/campaigns/"+ch.CampaignSlug, fiber.StatusSeeOther)
}

// recordChannelVisit attributes the visitor to the channel with code (the
// first channel a learner comes by wins), counts the visit, and hands the
// visit and the channel to the statistics (scope = the campaign). It is
// the one place where a tracked link meets the statistics.
func (s *Server) recordChannelVisit(c *fiber.Ctx, code string) (*store.Channel, error) {
	ctx, learner := c.UserContext(), s.ensureLearnerID(c)
	ch, err := s.store.RecordChannelVisit(ctx, code, learner)
	if err != nil {
		return nil, err
	}
	if err := s.store.RecordVisit(ctx, learner, ch.CampaignID, ch.ID, s.localeOf(c)); err != nil {
		return nil, err
	}
	return ch, nil
}

// ---- Organizers: channels and their QR codes ----

// adminChannelCreate adds a named channel with a fresh tracked link.
func (s *Server) adminChannelCreate(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	name := clip(c.FormValue("name"), maxChannelName*2)
	var errs app.FieldErrors
	switch {
	case name == "":
		errs = append(errs, app.FieldError("channel-name", "admin.campaigns.error.channel_required"))
	case utf8.RuneCountInString(name) > maxChannelName:
		errs = append(errs, app.FieldError("channel-name", "admin.campaigns.error.channel_long"))
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		errs = append(errs, app.FieldError("channel-name", "admin.campaigns.error.text_invalid"))
	}
	if len(errs) == 0 {
		ch, err := s.store.CreateChannel(c.UserContext(), currentUser(c), cp.Slug, name, campaign.NewCode)
		if err == nil {
			s.flash(c, "admin.campaigns.channel_added")
			return c.Redirect("/"+s.localeOf(c)+"/admin/campaigns/"+cp.Slug+"/channels/"+ch.Code, fiber.StatusSeeOther)
		}
		if !errors.As(err, &errs) {
			return err
		}
	}
	v, err := s.campaignView(c.UserContext(), cp, s.localeOf(c))
	if err != nil {
		return err
	}
	return s.campaignAdminPage(c, cp, v, name, errs)
}

// findChannel loads the channel in the path, which must belong to the
// campaign in the path (404 otherwise).
func (s *Server) findChannel(c *fiber.Ctx) (*store.Channel, error) {
	slug, code := c.Params("slug"), c.Params("code")
	if !authoring.ValidSlug(slug) || !campaign.ValidCode(code) {
		return nil, app.Errorf(app.ENOTFOUND, "campaign.channel_not_found")
	}
	ch, err := s.store.FindChannel(c.UserContext(), code)
	if err != nil {
		return nil, err
	}
	if ch.CampaignSlug != slug {
		return nil, app.Errorf(app.ENOTFOUND, "campaign.channel_not_found")
	}
	return ch, nil
}

// channelURL is the tracked link a channel hands out.
func (s *Server) channelURL(c *fiber.Ctx, code string) string { return s.baseURL(c) + "/c/" + code }

// adminChannelShow is the printable page of one channel: its QR code, its
// link and the downloads.
func (s *Server) adminChannelShow(c *fiber.Ctx) error {
	ch, err := s.findChannel(c)
	if err != nil {
		return err
	}
	cp, err := s.store.FindCampaign(c.UserContext(), ch.CampaignSlug)
	if err != nil {
		return err
	}
	v, err := s.campaignView(c.UserContext(), cp, s.localeOf(c))
	if err != nil {
		return err
	}
	return s.adminRender(c, "admin/campaign/channel", fiber.Map{"Title": ch.Name, "Channel": ch, "Campaign": v,
		"Link": s.channelURL(c, ch.Code)})
}

// adminChannelPNG serves the channel's QR code as a PNG (for print shops
// and messaging apps).
func (s *Server) adminChannelPNG(c *fiber.Ctx) error {
	ch, err := s.findChannel(c)
	if err != nil {
		return err
	}
	png, err := qr.PNG(s.channelURL(c, ch.Code), qrPNGSize)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+ch.CampaignSlug+"-"+ch.Code+`.png"`)
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(png)
}

// adminChannelSVG serves the channel's QR code as an SVG (for posters:
// sharp at any size).
func (s *Server) adminChannelSVG(c *fiber.Ctx) error {
	ch, err := s.findChannel(c)
	if err != nil {
		return err
	}
	svg, err := qr.SVG(s.channelURL(c, ch.Code), ch.Name)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+ch.CampaignSlug+"-"+ch.Code+`.svg"`)
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(svg)
}
