package app_test

import (
	"math"
	"testing"

	"beacon/app"
)

// TestFitProjection: the bounding box fills the drawing with its aspect
// kept (longitudes scaled by the cosine of the mean latitude), north is up
// and west is left, and a box too tall for the width is fitted by height.
func TestFitProjection(t *testing.T) {
	sq := func(lon, lat, w, h float64) *app.Geometry {
		return &app.Geometry{Polygons: []app.Polygon{{{{lon, lat}, {lon + w, lat}, {lon + w, lat + h}, {lon, lat + h}, {lon, lat}}}}}
	}
	// One degree square at 60° N: half as wide as tall once projected.
	p := app.FitProjection([]*app.Geometry{sq(10, 59.5, 1, 1), nil}, 400, 400, 0)
	if math.Abs(p.Width-200) > 0.5 || math.Abs(p.Height-400) > 0.5 {
		t.Errorf("size %.1f × %.1f, want 200 × 400", p.Width, p.Height)
	}
	if x, y := p.Point(app.Position{10, 60.5}); math.Abs(x) > 1e-9 || math.Abs(y) > 1e-9 {
		t.Errorf("north-west corner at (%.2f, %.2f), want (0, 0)", x, y)
	}
	if x, y := p.Point(app.Position{11, 59.5}); math.Abs(x-p.Width) > 1e-6 || math.Abs(y-p.Height) > 1e-6 {
		t.Errorf("south-east corner at (%.2f, %.2f)", x, y)
	}
	// A wide box at the equator is fitted by width, with padding.
	p = app.FitProjection([]*app.Geometry{sq(0, 0, 4, 1)}, 400, 400, 4)
	if math.Abs(p.Width-400) > 1e-6 || math.Abs(p.Height-(392.0/4+8)) > 0.01 {
		t.Errorf("wide box %.1f × %.1f", p.Width, p.Height)
	}
	if p := app.FitProjection(nil, 400, 400, 4); p.Height != 0 {
		t.Errorf("nothing to draw: height %.1f", p.Height)
	}
}
