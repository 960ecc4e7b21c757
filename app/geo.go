package app

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Boundary limits: what one region's outline may hold.
const (
	// MaxBoundaryPositions bounds the positions of a boundary, all rings
	// together.
	MaxBoundaryPositions = 10000
	// MaxBoundaryBytes bounds a boundary's GeoJSON text.
	MaxBoundaryBytes = 1 << 20
)

// Position is a GeoJSON position: longitude then latitude, in degrees
// (WGS84, RFC 7946). An altitude, when given, is dropped.
type Position [2]float64

// Lon is the position's longitude.
func (p Position) Lon() float64 { return p[0] }

// Lat is the position's latitude.
func (p Position) Lat() float64 { return p[1] }

// Ring is a closed line of positions (first = last).
type Ring []Position

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// Geometry is a GeoJSON Polygon or MultiPolygon (RFC 7946): a region's
// boundary. It encodes to and decodes from the GeoJSON geometry object.
type Geometry struct {
	// Multi is true for a MultiPolygon, false for a Polygon (which then
	// holds exactly one polygon).
	Multi    bool
	Polygons []Polygon
}

// geoJSON is a GeoJSON object of any type, as read.
type geoJSON struct {
	Type        string            `json:"type"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometry    json.RawMessage   `json:"geometry"`
	Features    []json.RawMessage `json:"features"`
}

// boundaryError is the field error of a bad boundary, by reason.
func boundaryError(reason string) *Error {
	return FieldError("boundary", "admin.regions.error.boundary_"+reason)
}

// ParseBoundary reads a boundary as people paste it: a GeoJSON Polygon or
// MultiPolygon geometry, a Feature holding one, or a FeatureCollection with
// exactly one such Feature (what tools like geojson.io write), and
// validates it. A bad one is a field error "boundary" with message id
// "admin.regions.error.boundary_<reason>": json (not GeoJSON at all),
// type (not a polygon), one of Validate's reasons, or large (over
// MaxBoundaryBytes).
func ParseBoundary(data []byte) (*Geometry, *Error) {
	if len(data) > MaxBoundaryBytes {
		return nil, boundaryError("large")
	}
	g, reason := decodeGeoJSON(data, 0)
	if reason != "" {
		return nil, boundaryError(reason)
	}
	if e := g.Validate(); e != nil {
		return nil, e
	}
	return g, nil
}

// decodeGeoJSON decodes a geometry, or the one geometry of a Feature or
// FeatureCollection; reason says why it cannot ("" when it can).
func decodeGeoJSON(data []byte, depth int) (*Geometry, string) {
	var obj geoJSON
	if err := json.Unmarshal(data, &obj); err != nil || depth > 2 {
		return nil, "json"
	}
	switch obj.Type {
	case "Polygon":
		var p [][][]float64
		if json.Unmarshal(obj.Coordinates, &p) != nil {
			return nil, "json"
		}
		poly, reason := polygonOf(p)
		if reason != "" {
			return nil, reason
		}
		return &Geometry{Polygons: []Polygon{poly}}, ""
	case "MultiPolygon":
		var mp [][][][]float64
		if json.Unmarshal(obj.Coordinates, &mp) != nil {
			return nil, "json"
		}
		g := &Geometry{Multi: true}
		for _, p := range mp {
			poly, reason := polygonOf(p)
			if reason != "" {
				return nil, reason
			}
			g.Polygons = append(g.Polygons, poly)
		}
		return g, ""
	case "Feature":
		if len(obj.Geometry) == 0 || bytes.Equal(bytes.TrimSpace(obj.Geometry), []byte("null")) {
			return nil, "type"
		}
		return decodeGeoJSON(obj.Geometry, depth+1)
	case "FeatureCollection":
		if len(obj.Features) != 1 {
			return nil, "features"
		}
		return decodeGeoJSON(obj.Features[0], depth+1)
	case "":
		return nil, "json"
	}
	return nil, "type"
}

// polygonOf converts decoded coordinates, checking each position has a
// longitude and a latitude (and at most an altitude besides).
func polygonOf(p [][][]float64) (Polygon, string) {
	out := make(Polygon, 0, len(p))
	for _, ring := range p {
		r := make(Ring, 0, len(ring))
		for _, pos := range ring {
			if len(pos) < 2 || len(pos) > 3 {
				return nil, "position"
			}
			r = append(r, Position{pos[0], pos[1]})
		}
		out = append(out, r)
	}
	return out, ""
}

// Validate checks the geometry as RFC 7946 and CAP need it: at least one
// polygon, each with an outer ring; every ring closed (first position =
// last) with at least 4 positions; longitudes in [-180, 180], latitudes in
// [-90, 90]; at most MaxBoundaryPositions positions in all. It returns nil
// or the field error "boundary" with message id
// "admin.regions.error.boundary_<reason>": empty, ring_short, ring_open,
// position, large.
func (g *Geometry) Validate() *Error {
	if g == nil || len(g.Polygons) == 0 || (!g.Multi && len(g.Polygons) != 1) {
		return boundaryError("empty")
	}
	n := 0
	for _, p := range g.Polygons {
		if len(p) == 0 {
			return boundaryError("empty")
		}
		for _, r := range p {
			n += len(r)
			if n > MaxBoundaryPositions {
				return boundaryError("large")
			}
			if len(r) < 4 {
				return boundaryError("ring_short")
			}
			for _, pos := range r {
				if !(pos.Lon() >= -180 && pos.Lon() <= 180 && pos.Lat() >= -90 && pos.Lat() <= 90) {
					return boundaryError("position")
				}
			}
			if r[0] != r[len(r)-1] {
				return boundaryError("ring_open")
			}
		}
	}
	return nil
}

// Holes reports whether any polygon has a hole (CAP cannot express them).
func (g *Geometry) Holes() bool {
	for _, p := range g.Polygons {
		if len(p) > 1 {
			return true
		}
	}
	return false
}

// MarshalJSON writes the GeoJSON geometry object.
func (g Geometry) MarshalJSON() ([]byte, error) {
	if g.Multi {
		return json.Marshal(struct {
			Type        string    `json:"type"`
			Coordinates []Polygon `json:"coordinates"`
		}{"MultiPolygon", orEmptyPolygons(g.Polygons)})
	}
	var p Polygon
	if len(g.Polygons) > 0 {
		p = g.Polygons[0]
	}
	if p == nil {
		p = Polygon{}
	}
	return json.Marshal(struct {
		Type        string  `json:"type"`
		Coordinates Polygon `json:"coordinates"`
	}{"Polygon", p})
}

func orEmptyPolygons(ps []Polygon) []Polygon {
	if ps == nil {
		return []Polygon{}
	}
	return ps
}

// UnmarshalJSON reads a GeoJSON geometry (or a Feature holding one)
// without validating it: stored boundaries were checked when saved.
func (g *Geometry) UnmarshalJSON(data []byte) error {
	out, reason := decodeGeoJSON(data, 0)
	if reason != "" {
		return fmt.Errorf("geojson: %s", reason)
	}
	*g = *out
	return nil
}

// GeoJSON is the geometry's GeoJSON text ("" for nil).
func (g *Geometry) GeoJSON() string {
	if g == nil {
		return ""
	}
	b, err := json.Marshal(g)
	if err != nil {
		return ""
	}
	return string(b)
}
