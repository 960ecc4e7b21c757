package web_test

import (
	"context"
	"encoding/xml"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
)

// squareFeature is a Feature as geojson.io saves it: a square around the
// seed city's west, [lon, lat].
const squareFeature = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
"geometry":{"type":"Polygon","coordinates":[[[10.01,50.09],[10.19,50.09],[10.19,50.14],[10.01,50.14],[10.01,50.09]]]}}]}`

// forStores runs f on a seeded server per available database.
func forStores(t *testing.T, f func(t *testing.T, srv *testServer, st func(testing.TB) *store.Store)) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) { f(t, mustOpenServerOn(t, open(t)), open) })
	}
}

// TestRegionBoundary: the administrator's region form saves a boundary
// (as a geometry or a Feature) and geocodes; an open ring, a latitude off
// the Earth, text that is not GeoJSON and bad geocode rows are refused
// with localized messages (here in French) and nothing is saved.
func TestRegionBoundary(t *testing.T) {
	forStores(t, func(t *testing.T, srv *testServer, _ func(testing.TB) *store.Store) {
		ctx := context.Background()
		admin := srv.signedIn(t, "geo-admin@example.org", app.RoleAdministrator)

		t.Run("CreateWithPolygon", func(t *testing.T) {
			page := admin.get("/en/admin/regions/new")
			admin.mustStatus(page, 200)
			r := admin.postForm(page, "/en/admin/regions/new", url.Values{"code": {"lake-town"}, "name-en": {"Lake Town"},
				"boundary":      {`{"type":"Polygon","coordinates":[[[10,50],[10.1,50],[10.1,50.1],[10,50.1],[10,50]]]}`},
				"geocode_name":  {"ISO3166-2", "", "XX-LAU"},
				"geocode_value": {"XX-09", "", "0909"}})
			admin.mustStatus(r, 303)
			got, err := srv.Store.FindRegion(ctx, "lake-town")
			if err != nil {
				t.Fatal(err)
			}
			if got.Boundary == nil || len(got.Boundary.Polygons) != 1 || len(got.Boundary.Polygons[0][0]) != 5 || got.Boundary.Polygons[0][0][2] != (app.Position{10.1, 50.1}) {
				t.Fatalf("boundary saved as %+v", got.Boundary)
			}
			if want := []app.Geocode{{Name: "ISO3166-2", Value: "XX-09"}, {Name: "XX-LAU", Value: "0909"}}; len(got.Geocodes) != 2 || got.Geocodes[0] != want[0] || got.Geocodes[1] != want[1] {
				t.Fatalf("geocodes saved as %+v", got.Geocodes)
			}
			if auditCount(t, srv, "region", "lake-town", "region:create") != 1 {
				t.Error("no audit entry for the creation")
			}
			// The edit form shows them back.
			edit := admin.get("/en/admin/regions/lake-town")
			if !strings.Contains(text(edit, "#boundary"), `"Polygon"`) || edit.Doc.Find(`#geocode_value-1`).AttrOr("value", "") != "0909" {
				t.Fatalf("edit form: boundary %q", text(edit, "#boundary"))
			}
		})

		t.Run("FeatureAccepted", func(t *testing.T) {
			page := admin.get("/en/admin/regions/west-orchard")
			r := admin.postForm(page, "/en/admin/regions/west-orchard", url.Values{"boundary": {squareFeature}})
			admin.mustStatus(r, 303)
			got, err := srv.Store.FindRegion(ctx, "west-orchard")
			if err != nil {
				t.Fatal(err)
			}
			if got.Boundary == nil || got.Boundary.Polygons[0][0][1] != (app.Position{10.19, 50.09}) || got.ParentCode != "west" {
				t.Fatalf("Feature saved as %+v (parent %q)", got.Boundary, got.ParentCode)
			}
			if auditCount(t, srv, "region", "west-orchard", "region:update") != 1 {
				t.Error("no audit entry for the change")
			}
		})

		fr := srv.Bundle.Localizer("fr")
		for _, tc := range []struct {
			name   string
			fields url.Values
			field  string
			msgID  string
		}{
			{"ErrOpenRing", url.Values{"boundary": {`{"type":"Polygon","coordinates":[[[10,50],[10.1,50],[10.1,50.1],[10,50.1]]]}`}}, "boundary", "admin.regions.error.boundary_ring_open"},
			{"ErrBadLatitude", url.Values{"boundary": {`{"type":"Polygon","coordinates":[[[10,50],[10.1,50],[10.1,95],[10,50]]]}`}}, "boundary", "admin.regions.error.boundary_position"},
			{"ErrGarbage", url.Values{"boundary": {`<kml>not GeoJSON</kml>`}}, "boundary", "admin.regions.error.boundary_json"},
			{"ErrGeocodeHalfRow", url.Values{"geocode_name": {"ISO3166-2", ""}, "geocode_value": {"", ""}}, "geocodes", "admin.regions.error.geocode_blank"},
			{"ErrGeocodeTwice", url.Values{"geocode_name": {"FIPS", "FIPS"}, "geocode_value": {"1", "2"}}, "geocodes", "admin.regions.error.geocode_twice"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, err := srv.Store.FindRegion(ctx, "west-orchard")
				if err != nil {
					t.Fatal(err)
				}
				audits := auditCount(t, srv, "region", "west-orchard", "region:update")
				page := admin.get("/fr/admin/regions/west-orchard")
				fields := url.Values{"name-en": {"Renamed"}}
				for k, v := range tc.fields {
					fields[k] = v
				}
				r := admin.postForm(page, "/fr/admin/regions/west-orchard", fields)
				admin.mustStatus(r, 422)
				want := fr.T(tc.msgID, nil)
				if want == tc.msgID || !strings.Contains(text(r, "#"+tc.field+"-error"), want) {
					t.Fatalf("error %q, want %q", text(r, "#"+tc.field+"-error"), want)
				}
				if !strings.Contains(text(r, ".error-summary"), want) {
					t.Errorf("the summary lacks %q", want)
				}
				if tc.field == "boundary" && text(r, "#boundary") != strings.TrimSpace(tc.fields.Get("boundary")) {
					t.Errorf("the textarea lost what was typed: %q", text(r, "#boundary"))
				}
				after, err := srv.Store.FindRegion(ctx, "west-orchard")
				if err != nil {
					t.Fatal(err)
				}
				if after.Name["en"] != before.Name["en"] || after.Boundary.GeoJSON() != before.Boundary.GeoJSON() || len(after.Geocodes) != len(before.Geocodes) {
					t.Fatalf("a refused form changed the region: %+v", after)
				}
				if auditCount(t, srv, "region", "west-orchard", "region:update") != audits {
					t.Error("a refused form was audited")
				}
			})
		}

		t.Run("MultiPolygonShownAndSavedBack", func(t *testing.T) {
			g, fe := app.ParseBoundary([]byte(`{"type":"MultiPolygon","coordinates":[[[[1,2],[3,2],[3,4],[1,2]],[[1.5,2.5],[2,2.5],[2,3],[1.5,2.5]]],[[[5,6],[7,6],[7,8],[5,6]]]]}`))
			if fe != nil {
				t.Fatal(fe)
			}
			r, _ := srv.Store.FindRegion(ctx, "east")
			r.Boundary = g
			if err := srv.Store.ReplaceRegion(ctx, nil, *r); err != nil {
				t.Fatal(err)
			}
			page := admin.get("/en/admin/regions/east")
			admin.mustStatus(admin.postForm(page, "/en/admin/regions/east", nil), 303)
			after, _ := srv.Store.FindRegion(ctx, "east")
			if after.Boundary.GeoJSON() != g.GeoJSON() {
				t.Fatalf("the form's text of a MultiPolygon did not read back the same:\n%s\n%s", text(page, "#boundary"), after.Boundary.GeoJSON())
			}
		})

		t.Run("EmptyClears", func(t *testing.T) {
			page := admin.get("/en/admin/regions/west-orchard")
			admin.mustStatus(admin.postForm(page, "/en/admin/regions/west-orchard", url.Values{"boundary": {"  "}, "geocode_name": {""}, "geocode_value": {""}}), 303)
			got, _ := srv.Store.FindRegion(ctx, "west-orchard")
			if got.Boundary != nil || len(got.Geocodes) != 0 {
				t.Fatalf("emptied fields kept %+v %+v", got.Boundary, got.Geocodes)
			}
		})
	})
}

// capArea is one <area> as the tests read it back, with the names of its
// children in document order.
type capAreaXML struct {
	AreaDesc string   `xml:"areaDesc"`
	Polygon  []string `xml:"polygon"`
	Circle   []string `xml:"circle"`
	Geocode  []struct {
		ValueName string `xml:"valueName"`
		Value     string `xml:"value"`
	} `xml:"geocode"`
	Order []xml.Name `xml:",any"`
}

// capAreas reads the <area>s of every <info> of a CAP document, and each
// area's child element names in order.
func capAreas(t *testing.T, body string) (areas [][]capAreaXML, order [][]string) {
	t.Helper()
	var doc struct {
		Info []struct {
			Area []capAreaXML `xml:"area"`
		} `xml:"info"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("CAP: %v\n%s", err, body)
	}
	for _, in := range doc.Info {
		areas = append(areas, in.Area)
	}
	// Element order, straight from the tokens.
	dec := xml.NewDecoder(strings.NewReader(body))
	depth, inArea := 0, false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			if el.Name.Local == "area" {
				inArea, order = true, append(order, nil)
				depth = 0
			} else if inArea && depth == 1 {
				order[len(order)-1] = append(order[len(order)-1], el.Name.Local)
			}
		case xml.EndElement:
			if el.Name.Local == "area" {
				inArea = false
			}
			depth--
		}
	}
	return areas, order
}

// TestCAPAreaGeometry: an alert for a region with a boundary (a
// MultiPolygon with a hole) and geocodes, plus a circle, is written with
// the polygons (lat,lon, outer rings only), the circle and the geocodes in
// the schema's order, and validates against CAP-v1.2.xsd.
func TestCAPAreaGeometry(t *testing.T) {
	forStores(t, func(t *testing.T, srv *testServer, _ func(testing.TB) *store.Store) {
		ctx := context.Background()
		admin := srv.signedInUser(t, "geo-cap@example.org", app.RoleAdministrator)
		g, fe := app.ParseBoundary([]byte(`{"type":"MultiPolygon","coordinates":[
			[[[10.0,50.0],[10.2,50.0],[10.2,50.1],[10.0,50.0]]],
			[[[11.0,51.0],[11.5,51.0],[11.5,51.5],[11.0,51.5],[11.0,51.0]],[[11.1,51.1],[11.2,51.1],[11.2,51.2],[11.1,51.1]]]]}`))
		if fe != nil {
			t.Fatal(fe)
		}
		r, err := srv.Store.FindRegion(ctx, "south-harbour")
		if err != nil {
			t.Fatal(err)
		}
		r.Boundary, r.Geocodes = g, []app.Geocode{{Name: "ISO3166-2", Value: "XX-02"}, {Name: "XX-LAU", Value: "0201"}}
		if err := srv.Store.ReplaceRegion(ctx, admin, *r); err != nil {
			t.Fatal(err)
		}
		srv.publishAlert(t, alertFixture("harbour-gas", func(a *app.Alert) {
			a.Regions = []string{"south-harbour"}
			a.Circles = []app.AlertCircle{{Lat: 50.05, Lon: 10.125, RadiusKm: 1.5}}
		}))
		c := srv.client(t)
		resp := c.get("/alerts/harbour-gas.cap")
		c.mustStatus(resp, 200)
		xmllint(t, "harbour-gas.cap", resp.Body, "--noout", "--schema", capSchema(t))
		areas, order := capAreas(t, resp.Body)
		if len(areas) != 2 { // en and fr
			t.Fatalf("%d info blocks, want 2", len(areas))
		}
		fr := srv.Bundle.Localizer("fr")
		for i, as := range areas {
			if len(as) != 2 {
				t.Fatalf("info %d: %d areas, want the region's and the circle's", i, len(as))
			}
			region, circle := as[0], as[1]
			wantPolys := []string{"50,10 50,10.2 50.1,10.2 50,10", "51,11 51,11.5 51.5,11.5 51.5,11 51,11"}
			if strings.Join(region.Polygon, "|") != strings.Join(wantPolys, "|") {
				t.Errorf("polygons %q, want %q (lat,lon; the hole left out)", region.Polygon, wantPolys)
			}
			var codes []string
			for _, g := range region.Geocode {
				codes = append(codes, g.ValueName+"="+g.Value)
			}
			if got := strings.Join(codes, " "); got != "ISO3166-2=XX-02 XX-LAU=0201 beacon-region=south-harbour" {
				t.Errorf("geocodes %q", got)
			}
			if len(region.Circle) != 0 || strings.Join(circle.Circle, "|") != "50.05,10.125 1.5" || len(circle.Polygon) != 0 || len(circle.Geocode) != 0 {
				t.Errorf("circle area %+v", circle)
			}
			if i == 1 && circle.AreaDesc != fr.T("alert.cap.circle_area", nil) {
				t.Errorf("French circle area named %q", circle.AreaDesc)
			}
		}
		if got := strings.Join(order[0], " "); got != "areaDesc polygon polygon geocode geocode geocode" {
			t.Errorf("region area element order %q", got)
		}
		if got := strings.Join(order[1], " "); got != "areaDesc circle" {
			t.Errorf("circle area element order %q", got)
		}

		t.Run("CirclesOnly", func(t *testing.T) {
			srv.publishAlert(t, alertFixture("point-fire", func(a *app.Alert) {
				a.Circles = []app.AlertCircle{{Lat: -33.5, Lon: 151.25, RadiusKm: 10}, {Lat: 0, Lon: -180, RadiusKm: 0.25}}
			}))
			body := c.get("/alerts/point-fire.cap").Body
			xmllint(t, "point-fire.cap", body, "--noout", "--schema", capSchema(t))
			areas, _ := capAreas(t, body)
			if len(areas[0]) != 1 || strings.Join(areas[0][0].Circle, "|") != "-33.5,151.25 10|0,-180 0.25" {
				t.Errorf("areas of a circles-only alert: %+v", areas[0])
			}
		})
	})
}

// TestCAPSenderSetting: the administrator sets the CAP sender on the
// settings page; new messages carry it (the earlier one keeps its own); an
// invalid sender is refused with a localized message and changes nothing;
// the change is audited.
func TestCAPSenderSetting(t *testing.T) {
	forStores(t, func(t *testing.T, srv *testServer, _ func(testing.TB) *store.Store) {
		ctx := context.Background()
		if err := srv.Store.SetSetting(ctx, "four_eyes", "off"); err != nil {
			t.Fatal(err)
		}
		admin := srv.signedIn(t, "geo-settings@example.org", app.RoleAdministrator, app.RoleOrganizer)
		adminAlertCreate(t, srv, admin, adminAlertValidForm("sender-before"))
		admin.mustStatus(admin.post("/en/admin/alerts/sender-before/publish", url.Values{"_csrf": {admin.csrf()}}), 303)
		page := admin.get("/en/admin/settings")
		if hint := text(page, "#cap_sender-hint"); !strings.Contains(hint, "beacon@localhost") {
			t.Errorf("the hint does not name the default sender: %q", hint)
		}
		audits := auditCount(t, srv, "settings", "site", "settings:update")

		for _, bad := range []string{"alerts example.org", "a,b@example.org", "<x>@example.org", "a&b"} {
			r := admin.postForm(admin.get("/es/admin/settings"), "/es/admin/settings", url.Values{"cap_sender": {bad}})
			admin.mustStatus(r, 422)
			want := srv.Bundle.Localizer("es").T("admin.settings.error.cap_sender", nil)
			if got := text(r, "#cap_sender-error"); !strings.Contains(got, want) {
				t.Fatalf("%q: error %q, want %q", bad, got, want)
			}
			if v, _ := srv.Store.Setting(ctx, "cap_sender", ""); v != "" {
				t.Fatalf("a refused sender was stored: %q", v)
			}
		}
		if auditCount(t, srv, "settings", "site", "settings:update") != audits {
			t.Fatal("a refused form was audited")
		}

		r := admin.postForm(admin.get("/en/admin/settings"), "/en/admin/settings", url.Values{"cap_sender": {" alerts@city.example "}})
		admin.mustStatus(r, 303)
		if v, _ := srv.Store.Setting(ctx, "cap_sender", ""); v != "alerts@city.example" {
			t.Fatalf("stored sender %q", v)
		}
		entries, err := srv.Store.Audit(ctx, store.AuditFilter{ObjectType: "settings", ObjectID: "site"})
		if err != nil || len(entries) != audits+1 || !strings.Contains(entries[0].After, `"cap_sender":"alerts@city.example"`) {
			t.Fatalf("audit after the change: %+v %v", entries, err)
		}

		adminAlertCreate(t, srv, admin, adminAlertValidForm("sender-after"))
		admin.mustStatus(admin.post("/en/admin/alerts/sender-after/publish", url.Values{"_csrf": {admin.csrf()}}), 303)
		c := srv.client(t)
		for id, want := range map[string]string{"sender-after": "alerts@city.example", "sender-before": "beacon@localhost"} {
			body := c.get("/alerts/" + id + ".cap").Body
			if got := regexp.MustCompile(`<sender>([^<]*)</sender>`).FindStringSubmatch(body); got == nil || got[1] != want {
				t.Errorf("%s: sender %v, want %s", id, got, want)
			}
		}
		if a, _ := srv.Store.FindAlert(ctx, "sender-after"); a.Sender != "alerts@city.example" {
			t.Errorf("the message stored sender %q", a.Sender)
		}
		// Emptied, the setting goes back to the default for new messages.
		admin.mustStatus(admin.postForm(admin.get("/en/admin/settings"), "/en/admin/settings", url.Values{"cap_sender": {""}}), 303)
		if v, _ := srv.Store.Setting(ctx, "cap_sender", "unset"); v != "unset" {
			t.Errorf("emptied setting kept %q", v)
		}
	})
}

// TestCAPReferencesSurviveBaseURL: an alert is published under one base
// URL and sender; the site then moves (new base URL, new sender setting)
// and publishes an Update. The Update references the first message with
// its original sender and sent time, and the first message's CAP document
// is unchanged byte for byte.
func TestCAPReferencesSurviveBaseURL(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			old := mustOpenServerOn(t, st, withBaseURL("https://old.example"))
			if err := st.SetSetting(ctx, "four_eyes", "off"); err != nil {
				t.Fatal(err)
			}
			org := old.signedIn(t, "geo-move@example.org", app.RoleOrganizer)
			adminAlertCreate(t, old, org, adminAlertValidForm("moved-flood"))
			org.mustStatus(org.post("/en/admin/alerts/moved-flood/publish", url.Values{"_csrf": {org.csrf()}}), 303)
			first := old.client(t).get("/alerts/moved-flood.cap")
			old.client(t).mustStatus(first, 200)
			sent := regexp.MustCompile(`<sent>([^<]*)</sent>`).FindStringSubmatch(first.Body)
			if sent == nil || !strings.Contains(first.Body, "<sender>beacon@old.example</sender>") ||
				!strings.Contains(first.Body, "<web>https://old.example/en/alerts/moved-flood</web>") {
				t.Fatalf("first document:\n%s", first.Body)
			}

			// The site moves: another base URL, and then a sender of its own.
			moved := mustOpenServerOn(t, st, withBaseURL("https://new.example"))
			admin := moved.signedIn(t, "geo-move-admin@example.org", app.RoleAdministrator, app.RoleOrganizer)
			admin.mustStatus(admin.postForm(admin.get("/en/admin/settings"), "/en/admin/settings", url.Values{"cap_sender": {"warnings@new.example"}}), 303)
			r := admin.post("/en/admin/alerts/moved-flood/update", url.Values{"_csrf": {admin.csrf()}})
			admin.mustStatus(r, 303)
			upd := strings.TrimSuffix(strings.TrimPrefix(r.Location, "/en/admin/alerts/"), "/edit")
			admin.mustStatus(admin.post("/en/admin/alerts/"+upd+"/publish", url.Values{"_csrf": {admin.csrf()}}), 303)

			c := moved.client(t)
			again := c.get("/alerts/moved-flood.cap")
			if again.Body != first.Body {
				t.Errorf("the first message's document changed after the move:\nbefore\n%s\nafter\n%s", first.Body, again.Body)
			}
			update := c.get("/alerts/" + upd + ".cap")
			c.mustStatus(update, 200)
			xmllint(t, upd+".cap", update.Body, "--noout", "--schema", capSchema(t))
			if want := "<references>beacon@old.example,moved-flood," + sent[1] + "</references>"; !strings.Contains(update.Body, want) {
				t.Errorf("update lacks %s:\n%s", want, update.Body)
			}
			if !strings.Contains(update.Body, "<sender>warnings@new.example</sender>") || !strings.Contains(update.Body, "<web>https://new.example/en/alerts/"+upd+"</web>") {
				t.Errorf("update's own sender or link:\n%s", update.Body)
			}
		})
	}
}

// TestAlertCircles: the alert form takes circles (empty rows ignored, a
// decimal comma read as a point), refuses a centre off the Earth or a
// radius of zero with a localized message, and an Update copies them.
func TestAlertCircles(t *testing.T) {
	forStores(t, func(t *testing.T, srv *testServer, _ func(testing.TB) *store.Store) {
		ctx := context.Background()
		if err := srv.Store.SetSetting(ctx, "four_eyes", "off"); err != nil {
			t.Fatal(err)
		}
		org := srv.signedIn(t, "geo-circles@example.org", app.RoleOrganizer)
		fields := adminAlertValidForm("circle-storm")
		fields["circle_lat"] = []string{"50,05", "", "-12.5"}
		fields["circle_lon"] = []string{"10.125", "", "130"}
		fields["circle_radius"] = []string{"2.5", "", "40"}
		a := adminAlertCreate(t, srv, org, fields)
		want := []app.AlertCircle{{Lat: 50.05, Lon: 10.125, RadiusKm: 2.5}, {Lat: -12.5, Lon: 130, RadiusKm: 40}}
		if len(a.Circles) != 2 || a.Circles[0] != want[0] || a.Circles[1] != want[1] {
			t.Fatalf("circles stored as %+v", a.Circles)
		}
		edit := org.get("/en/admin/alerts/circle-storm/edit")
		if edit.Doc.Find("#circle_lat-1").AttrOr("value", "") != "-12.5" || edit.Doc.Find("#circle_lat-2").AttrOr("value", "x") != "" {
			t.Error("the edit form does not show the circles and one empty row")
		}
		ru := srv.Bundle.Localizer("ru")
		for _, bad := range [][3]string{{"95", "10", "1"}, {"50", "10", "0"}, {"50", "east", "1"}} {
			page := org.get("/ru/admin/alerts/circle-storm/edit")
			r := org.postForm(page, "/ru/admin/alerts/circle-storm/edit", url.Values{"circle_lat": {bad[0]}, "circle_lon": {bad[1]}, "circle_radius": {bad[2]}})
			org.mustStatus(r, 422)
			if got, want := text(r, "#circles-error"), ru.T("admin.alerts.error.circles", nil); !strings.Contains(got, want) {
				t.Fatalf("%v: error %q, want %q", bad, got, want)
			}
		}
		if b, _ := srv.Store.FindAlert(ctx, "circle-storm"); len(b.Circles) != 2 {
			t.Fatalf("a refused form changed the circles: %+v", b.Circles)
		}
		if got := text(org.get("/en/admin/alerts/circle-storm"), ".alert-circles"); !strings.Contains(got, "-12.5, 130, radius 40 km") {
			t.Errorf("the alert page shows circles %q", got)
		}
		org.mustStatus(org.post("/en/admin/alerts/circle-storm/publish", url.Values{"_csrf": {org.csrf()}}), 303)
		if got := text(org.get("/en/admin/alerts/circle-storm"), ".alert-sender"); got != "beacon@localhost" {
			t.Errorf("the published alert page shows sender %q", got)
		}
		r := org.post("/en/admin/alerts/circle-storm/update", url.Values{"_csrf": {org.csrf()}})
		org.mustStatus(r, 303)
		upd, err := srv.Store.FindAlert(ctx, strings.TrimSuffix(strings.TrimPrefix(r.Location, "/en/admin/alerts/"), "/edit"))
		if err != nil {
			t.Fatal(err)
		}
		if len(upd.Circles) != 2 || upd.Circles[1] != want[1] {
			t.Fatalf("the Update did not copy the circles: %+v", upd.Circles)
		}
	})
}
