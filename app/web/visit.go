package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Visits are counted by a pixel rather than by the pages: pages may be
// kept by caches and set no cookie, while /visit.gif is never cached and
// reaches the server once per page view in every browser, with or without
// JavaScript. It counts a visitor's first public page (site-wide), a
// campaign landing page (the campaign's "visited" step, and the channel the
// visitor came by), and an alert page (the alert's views); the statistics
// engine ignores repeats. It also gives a first-time visitor the guest
// cookie and remembers the language for "/".
const (
	// cookieSeen marks a browser whose first visit is already counted;
	// seenVersion also says its progress marker was checked (legacyPrivate).
	// After it come the campaigns and alerts whose views this browser has
	// already counted ("2.c12.a5"), so that a repeated view writes nothing.
	cookieSeen  = "beacon_seen"
	seenVersion = "2"
	seenMax     = 12 // campaigns and alerts remembered; older ones fall off
	// cookieChannel carries a tracked link's code from /c/{code} to the
	// landing page's pixel, so that a link preview or a prefetching
	// scanner, which follows the link but loads no images, counts nothing.
	cookieChannel = "beacon_channel"
	channelTTL    = time.Hour
)

// visitGIF is a transparent 1×1 GIF.
var visitGIF = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// visitURL is the pixel of a page: public, non-admin pages shown with 200
// only; a campaign landing page and an alert page say which (data's
// VisitCampaign and VisitAlert).
func (s *Server) visitURL(c *fiber.Ctx, lang string, data map[string]any) string {
	p := c.Path()
	if c.Response().StatusCode() != fiber.StatusOK || firstSegment(p) != lang || strings.HasPrefix(p, "/"+lang+"/admin/") {
		return ""
	}
	q := url.Values{"l": {lang}}
	if v, ok := data["VisitCampaign"].(string); ok && v != "" {
		q.Set("c", v)
	}
	if v, ok := data["VisitAlert"].(string); ok && v != "" {
		q.Set("a", v)
	}
	return "/visit.gif?" + q.Encode()
}

// visitPixel counts the page view that loaded it (see the comment above)
// and answers the GIF. It never fails: a counting error is logged.
func (s *Server) visitPixel(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "image/gif")
	if automated(c) {
		return c.Send(visitGIF)
	}
	ctx := c.UserContext()
	lang := c.Query("l")
	if !s.localeOn(ctx, lang) {
		lang = s.localeOf(c)
	}
	if c.Cookies(cookieLocale) != lang {
		s.setCookie(c, cookieLocale, lang, 365*24*time.Hour)
	}
	known := s.learnerID(c) != ""
	learner := s.ensureLearnerID(c)
	raw := c.Cookies(cookieSeen)
	seen := strings.Split(raw, ".")
	if seen[0] != seenVersion {
		if raw == "" {
			s.warnCount("count visit", s.store.RecordVisit(ctx, learner, 0, 0, lang), c)
		}
		s.legacyPrivate(c, known, learner)
		seen = []string{seenVersion}
	}
	if slug := c.Query("c"); slug != "" && authoring.ValidSlug(slug) {
		seen = s.countCampaignVisit(c, slug, learner, lang, seen)
	}
	if id := c.Query("a"); id != "" && app.ValidAlertIdentifier(id) {
		if a, err := s.store.FindAlert(ctx, id); err == nil && a.Public() {
			tag := "a" + strconv.FormatInt(a.ID, 10)
			if !slices.Contains(seen[1:], tag) {
				err := s.store.RecordAlertEvent(ctx, learner, lang, a.ID, store.StatAlertViewed)
				s.warnCount("record alert view", err, c)
				if err == nil {
					seen = remember(seen, tag)
				}
			}
		}
	}
	if v := strings.Join(seen, "."); v != raw {
		s.setCookie(c, cookieSeen, v, 365*24*time.Hour)
	}
	return c.Send(visitGIF)
}

// remember adds a counted campaign or alert to the seen list, forgetting
// the oldest past seenMax.
func remember(seen []string, tag string) []string {
	seen = append(seen, tag)
	if len(seen)-1 > seenMax {
		seen = append(seen[:1], seen[len(seen)-seenMax:]...)
	}
	return seen
}

// countCampaignVisit counts the campaign's "visited" step, attributed to
// the channel whose link brought the visitor here (the channel cookie,
// used once), and returns the seen list with the campaign in it. A view
// already counted by this browser writes nothing, unless a channel link
// brought it back (each follow of a link counts for its channel).
func (s *Server) countCampaignVisit(c *fiber.Ctx, slug, learner, lang string, seen []string) []string {
	ctx := c.UserContext()
	code := c.Cookies(cookieChannel)
	if code == "" && slices.Contains(seen[1:], "c:"+slug) {
		return seen
	}
	cp, err := s.store.FindCampaign(ctx, slug)
	if err != nil {
		if app.ErrorCode(err) != app.ENOTFOUND {
			s.warnCount("find campaign", err, c)
		}
		return seen
	}
	if code != "" {
		s.clearCookie(c, cookieChannel)
		if ch, err := s.store.FindChannel(ctx, code); err == nil && ch.CampaignID == cp.ID {
			_, err := s.recordChannelVisit(c, code)
			s.warnCount("count channel visit", err, c)
			if err == nil && !slices.Contains(seen[1:], "c:"+slug) {
				seen = remember(seen, "c:"+slug)
			}
			return seen
		}
	}
	err = s.store.RecordVisit(ctx, learner, cp.ID, 0, lang)
	s.warnCount("count campaign visit", err, c)
	if err == nil {
		seen = remember(seen, "c:"+slug)
	}
	return seen
}

// legacyPrivate gives cookiePrivate to a guest who made progress before
// pages were shared (and so never got it): once per browser, when the
// pixel first sees seenVersion missing.
func (s *Server) legacyPrivate(c *fiber.Ctx, known bool, learner string) {
	if !known || c.Cookies(cookiePrivate) != "" || currentUser(c) != nil {
		return
	}
	has, err := s.store.HasProgress(c.UserContext(), learner)
	if err != nil {
		s.warnCount("check progress", err, c)
		return
	}
	if has {
		s.setCookie(c, cookiePrivate, "1", 365*24*time.Hour)
	}
}

func (s *Server) warnCount(what string, err error, c *fiber.Ctx) {
	if err != nil {
		s.log.Warn(what, "err", err, "request_id", requestID(c))
	}
}

// automated reports a request that is no person's page view: a prefetch
// or prerender (Sec-Purpose, Purpose), or a crawler or link previewer
// that names itself.
func automated(c *fiber.Ctx) bool {
	if strings.Contains(c.Get("Sec-Purpose"), "prefetch") || strings.Contains(c.Get("Purpose"), "prefetch") ||
		strings.Contains(c.Get("X-Moz"), "prefetch") {
		return true
	}
	ua := strings.ToLower(c.Get(fiber.HeaderUserAgent))
	for _, bot := range automatedAgents {
		if strings.Contains(ua, bot) {
			return true
		}
	}
	return false
}

// automatedAgents are User-Agent fragments of crawlers and link previewers
// (messaging apps unfurl shared campaign links).
var automatedAgents = []string{"bot", "crawler", "spider", "slurp", "facebookexternalhit", "whatsapp", "telegram",
	"slack", "discord", "skypeuripreview"}
