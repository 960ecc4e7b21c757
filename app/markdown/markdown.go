package markdown

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

// Renderer is the lesson renderer: goldmark (CommonMark plus tables and
// strikethrough; raw HTML dropped) followed by bluemonday's policy for
// user-generated content, so a pack cannot smuggle script. Image and link
// destinations media/<name> point at the media library (/media/<name>),
// and images load lazily. A Renderer is safe for concurrent use.
type Renderer struct {
	md       goldmark.Markdown
	sanitize *bluemonday.Policy
}

// New returns the lesson renderer.
func New() *Renderer {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(mediaLinks{}, 100))))
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	return &Renderer{md: md, sanitize: p}
}

// HTML turns Markdown into safe HTML. Whatever src holds, the result has
// no script element, no event-handler attribute and no javascript: URL.
func (r *Renderer) HTML(src string) template.HTML {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(r.sanitize.SanitizeBytes(buf.Bytes())) // #nosec: sanitized just above
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
