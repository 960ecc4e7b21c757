package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
)

// sitemapURLSet is a sitemap (sitemaps.org protocol 0.9) with hreflang
// alternates (xhtml:link), as search engines read them.
type sitemapURLSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string        `xml:"loc"`
	LastMod string        `xml:"lastmod,omitempty"`
	Links   []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// sitemap answers /sitemap.xml: the lists, every published course and its
// lessons, every campaign and every public alert, in every enabled locale,
// each with its translations and x-default (the default locale's page).
func (s *Server) sitemap(c *fiber.Ctx) error {
	ctx := c.UserContext()
	base := s.baseURL(c)
	locales := s.enabledLocales(ctx)
	def := s.bundle.Default()
	set := sitemapURLSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	// add lists one page (a path after the locale) in every locale.
	add := func(rest string, mod time.Time) {
		links := make([]sitemapLink, 0, len(locales)+1)
		for _, l := range locales {
			links = append(links, sitemapLink{"alternate", l, base + "/" + l + rest})
		}
		links = append(links, sitemapLink{"alternate", "x-default", base + "/" + def + rest})
		lastmod := ""
		if !mod.IsZero() {
			lastmod = mod.UTC().Format(time.RFC3339)
		}
		for _, l := range locales {
			set.URLs = append(set.URLs, sitemapURL{Loc: base + "/" + l + rest, LastMod: lastmod, Links: links})
		}
	}
	courses, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	campaigns, err := s.store.AllCampaigns(ctx)
	if err != nil {
		return err
	}
	alerts, err := s.store.PublishedAlerts(ctx)
	if err != nil {
		return err
	}
	var newest time.Time
	for _, pc := range courses {
		if pc.UpdatedAt.After(newest) {
			newest = pc.UpdatedAt
		}
	}
	add("/", time.Time{})
	add("/courses", newest)
	add("/campaigns", time.Time{})
	add("/alerts", time.Time{})
	for _, pc := range courses {
		if pc.Archived {
			continue
		}
		rest := "/courses/" + url.PathEscape(pc.Slug)
		add(rest, pc.UpdatedAt)
		for _, l := range pc.Lessons {
			add(rest+"/lessons/"+url.PathEscape(l.Slug), pc.UpdatedAt)
		}
	}
	for _, cp := range campaigns {
		add("/campaigns/"+url.PathEscape(cp.Slug), time.Time{})
	}
	for _, a := range alerts {
		if a.Public() {
			add("/alerts/"+url.PathEscape(a.Identifier), a.UpdatedAt)
		}
	}
	body, err := xml.Marshal(set)
	if err != nil {
		return fmt.Errorf("sitemap: %w", err)
	}
	body = append([]byte(xml.Header), body...)
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	return c.Send(body)
}
