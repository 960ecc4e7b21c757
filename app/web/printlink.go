package web

import (
	"context"
	"html"
	"html/template"
	"net/url"
	"strings"

	"beacon/app"
)

// linkOpen starts a link in sanitized lesson HTML: the sanitizer writes
// href first and every attribute double-quoted.
const linkOpen = `<a href="`

// printLinks gives every link of a lesson body that points into the site
// by a relative address a data-print-href with its absolute URL, which
// the print stylesheet writes out after the link text; page is the
// absolute URL the body is shown at. Absolute http(s) links are printed
// from their href; in-page anchors and other schemes are left alone.
func printLinks(body template.HTML, page string) template.HTML {
	src := string(body)
	if !strings.Contains(src, linkOpen) {
		return body
	}
	base, err := url.Parse(page)
	if err != nil {
		return body
	}
	var b strings.Builder
	b.Grow(len(src) + len(src)/8)
	for {
		i := strings.Index(src, linkOpen)
		if i < 0 {
			break
		}
		start := i + len(linkOpen)
		end := strings.IndexByte(src[start:], '"')
		if end < 0 {
			break
		}
		end += start
		b.WriteString(src[:end+1])
		if abs, ok := siteURL(base, html.UnescapeString(src[start:end])); ok {
			b.WriteString(` data-print-href="`)
			b.WriteString(html.EscapeString(abs))
			b.WriteByte('"')
		}
		src = src[end+1:]
	}
	b.WriteString(src)
	return template.HTML(b.String())
}

// siteURL resolves href against base when it is a relative address into
// the site (not empty, not an in-page anchor, no scheme or host).
func siteURL(base *url.URL, href string) (string, bool) {
	if href == "" || strings.HasPrefix(href, "#") {
		return "", false
	}
	ref, err := url.Parse(href)
	if err != nil || ref.Scheme != "" || ref.Host != "" {
		return "", false
	}
	return base.ResolveReference(ref).String(), true
}

// printKey names a lesson body with its print links for one page address
// (the address differs only by the base URL a trusted proxy forwards).
type printKey struct {
	lessonKey
	page string
}

// printableLessonHTML is lessonHTML with printLinks applied for the page
// at address page, cached beside it by revision.
func (s *Server) printableLessonHTML(ctx context.Context, c *app.PublishedCourse, l *app.Lesson, lang, page string) (template.HTML, bool) {
	body, fb := s.lessonHTML(ctx, c, l, lang)
	key := printKey{lessonKey{c.RevisionID, l.Slug, lang}, page}
	if v, ok := s.lessonCache.Load(key); ok {
		return v.(template.HTML), fb
	}
	h := printLinks(body, page)
	s.lessonCache.Store(key, h)
	return h, fb
}
