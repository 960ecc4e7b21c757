package web

import (
	"context"
	"html/template"
	"sort"

	"beacon/app"
	"beacon/app/i18n"
	"beacon/app/stats"
	"beacon/app/store"
)

// Size of a participation map's drawing, in SVG user units: the labels
// are mapFont (12) units high, legible when the map is 22–36rem wide.
const (
	mapWidth     = 400
	mapMaxHeight = 400
	mapPad       = 4
)

// mapRegion is one row of a region table as the map draws it: the
// region's code and name, and the figure the table shows for it.
type mapRegion struct {
	Code, Name, Lang string
	Cell             stats.Cell
	Text             string // the shown figure as the table writes it
}

// participationMap is a region table's map (templates/admin/stats/map.html):
// the drawing with its legend, and the regions of the table it could not
// draw for want of a boundary.
type participationMap struct {
	Figure    template.HTML
	Unbounded []placeName
}

// participationMap draws rows (a region table's, "region not given"
// included and skipped) shaded by their published figure; measure says
// what the figure counts. It returns nil when no region of the table has
// a boundary: a site that draws no boundaries gets no empty map.
//
// Regions are drawn parents first, then children over them, in the
// region tree's order (never by figure: the order of hidden areas must
// not tell their size).
func (s *Server) participationMap(ctx context.Context, l *i18n.Localizer, id, measure string, rows []mapRegion) (*participationMap, error) {
	var codes []string
	for _, r := range rows {
		if r.Code != "" {
			codes = append(codes, r.Code)
		}
	}
	if len(codes) == 0 {
		return nil, nil
	}
	// Every boundary: the regions nobody was counted in are drawn too,
	// and the map's frame does not move with the filter.
	bounds, err := s.store.RegionBoundaries(ctx, nil)
	if err != nil {
		return nil, err
	}
	tree, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	order := make(map[string]int, len(tree))
	for i, r := range tree {
		order[r.Code] = i
	}
	out := &participationMap{}
	var drawn []mapRegion
	inTable := map[string]bool{}
	for _, r := range rows {
		switch {
		case r.Code == "":
		case bounds[r.Code] == nil:
			out.Unbounded = append(out.Unbounded, placeName{Code: r.Code, Name: r.Name, Lang: r.Lang})
		default:
			drawn = append(drawn, r)
			inTable[r.Code] = true
		}
	}
	if len(drawn) == 0 {
		return nil, nil
	}
	geoms := make([]*app.Geometry, 0, len(bounds))
	for _, g := range bounds {
		geoms = append(geoms, g)
	}
	sort.SliceStable(drawn, func(i, j int) bool { return order[drawn[i].Code] < order[drawn[j].Code] })
	sort.SliceStable(out.Unbounded, func(i, j int) bool { return out.Unbounded[i].Name < out.Unbounded[j].Name })
	proj := app.FitProjection(geoms, mapWidth, mapMaxHeight, mapPad)
	c := stats.Choropleth{ID: id, Title: l.T("admin.stats.map.title", nil),
		Desc:  l.T("admin.stats.map.desc", nil),
		Width: proj.Width, Height: proj.Height, Measure: measure, Hidden: l.T("admin.stats.map.hidden", nil),
		None:   l.T("admin.stats.map.none", nil),
		Number: func(n int64) string { return l.Number(int(n)) },
		Range: func(lo, hi string) string {
			return l.T("admin.stats.map.range", map[string]any{"From": lo, "To": hi})
		},
		AreaTitle: func(name, figure string) string {
			return l.T("admin.stats.map.area", map[string]any{"Region": name, "Figure": figure})
		},
	}
	project := func(g *app.Geometry) [][][]stats.MapPoint {
		var out [][][]stats.MapPoint
		for _, p := range g.Polygons {
			poly := make([][]stats.MapPoint, 0, len(p))
			for _, ring := range p {
				pts := make([]stats.MapPoint, len(ring))
				for i, pos := range ring {
					pts[i].X, pts[i].Y = proj.Point(pos)
				}
				poly = append(poly, pts)
			}
			out = append(out, poly)
		}
		return out
	}
	for _, r := range tree {
		if bounds[r.Code] != nil && !inTable[r.Code] {
			name, lang := s.localName(r.Name, r.Code, l.Locale())
			if lang == l.Locale() {
				lang = ""
			}
			c.Empty = append(c.Empty, stats.MapArea{Name: name, Lang: lang, Polygons: project(bounds[r.Code])})
		}
	}
	for _, r := range drawn {
		c.Areas = append(c.Areas, stats.MapArea{Name: r.Name, Lang: r.Lang, Cell: r.Cell, Text: r.Text, Polygons: project(bounds[r.Code])})
	}
	out.Figure = template.HTML(stats.DrawChoropleth(c))
	return out, nil
}

// statsRegionMap puts the map of the learners who started, the figure the
// region chart shows, in the column of who, on the dashboard's region
// table.
func (s *Server) statsRegionMap(ctx context.Context, l *i18n.Localizer, r *statsReport, who string, views *statsPageData) error {
	dim := store.DimRegion
	started := indexOf(breakdownMetricsOf(dim), store.StatStarted)
	for i := range views.Tables {
		tv := &views.Tables[i]
		if tv.ID != "by-"+dim {
			continue
		}
		rows := make([]mapRegion, 0, len(r.Values[dim]))
		for j, v := range r.Values[dim] {
			rv := tv.Rows[j]
			rows = append(rows, mapRegion{Code: v, Name: rv.Label, Lang: rv.Lang,
				Cell: r.Breakdowns[dim][store.StatStarted].Rows[j].Cells[whoColumn(who)], Text: rv.Cells[started].Text})
		}
		m, err := s.participationMap(ctx, l, "map-region", l.T("admin.stats.chart.region", nil), rows)
		if err != nil {
			return err
		}
		tv.Map = m
	}
	return nil
}

// reportRegionMap is the close-out report's map of the people taking part,
// the region table's first figure.
func (s *Server) reportRegionMap(ctx context.Context, l *i18n.Localizer, p *crPage) (*participationMap, error) {
	rows := make([]mapRegion, 0, len(p.Regions))
	for _, r := range p.Regions {
		if r.Total || r.None {
			continue
		}
		c := r.Cells[0]
		rows = append(rows, mapRegion{Code: r.Code, Name: r.Name, Lang: r.Lang, Cell: stats.Cell{N: int64(c.N), Suppressed: !c.Shown},
			Text: l.Number(c.N)})
	}
	return s.participationMap(ctx, l, "map-report-region", l.T("campaign.results.col.participants", nil), rows)
}
