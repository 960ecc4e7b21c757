package markdown

import (
	"bytes"
	"html/template"
	"regexp"
	"strconv"

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

// ImageSizes is how wide the lesson column is on each screen, for the
// browser to pick a copy from an image's srcset before laying out: the
// whole screen less the page's margins on phones, at most the 40rem
// measure elsewhere.
const ImageSizes = "(max-width: 42rem) calc(100vw - 2rem), 40rem"

// srcsetRe is what a srcset made by media.SrcSet looks like; bluemonday
// keeps nothing else.
var srcsetRe = regexp.MustCompile(`^/media/[a-z0-9][a-z0-9.-]*(\?w=[0-9]+)? [0-9]+w(, /media/[a-z0-9][a-z0-9.-]*(\?w=[0-9]+)? [0-9]+w)*$`)

// New returns the lesson renderer.
func New() *Renderer {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(mediaLinks{}, 100))))
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowAttrs("srcset").Matching(srcsetRe).OnElements("img")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^` + regexp.QuoteMeta(ImageSizes) + `$`)).OnElements("img")
	return &Renderer{md: md, sanitize: p}
}

// Image is what the renderer knows of a media image: its stored type and
// size, from which the srcset of its resized copies follows; the size also
// becomes the img's width and height, so the page keeps the image's room
// while it loads.
type Image struct {
	ContentType   string
	Width, Height int
}

// HTML turns Markdown into safe HTML. Whatever src holds, the result has
// no script element, no event-handler attribute and no javascript: URL.
func (r *Renderer) HTML(src string) template.HTML {
	return r.HTMLWithImages(src, nil)
}

// HTMLWithImages is HTML where images media/<name> found in images get a
// srcset of their resized copies (media.SrcSet) and sizes ImageSizes.
func (r *Renderer) HTMLWithImages(src string, images map[string]Image) template.HTML {
	var buf bytes.Buffer
	ctx := parser.NewContext()
	ctx.Set(imagesKey, images)
	if err := r.md.Convert([]byte(src), &buf, parser.WithContext(ctx)); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(r.sanitize.SanitizeBytes(buf.Bytes())) // #nosec: sanitized just above
}

// mediaLinks rewrites image and link destinations media/<name> (a valid
// media name) to the library's URL /media/<name>, and marks every image
// loading="lazy". Other destinations are left for bluemonday to judge.
type mediaLinks struct{}

// imagesKey carries HTMLWithImages' images to mediaLinks.
var imagesKey = parser.NewContextKey()

func (mediaLinks) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	images, _ := pc.Get(imagesKey).(map[string]Image)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			if name, ok := media.RefName(string(n.Destination)); ok {
				n.Destination = []byte(media.URLPath(name))
				if im, ok := images[name]; ok {
					if im.Width > 0 && im.Height > 0 {
						n.SetAttributeString("width", []byte(strconv.Itoa(im.Width)))
						n.SetAttributeString("height", []byte(strconv.Itoa(im.Height)))
					}
					if set := media.SrcSet(name, im.ContentType, im.Width); set != "" {
						n.SetAttributeString("srcset", []byte(set))
						n.SetAttributeString("sizes", []byte(ImageSizes))
					}
				}
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
