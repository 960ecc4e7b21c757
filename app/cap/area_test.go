package cap_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/cap"
)

// TestDocument_AreaGeometry: a region's outer rings become <polygon>s
// (lat,lon), its geocodes come before Beacon's, circles get their own
// area, and the stored sender wins over the option, for the alert and
// each reference.
func TestDocument_AreaGeometry(t *testing.T) {
	g, fe := app.ParseBoundary([]byte(`{"type":"Polygon","coordinates":[[[-0.5,51.25],[0.25,51.25],[0.25,51.75],[-0.5,51.25]],[[0,51.3],[0.1,51.3],[0.1,51.4],[0,51.3]]]}`))
	if fe != nil {
		t.Fatal(fe)
	}
	regions := map[string]*app.Region{"river": {Code: "river", Boundary: g, Geocodes: []app.Geocode{{Name: "ISO3166-2", Value: "XX-05"}}}}
	o := options()
	o.Region = func(code string) *app.Region { return regions[code] }
	o.CircleArea = func(l string) string { return "circles/" + l }
	a := newAlert("geo-1", "Actual", "Update", "river", "unknown-region")
	a.Circles = []app.AlertCircle{{Lat: 51.5, Lon: -0.125, RadiusKm: 0.5}}
	a.Sender = "kept@old.example"
	ref := newAlert("geo-0", "Actual", "Alert")
	ref.Sender = "first@older.example"
	plain := newAlert("geo-00", "Actual", "Alert")
	doc, err := cap.Document(a, []*app.Alert{ref, plain}, o)
	if err != nil {
		t.Fatal(err)
	}
	mustValidateCAP(t, "geo-1", doc)
	d := parseCAP(t, doc)
	if d.Sender != "kept@old.example" {
		t.Errorf("sender %q, want the stored one", d.Sender)
	}
	if want := "first@older.example,geo-0," + cap.FormatTime(sent) + " beacon@beacon.example,geo-00," + cap.FormatTime(sent); d.References != want {
		t.Errorf("references %q, want %q", d.References, want)
	}
	s := regexp.MustCompile(`>\s+<`).ReplaceAllString(string(doc), "><")
	for _, want := range []string{
		"<polygon>51.25,-0.5 51.25,0.25 51.75,0.25 51.25,-0.5</polygon><geocode><valueName>ISO3166-2</valueName>",
		"<valueName>beacon-region</valueName><value>river</value>",
		"<areaDesc>circles/en</areaDesc><circle>51.5,-0.125 0.5</circle>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("document lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "51.3,0") {
		t.Error("the hole reached a <polygon>")
	}
	if n := strings.Count(s, "<polygon>"); n != 3 { // one per <info>: en, ar, zh-Hans
		t.Errorf("%d polygons, want 3", n)
	}

	a.Sender = "bad sender"
	if _, err := cap.Document(a, nil, o); err == nil {
		t.Error("a stored sender CAP cannot carry was written")
	}
}

// BenchmarkDocument_LargeBoundary writes an alert for a region at the
// boundary limit (app.MaxBoundaryPositions positions), in three languages.
func BenchmarkDocument_LargeBoundary(b *testing.B) {
	r := make(app.Ring, 0, app.MaxBoundaryPositions)
	for i := 0; i < app.MaxBoundaryPositions-1; i++ {
		r = append(r, app.Position{-179 + float64(i)*0.0347, 10 + float64(i%7)*0.1234567})
	}
	r = append(r, r[0])
	region := &app.Region{Code: "big", Boundary: &app.Geometry{Polygons: []app.Polygon{{r}}}}
	o := options()
	o.Region = func(string) *app.Region { return region }
	a := newAlert("big-1", "Actual", "Alert", "big")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cap.Document(a, nil, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBoundary reads and validates a boundary at the limit.
func BenchmarkParseBoundary(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"type":"Polygon","coordinates":[[`)
	for i := 0; i < app.MaxBoundaryPositions-1; i++ {
		fmt.Fprintf(&sb, "[%g,%g],", -179+float64(i)*0.0347, 10+float64(i%7)*0.1234567)
	}
	sb.WriteString(`[-179,10]]]}`)
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, fe := app.ParseBoundary(data); fe != nil {
			b.Fatal(fe)
		}
	}
}
