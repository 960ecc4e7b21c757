package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/store"
	"beacon/app/testenv"
)

// geoPack is a pack of two regions: one with a MultiPolygon boundary (the
// second polygon with a hole) and geocodes, one with a boundary pasted as
// a Feature, and an alert with circles and the sender it was sent with.
const geoPack = `regions:
  - code: delta
    name: {en: "Delta", fr: "Delta"}
    geocodes:
      - {name: ISO3166-2, value: XX-07}
      - {name: XX-LAU, value: "0700"}
    boundary:
      type: MultiPolygon
      coordinates:
        - [[[1.5, 40.25], [2, 40.25], [2, 40.75], [1.5, 40.75], [1.5, 40.25]]]
        - - [[3, 41], [4, 41], [4, 42], [3, 42], [3, 41]]
          - [[3.25, 41.25], [3.25, 41.5], [3.5, 41.5], [3.25, 41.25]]
    children:
      - code: delta-port
        name: {en: "Port"}
        boundary: {type: Feature, properties: {}, geometry: {type: Polygon, coordinates: [[[1.5, 40.25], [1.75, 40.25], [1.75, 40.5], [1.5, 40.25]]]}}
`

const geoAlert = `identifier: delta-flood
source_locale: en
status: Actual
msg_type: Alert
scope: Public
category: [Met]
urgency: Expected
severity: Moderate
certainty: Likely
event: {en: Flood}
headline: {en: River flooding in the delta}
effective: 2027-04-15T09:00:00+02:00
expires: 2027-04-16T09:00:00+02:00
regions: [delta-port]
circles:
  - {lat: 40.5, lon: 1.625, radius_km: 2.5}
sent: 2027-04-15T07:00:00+00:00
sender: alerts@delta.example
`

// writePack writes files (path → text) under a new folder.
func writePack(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRegionPackBoundary imports a pack whose regions carry boundaries and
// geocodes (and an alert with circles and a sender) through the binary's
// import command, exports the site and reads the same back; a malformed
// boundary is refused with a problem naming the file, line and region;
// the seed pack's regions all carry theirs. On SQLite and PostgreSQL.
func TestRegionPackBoundary(t *testing.T) {
	ctx := context.Background()
	t.Run("SeedPackLoads", func(t *testing.T) {
		seed, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: packLocales})
		if err != nil {
			t.Fatalf("seed pack: %v", err)
		}
		for _, r := range seed.Regions {
			if r.Boundary == nil || len(r.Geocodes) == 0 {
				t.Errorf("seed region %s has no boundary or no geocodes", r.Code)
			}
		}
	})
	dbs := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "beacon.db") },
	}
	if os.Getenv("BEACON_TEST_POSTGRES") != "" {
		dbs["postgres"] = func(t *testing.T) string { return testenv.PostgresDSN(t) }
	}
	for name, dsn := range dbs {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"BEACON_DATABASE": dsn(t), "BEACON_ADDR": "127.0.0.1:0", "BEACON_SECRET": "test-secret-test-secret-test-secret!"}
			files := map[string]string{"regions.yaml": geoPack, "alerts/delta-flood.yaml": geoAlert}
			dir := writePack(t, files)
			want, err := content.Parse(os.DirFS(dir), content.Options{Locales: packLocales})
			if err != nil {
				t.Fatalf("parse the pack: %v", err)
			}
			if g := want.Regions[0].Boundary; g == nil || !g.Multi || len(g.Polygons) != 2 || len(g.Polygons[1]) != 2 {
				t.Fatalf("delta's boundary read as %+v", g)
			}
			if g := want.Regions[1].Boundary; g == nil || g.Multi || len(g.Polygons[0][0]) != 4 {
				t.Fatalf("the Feature's geometry read as %+v", g)
			}
			if code, out, errOut := run(t, ctx, env, "", "import", dir); code != 0 {
				t.Fatalf("import: %d %q %q", code, out, errOut)
			}
			out := filepath.Join(t.TempDir(), "export")
			if code, stdout, errOut := run(t, ctx, env, "", "export", out); code != 0 {
				t.Fatalf("export: %d %q %q", code, stdout, errOut)
			}
			got, err := content.Parse(os.DirFS(out), content.Options{Locales: packLocales})
			if err != nil {
				t.Fatalf("parse the export: %v", err)
			}
			if !reflect.DeepEqual(byCode(want.Regions), byCode(got.Regions)) {
				t.Errorf("exported regions differ:\nwant %+v\ngot  %+v", want.Regions, got.Regions)
			}
			if len(got.Alerts) != 1 || !reflect.DeepEqual(got.Alerts[0].Circles, want.Alerts[0].Circles) || got.Alerts[0].Sender != "alerts@delta.example" {
				t.Errorf("exported alert lost its circles or sender: %+v", got.Alerts)
			}
			exported, err := os.ReadFile(filepath.Join(out, "regions.yaml"))
			if err != nil || !strings.Contains(string(exported), "geocodes:") || !strings.Contains(string(exported), `"MultiPolygon"`) {
				t.Errorf("exported regions.yaml lacks the geocodes or the boundary:\n%s", exported)
			}

			t.Run("ErrMalformedBoundary", func(t *testing.T) {
				bad := strings.Replace(geoPack, "[1.75, 40.5], [1.5, 40.25]]]", "[1.75, 40.5], [1.5, 40.3]]]", 1)
				bad = strings.Replace(bad, "value: XX-07}", "value: XX-07}\n      - {name: ISO3166-2, value: XX-08}", 1)
				bad = strings.Replace(bad, `name: {en: "Delta", fr: "Delta"}`, `name: {en: "Delta changed", fr: "Delta"}`, 1)
				code, _, errOut := run(t, ctx, env, "", "import", writePack(t, map[string]string{"regions.yaml": bad}))
				if code != 1 {
					t.Fatalf("exit %d, want 1; %s", code, errOut)
				}
				for _, want := range []string{`regions.yaml:17: region "delta-port": every ring of the boundary must end where it starts`,
					`regions.yaml:4: region "delta": a geocode name is used twice`} {
					if !strings.Contains(errOut, want) {
						t.Errorf("stderr lacks %q:\n%s", want, errOut)
					}
				}
				st, err := store.Open(ctx, env["BEACON_DATABASE"])
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				r, err := st.FindRegion(ctx, "delta")
				if err != nil || r.Name["en"] != "Delta" || len(r.Geocodes) != 2 {
					t.Fatalf("a refused pack changed the region: %+v %v", r, err)
				}
			})
		})
	}
}

// TestRegionValidate covers app.Region.Validate and app.ParseBoundary on
// their own: the rules the form and the importer share.
func TestRegionValidate(t *testing.T) {
	ring := `[[0,0],[1,0],[1,1],[0,0]]`
	for _, tc := range []struct{ name, geojson, want string }{
		{"Polygon", `{"type":"Polygon","coordinates":[` + ring + `]}`, ""},
		{"Altitude", `{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}`, ""},
		{"Feature", `{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[` + ring + `]}}`, ""},
		{"Collection", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[` + ring + `]]}}]}`, ""},
		{"TwoFeatures", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null},{"type":"Feature","geometry":null}]}`, "boundary_features"},
		{"Point", `{"type":"Point","coordinates":[0,0]}`, "boundary_type"},
		{"Garbage", `hello`, "boundary_json"},
		{"Open", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`, "boundary_ring_open"},
		{"Short", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`, "boundary_ring_short"},
		{"BadLat", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,0]]]}`, "boundary_position"},
		{"Empty", `{"type":"Polygon","coordinates":[]}`, "boundary_empty"},
		{"OnePosition", `{"type":"Polygon","coordinates":[[[0],[1,0],[1,1],[0]]]}`, "boundary_position"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fe := app.ParseBoundary([]byte(tc.geojson))
			got := ""
			if fe != nil {
				got = strings.TrimPrefix(fe.MessageID, "admin.regions.error.")
			}
			if got != tc.want {
				t.Fatalf("ParseBoundary = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("TooManyPositions", func(t *testing.T) {
		r := make(app.Ring, 0, app.MaxBoundaryPositions+2)
		for i := 0; i <= app.MaxBoundaryPositions; i++ {
			r = append(r, app.Position{float64(i%180) / 2, 0})
		}
		r = append(r, r[0])
		g := app.Geometry{Polygons: []app.Polygon{{r}}}
		if fe := g.Validate(); fe == nil || fe.MessageID != "admin.regions.error.boundary_large" {
			t.Fatalf("Validate = %v", fe)
		}
	})
	for _, tc := range []struct {
		name string
		gs   []app.Geocode
		want string
	}{
		{"Fine", []app.Geocode{{Name: "ISO3166-2", Value: "XX-01"}, {Name: "FIPS", Value: "123"}}, ""},
		{"Blank", []app.Geocode{{Name: "ISO3166-2", Value: "  "}}, "geocode_blank"},
		{"Twice", []app.Geocode{{Name: "FIPS", Value: "1"}, {Name: "FIPS", Value: "2"}}, "geocode_twice"},
		{"Reserved", []app.Geocode{{Name: "beacon-region", Value: "x"}}, "geocode_reserved"},
		{"Control", []app.Geocode{{Name: "FIPS", Value: "1\x00"}}, "geocode_invalid"},
	} {
		t.Run("Geocodes"+tc.name, func(t *testing.T) {
			r := app.Region{Code: "x", Name: app.Text{"en": "X"}, Geocodes: tc.gs}
			got := strings.TrimPrefix(r.Validate().For("geocodes"), "admin.regions.error.")
			if got != tc.want {
				t.Fatalf("Validate geocodes = %q, want %q", got, tc.want)
			}
		})
	}
}
