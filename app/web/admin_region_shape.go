package web

import (
	"encoding/json"
	"strings"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// Region form: boundary and geocodes.
const (
	// emptyGeocodeRows is how many empty geocode rows the form offers.
	emptyGeocodeRows = 2
	// maxGeocodeRows bounds the rows read from a form.
	maxGeocodeRows = app.MaxGeocodes + 10
)

// readRegionShape reads the boundary textarea and the geocode rows into
// form (as typed) and reg, and checks them with app.Region.Validate. An
// empty textarea clears the boundary; empty geocode rows are ignored.
func readRegionShape(c *fiber.Ctx, form *regionForm, reg *app.Region) app.FieldErrors {
	var errs app.FieldErrors
	raw := c.FormValue("boundary")
	if len(raw) > app.MaxBoundaryBytes+1 {
		raw = raw[:app.MaxBoundaryBytes+1] // read no further: it is refused as too large
	}
	form.Boundary = strings.TrimSpace(raw)
	if form.Boundary != "" {
		g, fe := app.ParseBoundary([]byte(form.Boundary))
		if fe != nil {
			errs = append(errs, fe)
		}
		reg.Boundary = g
	}
	names, values := formValues(c, "geocode_name"), formValues(c, "geocode_value")
	for i := 0; i < len(names) && i < len(values) && i < maxGeocodeRows; i++ {
		form.Geocodes = append(form.Geocodes, app.Geocode{Name: clip(names[i], app.MaxGeocodeName*2), Value: clip(values[i], app.MaxGeocodeValue*2)})
	}
	reg.Geocodes = app.CleanGeocodes(form.Geocodes)
	for _, e := range reg.Validate() {
		if (e.Field == "geocodes" || e.Field == "boundary") && errs.For(e.Field) == "" {
			errs = append(errs, e)
		}
	}
	return errs
}

// geocodeRows is the geocode rows to show: the filled ones, then empty
// rows to add more.
func geocodeRows(gs []app.Geocode) []app.Geocode {
	out := app.CleanGeocodes(gs)
	for i := 0; i < emptyGeocodeRows; i++ {
		out = append(out, app.Geocode{})
	}
	return out
}

// boundaryText is a stored boundary as the form shows it: its GeoJSON with
// one ring a line, so that a person can find their way in it ("" for none).
func boundaryText(g *app.Geometry) string {
	if g == nil {
		return ""
	}
	var b strings.Builder
	kind, open, shut := "Polygon", "", ""
	if g.Multi {
		kind, open, shut = "MultiPolygon", "[", "]"
	}
	b.WriteString(`{"type": "` + kind + `", "coordinates": [`)
	for i, p := range g.Polygons {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n " + open)
		for j, r := range p {
			ring, err := json.Marshal(r)
			if err != nil {
				return g.GeoJSON()
			}
			if j > 0 {
				b.WriteString(",\n  ")
			}
			b.Write(ring)
		}
		b.WriteString(shut)
	}
	b.WriteString("\n]}")
	return b.String()
}
