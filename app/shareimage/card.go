package shareimage

import (
	"crypto/sha256"
	"encoding/hex"
	"image/color"
)

// Width and Height are the size of a share image: the 1.91:1 picture that
// Open Graph and Twitter's large summary card show.
const (
	Width  = 1200
	Height = 630
)

// The site's colours (static/css/site.css): the header blue, its darker
// edge, and the yellow of the brand mark.
var (
	Brand     = color.RGBA{0x0b, 0x3d, 0x91, 0xff}
	BrandDark = color.RGBA{0x07, 0x2a, 0x66, 0xff}
	Mark      = color.RGBA{0xff, 0xdd, 0x00, 0xff}
	white     = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// Card is what one share image shows, in one language.
type Card struct {
	Site  string // the site's name, at the foot
	Kind  string // the label above the title ("Campaign", "Alert: Severe")
	Title string // wrapped to at most three lines, cut with an ellipsis
	Lang  string // BCP 47 tag of the texts ("ar", "zh-Hans")
	RTL   bool   // the page's direction
	// Accent colours the stripe beside the title (an alert's severity);
	// the zero value means the brand mark's yellow.
	Accent color.RGBA
}

// Key names the image a card gives: equal cards, equal keys. It is short
// enough for URLs and ETags.
func (c Card) Key() string {
	h := sha256.New()
	for _, s := range []string{c.Site, c.Kind, c.Title, c.Lang} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	dir := byte('l')
	if c.RTL {
		dir = 'r'
	}
	h.Write([]byte{dir, c.Accent.R, c.Accent.G, c.Accent.B, c.Accent.A, layoutVersion})
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// layoutVersion changes the keys when the drawing changes, so that images
// cached under a long max-age are fetched again.
const layoutVersion = 1
