package web

import (
	"strings"

	"beacon/app"
	"beacon/app/ical"

	"github.com/gofiber/fiber/v2"
)

// calendarProdID names Beacon as the maker of its calendar files.
const calendarProdID = "-//Beacon//Beacon calendar//EN"

// calendarRoutes are the iCalendar files of a campaign's window and an
// alert's period, public and kept like the pages they belong to.
func (s *Server) calendarRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/campaigns/:slug/calendar.ics", accessPublic, h(shared, s.campaignCalendar)},
		{"GET", "/:lang/alerts/:identifier/calendar.ics", accessPublic, h(shared, s.alertCalendar)},
	}
}

// calendarUIDHost is the domain part of calendar UIDs: the default CAP sender's
// host, which follows the configured base URL and not the request.
func (s *Server) calendarUIDHost() string {
	sender := s.defaultCAPSender()
	return sender[strings.LastIndexByte(sender, '@')+1:]
}

// sendCalendar writes one event as an iCalendar file named name.
func (s *Server) sendCalendar(c *fiber.Ctx, name string, e ical.Event) error {
	e.Stamp = s.now()
	body, err := ical.Write(ical.Calendar{ProdID: calendarProdID, Events: []ical.Event{e}})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ical.ContentType)
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+name+`.ics"`)
	// As for pages: private unless the page cache keeps it for everyone
	// (it then answers public, with an ETag).
	c.Set(fiber.HeaderCacheControl, privateCacheControl)
	return c.Send(body)
}

// campaignCalendar is the campaign's window as one event: its title and
// description in the page's language (falling back to the source), and a
// link to its landing page; a campaign closed before it began is a
// cancelled event at its planned start.
func (s *Server) campaignCalendar(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	lang := s.localeOf(c)
	e := ical.Event{UID: "campaign-" + cp.Slug + "@" + s.calendarUIDHost(), Start: cp.Starts, End: cp.Ends,
		URL: s.baseURL(c) + "/" + lang + "/campaigns/" + cp.Slug}
	if !cp.Ends.After(cp.Starts) { // closed before it began: it never ran
		e.End, e.Cancelled = cp.Starts, true
	}
	var fb bool
	if e.Summary, fb = cp.Title.Get(lang, cp.SourceLocale); fb {
		e.Lang = cp.SourceLocale
	} else {
		e.Lang = lang
	}
	if e.Description, fb = cp.Description.Get(lang, cp.SourceLocale); fb {
		e.DescLang = cp.SourceLocale
	} else {
		e.DescLang = lang
	}
	return s.sendCalendar(c, cp.Slug, e)
}

// alertCalendar is the alert's period (effective to expires) as one event:
// its headline, what to do (or what happens), a link to its page; marked
// cancelled once a Cancel withdrew it.
func (s *Server) alertCalendar(c *fiber.Ctx) error {
	a, err := s.findPublicAlert(c)
	if err != nil {
		return err
	}
	lang := s.localeOf(c)
	e := ical.Event{UID: "alert-" + a.Identifier + "@" + s.calendarUIDHost(), Start: a.Effective, End: a.Expires,
		URL: s.baseURL(c) + "/" + lang + "/alerts/" + a.Identifier}
	var fb bool
	if e.Summary, fb = a.Headline.Get(lang, a.SourceLocale); fb {
		e.Lang = a.SourceLocale
	} else {
		e.Lang = lang
	}
	for _, t := range []app.Text{a.Instruction, a.Description} {
		if v, fb := t.Get(lang, a.SourceLocale); v != "" {
			e.Description, e.DescLang = v, lang
			if fb {
				e.DescLang = a.SourceLocale
			}
			break
		}
	}
	if a.SupersededBy != "" {
		if by, err := s.store.FindAlert(c.UserContext(), a.SupersededBy); err == nil && by.MsgType == "Cancel" {
			e.Cancelled = true
		}
	}
	return s.sendCalendar(c, a.Identifier, e)
}
