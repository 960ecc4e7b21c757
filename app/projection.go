package app

import "math"

// Projection maps boundary positions onto a plane for drawing: an
// equirectangular projection whose longitudes are scaled by the cosine of
// the mean latitude of what it was fitted to (so that shapes there keep
// their proportions), then scaled and shifted so that the bounding box of
// those boundaries fills the drawing, y growing downward as SVG draws.
// It suits the regions of one country or city; a set of boundaries that
// crosses the antimeridian is drawn stretched across the whole world.
type Projection struct {
	// Width and Height are the drawing's size in its own units, padding
	// included.
	Width, Height  float64
	minLon, maxLat float64
	kx, scale, pad float64
}

// FitProjection fits the bounding box of geoms (nil ones skipped) into a
// drawing at most width by maxHeight units, keeping the aspect ratio, with
// pad units of margin on every side. With no position at all it returns a
// projection whose Height is 0.
func FitProjection(geoms []*Geometry, width, maxHeight, pad float64) Projection {
	minLon, minLat := math.Inf(1), math.Inf(1)
	maxLon, maxLat := math.Inf(-1), math.Inf(-1)
	for _, g := range geoms {
		if g == nil {
			continue
		}
		for _, p := range g.Polygons {
			for _, r := range p {
				for _, pos := range r {
					minLon, maxLon = math.Min(minLon, pos.Lon()), math.Max(maxLon, pos.Lon())
					minLat, maxLat = math.Min(minLat, pos.Lat()), math.Max(maxLat, pos.Lat())
				}
			}
		}
	}
	if math.IsInf(minLon, 1) {
		return Projection{Width: width}
	}
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	// A point or a line has no extent on one axis: give it a hair, so
	// that the scale stays finite.
	dx := math.Max((maxLon-minLon)*kx, 1e-9)
	dy := math.Max(maxLat-minLat, 1e-9)
	scale := math.Min((width-2*pad)/dx, (maxHeight-2*pad)/dy)
	return Projection{Width: dx*scale + 2*pad, Height: dy*scale + 2*pad,
		minLon: minLon, maxLat: maxLat, kx: kx, scale: scale, pad: pad}
}

// Point is pos in drawing units.
func (p Projection) Point(pos Position) (x, y float64) {
	return p.pad + (pos.Lon()-p.minLon)*p.kx*p.scale, p.pad + (p.maxLat-pos.Lat())*p.scale
}
