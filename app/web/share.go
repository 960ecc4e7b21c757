package web

import (
	"context"
	"image/color"
	"strings"

	"beacon/app"
	"beacon/app/shareimage"

	"github.com/gofiber/fiber/v2"
)

// Share image kinds, the second segment of /{lang}/share/{kind}/{id}.png.
const (
	shareCourse      = "course"
	shareCampaign    = "campaign"
	shareAlert       = "alert"
	shareCertificate = "certificate"
	shareSite        = "site"
	shareSiteID      = "home"
)

// shareImageMaxAge is how long a versioned share image may be kept: its
// URL changes with what it shows (?v=), so for good.
const shareImageMaxAge = "public, max-age=31536000, immutable"

// shareImage answers /{lang}/share/{kind}/{id}.png: the page's picture for
// social apps, 1200×630, drawn in the page's language (app/shareimage)
// and kept in memory by what it shows. Its strong ETag is that content
// key; a request with an outdated or missing ?v= still gets the current
// image, cached briefly.
func (s *Server) shareImage(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	id, ok := strings.CutSuffix(c.Params("file"), ".png")
	if !ok || id == "" {
		return unmatched(c)
	}
	card, err := s.shareCard(c.UserContext(), lang, c.Params("kind"), id)
	if err != nil {
		return err
	}
	key := card.Key()
	etag := `"` + key + `"`
	if c.Query("v") == key {
		c.Set(fiber.HeaderCacheControl, shareImageMaxAge)
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderETag, etag)
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && (match == etag || match == "*" || strings.Contains(match, etag)) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	b, err := s.shareImages.PNG(card)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(b)
}

// shareCard loads what a share image shows; ENOTFOUND for an unknown kind
// or id, or one the public may not see.
func (s *Server) shareCard(ctx context.Context, lang, kind, id string) (shareimage.Card, error) {
	notFound := app.Errorf(app.ENOTFOUND, "error.not_found")
	switch kind {
	case shareSite:
		if id != shareSiteID {
			return shareimage.Card{}, notFound
		}
		return s.siteShare(ctx, lang), nil
	case shareCourse:
		if len(id) > 100 {
			return shareimage.Card{}, notFound
		}
		pc, err := s.store.FindPublishedCourse(ctx, id)
		if err != nil {
			return shareimage.Card{}, err
		}
		return s.courseShare(ctx, pc, lang), nil
	case shareCampaign:
		if len(id) > 100 {
			return shareimage.Card{}, notFound
		}
		cp, err := s.store.FindCampaign(ctx, id)
		if err != nil {
			return shareimage.Card{}, err
		}
		return s.campaignShare(ctx, cp, lang), nil
	case shareAlert:
		if !app.ValidAlertIdentifier(id) {
			return shareimage.Card{}, notFound
		}
		a, err := s.store.FindAlert(ctx, id)
		if err != nil {
			return shareimage.Card{}, err
		}
		if !a.Public() {
			return shareimage.Card{}, notFound
		}
		return s.alertShare(ctx, a, lang), nil
	case shareCertificate:
		if len(id) != 12 {
			return shareimage.Card{}, notFound
		}
		cert, err := s.store.FindCertificateByCode(ctx, id)
		if err != nil {
			return shareimage.Card{}, err
		}
		return s.certificateShare(ctx, cert, lang), nil
	}
	return shareimage.Card{}, notFound
}

// shareBase is a card with the site's name, language and direction.
func (s *Server) shareBase(ctx context.Context, lang string) shareimage.Card {
	return shareimage.Card{Site: s.siteNameIn(ctx, lang), Lang: lang, RTL: s.bundle.Localizer(lang).Dir() == "rtl"}
}

func (s *Server) siteShare(ctx context.Context, lang string) shareimage.Card {
	c := s.shareBase(ctx, lang)
	c.Title = s.bundle.Localizer(lang).T("home.heading", nil)
	return c
}

func (s *Server) courseShare(ctx context.Context, pc *app.PublishedCourse, lang string) shareimage.Card {
	c := s.shareBase(ctx, lang)
	c.Kind = s.bundle.Localizer(lang).T("seo.kind.course", nil)
	c.Title, _ = pc.Title.Get(lang, pc.SourceLocale)
	return c
}

func (s *Server) campaignShare(ctx context.Context, cp *app.Campaign, lang string) shareimage.Card {
	c := s.shareBase(ctx, lang)
	c.Kind = s.bundle.Localizer(lang).T("seo.kind.campaign", nil)
	c.Title, _ = cp.Title.Get(lang, cp.SourceLocale)
	return c
}

// severityColours are the alert colours of static/css/site.css.
var severityColours = map[string]color.RGBA{
	"Extreme":  {0x7a, 0x00, 0x10, 0xff},
	"Severe":   {0xa8, 0x40, 0x0c, 0xff},
	"Moderate": {0xf0, 0xb4, 0x00, 0xff},
	"Minor":    {0x1d, 0x70, 0xb8, 0xff},
	"Unknown":  {0x50, 0x5a, 0x5f, 0xff},
}

func (s *Server) alertShare(ctx context.Context, a *app.Alert, lang string) shareimage.Card {
	c := s.shareBase(ctx, lang)
	l := s.bundle.Localizer(lang)
	sev := a.Severity
	if _, ok := severityColours[sev]; !ok {
		sev = "Unknown"
	}
	c.Kind = l.T("seo.kind.alert", map[string]any{"Severity": l.T("cap.severity."+sev, nil)})
	c.Title, _ = a.Headline.Get(lang, a.SourceLocale)
	if c.Title == "" {
		c.Title, _ = a.Event.Get(lang, a.SourceLocale)
	}
	c.Accent = severityColours[sev]
	return c
}

// certificateShare shows the course a certificate is for, not its
// holder's name: a picture travels further than the page it came from.
func (s *Server) certificateShare(ctx context.Context, cert *app.Certificate, lang string) shareimage.Card {
	c := s.shareBase(ctx, lang)
	c.Kind = s.bundle.Localizer(lang).T("certificate.title", nil)
	c.Title, _ = cert.CourseTitle.Get(lang, cert.SourceLocale)
	return c
}

// shareMeta is the metadata part a handler sets for a page with its own
// share image.
func shareMeta(m *pageMeta, kind, id string, card shareimage.Card) *pageMeta {
	m.Share, m.ShareKind, m.ShareID = &card, kind, id
	return m
}

// shareImagesKept bounds the share images kept in memory (about 50 KB each).
const shareImagesKept = 512

// certificateMeta is the certificate page's metadata: its own title (the
// course page has the course's), and the course as its share image.
func (s *Server) certificateMeta(c *fiber.Ctx, cert *app.Certificate, course string) *pageMeta {
	l := s.bundle.Localizer(s.localeOf(c))
	m := &pageMeta{Title: l.T("seo.title.certificate", map[string]any{"Course": course}),
		Description: l.T("seo.description.certificate", map[string]any{"Course": course, "Site": s.siteName(c, l)})}
	return shareMeta(m, shareCertificate, cert.Code, s.certificateShare(c.UserContext(), cert, s.localeOf(c)))
}
