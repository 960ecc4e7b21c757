package web

import (
	"context"
	"html/template"

	"beacon/app/markdown"
	"beacon/app/media"
)

// renderMarkdown turns lesson Markdown into safe HTML (see app/markdown).
func (s *Server) renderMarkdown(src string) template.HTML {
	return s.markdown.HTML(src)
}

// lessonMarkdown is renderMarkdown whose media images carry a srcset of
// their resized copies, so that a phone loads a copy that fits its screen.
// Should the sizes not load, images show as they always did.
func (s *Server) lessonMarkdown(ctx context.Context, src string) template.HTML {
	names := media.Refs(src)
	if len(names) == 0 {
		return s.markdown.HTML(src)
	}
	files, err := s.store.MediaSizes(ctx, names)
	if err != nil {
		s.log.Warn("lesson images: sizes unknown", "err", err)
		return s.markdown.HTML(src)
	}
	images := make(map[string]markdown.Image, len(files))
	for name, f := range files {
		images[name] = markdown.Image{ContentType: f.ContentType, Width: f.Width, Height: f.Height}
	}
	return s.markdown.HTMLWithImages(src, images)
}
