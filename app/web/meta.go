package web

import (
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/i18n"
	"beacon/app/shareimage"

	"github.com/gofiber/fiber/v2"
)

// pageMeta is what a page tells search engines and social apps about
// itself: handlers fill the first fields (data["Meta"]), render fills the
// rest, and templates/partials/meta.html writes them into the head. All
// of it follows from the URL and the site's content, never from the
// visitor, so kept pages stay the same for everyone (pagecache.go).
type pageMeta struct {
	// Title is the page's own title, without the site's name; empty means
	// data["Title"], and both empty (the home page) means the site's name alone.
	Title string
	// Description is a sentence or two about the page; empty means the
	// site's generic line. render cuts it to descriptionMax on a word.
	Description string
	// Type is og:type: "website" when empty, "article" for content pages.
	Type string
	// Query is the part of the query string that selects content, kept
	// in the canonical URL ("topic=cyber"); any other query is dropped.
	Query string
	// Share is the page's share image; nil means the site's own card.
	Share *shareimage.Card
	// ShareKind and ShareID name the share image's URL (share.go).
	ShareKind, ShareID string

	// Filled by render.
	FullTitle, SiteName, Canonical, Image, ImageAlt, Locale string
	// ImageWidth and ImageHeight are the share image's size in pixels.
	ImageWidth, ImageHeight int
	LocaleAlternates        []string
	Noindex                 bool
}

// descriptionMax bounds a meta description: search engines show about 160
// characters.
const descriptionMax = 160

// Share image sizes, as og:image:width and og:image:height say.
const (
	shareWidth  = shareimage.Width
	shareHeight = shareimage.Height
)

// finishMeta completes the page's metadata from the request and data.
func (s *Server) finishMeta(c *fiber.Ctx, data fiber.Map, lang string, l *i18n.Localizer, siteName string) *pageMeta {
	m, _ := data["Meta"].(*pageMeta)
	if m == nil {
		m = &pageMeta{}
	}
	if m.Title == "" {
		m.Title, _ = data["Title"].(string)
	}
	m.SiteName = siteName
	m.FullTitle = siteName
	if m.Title != "" && m.Title != siteName {
		m.FullTitle = m.Title + " – " + siteName
		if adminPath(c.Route().Path) {
			// "Courses – Admin – Beacon" is not the public "Courses – Beacon".
			m.FullTitle = m.Title + " – " + l.T("nav.admin", nil) + " – " + siteName
		}
	}
	if m.Title == "" {
		m.Title = siteName
	}
	m.Noindex = s.noindex(c)
	if m.Noindex {
		return m
	}
	if m.Description == "" {
		m.Description = l.T("footer.about", nil)
	}
	m.Description = cutText(m.Description, descriptionMax)
	if m.Type == "" {
		m.Type = "website"
	}
	base := s.baseURL(c)
	m.Canonical = base + c.Path()
	if m.Query != "" {
		m.Canonical += "?" + m.Query
	}
	m.Locale = ogLocale(lang)
	m.LocaleAlternates = m.LocaleAlternates[:0]
	if s.bundle.Enabled(firstSegment(c.Path())) {
		for _, other := range s.enabledLocales(c.UserContext()) {
			if other != lang {
				m.LocaleAlternates = append(m.LocaleAlternates, ogLocale(other))
			}
		}
	}
	if m.Share == nil {
		card := s.siteShare(c.UserContext(), lang)
		m.Share, m.ShareKind, m.ShareID = &card, shareSite, shareSiteID
	}
	m.Image = base + shareURL(lang, m.ShareKind, m.ShareID, m.Share.Key())
	m.ImageWidth, m.ImageHeight = shareWidth, shareHeight
	m.ImageAlt = m.Share.Title
	if m.Share.Kind != "" {
		m.ImageAlt = m.Share.Kind + ": " + m.Share.Title
	}
	return m
}

// adminPath says whether a route is in the admin area.
func adminPath(route string) bool {
	return route == "/:lang/admin" || strings.HasPrefix(route, "/:lang/admin/")
}

// titled is the metadata of a page whose title names the page (the
// catalog key of its heading) and what it belongs to ("History – Cyber
// hygiene"), where the heading alone would be the same on many pages.
func titled(l *i18n.Localizer, key, of string) *pageMeta {
	t := l.T(key, nil)
	if of != "" {
		t += " – " + of
	}
	return &pageMeta{Title: t}
}

// noindex is THE rule for pages search engines must not keep: the admin
// area, the learner's own pages, pages reached by a personal token or
// attempt, anything behind a role, and every error page. render sends it
// as a meta tag and an X-Robots-Tag header.
func (s *Server) noindex(c *fiber.Ctx) bool {
	if c.Response().StatusCode() >= fiber.StatusBadRequest {
		return true
	}
	p := c.Route().Path
	if adminPath(p) || p == "/:lang/me" || strings.HasPrefix(p, "/:lang/me/") {
		return true
	}
	// The offline page (offline.go) is for devices, not for search.
	return strings.Contains(p, ":token") || strings.Contains(p, ":attempt") || p == "/:lang/offline"
}

// ogLocale writes a locale as Open Graph wants it (language_TERRITORY).
func ogLocale(lang string) string {
	switch lang {
	case "ar":
		return "ar_AR"
	case "en":
		return "en_US"
	case "es":
		return "es_ES"
	case "fr":
		return "fr_FR"
	case "ru":
		return "ru_RU"
	case "zh-Hans":
		return "zh_CN"
	}
	return strings.ReplaceAll(lang, "-", "_")
}

// cutText collapses white space and cuts s to at most max characters,
// on a word when one ends in the last quarter, marking the cut with "…".
func cutText(s string, max int) string {
	if utf8.RuneCountInString(s) <= max && !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\n\t\r") {
		return strings.TrimSpace(s)
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	cut := len(r)
	for i := len(r) - 1; i >= max*3/4; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), func(c rune) bool { return unicode.IsSpace(c) || unicode.IsPunct(c) }) + "…"
}

// plainText is the text of an HTML fragment (tags dropped, entities
// decoded), read only as far as a description needs.
func plainText(h string) string {
	var b strings.Builder
	in := false
	for i := 0; i < len(h) && b.Len() < descriptionMax*6; i++ {
		switch ch := h[i]; {
		case ch == '<':
			in = true
			b.WriteByte(' ')
		case ch == '>':
			in = false
		case !in:
			b.WriteByte(ch)
		}
	}
	return html.UnescapeString(b.String())
}

// lessonDescription is the start of a lesson's text as its description,
// cut once per revision, lesson and locale (kept beside the lesson's HTML).
func (s *Server) lessonDescription(pc *app.PublishedCourse, l *app.Lesson, lang, body string) string {
	key := lessonDescKey{lessonKey{pc.RevisionID, l.Slug, lang}}
	if v, ok := s.lessonCache.Load(key); ok {
		return v.(string)
	}
	d := cutText(plainText(body), descriptionMax)
	s.lessonCache.Store(key, d)
	return d
}

type lessonDescKey struct{ lessonKey }

// shareURL is the path of a share image, versioned by what it shows.
func shareURL(lang, kind, id, key string) string {
	return "/" + lang + "/share/" + kind + "/" + url.PathEscape(id) + ".png?v=" + key
}
