package web

import (
	"strconv"
	"strings"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// circleRow is one circle row of the alert form, as typed.
type circleRow struct {
	Lat, Lon, Radius string
}

// circleRowsOf shows stored circles in the form.
func circleRowsOf(cs []app.AlertCircle) []circleRow {
	out := make([]circleRow, 0, len(cs))
	for _, c := range cs {
		out = append(out, circleRow{Lat: strconv.FormatFloat(c.Lat, 'f', -1, 64), Lon: strconv.FormatFloat(c.Lon, 'f', -1, 64),
			Radius: strconv.FormatFloat(c.RadiusKm, 'f', -1, 64)})
	}
	return out
}

// readCircles reads the circle rows into f (as typed, empty rows left
// out) and returns the circles; bad is true when a filled row is not three
// numbers (app.ValidateAlert checks their ranges).
func readCircles(c *fiber.Ctx, f *adminAlertForm) (circles []app.AlertCircle, bad bool) {
	lats, lons, radii := formValues(c, "circle_lat"), formValues(c, "circle_lon"), formValues(c, "circle_radius")
	at := func(vs []string, i int) string {
		if i < len(vs) {
			return clip(vs[i], 40)
		}
		return ""
	}
	n := max(len(lats), len(lons), len(radii))
	for i := 0; i < n && i <= app.MaxAlertCircles; i++ {
		row := circleRow{Lat: at(lats, i), Lon: at(lons, i), Radius: at(radii, i)}
		if row == (circleRow{}) {
			continue
		}
		f.Circles = append(f.Circles, row)
		lat, err1 := parseDegrees(row.Lat)
		lon, err2 := parseDegrees(row.Lon)
		r, err3 := parseDegrees(row.Radius)
		if err1 != nil || err2 != nil || err3 != nil {
			bad = true
			continue
		}
		circles = append(circles, app.AlertCircle{Lat: lat, Lon: lon, RadiusKm: r})
	}
	if n > app.MaxAlertCircles+1 {
		bad = true
	}
	return circles, bad
}

// parseDegrees reads a decimal number as people type it: a decimal comma
// is taken for a point; exponents, infinities and NaN are refused.
func parseDegrees(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" || strings.ContainsAny(s, "eEnNiIxXpP_") {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseFloat(s, 64)
}
