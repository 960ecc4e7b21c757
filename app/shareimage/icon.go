package shareimage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"golang.org/x/image/vector"
)

// IconPNG draws the site's icon, the brand mark of the header (a yellow
// disc with a pale ring on the header blue), size×size pixels, as a PNG.
// static/img/icon.svg is the same drawing.
func IconPNG(size int) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.Draw(img, img.Bounds(), image.NewUniform(Brand), image.Point{}, draw.Src)
	c := float32(size) / 2
	ring := color.RGBA{0x6d, 0x8b, 0xbd, 0xff}
	fillDisc(img, c, c, float32(size)*0.34, ring)
	fillDisc(img, c, c, float32(size)*0.27, Mark)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode icon: %w", err)
	}
	return buf.Bytes(), nil
}

// ICO wraps PNG images (each at most 256 pixels square) in the ICO
// container that /favicon.ico is expected to hold.
func ICO(pngs ...[]byte) ([]byte, error) {
	var buf bytes.Buffer
	le := binary.LittleEndian
	_ = binary.Write(&buf, le, [3]uint16{0, 1, uint16(len(pngs))})
	offset := 6 + 16*len(pngs)
	for _, p := range pngs {
		cfg, err := png.DecodeConfig(bytes.NewReader(p))
		if err != nil {
			return nil, fmt.Errorf("icon image: %w", err)
		}
		if cfg.Width > 256 || cfg.Height > 256 {
			return nil, fmt.Errorf("icon image: %d×%d is larger than 256", cfg.Width, cfg.Height)
		}
		buf.WriteByte(byte(cfg.Width % 256)) // 0 means 256
		buf.WriteByte(byte(cfg.Height % 256))
		buf.Write([]byte{0, 0})                      // no palette, reserved
		_ = binary.Write(&buf, le, [2]uint16{1, 32}) // planes, bits per pixel
		_ = binary.Write(&buf, le, [2]uint32{uint32(len(p)), uint32(offset)})
		offset += len(p)
	}
	for _, p := range pngs {
		buf.Write(p)
	}
	return buf.Bytes(), nil
}

// fillDisc fills a circle of radius r centred on (cx, cy), rasterizing
// only its bounding box.
func fillDisc(img *image.RGBA, cx, cy, r float32, col color.RGBA) {
	box := image.Rect(int(cx-r)-1, int(cy-r)-1, int(cx+r)+2, int(cy+r)+2).Intersect(img.Bounds())
	if box.Empty() {
		return
	}
	ras := vector.NewRasterizer(box.Dx(), box.Dy())
	x, y := cx-float32(box.Min.X), cy-float32(box.Min.Y)
	const k = 0.5523
	ras.MoveTo(x+r, y)
	ras.CubeTo(x+r, y+k*r, x+k*r, y+r, x, y+r)
	ras.CubeTo(x-k*r, y+r, x-r, y+k*r, x-r, y)
	ras.CubeTo(x-r, y-k*r, x-k*r, y-r, x, y-r)
	ras.CubeTo(x+k*r, y-r, x+r, y-k*r, x+r, y)
	ras.ClosePath()
	ras.Draw(img, box, image.NewUniform(col), image.Point{})
}
