package media_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"beacon/app/media"
)

func picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 40), uint8(y * 40), 200, 255})
		}
	}
	return img
}

// PNG, JPEG and GIF return real w×h images made by the standard encoders.
func PNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, picture(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func JPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(w, h), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func GIF(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, picture(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func animatedGIF(t *testing.T) []byte {
	t.Helper()
	pal := color.Palette{color.Black, color.White}
	var frames []*image.Paletted
	for i := 0; i < 3; i++ {
		f := image.NewPaletted(image.Rect(0, 0, 4, 3), pal)
		f.SetColorIndex(i, 1, 1)
		frames = append(frames, f)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: frames, Delay: []int{10, 10, 10}}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Minimal valid WebP files: lossy (VP8), lossless (VP8L) and extended
// with alpha (VP8X + ALPH + VP8), each 1×1.
var (
	webpLossy    = mustB64("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")
	webpLossless = mustB64("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	webpAlpha    = mustB64("UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==")
)

func mustB64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestSniff_Accepts(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		ct, ext string
		w, h    int
	}{
		{"PNG", PNG(t, 5, 3), media.TypePNG, "png", 5, 3},
		{"JPEG", JPEG(t, 7, 4), media.TypeJPEG, "jpg", 7, 4},
		{"GIF", GIF(t, 3, 2), media.TypeGIF, "gif", 3, 2},
		{"AnimatedGIF", animatedGIF(t), media.TypeGIF, "gif", 4, 3},
		{"WebPLossy", webpLossy, media.TypeWebP, "webp", 1, 1},
		{"WebPLossless", webpLossless, media.TypeWebP, "webp", 1, 1},
		{"WebPExtended", webpAlpha, media.TypeWebP, "webp", 1, 1},
		{"LargestAllowed", PNG(t, media.MaxDimension, 1), media.TypePNG, "png", media.MaxDimension, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, ext, err := media.Sniff(tt.data)
			if err != nil || ct != tt.ct || ext != tt.ext {
				t.Fatalf("Sniff = %q, %q, %v; want %q, %q", ct, ext, err, tt.ct, tt.ext)
			}
			info, err := media.Inspect(tt.data)
			if err != nil || info.Width != tt.w || info.Height != tt.h {
				t.Fatalf("Inspect = %+v, %v; want %d×%d", info, err, tt.w, tt.h)
			}
		})
	}
}

// TestSniff_DecidesByContent: the bytes decide, never the name; a name is
// not even an argument, and a PNG uploaded as photo.jpg gets a .png name.
func TestSniff_DecidesByContent(t *testing.T) {
	data := PNG(t, 2, 2)
	ct, ext, err := media.Sniff(data)
	if err != nil || ct != media.TypePNG {
		t.Fatalf("PNG named .jpg: %q %v", ct, err)
	}
	if got := media.CleanName("photo.jpg", ext); got != "photo.png" {
		t.Fatalf("CleanName = %q, want photo.png", got)
	}
}

func TestSniff_Refuses(t *testing.T) {
	png := PNG(t, 4, 4)
	jpg := JPEG(t, 8, 8)
	gf := GIF(t, 4, 4)
	flipped := append([]byte(nil), png...)
	flipped[len(flipped)-20] ^= 0xFF // inside IDAT: the checksum no longer matches
	webpCut := append([]byte(nil), webpLossy[:len(webpLossy)-6]...)
	webpBadSize := append([]byte(nil), webpLossless...)
	webpBadSize[4] = 0xFF // RIFF says the file is longer than it is
	huge := widePNG(t, media.MaxDimension+1)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"Empty", nil, media.ErrEmpty},
		{"HTMLNamedPNG", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), media.ErrNotImage},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), media.ErrNotImage},
		{"PDF", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), media.ErrNotImage},
		{"BMP", append([]byte("BM"), make([]byte, 60)...), media.ErrNotImage},
		{"TooLarge", append(append([]byte(nil), png...), make([]byte, media.MaxSize)...), media.ErrTooLarge},
		{"TruncatedPNG", png[:len(png)-15], media.ErrBroken},
		{"PNGHeaderOnly", png[:33], media.ErrBroken},
		{"PNGBadChecksum", flipped, media.ErrBroken},
		{"TruncatedJPEG", jpg[:len(jpg)/2], media.ErrBroken},
		{"JPEGWithoutEOI", jpg[:len(jpg)-2], media.ErrBroken},
		{"TruncatedGIF", gf[:len(gf)-3], media.ErrBroken},
		{"TruncatedWebP", webpCut, media.ErrBroken},
		{"WebPLongerThanFile", webpBadSize, media.ErrBroken},
		{"WebPNoFrame", []byte("RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), media.ErrBroken},
		{"TooManyPixels", huge, media.ErrDimensions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, ext, err := media.Sniff(tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Sniff = %q, %q, %v; want %v", ct, ext, err, tt.want)
			}
			if ct != "" || ext != "" {
				t.Fatalf("a refused file got a type: %q %q", ct, ext)
			}
			if id := media.MessageID(err); !strings.HasPrefix(id, "admin.media.error.") {
				t.Fatalf("MessageID = %q", id)
			}
		})
	}
}

// widePNG returns a real, complete grey PNG w pixels wide and 1 high.
func widePNG(t *testing.T, w int) []byte {
	t.Helper()
	var b bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, w, 1))
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCleanName(t *testing.T) {
	tests := []struct{ original, ext, want string }{
		{"Holiday Photo.JPG", "jpg", "holiday-photo.jpg"},
		{"C:\\Users\\ana\\Desktop\\Map of exits.png", "png", "map-of-exits.png"},
		{"../../etc/passwd", "png", "passwd.png"},
		{"Café_crème (1).webp", "webp", "cafe-creme-1.webp"},
		{"照片.png", "png", "image.png"},
		{"", ".gif", "image.gif"},
		{"---.png", "png", "image.png"},
		{"a.b.c.png", "png", "a-b-c.png"},
		{strings.Repeat("long-", 30) + ".png", "png", strings.TrimRight(strings.Repeat("long-", 12), "-") + ".png"},
	}
	for _, tt := range tests {
		got := media.CleanName(tt.original, tt.ext)
		if got != tt.want {
			t.Errorf("CleanName(%q, %q) = %q, want %q", tt.original, tt.ext, got, tt.want)
		}
		if !media.ValidName(got) {
			t.Errorf("CleanName(%q) = %q is not a valid name", tt.original, got)
		}
	}
}

func TestValidName(t *testing.T) {
	for _, ok := range []string{"a.png", "map-of-exits.jpg", "x1.jpeg", "anim.gif", "pic.webp", "a-2.png"} {
		if !media.ValidName(ok) {
			t.Errorf("ValidName(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", ".png", "A.png", "a b.png", "a.PNG", "a.svg", "a.html", "-a.png", "a-.png", "../a.png", "a/b.png", "a.png.html", "a_b.png", "a%2e.png"} {
		if media.ValidName(bad) {
			t.Errorf("ValidName(%q) = true", bad)
		}
	}
	if !media.FitsType("a.jpeg", media.TypeJPEG) || !media.FitsType("a.jpg", media.TypeJPEG) || media.FitsType("a.png", media.TypeJPEG) {
		t.Error("FitsType is wrong")
	}
	if got := media.Numbered("photo.png", 3); got != "photo-3.png" {
		t.Errorf("Numbered = %q", got)
	}
}

func TestRefs(t *testing.T) {
	md := "# Exits\n\n![Map of the exits](media/map.png \"Map\")\n\nSee [the plan](media/plan.pdf), [a site](https://example.org/media/x.png) " +
		"and ![again](media/map.png).\n\n| a |\n|---|\n| ![cell](media/cell.gif) |\n\n[ref]: media/ref.webp\n\nUse [it][ref]. `![code](media/code.png)`"
	got := strings.Join(media.Refs(md), ",")
	if want := "map.png,plan.pdf,cell.gif,ref.webp"; got != want {
		t.Fatalf("Refs = %s, want %s", got, want)
	}
	if n, ok := media.RefName("media/map.png"); !ok || n != "map.png" {
		t.Fatal("RefName rejects a valid reference")
	}
	for _, bad := range []string{"/media/map.png", "media/../x.png", "media/Map.png", "media/", "https://x/media/a.png"} {
		if _, ok := media.RefName(bad); ok {
			t.Errorf("RefName(%q) accepted", bad)
		}
	}
}

func TestBadRefs(t *testing.T) {
	md := "![a](media/exit-map.png) ![b](media/../../x.png) [c](/media/y.png) ![d](media\\z.png) " +
		"![e](./media/w.png) ![f](media//etc/passwd) [g](https://example.org/media/x.png) [h](media/sub/x.png) ![b2](media/../../x.png)"
	got := media.BadRefs(md)
	want := []string{"media/../../x.png", "/media/y.png", `media\z.png`, "./media/w.png", "media//etc/passwd", "media/sub/x.png"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("BadRefs = %q, want %q", got, want)
	}
	if bad := media.BadRefs("![ok](media/exit-map.png) [elsewhere](https://example.org/a.png)"); len(bad) != 0 {
		t.Errorf("good references refused: %q", bad)
	}
}
