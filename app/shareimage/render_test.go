package shareimage_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"beacon/app/shareimage"
)

var cards = map[string]shareimage.Card{
	"en":      {Site: "Beacon", Kind: "Alert: Severe", Title: "Flood warning for the river valley: move to higher ground and avoid crossing flooded roads until further notice from the authorities", Lang: "en"},
	"ar":      {Site: "منارة", Kind: "حملة", Title: "أسبوع الأمن السيبراني: احم حساباتك بكلمات مرور قوية", Lang: "ar", RTL: true},
	"zh-Hans": {Site: "灯塔", Kind: "课程", Title: "网络安全基础：保护您的账户和个人数据", Lang: "zh-Hans"},
}

// TestRenderer_Draw draws each card: the right size, ink in the title's
// area, real glyphs for Arabic and Chinese; with BEACON_SHAREIMAGE_DIR set
// the PNGs are written there to be looked at.
func TestRenderer_Draw(t *testing.T) {
	r := shareimage.New(nil, 16)
	seen := map[string]bool{}
	for lang, c := range cards {
		b, err := r.PNG(c)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds(); got != image.Rect(0, 0, 1200, 630) {
			t.Errorf("%s: bounds %v", lang, got)
		}
		if n := Ink(img, image.Rect(80, 180, 1120, 480)); n < 2000 {
			t.Errorf("%s: title area has %d inked pixels", lang, n)
		}
		fonts, missing, err := r.Coverage(c.Title, c.Lang)
		if err != nil {
			t.Fatal(err)
		}
		if missing > 0 {
			t.Errorf("%s: %d clusters without a glyph in %v", lang, missing, fonts)
		}
		if seen[string(b)] {
			t.Errorf("%s: same image as another language", lang)
		}
		seen[string(b)] = true
		if dir := os.Getenv("BEACON_SHAREIMAGE_DIR"); dir != "" {
			if err := os.WriteFile(filepath.Join(dir, "share-"+lang+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%s: fonts %v, %d bytes", lang, fonts, len(b))
	}
}

// TestRenderer_NoFont leaves out a text no font covers instead of boxes.
func TestRenderer_NoFont(t *testing.T) {
	r := shareimage.New(nil, 4)
	// Private-use characters of plane 16: no system font draws them (a
	// Brahmi title did, once Noto's full set was installed).
	c := shareimage.Card{Site: "Beacon", Kind: "Course", Title: "\U0010FFF0\U0010FFF1\U0010FFF2", Lang: "en"}
	if _, missing, err := r.Coverage(c.Title, c.Lang); err != nil || missing == 0 {
		t.Fatalf("the title should have no glyph in any font: %d missing, %v", missing, err)
	}
	img, err := r.Draw(c)
	if err != nil {
		t.Fatal(err)
	}
	if n := Ink(img, image.Rect(80, 180, 1120, 480)); n != 0 {
		t.Errorf("title area has %d inked pixels, want none", n)
	}
}

// Ink counts the pixels in rect that differ from the background blue.
func Ink(img image.Image, rect image.Rectangle) int {
	n := 0
	br, bg, bb, _ := shareimage.Brand.RGBA()
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r != br || g != bg || b != bb {
				n++
			}
		}
	}
	return n
}

// BenchmarkShareImage draws and encodes one card (no cache).
func BenchmarkShareImage(b *testing.B) {
	for _, lang := range []string{"en", "ar", "zh-Hans"} {
		b.Run(lang, func(b *testing.B) {
			r := shareimage.New(nil, 1)
			c := cards[lang]
			if _, err := r.Draw(c); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				img, err := r.Draw(c)
				if err != nil {
					b.Fatal(err)
				}
				if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&bytes.Buffer{}, img); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
