package web

import "html/template"

// renderMarkdown turns lesson Markdown into safe HTML (see app/markdown).
func (s *Server) renderMarkdown(src string) template.HTML {
	return s.markdown.HTML(src)
}
