package shareimage

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/fontscan"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// families are tried first, in this order; the font map falls back to any
// installed font that covers a script (Noto Sans CJK for Chinese, DejaVu
// Sans for Arabic on a Debian machine).
var families = []string{"Noto Sans", "DejaVu Sans", "sans-serif"}

// Layout, in pixels.
const (
	margin     = 80
	titleSize  = 64
	titleLines = 3
	kindSize   = 36
	siteSize   = 38
	footTop    = 500
)

// Renderer draws share images and keeps the last ones it drew. Its methods
// are safe for concurrent use; drawing is serialized, since the font map
// and shaper are not.
type Renderer struct {
	log      *slog.Logger
	cacheDir string

	mu      sync.Mutex
	fonts   *fontscan.FontMap
	loadErr error
	shaper  shaping.HarfbuzzShaper
	seg     shaping.Segmenter
	wrapper shaping.LineWrapper
	ras     vector.Rasterizer
	warned  map[string]bool

	cache *lru
}

// New returns a renderer that finds system fonts on first use (their
// index is kept under the temporary folder) and keeps up to keep images.
func New(log *slog.Logger, keep int) *Renderer {
	if log == nil {
		log = slog.Default()
	}
	return &Renderer{log: log, cacheDir: filepath.Join(os.TempDir(), "beacon-fontscan"), warned: map[string]bool{},
		cache: newLRU(keep)}
}

// PNG returns the card drawn as a PNG, from the cache when the same card
// was drawn before.
func (r *Renderer) PNG(c Card) ([]byte, error) {
	key := c.Key()
	if b, ok := r.cache.get(key); ok {
		return b, nil
	}
	img, err := r.Draw(c)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode share image: %w", err)
	}
	b := buf.Bytes()
	r.cache.put(key, b)
	return b, nil
}

// Draw draws the card. A text that no installed font covers is left out
// and logged once per language; without any usable font the card has no
// text at all (the failure is logged once).
func (r *Renderer) Draw(c Card) (*image.RGBA, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.load(); err != nil {
		if !r.warned["load"] {
			r.warned["load"] = true
			r.log.Error("share image: no fonts; images are drawn without text", "err", err)
		}
	} else {
		r.query(c.Lang)
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(Brand), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, footTop, Width, Height), image.NewUniform(BrandDark), image.Point{}, draw.Src)
	accent := c.Accent
	if accent.A == 0 {
		accent = Mark
	}
	// The stripe on the title's starting side.
	stripe := image.Rect(0, 0, 24, footTop)
	if c.RTL {
		stripe = image.Rect(Width-24, 0, Width, footTop)
	}
	draw.Draw(img, stripe, image.NewUniform(accent), image.Point{}, draw.Src)

	dir := di.DirectionLTR
	if c.RTL {
		dir = di.DirectionRTL
	}
	lang := language.NewLanguage(c.Lang)
	width := Width - 2*margin
	if lines, ok := r.layout(c.Kind, lang, dir, kindSize, width, 1, true); ok {
		r.drawLines(img, lines, dir, 130, kindSize, Mark)
	} else if c.Kind != "" {
		r.warn(c.Lang, "kind")
	}
	if lines, ok := r.layout(c.Title, lang, dir, titleSize, width, titleLines, true); ok {
		r.drawLines(img, lines, dir, 235, titleSize*5/4, white)
	} else if c.Title != "" {
		r.warn(c.Lang, "title")
	}
	// The brand mark (a yellow disc with a pale ring, as in the header)
	// and the site's name at the foot.
	markX := margin + 22
	nameWidth := width - 70
	if c.RTL {
		markX = Width - margin - 22
	}
	disc(img, markX, 565, 28, color.RGBA{0x6d, 0x8b, 0xbd, 0xff})
	disc(img, markX, 565, 22, Mark)
	if lines, ok := r.layout(c.Site, lang, dir, siteSize, nameWidth, 1, false); ok {
		off := 70
		r.drawLinesAt(img, lines, dir, 578, siteSize, white, margin+off, Width-margin-off)
	} else if c.Site != "" {
		r.warn(c.Lang, "site")
	}
	return img, nil
}

// load finds the system fonts once.
func (r *Renderer) load() error {
	if r.fonts != nil || r.loadErr != nil {
		return r.loadErr
	}
	fm := fontscan.NewFontMap(quietLogger{r.log})
	if err := fm.UseSystemFonts(r.cacheDir); err != nil {
		r.loadErr = fmt.Errorf("find system fonts: %w", err)
		return r.loadErr
	}
	r.fonts = fm
	return nil
}

// query prefers, for Chinese and Japanese, the CJK face drawn for that
// language (Simplified Chinese glyphs differ from Japanese ones).
func (r *Renderer) query(lang string) {
	fams := families
	switch language.NewLanguage(lang).Primary() {
	case "zh":
		fams = append([]string{"Noto Sans CJK SC"}, families...)
		if l := language.NewLanguage(lang); l == "zh-hant" || l == "zh-tw" || l == "zh-hk" {
			fams = append([]string{"Noto Sans CJK TC"}, families...)
		}
	case "ja":
		fams = append([]string{"Noto Sans CJK JP"}, families...)
	case "ko":
		fams = append([]string{"Noto Sans CJK KR"}, families...)
	}
	r.fonts.SetQuery(fontscan.Query{Families: fams, Aspect: font.Aspect{Weight: font.WeightBold}})
}

// warn logs, once per language and part, that a text was left out (with
// no fonts at all, the load error was logged instead).
func (r *Renderer) warn(lang, part string) {
	if r.fonts == nil {
		return
	}
	if r.warned[lang+" "+part] {
		return
	}
	r.warned[lang+" "+part] = true
	r.log.Warn("share image: no installed font covers this text; drawn without it", "lang", lang, "part", part)
}

// shape splits text by direction, script and font, and shapes each run.
// ok is false when some visible character has no glyph (.notdef) in the
// font chosen for it.
func (r *Renderer) shape(text []rune, lang language.Language, dir di.Direction, size int) (runs []shaping.Output, ok bool) {
	in := shaping.Input{Text: text, RunStart: 0, RunEnd: len(text), Direction: dir,
		Size: fixed.I(size), Language: lang}
	ok = true
	for _, part := range r.seg.Split(in, r.fonts) {
		out := r.shaper.Shape(part)
		for _, g := range out.Glyphs {
			if g.GlyphID == 0 && visible(text, g.TextIndex(), g.RunesCount()) {
				ok = false
			}
		}
		runs = append(runs, out)
	}
	return runs, ok
}

// visible reports whether the runes of a cluster draw something.
func visible(text []rune, start, n int) bool {
	for _, r := range text[start:min(start+max(n, 1), len(text))] {
		if !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// layout wraps text to width in at most maxLines lines, the last cut with
// an ellipsis. ok is false for an empty text or one with missing glyphs.
func (r *Renderer) layout(s string, lang language.Language, dir di.Direction, size, width, maxLines int, ellipsis bool) ([]shaping.Line, bool) {
	text := []rune(s)
	if len(text) == 0 || r.fonts == nil {
		return nil, false
	}
	runs, ok := r.shape(text, lang, dir, size)
	if !ok {
		return nil, false
	}
	cfg := shaping.WrapConfig{Direction: dir, TruncateAfterLines: maxLines, BreakPolicy: shaping.WhenNecessary}
	if ellipsis {
		dots := []rune("…")
		if tr, ok := r.shape(dots, lang, dir, size); ok && len(tr) == 1 {
			cfg.Truncator = tr[0]
		}
	}
	lines, _ := r.wrapper.WrapParagraph(cfg, width, text, shaping.NewSliceIterator(runs))
	// The wrapper reuses its buffers: copy what is kept.
	out := make([]shaping.Line, len(lines))
	for i, l := range lines {
		out[i] = append(shaping.Line(nil), l...)
	}
	return out, true
}

func (r *Renderer) drawLines(img *image.RGBA, lines []shaping.Line, dir di.Direction, baseline, lineHeight int, col color.RGBA) {
	r.drawLinesAt(img, lines, dir, baseline, lineHeight, col, margin, Width-margin)
}

// drawLinesAt draws lines from baseline down, each against the left edge
// (left-to-right) or the right edge (right-to-left). Only the band the
// lines cover is rasterized: filling the whole canvas would cost most of
// the drawing time.
func (r *Renderer) drawLinesAt(img *image.RGBA, lines []shaping.Line, dir di.Direction, baseline, lineHeight int, col color.RGBA, left, right int) {
	var ascent, descent fixed.Int26_6
	for _, line := range lines {
		for _, run := range line {
			ascent = max(ascent, run.LineBounds.Ascent, run.GlyphBounds.Ascent)
			descent = min(descent, run.LineBounds.Descent, run.GlyphBounds.Descent)
		}
	}
	band := image.Rect(0, baseline-ascent.Ceil()-2, Width, baseline+(len(lines)-1)*lineHeight-descent.Floor()+2).Intersect(img.Bounds())
	if band.Empty() {
		return
	}
	ras := &r.ras
	ras.Reset(band.Dx(), band.Dy())
	baseline -= band.Min.Y
	for i, line := range lines {
		runs := append([]shaping.Output(nil), line...)
		sort.Slice(runs, func(a, b int) bool { return runs[a].VisualIndex < runs[b].VisualIndex })
		var w fixed.Int26_6
		for _, run := range runs {
			w += run.Advance
		}
		x := float32(left)
		if dir == di.DirectionRTL {
			x = float32(right) - float32(w)/64
		}
		y := float32(baseline + i*lineHeight)
		for _, run := range runs {
			x = addRun(ras, run, x, y)
		}
	}
	ras.Draw(img, band, image.NewUniform(col), image.Point{})
}

// addRun adds the outlines of one shaped run to the rasterizer's path,
// starting at pen position (x, y); it returns the pen after the run.
func addRun(ras *vector.Rasterizer, run shaping.Output, x, y float32) float32 {
	scale := float32(run.Size) / 64 / float32(run.Face.Upem())
	for _, g := range run.Glyphs {
		gx := x + float32(g.XOffset)/64
		gy := y - float32(g.YOffset)/64
		if out, ok := run.Face.GlyphData(g.GlyphID).(font.GlyphOutline); ok {
			pt := func(p ot.SegmentPoint) (float32, float32) { return gx + p.X*scale, gy - p.Y*scale }
			open := false
			for _, s := range out.Segments {
				switch s.Op {
				case ot.SegmentOpMoveTo:
					if open {
						ras.ClosePath()
					}
					ras.MoveTo(pt(s.Args[0]))
					open = true
				case ot.SegmentOpLineTo:
					ras.LineTo(pt(s.Args[0]))
				case ot.SegmentOpQuadTo:
					x1, y1 := pt(s.Args[0])
					x2, y2 := pt(s.Args[1])
					ras.QuadTo(x1, y1, x2, y2)
				case ot.SegmentOpCubeTo:
					x1, y1 := pt(s.Args[0])
					x2, y2 := pt(s.Args[1])
					x3, y3 := pt(s.Args[2])
					ras.CubeTo(x1, y1, x2, y2, x3, y3)
				}
			}
			if open {
				ras.ClosePath()
			}
		}
		x += float32(g.Advance) / 64
	}
	return x
}

// disc fills a circle of radius rad centred on (cx, cy).
func disc(img *image.RGBA, cx, cy, rad int, col color.RGBA) {
	fillDisc(img, float32(cx), float32(cy), float32(rad), col)
}

// Coverage reports, for a text in a language, the fonts its runs were
// shaped in and how many visible clusters came out as .notdef (none means
// every character has a real glyph).
func (r *Renderer) Coverage(text, lang string) (fonts []string, missing int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.load(); err != nil {
		return nil, 0, err
	}
	r.query(lang)
	rs := []rune(text)
	in := shaping.Input{Text: rs, RunEnd: len(rs), Direction: di.DirectionLTR, Size: fixed.I(titleSize),
		Language: language.NewLanguage(lang)}
	seen := map[string]bool{}
	for _, part := range r.seg.Split(in, r.fonts) {
		out := r.shaper.Shape(part)
		fam, _ := r.fonts.FontMetadata(out.Face.Font)
		if !seen[fam] {
			seen[fam] = true
			fonts = append(fonts, fam)
		}
		for _, g := range out.Glyphs {
			if g.GlyphID == 0 && visible(rs, g.TextIndex(), g.RunesCount()) {
				missing++
			}
		}
	}
	return fonts, missing, nil
}

// quietLogger sends the font map's notes to the debug log: a fallback
// from one font to another is normal, not news.
type quietLogger struct{ log *slog.Logger }

func (q quietLogger) Printf(format string, args ...any) {
	q.log.Debug("fontscan: " + fmt.Sprintf(format, args...))
}
