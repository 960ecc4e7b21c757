package web

import (
	"html"
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// linkHref finds the href of each link in sanitized lesson HTML (the
// sanitizer writes every attribute double-quoted).
var linkHref = regexp.MustCompile(`<a href="([^"]*)"`)

// printLinks gives every link of a lesson body that points into the site
// by a relative address a data-print-href with its absolute URL, which
// the print stylesheet writes out after the link text; page is the
// absolute URL the body is shown at. Absolute http(s) links are printed
// from their href; in-page anchors and other schemes are left alone.
func printLinks(body template.HTML, page string) template.HTML {
	base, err := url.Parse(page)
	if err != nil {
		return body
	}
	out := linkHref.ReplaceAllStringFunc(string(body), func(m string) string {
		href := html.UnescapeString(linkHref.FindStringSubmatch(m)[1])
		if href == "" || strings.HasPrefix(href, "#") {
			return m
		}
		ref, err := url.Parse(href)
		if err != nil || ref.Scheme != "" || ref.Host != "" {
			return m
		}
		return m + ` data-print-href="` + html.EscapeString(base.ResolveReference(ref).String()) + `"`
	})
	return template.HTML(out)
}
