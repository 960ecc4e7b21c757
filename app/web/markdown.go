package web

import (
	"bytes"
	"html/template"
	"regexp"

	"beacon/app/media"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newMarkdown returns the lesson renderer: goldmark (CommonMark plus tables
// and strikethrough; raw HTML dropped) followed by bluemonday's policy for
// user-generated content, so a pack cannot smuggle script. Image and link
// destinations media/<name> point at the media library (/media/<name>),
// and images load lazily.
func newMarkdown() (goldmark.Markdown, *bluemonday.Policy) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(mediaLinks{}, 100))))
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	return md, p
}

// mediaLinks rewrites image and link destinations media/<name> (a valid
// media name) to the library's URL /media/<name>, and marks every image
// loading="lazy". Other destinations are left for bluemonday to judge.
type mediaLinks struct{}

func (mediaLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			if name, ok := media.RefName(string(n.Destination)); ok {
				n.Destination = []byte(media.URLPath(name))
			}
			n.SetAttributeString("loading", []byte("lazy"))
		case *ast.Link:
			if name, ok := media.RefName(string(n.Destination)); ok {
				n.Destination = []byte(media.URLPath(name))
			}
		}
		return ast.WalkContinue, nil
	})
}

// renderMarkdown turns lesson Markdown into safe HTML.
func (s *Server) renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := s.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(s.sanitize.SanitizeBytes(buf.Bytes())) // #nosec: sanitized just above
}
