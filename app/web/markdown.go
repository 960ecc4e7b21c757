package web

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// newMarkdown returns the lesson renderer: goldmark (CommonMark plus tables
// and strikethrough; raw HTML dropped) followed by bluemonday's policy for
// user-generated content, so a pack cannot smuggle script.
func newMarkdown() (goldmark.Markdown, *bluemonday.Policy) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return md, p
}

// renderMarkdown turns lesson Markdown into safe HTML.
func (s *Server) renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := s.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(s.sanitize.SanitizeBytes(buf.Bytes())) // #nosec: sanitized just above
}
