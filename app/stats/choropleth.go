package stats

import (
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
)

// MapPoint is a point of a drawn map in SVG user units, y growing downward
// (a projected boundary position: app.Projection).
type MapPoint struct{ X, Y float64 }

// MapArea is one region of a choropleth: its projected outline and its
// published figure.
type MapArea struct {
	Name string
	Lang string // language of Name when it differs from the page's
	// Polygons are the area's parts, each an outer ring followed by its
	// holes; a ring may repeat its first point at its end.
	Polygons [][][]MapPoint
	// Cell is the figure as published; a suppressed one is hatched and
	// its value is never written.
	Cell Cell
	// Text is the shown figure as the table writes it (a localized
	// number); ignored when the cell is suppressed.
	Text string
}

// Choropleth is a map of areas shaded by their published figure, to render
// with DrawChoropleth. Its words come localized from the caller.
type Choropleth struct {
	// ID prefixes every id the map writes (title, description, hatch).
	ID          string
	Title, Desc string
	// Width and Height are the drawing's size in user units.
	Width, Height float64
	Areas         []MapArea
	// Empty are areas nobody was counted in (no row in the table): drawn
	// first, unshaded, so that the map keeps its geography; only their
	// Name and Polygons are read.
	Empty []MapArea
	// None is the legend's and the empty areas' words for them ("no one
	// counted").
	None string
	// Measure heads the legend: what the shading counts.
	Measure string
	// Hidden is the legend's and the hidden areas' words for a suppressed
	// figure ("too few to show").
	Hidden string
	// Number formats a class bound as the page writes numbers.
	Number func(int64) string
	// Range writes a class from lo to hi, both formatted by Number.
	Range func(lo, hi string) string
	// AreaTitle writes an area's tooltip from its name and figure
	// (name: figure when nil).
	AreaTitle func(name, figure string) string
}

// MapClass is one shading class: the published figures from Lo to Hi.
type MapClass struct{ Lo, Hi int64 }

// MaxMapClasses is the most classes a choropleth shades.
const MaxMapClasses = 5

// MapPalette fills the classes, lightest first: a sequential blue whose
// lightest step has 3.2:1 contrast with a white page, and each step about
// 1.45:1 with the next.
var MapPalette = [MaxMapClasses]string{"#5e94cc", "#3f77b5", "#2a5c9c", "#1b437c", "#0d2a55"}

// Map geometry, in SVG user units.
const (
	mapFont      = 12.0 // label size
	mapTolerance = 0.25 // simplification: drawn points lie within this of the outline
)

// MapClasses splits the shown values into at most n classes (MaxMapClasses
// when n < 1) by quantiles of their distinct values, so that each class
// holds about as many different figures; equal values share a class, and
// each class spans its lowest to its highest value. Pass only published,
// shown figures: the classes are written in the legend.
func MapClasses(values []int64, n int) []MapClass {
	if n < 1 || n > MaxMapClasses {
		n = MaxMapClasses
	}
	d := slices.Clone(values)
	slices.Sort(d)
	d = slices.Compact(d)
	if len(d) == 0 {
		return nil
	}
	n = min(n, len(d))
	out := make([]MapClass, n)
	for j, v := range d {
		c := j * n / len(d)
		if j == 0 || c != (j-1)*n/len(d) {
			out[c].Lo = v
		}
		out[c].Hi = v
	}
	return out
}

// classOf is the index of v's class (-1 when it is in none).
func classOf(classes []MapClass, v int64) int {
	for i, c := range classes {
		if v >= c.Lo && v <= c.Hi {
			return i
		}
	}
	return -1
}

// DrawChoropleth renders the map as an SVG image (role="img", named by its
// title and description) followed by its legend in HTML: one class per
// palette step with its range, and "hidden" with the hatch when an area's
// figure is suppressed. Each area is one path (even-odd fill, so holes
// stay open) with a tooltip of its name and published figure; labels name
// the areas where the name fits, and a number keyed under the legend
// where it does not. Empty areas come first, white, outlined in grey. Nothing in the output depends on a hidden figure.
func DrawChoropleth(c Choropleth) string {
	var shown []int64
	for _, a := range c.Areas {
		if !a.Cell.Suppressed {
			shown = append(shown, a.Cell.N)
		}
	}
	classes := MapClasses(shown, MaxMapClasses)
	number := c.Number
	if number == nil {
		number = func(n int64) string { return strconv.FormatInt(n, 10) }
	}
	areaTitle := c.AreaTitle
	if areaTitle == nil {
		areaTitle = func(name, figure string) string { return name + ": " + figure }
	}
	id := html.EscapeString(c.ID)
	var sb strings.Builder
	sb.WriteString(`<div class="choropleth" id="` + id + `">`)
	sb.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="choropleth-map" role="img" aria-labelledby="` + id + `-title ` + id +
		`-desc" viewBox="0 0 ` + coord(c.Width) + ` ` + coord(c.Height) + `" preserveAspectRatio="xMidYMid meet">`)
	sb.WriteString(`<title id="` + id + `-title">` + html.EscapeString(c.Title) + `</title>`)
	sb.WriteString(`<desc id="` + id + `-desc">` + html.EscapeString(c.Desc) + `</desc>`)
	hatch := false
	for _, a := range c.Areas {
		hatch = hatch || a.Cell.Suppressed
	}
	if hatch {
		sb.WriteString(`<defs><pattern id="` + id + `-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
			`<rect width="6" height="6" fill="#ffffff"/><line x1="1.5" y1="0" x2="1.5" y2="6" stroke="#484949" stroke-width="1.5"/></pattern></defs>`)
	}
	var labels strings.Builder
	var key []string
	// label names an area on the map, or numbers it in the key below the
	// map when its name does not fit.
	all := append(append([]MapArea(nil), c.Empty...), c.Areas...)
	label := func(a MapArea) {
		x, y, w, h, ok := labelBox(a.Polygons)
		if !ok || covered(x, y, w, h, all) {
			return
		}
		lang := ""
		if a.Lang != "" {
			lang = ` lang="` + html.EscapeString(a.Lang) + `"`
		}
		text := a.Name
		if textWidth(text) > 0.9*w || mapFont*1.4 > h {
			text = strconv.Itoa(len(key) + 1)
			if textWidth(text) > w || mapFont > h {
				return // too small for a number: the tooltip and the table name it
			}
			key = append(key, `<li><span class="map-key-n">`+text+`</span> <span`+lang+`>`+html.EscapeString(a.Name)+`</span></li>`)
			lang = ""
		}
		labels.WriteString(`<text x="` + coord(x) + `" y="` + coord(y) + `"` + lang + `>` + html.EscapeString(text) + `</text>`)
	}
	empty := false
	for _, a := range c.Empty {
		if d := areaPath(a.Polygons); d != "" {
			empty = true
			sb.WriteString(`<path class="map-none" d="` + d + `" fill="#ffffff" fill-rule="evenodd" stroke="#484949" stroke-width="1" stroke-linejoin="round"><title>` +
				html.EscapeString(areaTitle(a.Name, c.None)) + `</title></path>`)
			label(a)
		}
	}
	for _, a := range c.Areas {
		d := areaPath(a.Polygons)
		if d == "" {
			continue
		}
		var fill, class, figure string
		if a.Cell.Suppressed {
			fill, class, figure = "url(#"+id+"-hatch)", "map-area map-hidden", c.Hidden
		} else {
			k := classOf(classes, a.Cell.N)
			fill, class, figure = MapPalette[k], "map-area map-c"+strconv.Itoa(k+1), a.Text
		}
		stroke := `stroke="#ffffff" stroke-width="1.5"`
		if a.Cell.Suppressed {
			// White on a white background would leave the hatch
			// without an edge.
			stroke = `stroke="#0b0c0c" stroke-width="1"`
		}
		sb.WriteString(`<path class="` + class + `" d="` + d + `" fill="` + fill + `" fill-rule="evenodd" ` + stroke +
			` stroke-linejoin="round"><title>` + html.EscapeString(areaTitle(a.Name, figure)) + `</title></path>`)
		label(a)
	}
	if labels.Len() > 0 {
		sb.WriteString(`<g class="map-labels" aria-hidden="true" font-size="` + coord(mapFont) + `" text-anchor="middle" dominant-baseline="central" ` +
			`fill="#0b0c0c" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">`)
		sb.WriteString(labels.String())
		sb.WriteString(`</g>`)
	}
	sb.WriteString(`</svg>`)

	sb.WriteString(`<div class="map-legend"><p class="map-legend-title">` + html.EscapeString(c.Measure) + `</p><ul class="map-legend-classes">`)
	for i, cl := range classes {
		text := number(cl.Lo)
		if cl.Hi != cl.Lo {
			lo, hi := number(cl.Lo), number(cl.Hi)
			if c.Range != nil {
				text = c.Range(lo, hi)
			} else {
				text = lo + "–" + hi
			}
		}
		sb.WriteString(`<li class="map-legend-class"><svg class="map-swatch" aria-hidden="true" focusable="false" viewBox="0 0 24 16" width="24" height="16">` +
			`<rect x="0.5" y="0.5" width="23" height="15" fill="` + MapPalette[i] + `" stroke="#0b0c0c"/></svg> <span>` + html.EscapeString(text) + `</span></li>`)
	}
	if hatch {
		sb.WriteString(`<li class="map-legend-hidden"><svg class="map-swatch" aria-hidden="true" focusable="false" viewBox="0 0 24 16" width="24" height="16">` +
			`<rect x="0.5" y="0.5" width="23" height="15" fill="#ffffff" stroke="#0b0c0c"/>` +
			`<path d="M1 9L8 2M1 15L14 2M7 15L20 2M13 15L23 5M19 15L23 11" stroke="#484949" stroke-width="1.5"/></svg> <span>` +
			html.EscapeString(c.Hidden) + `</span></li>`)
	}
	if empty {
		sb.WriteString(`<li class="map-legend-none"><svg class="map-swatch" aria-hidden="true" focusable="false" viewBox="0 0 24 16" width="24" height="16">` +
			`<rect x="0.5" y="0.5" width="23" height="15" fill="#ffffff" stroke="#484949"/></svg> <span>` + html.EscapeString(c.None) + `</span></li>`)
	}
	sb.WriteString(`</ul>`)
	if len(key) > 0 {
		sb.WriteString(`<ol class="map-key">` + strings.Join(key, "") + `</ol>`)
	}
	sb.WriteString(`</div></div>`)
	return sb.String()
}

// coord writes a coordinate to a tenth of a unit, which no screen shows.
func coord(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// areaPath is the SVG path data of an area's rings, simplified and rounded;
// "" when nothing of it is left to draw.
func areaPath(polygons [][][]MapPoint) string {
	var sb strings.Builder
	for _, p := range polygons {
		for _, ring := range p {
			pts := simplifyRing(ring)
			if len(pts) < 3 {
				continue
			}
			for i, pt := range pts {
				if i == 0 {
					sb.WriteByte('M')
				} else {
					sb.WriteByte('L')
				}
				sb.WriteString(coord(pt.X))
				sb.WriteByte(' ')
				sb.WriteString(coord(pt.Y))
			}
			sb.WriteByte('Z')
		}
	}
	return sb.String()
}

// simplifyRing drops the closing point, the points within the tolerance of
// the point before, and (Douglas–Peucker) the points within mapTolerance
// of the line the others draw: a boundary of thousands of surveyed points
// keeps only the few a screen can show.
func simplifyRing(ring []MapPoint) []MapPoint {
	var pts []MapPoint
	for _, p := range ring {
		p = MapPoint{math.Round(p.X*10) / 10, math.Round(p.Y*10) / 10}
		// Points closer than the tolerance to the last one kept add
		// nothing a screen shows (and spare Douglas–Peucker their cost).
		if n := len(pts); n == 0 || math.Abs(p.X-pts[n-1].X)+math.Abs(p.Y-pts[n-1].Y) >= mapTolerance {
			pts = append(pts, p)
		}
	}
	for len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	if len(pts) < 4 {
		return pts
	}
	// Split the ring at its first point and the point farthest from it,
	// and simplify the two halves as lines.
	far, fd := 0, -1.0
	for i, p := range pts {
		if d := math.Hypot(p.X-pts[0].X, p.Y-pts[0].Y); d > fd {
			far, fd = i, d
		}
	}
	keep := make([]bool, len(pts)+1)
	closed := append(slices.Clip(pts), pts[0])
	keep[0], keep[far], keep[len(pts)] = true, true, true
	douglasPeucker(closed, 0, far, keep)
	douglasPeucker(closed, far, len(pts), keep)
	out := pts[:0:0]
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// douglasPeucker marks in keep the points of pts[a:b+1] needed to stay
// within mapTolerance of the line.
func douglasPeucker(pts []MapPoint, a, b int, keep []bool) {
	stack := [][2]int{{a, b}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		idx, dmax := -1, mapTolerance*mapTolerance
		for i := s[0] + 1; i < s[1]; i++ {
			if d := segmentDistance2(pts[i], pts[s[0]], pts[s[1]]); d > dmax {
				idx, dmax = i, d
			}
		}
		if idx >= 0 {
			keep[idx] = true
			stack = append(stack, [2]int{s[0], idx}, [2]int{idx, s[1]})
		}
	}
}

// segmentDistance2 is the square of the distance from p to the segment a–b.
func segmentDistance2(p, a, b MapPoint) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	px, py := p.X-a.X, p.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return px*px + py*py
	}
	t := (px*dx + py*dy) / l2
	if t < 0 {
		t = 0
	} else if t > 1 {
		t = 1
	}
	ex, ey := px-t*dx, py-t*dy
	return ex*ex + ey*ey
}

// labelBox is the centre and size of the bounding box of the area's
// largest outer ring, where its label goes.
func labelBox(polygons [][][]MapPoint) (x, y, w, h float64, ok bool) {
	best := 0.0
	for _, p := range polygons {
		if len(p) == 0 || len(p[0]) < 3 {
			continue
		}
		ring := p[0]
		area := 0.0
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for i, a := range ring {
			b := ring[(i+1)%len(ring)]
			area += a.X*b.Y - b.X*a.Y
			minX, maxX = math.Min(minX, a.X), math.Max(maxX, a.X)
			minY, maxY = math.Min(minY, a.Y), math.Max(maxY, a.Y)
		}
		if area = math.Abs(area) / 2; area > best {
			best, ok = area, true
			x, y, w, h = (minX+maxX)/2, (minY+maxY)/2, maxX-minX, maxY-minY
		}
	}
	return x, y, w, h, ok
}

// covered says whether a smaller drawn area lies within the box x, y,
// w, h (a district drawn under its towns): the towns are named, and the
// district's name, which would sit across their borders, is left to its
// tooltip and the table.
func covered(x, y, w, h float64, all []MapArea) bool {
	const eps = 0.5
	for _, b := range all {
		bx, by, bw, bh, ok := labelBox(b.Polygons)
		if ok && bw*bh < w*h && bx-bw/2 >= x-w/2-eps && bx+bw/2 <= x+w/2+eps && by-bh/2 >= y-h/2-eps && by+bh/2 <= y+h/2+eps {
			return true
		}
	}
	return false
}

// textWidth estimates a label's width at mapFont: wide (CJK) characters
// take a full em, others a little over half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xff00 && r <= 0xff60)) {
			w += mapFont
		} else {
			w += 0.6 * mapFont
		}
	}
	return w
}
