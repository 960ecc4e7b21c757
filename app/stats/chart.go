package stats

import (
	"html"
	"strconv"
	"strings"
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
}

// Chart is a chart to render as SVG: ID prefixes the ids of its title and
// description, which name the image for screen readers (role="img",
// aria-labelledby); the data table beside it carries the figures.
type Chart struct {
	ID    string
	Title string
	Desc  string
	Bars  []Bar
}

// Chart geometry, in SVG user units.
const (
	hBarLabelW = 180
	hBarAreaW  = 300
	hBarValueW = 70
	hBarRow    = 24
	hBarH      = 16
	colAreaH   = 160
	colW       = 14
	colGap     = 4
	colPad     = 8
	colLabelH  = 20
)

// max of the drawn bars (at least 1, so that all-zero charts draw flat).
func (c *Chart) max() int64 {
	m := int64(1)
	for _, b := range c.Bars {
		if !b.Hidden && b.Value > m {
			m = b.Value
		}
	}
	return m
}

func (c *Chart) open(sb *strings.Builder, class string, w, h int) {
	id := html.EscapeString(c.ID)
	sb.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart ` + class + `" role="img" aria-labelledby="` +
		id + `-title ` + id + `-desc" viewBox="0 0 ` + strconv.Itoa(w) + ` ` + strconv.Itoa(h) +
		`" width="100%" preserveAspectRatio="xMinYMin meet">`)
	sb.WriteString(`<title id="` + id + `-title">` + html.EscapeString(c.Title) + `</title>`)
	sb.WriteString(`<desc id="` + id + `-desc">` + html.EscapeString(c.Desc) + `</desc>`)
}

// HorizontalBars renders the chart as horizontal bars, one row per bar,
// with its label on the left and its published value on the right.
func HorizontalBars(c Chart) string {
	var sb strings.Builder
	w := hBarLabelW + hBarAreaW + hBarValueW
	h := max(hBarRow, len(c.Bars)*hBarRow)
	c.open(&sb, "chart-hbar", w, h)
	m := c.max()
	for i, b := range c.Bars {
		y := i * hBarRow
		mid := strconv.Itoa(y + hBarRow/2)
		lang := ""
		if b.Lang != "" {
			lang = ` lang="` + html.EscapeString(b.Lang) + `"`
		}
		sb.WriteString(`<text class="chart-label" x="` + strconv.Itoa(hBarLabelW-6) + `" y="` + mid +
			`" text-anchor="end" dominant-baseline="middle"` + lang + `>` + html.EscapeString(clipLabel(b.Label, 26)) + `</text>`)
		bw := 0
		if !b.Hidden && b.Value > 0 {
			bw = max(1, int(b.Value*hBarAreaW/m))
			sb.WriteString(`<rect class="chart-bar" x="` + strconv.Itoa(hBarLabelW) + `" y="` + strconv.Itoa(y+(hBarRow-hBarH)/2) +
				`" width="` + strconv.Itoa(bw) + `" height="` + strconv.Itoa(hBarH) + `"/>`)
		}
		cls := "chart-value"
		if b.Hidden {
			cls += " chart-value-hidden"
		}
		sb.WriteString(`<text class="` + cls + `" x="` + strconv.Itoa(hBarLabelW+bw+6) + `" y="` + mid +
			`" dominant-baseline="middle">` + html.EscapeString(b.Text) + `</text>`)
	}
	sb.WriteString(`</svg>`)
	return sb.String()
}

// Columns renders the chart as vertical columns in order (a series over
// days, say), labelling the first and the last column under the axis.
func Columns(c Chart) string {
	var sb strings.Builder
	n := len(c.Bars)
	w := max(2*colPad+n*(colW+colGap), 200)
	h := colAreaH + colLabelH + colPad
	c.open(&sb, "chart-columns", w, h)
	m := c.max()
	base := colPad + colAreaH
	sb.WriteString(`<line class="chart-axis" x1="` + strconv.Itoa(colPad) + `" y1="` + strconv.Itoa(base) +
		`" x2="` + strconv.Itoa(w-colPad) + `" y2="` + strconv.Itoa(base) + `"/>`)
	for i, b := range c.Bars {
		x := colPad + i*(colW+colGap)
		if !b.Hidden && b.Value > 0 {
			bh := max(1, int(b.Value*colAreaH/m))
			sb.WriteString(`<rect class="chart-bar" x="` + strconv.Itoa(x) + `" y="` + strconv.Itoa(base-bh) +
				`" width="` + strconv.Itoa(colW) + `" height="` + strconv.Itoa(bh) + `"/>`)
		}
	}
	if n > 0 {
		y := strconv.Itoa(base + colLabelH - 4)
		sb.WriteString(`<text class="chart-label" x="` + strconv.Itoa(colPad) + `" y="` + y + `">` + html.EscapeString(c.Bars[0].Label) + `</text>`)
		if n > 1 {
			sb.WriteString(`<text class="chart-label" x="` + strconv.Itoa(w-colPad) + `" y="` + y + `" text-anchor="end">` +
				html.EscapeString(c.Bars[n-1].Label) + `</text>`)
		}
	}
	sb.WriteString(`</svg>`)
	return sb.String()
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
