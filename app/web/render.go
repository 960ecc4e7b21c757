package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/i18n"

	"github.com/gofiber/fiber/v2"
)

// alternate is one translation of the current page, for hreflang links and
// the language switcher.
type alternate struct {
	Lang    string
	Href    string // absolute, for <link rel="alternate">
	Path    string // the same page as a path, for the switcher: a visitor stays on the host they came by
	Name    string // the language's own name
	Current bool
}

// render fills the data every page needs (localizer, CSRF token, user,
// flash, alternates, the alerts that cover the visitor, the visit pixel)
// and renders a template inside the main layout, sent as text/html;
// charset=utf-8. A page rendered to be shared (pagecache.go) gets no CSRF
// token and no flash, so that it sets no cookie and carries nothing of
// this visitor; every page leaves as private unless the page cache keeps
// it.
func (s *Server) render(c *fiber.Ctx, name string, data fiber.Map) error {
	if data == nil {
		data = fiber.Map{}
	}
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	data["L"] = l
	data["Lang"] = lang
	data["Dir"] = l.Dir()
	public := sharedPage(c)
	data["Shared"] = public
	data["CSRF"] = ""
	data["Flash"] = ""
	if !public && !offlineCopy(c) {
		data["CSRF"] = s.formToken(c)
	}
	data["User"] = currentUser(c)
	data["IsStaff"] = currentUser(c) != nil && hasAnyRole(currentUser(c), accessStaff)
	data["Flash"] = s.takeFlash(c)
	data["SiteName"] = s.siteName(c, l)
	meta := s.finishMeta(c, data, lang, l, data["SiteName"].(string))
	data["Meta"] = meta
	if meta.Noindex {
		c.Set("X-Robots-Tag", "noindex")
	}
	data["Path"] = c.Path()
	// The alert banner (alert_banner.go); not "Alerts", which pages listing
	// alerts may use for their own list.
	data["BannerAlerts"] = s.bannerAlerts(c, lang)
	alts, xDefault := s.alternates(c, meta.Query)
	data["Alternates"] = alts
	data["XDefault"] = xDefault
	if _, ok := data["Title"]; !ok {
		data["Title"] = ""
	}
	data["VisitURL"] = s.visitURL(c, lang, data)
	c.Set(fiber.HeaderCacheControl, privateCacheControl)
	return c.Render(name, data, layoutName)
}

// alternates lists the page in every enabled locale when its path starts
// with a locale; otherwise none. The links for search engines (Href,
// x-default) carry only the query that selects content, as the canonical
// link does; the switcher's paths keep the whole query (a search stays).
func (s *Server) alternates(c *fiber.Ctx, contentQuery string) ([]alternate, string) {
	p := c.Path()
	seg := firstSegment(p)
	if !s.bundle.Enabled(seg) {
		return nil, ""
	}
	rest := strings.TrimPrefix(p, "/"+seg)
	if rest == "" {
		rest = "/"
	}
	restPath := rest
	if q := string(c.Request().URI().QueryString()); q != "" {
		rest += "?" + q
	}
	if contentQuery != "" {
		restPath += "?" + contentQuery
	}
	base := s.baseURL(c)
	enabled := s.enabledLocales(c.UserContext())
	out := make([]alternate, 0, len(enabled))
	for _, lang := range enabled {
		out = append(out, alternate{Lang: lang, Href: base + "/" + lang + restPath, Path: "/" + lang + rest,
			Name: s.bundle.Localizer(lang).T("language.native", nil), Current: lang == seg})
	}
	// x-default is the default locale's page, which answers 200 (the bare
	// path would redirect).
	return out, base + "/" + s.bundle.Default() + restPath
}

// baseURL is the start of every absolute link (feeds, CAP, certificates,
// hreflang, channel links): BEACON_BASE_URL when set; else, from a trusted
// proxy, the scheme and host it forwards (proxy.go); else the listener's
// own address. Never the request's Host header, which anyone may forge
// and a shared cache would then keep.
func (s *Server) baseURL(c *fiber.Ctx) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL
	}
	if host, ok := s.forwardedHost(c); ok {
		return s.requestScheme(c) + "://" + host
	}
	return s.opts.ListenURL
}

// funcs are the template functions. The localizer is always passed in from
// the page data, never bound to the shared template set.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"t": func(l *i18n.Localizer, id string, kv ...any) string {
			return l.T(id, pairs(kv))
		},
		"tn": func(l *i18n.Localizer, id string, n int, kv ...any) string {
			return l.N(id, n, pairs(kv))
		},
		"tx": func(l *i18n.Localizer, t app.Text, source string) string {
			v, _ := t.Get(l.Locale(), source)
			return v
		},
		"asset": s.assets.url,
		// date formats a calendar day (or a campaign time already in its
		// campaign's zone) as it is; localdate and datetime show an instant
		// in the site's time zone; zonedtime shows a time in its own zone.
		"date":      func(l *i18n.Localizer, t any) string { return l.Date(timeOf(t)) },
		"localdate": func(l *i18n.Localizer, t any) string { return l.Date(s.inSiteZone(timeOf(t))) },
		"datetime":  func(l *i18n.Localizer, t any) string { return l.DateTime(s.inSiteZone(timeOf(t))) },
		"zonedtime": func(l *i18n.Localizer, t any) string { return l.DateTime(timeOf(t)) },
		"num":       func(l *i18n.Localizer, n int) string { return l.Number(n) },
		"pct":       func(l *i18n.Localizer, n int) string { return l.Percent(n) },
		"add":       func(a, b int) int { return a + b },
		"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"dict":      pairs2,
	}
}

// pairs turns "Key", value, ... into template data.
func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// pairs2 is pairs for templates: dict "Key" value ... builds a sub-view.
func pairs2(kv ...any) map[string]any { return pairs(kv) }

// timeOf accepts a time.Time or a *time.Time (nil is the zero time).
func timeOf(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}
