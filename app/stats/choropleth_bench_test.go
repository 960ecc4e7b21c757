package stats_test

import (
	"math"
	"strconv"
	"testing"

	"beacon/app"
	"beacon/app/stats"
)

// BenchmarkParticipationMap projects and draws a participation map the way
// the dashboards do (app.FitProjection, then DrawChoropleth) for the seed's
// eight leaf districts (five-point rectangles, two of them hidden) and for
// twelve surveyed regions of 10,000 positions each (the most a boundary
// may hold), and reports the drawing's size as svg-bytes.
func BenchmarkParticipationMap(b *testing.B) {
	rect := func(lon, lat, w, h float64) *app.Geometry {
		return &app.Geometry{Polygons: []app.Polygon{{{{lon, lat}, {lon + w, lat}, {lon + w, lat + h}, {lon, lat + h}, {lon, lat}}}}}
	}
	seed := []*app.Geometry{rect(10, 50.22, 0.2, 0.08), rect(10.2, 50.22, 0.2, 0.08), rect(10, 50, 0.2, 0.08), rect(10.2, 50, 0.2, 0.08),
		rect(10.2, 50.15, 0.2, 0.07), rect(10.2, 50.08, 0.2, 0.07), rect(10, 50.15, 0.2, 0.07), rect(10, 50.08, 0.2, 0.07)}
	var surveyed []*app.Geometry
	for i := range 12 {
		// A wobbly ring, like a coastline, of 10,000 positions.
		cx, cy := 10+float64(i%4)*0.25, 50+float64(i/4)*0.2
		ring := make(app.Ring, 0, 10000)
		for j := range 9999 {
			a := 2 * math.Pi * float64(j) / 9999
			r := 0.1 + 0.01*math.Sin(a*37)
			ring = append(ring, app.Position{cx + r*math.Cos(a), cy + 0.8*r*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		surveyed = append(surveyed, &app.Geometry{Polygons: []app.Polygon{{ring}}})
	}
	for _, tc := range []struct {
		name  string
		geoms []*app.Geometry
	}{{"seed-8", seed}, {"surveyed-12x10000", surveyed}} {
		b.Run(tc.name, func(b *testing.B) {
			var size int
			b.ReportAllocs()
			for b.Loop() {
				proj := app.FitProjection(tc.geoms, 400, 400, 4)
				c := stats.Choropleth{ID: "map-region", Title: "Map of participation by region", Desc: "Each region is shaded.",
					Width: proj.Width, Height: proj.Height, Measure: "Learners who started, by region", Hidden: "Too few to show", Number: grouped}
				for i, g := range tc.geoms {
					a := stats.MapArea{Name: "Region " + strconv.Itoa(i), Cell: stats.Cell{N: int64(100 * (i + 1)), Suppressed: i%4 == 3},
						Text: grouped(int64(100 * (i + 1)))}
					for _, p := range g.Polygons {
						var poly [][]stats.MapPoint
						for _, r := range p {
							pts := make([]stats.MapPoint, len(r))
							for k, pos := range r {
								pts[k].X, pts[k].Y = proj.Point(pos)
							}
							poly = append(poly, pts)
						}
						a.Polygons = append(a.Polygons, poly)
					}
					c.Areas = append(c.Areas, a)
				}
				size = len(stats.DrawChoropleth(c))
			}
			b.ReportMetric(float64(size), "svg-bytes")
		})
	}
}
