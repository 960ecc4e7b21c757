package media

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
)

// Widths are the widths, in pixels, of the resized copies made of a PNG or
// JPEG image for phones (480), tablets and high-density phones (960) and
// wide screens (1440). Copies are never wider than the original.
var Widths = []int{480, 960, 1440}

// CopyWidths returns the Widths of the copies worth making of an image of
// contentType and width: those narrower than the original, for PNG and
// JPEG only (GIF may be animated, and there is no WebP encoder here).
func CopyWidths(contentType string, width int) []int {
	if contentType != TypePNG && contentType != TypeJPEG {
		return nil
	}
	var out []int
	for _, w := range Widths {
		if w < width {
			out = append(out, w)
		}
	}
	return out
}

// Resize returns a copy of the PNG or JPEG image data scaled to width
// pixels (height in proportion), in the same format, with its height. The
// error says why data cannot be resized (not PNG or JPEG, undecodable, or
// a width that is not narrower than the original).
func Resize(data []byte, width int) ([]byte, int, error) {
	src, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, fmt.Errorf("resize: decode: %w", err)
	}
	b := src.Bounds()
	if width <= 0 || width >= b.Dx() {
		return nil, 0, fmt.Errorf("resize: %d px is not narrower than the original %d px", width, b.Dx())
	}
	height := max(1, (b.Dy()*width+b.Dx()/2)/b.Dx())
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	var buf bytes.Buffer
	switch format {
	case "png":
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, dst)
	case "jpeg":
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82})
	default:
		return nil, 0, fmt.Errorf("resize: %s images are served as they are", format)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("resize: encode: %w", err)
	}
	return buf.Bytes(), height, nil
}

// SrcSet returns the srcset attribute of an image called name of
// contentType and width: its copies (URLPath(name)?w=<width>) and the
// original, each with its width descriptor; "" when it has no copies.
func SrcSet(name, contentType string, width int) string {
	ws := CopyWidths(contentType, width)
	if len(ws) == 0 {
		return ""
	}
	parts := make([]string, 0, len(ws)+1)
	for _, w := range ws {
		parts = append(parts, CopyURL(name, w)+" "+strconv.Itoa(w)+"w")
	}
	parts = append(parts, URLPath(name)+" "+strconv.Itoa(width)+"w")
	return strings.Join(parts, ", ")
}

// CopyURL is where the copy of name width pixels wide is served.
func CopyURL(name string, width int) string {
	return URLPath(name) + "?w=" + strconv.Itoa(width)
}
