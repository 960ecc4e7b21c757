package stats

import (
	"html"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bar is one bar of a chart. Label and Text come localized from the
// caller: Text is the value as published (a number, "<K" or "*"). A Hidden
// bar (a suppressed cell) is not drawn; its label and Text still are.
type Bar struct {
	Label  string
	Lang   string // language of Label when it differs from the page's
	Value  int64
	Text   string
	Hidden bool
	Note   string // lines under the value, split at "\n" (a funnel step's shares)
}

// Series is one named run of bars of a chart with several: its bars line
// up by position with the other series' bars (the categories).
type Series struct {
	Name string
	Bars []Bar
}

// Chart is a chart to render as SVG: ID prefixes the ids of its title and
// description, which name the image for screen readers (role="img",
// aria-labelledby); the data table beside it carries the figures. Desc is
// the chart's summary in words; it never names a suppressed figure.
//
// Format writes the value axis's tick labels the page's way (nil: plain
// digits). RTL mirrors the chart for right-to-left pages: bars grow from
// the right, the category axis runs right to left, the legend mirrors.
// Series, when set, replaces Bars: more than one series draws a legend.
type Chart struct {
	ID     string
	Title  string
	Desc   string
	Bars   []Bar
	Series []Series
	Format func(int64) string
	RTL    bool
}

// Chart geometry, in SVG user units.
const (
	hBarLabelW = 140
	hBarAreaW  = 230
	hBarValueW = 70
	hBarRow    = 26
	hBarH      = 16
	axisH      = 22 // tick labels under a horizontal value axis
	legendH    = 24
	colAxisW   = 44 // tick labels beside a vertical value axis
	colAreaW   = 426
	colAreaH   = 180
	colPad     = 10
	colLabelH  = 22
	funnelLabW = 150
	funnelRow  = 58
	funnelBarH = 30
	funnelW    = 170
	funnelTxtW = 200
	lineH      = 15
	ticksWant  = 5
	charW      = 7 // a generous width of one character of a 12px label
)

// Scale is a "nice" value axis for values up to max: a step of 1, 2 or 5
// times a power of ten giving about ticks intervals, and the top of the
// axis, the first multiple of step at or above max. An axis for nothing
// (max ≤ 0) runs from 0 to 1.
func Scale(max int64, ticks int) (step, top int64) {
	if max <= 0 {
		return 1, 1
	}
	if ticks < 1 {
		ticks = 1
	}
	raw := (max + int64(ticks) - 1) / int64(ticks)
	mag := int64(1)
	for mag*10 <= raw {
		mag *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	top = (max + step - 1) / step * step
	return step, top
}

// series are the chart's series: Series, or Bars as the only one.
func (c *Chart) series() []Series {
	if len(c.Series) > 0 {
		return c.Series
	}
	return []Series{{Bars: c.Bars}}
}

// max of the drawn bars of every series (0 when none is drawn).
func (c *Chart) max() int64 {
	m := int64(0)
	for _, s := range c.series() {
		for _, b := range s.Bars {
			if !b.Hidden && b.Value > m {
				m = b.Value
			}
		}
	}
	return m
}

func (c *Chart) format(v int64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return strconv.FormatInt(v, 10)
}

// Top is the chart's largest drawn bar of its first series: what a summary
// names. ok is false when no bar is drawn (all hidden or none).
func (c *Chart) Top() (b Bar, ok bool) {
	for _, x := range c.series()[0].Bars {
		if !x.Hidden && (!ok || x.Value > b.Value) {
			b, ok = x, true
		}
	}
	return b, ok
}

// svg collects one chart's markup; x mirrors positions on RTL charts.
type svg struct {
	sb  strings.Builder
	c   *Chart
	w   int
	rtl bool
}

func (c *Chart) open(class string, w, h int) *svg {
	s := &svg{c: c, w: w, rtl: c.RTL}
	id := html.EscapeString(c.ID)
	// The direction is said either way, for readers of the markup; the
	// texts lay themselves out (see text).
	dir := ` direction="ltr"`
	if c.RTL {
		dir = ` direction="rtl"`
		class += " chart-rtl"
	}
	s.sb.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart ` + class + `" role="img" aria-labelledby="` +
		id + `-title ` + id + `-desc" viewBox="0 0 ` + itoa(w) + ` ` + itoa(h) +
		`" width="100%" preserveAspectRatio="xMinYMin meet"` + dir + `>`)
	s.sb.WriteString(`<title id="` + id + `-title">` + html.EscapeString(c.Title) + `</title>`)
	s.sb.WriteString(`<desc id="` + id + `-desc">` + html.EscapeString(c.Desc) + `</desc>`)
	// The second series is hatched, so that colour never tells series apart alone.
	s.sb.WriteString(`<defs><pattern id="` + id + `-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
		`<rect class="chart-hatch-line" width="2" height="6" fill="#ffffff"/></pattern></defs>`)
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// x is a position from the start edge: from the left, or the right on RTL.
func (s *svg) x(x int) int {
	if s.rtl {
		return s.w - x
	}
	return x
}

func (s *svg) rect(class string, x, y, w, h int, title string) {
	if s.rtl {
		x = s.w - x - w
	}
	s.sb.WriteString(`<rect class="` + class + `" x="` + itoa(x) + `" y="` + itoa(y) + `" width="` + itoa(w) + `" height="` + itoa(h) + `">`)
	if title != "" {
		s.sb.WriteString(`<title>` + html.EscapeString(title) + `</title>`)
	}
	s.sb.WriteString(`</rect>`)
}

// bar draws one bar of series i: the second series gets the hatch on top.
func (s *svg) bar(i, x, y, w, h int, title string) {
	s.rect("chart-bar chart-bar-s"+itoa(i%3), x, y, w, h, title)
	if i%3 == 1 {
		rx := x
		if s.rtl {
			rx = s.w - x - w
		}
		s.sb.WriteString(`<rect class="chart-hatch" x="` + itoa(rx) + `" y="` + itoa(y) + `" width="` + itoa(w) + `" height="` + itoa(h) +
			`" fill="url(#` + html.EscapeString(s.c.ID) + `-hatch)" aria-hidden="true"/>`)
	}
}

func (s *svg) line(class string, x1, y1, x2, y2 int) {
	s.sb.WriteString(`<line class="` + class + `" x1="` + itoa(s.x(x1)) + `" y1="` + itoa(y1) + `" x2="` + itoa(s.x(x2)) + `" y2="` + itoa(y2) + `"/>`)
}

// text writes a label at x (from the start edge) and y; anchor is
// "start", "middle" or "end" in reading direction. Chromium anchors a
// text by the direction of its own characters, not the svg's, so a Latin
// region name on a right-to-left chart would hang across the axis: each
// text is therefore laid out left to right with a physical anchor, and on
// right-to-left charts its body is isolated right to left (RLI … PDI), so
// an Arabic label with digits still reads in order.
func (s *svg) text(class string, x, y int, anchor, lang, body string) {
	attrs := ""
	if lang != "" {
		attrs = ` lang="` + html.EscapeString(lang) + `"`
	}
	if s.rtl {
		switch anchor {
		case "start":
			anchor = "end"
		case "end":
			anchor = "start"
		}
		body = "\u2067" + body + "\u2069"
	}
	s.sb.WriteString(`<text class="` + class + `" x="` + itoa(s.x(x)) + `" y="` + itoa(y) + `" text-anchor="` + anchor +
		`" direction="ltr" dominant-baseline="middle"` + attrs + `>` + html.EscapeString(body) + `</text>`)
}

// legend draws the series names from the start edge at y, each after a
// swatch drawn like its bars; only for charts with more than one series.
func (s *svg) legend(y int) {
	x := 0
	for i, sr := range s.c.series() {
		s.bar(i, x, y+4, 14, 14, "")
		s.text("chart-legend", x+20, y+11, "start", "", sr.Name)
		x += 20 + utf8.RuneCountInString(sr.Name)*charW + 24
	}
}

func (s *svg) close() string {
	s.sb.WriteString(`</svg>`)
	return s.sb.String()
}

// HorizontalBars renders the chart as horizontal bars, one row per bar,
// with its label at the start, its published value at the bar's end, and
// a value axis with gridlines and tick labels under the rows. Several
// series draw grouped bars and a legend above.
func HorizontalBars(c Chart) string {
	ss := c.series()
	n := 0
	for _, sr := range ss {
		n = max(n, len(sr.Bars))
	}
	perRow := hBarRow + (len(ss)-1)*(hBarH+2)
	top := 0
	if len(ss) > 1 {
		top = legendH
	}
	w := hBarLabelW + hBarAreaW + hBarValueW
	h := top + max(1, n)*perRow + axisH
	s := c.open("chart-hbar", w, h)
	step, scaleTop := Scale(c.max(), ticksWant)
	if len(ss) > 1 {
		s.legend(0)
	}
	base := top + max(1, n)*perRow
	for v := int64(0); v <= scaleTop; v += step {
		x := hBarLabelW + int(v*hBarAreaW/scaleTop)
		s.line("chart-grid", x, top, x, base)
		s.text("chart-tick", x, base+12, "middle", "", c.format(v))
	}
	s.line("chart-axis", hBarLabelW, top, hBarLabelW, base)
	for i := 0; i < n; i++ {
		y := top + i*perRow
		var first Bar
		if i < len(ss[0].Bars) {
			first = ss[0].Bars[i]
		}
		s.text("chart-label", hBarLabelW-6, y+perRow/2, "end", first.Lang, clipLabel(first.Label, 18))
		for j, sr := range ss {
			if i >= len(sr.Bars) {
				continue
			}
			b := sr.Bars[i]
			by := y + (hBarRow-hBarH)/2 + j*(hBarH+2)
			bw := 0
			if !b.Hidden && b.Value > 0 {
				bw = max(1, int(b.Value*hBarAreaW/scaleTop))
				s.bar(j, hBarLabelW, by, bw, hBarH, b.Label+": "+b.Text)
			}
			cls := "chart-value"
			if b.Hidden {
				cls += " chart-value-hidden"
			}
			s.text(cls, hBarLabelW+bw+5, by+hBarH/2, "start", "", b.Text)
		}
	}
	return s.close()
}

// Columns renders the chart as vertical columns in order (a series over
// days, say) with a value axis, gridlines and tick labels at the start
// side, and as many category labels under the axis as fit without
// overlapping (always the first). Values are written over the columns
// when they fit. On RTL charts the categories run right to left. Several
// series draw grouped columns and a legend above.
func Columns(c Chart) string {
	ss := c.series()
	n := 0
	for _, sr := range ss {
		n = max(n, len(sr.Bars))
	}
	top := colPad
	if len(ss) > 1 {
		top += legendH
	}
	w := colAxisW + colAreaW + colPad
	h := top + colAreaH + colLabelH + colPad
	s := c.open("chart-columns", w, h)
	if len(ss) > 1 {
		s.legend(0)
	}
	step, scaleTop := Scale(c.max(), ticksWant)
	base := top + colAreaH
	for v := int64(0); v <= scaleTop; v += step {
		y := base - int(v*colAreaH/scaleTop)
		s.line("chart-grid", colAxisW, y, colAxisW+colAreaW, y)
		s.text("chart-tick", colAxisW-5, y, "end", "", c.format(v))
	}
	s.line("chart-axis", colAxisW, base, colAxisW+colAreaW, base)
	if n == 0 {
		return s.close()
	}
	groupW := colAreaW / n
	gap := max(1, groupW/5)
	colW := max(1, (groupW-gap)/len(ss))
	// Every k-th category is labelled so that labels never overlap.
	labelW := 0
	for _, b := range ss[0].Bars {
		labelW = max(labelW, utf8.RuneCountInString(b.Label)*charW)
	}
	k := max(1, (labelW+12+groupW-1)/groupW)
	showValues := len(ss) == 1
	for _, b := range ss[0].Bars {
		showValues = showValues && utf8.RuneCountInString(b.Text)*charW <= groupW
	}
	for i := 0; i < n; i++ {
		x := colAxisW + i*groupW + gap/2
		for j, sr := range ss {
			if i >= len(sr.Bars) {
				continue
			}
			b := sr.Bars[i]
			if b.Hidden || b.Value <= 0 {
				continue
			}
			bh := max(1, int(b.Value*colAreaH/scaleTop))
			title := b.Label + ": " + b.Text
			if sr.Name != "" {
				title = b.Label + ", " + sr.Name + ": " + b.Text
			}
			s.bar(j, x+j*colW, base-bh, colW, bh, title)
			if showValues {
				s.text("chart-value", x+colW/2, base-bh-8, "middle", "", b.Text)
			}
		}
		if i%k == 0 && i < len(ss[0].Bars) {
			// A label that would stick out of the chart at either edge
			// is anchored to that edge instead.
			b := ss[0].Bars[i]
			x, anchor := colAxisW+i*groupW+groupW/2, "middle"
			half := utf8.RuneCountInString(b.Label) * charW / 2
			switch {
			case x+half > w:
				x, anchor = w, "end"
			case x-half < 0:
				x, anchor = 0, "start"
			}
			s.text("chart-label", x, base+colLabelH/2+2, anchor, b.Lang, b.Label)
		}
	}
	return s.close()
}

// Funnel renders the chart's bars as a funnel: one centred bar per step,
// as wide as its count, its label at the start and, at the end, its
// published count over its Note (its share of the previous and of the
// first step, as the caller words them). A hidden step draws no bar.
func Funnel(c Chart) string {
	n := len(c.Bars)
	w := funnelLabW + funnelW + funnelTxtW
	h := max(1, n) * funnelRow
	s := c.open("chart-funnel", w, h)
	m := max(1, c.max())
	for i, b := range c.Bars {
		y := i * funnelRow
		mid := y + funnelRow/2
		s.text("chart-label", funnelLabW-8, mid, "end", b.Lang, clipLabel(b.Label, 20))
		if !b.Hidden && b.Value > 0 {
			bw := max(2, int(b.Value*funnelW/m))
			s.bar(0, funnelLabW+(funnelW-bw)/2, mid-funnelBarH/2, bw, funnelBarH, b.Label+": "+b.Text)
		}
		cls := "chart-value chart-value-strong"
		if b.Hidden {
			cls += " chart-value-hidden"
		}
		var notes []string
		if b.Note != "" {
			notes = strings.Split(b.Note, "\n")
		}
		x := funnelLabW + funnelW + 10
		ly := mid - len(notes)*lineH/2
		s.text(cls, x, ly, "start", "", b.Text)
		for j, line := range notes {
			s.text("chart-note", x, ly+(j+1)*lineH, "start", "", line)
		}
	}
	return s.close()
}

// clipLabel shortens a label to n characters with an ellipsis; the data
// table beside the chart has it whole.
func clipLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
