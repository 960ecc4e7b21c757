package stats_test

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"beacon/app/stats"
)

// square is a closed ring of side s at (x, y), first point repeated.
func square(x, y, s float64) []stats.MapPoint {
	return []stats.MapPoint{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
}

func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// wellFormed parses out as XML, token by token, failing on any error.
func wellFormed(t *testing.T, out string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
}

func TestChoropleth(t *testing.T) {
	t.Run("classes", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			values []int64
			want   []stats.MapClass
		}{
			{"none", nil, nil},
			{"one value", []int64{7, 7}, []stats.MapClass{{7, 7}}},
			{"three distinct", []int64{30, 10, 20, 10}, []stats.MapClass{{10, 10}, {20, 20}, {30, 30}}},
			{"quantiles of distinct values", []int64{5, 5, 10, 20, 30, 40, 50, 60},
				[]stats.MapClass{{5, 10}, {20, 20}, {30, 40}, {50, 50}, {60, 60}}},
			{"ten values in five classes", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
				[]stats.MapClass{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := stats.MapClasses(tc.values, 0)
				if len(got) != len(tc.want) {
					t.Fatalf("classes %v, want %v", got, tc.want)
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Fatalf("classes %v, want %v", got, tc.want)
					}
				}
			})
		}
	})

	t.Run("palette contrast", func(t *testing.T) {
		if r := contrast(stats.MapPalette[0], "#ffffff"); r < 3 {
			t.Errorf("lightest class %s has %.2f:1 against white, want ≥ 3", stats.MapPalette[0], r)
		}
		for i := 1; i < len(stats.MapPalette); i++ {
			if contrast(stats.MapPalette[i], "#ffffff") <= contrast(stats.MapPalette[i-1], "#ffffff") {
				t.Errorf("palette not sequential at %d", i)
			}
		}
	})

	// Secret is the true count of the hidden area, which the caller (wrongly)
	// left in the cell: it must reach no byte of the output.
	const secret = 987654
	base := stats.Choropleth{ID: "m", Title: "Map of participation", Desc: "Shaded by learners.", Width: 200, Height: 100,
		Measure: "Learners who started", Hidden: "Too few to show", Number: grouped,
		Range:     func(lo, hi string) string { return lo + " to " + hi },
		AreaTitle: func(name, fig string) string { return name + " — " + fig },
		Areas: []stats.MapArea{
			{Name: "North", Polygons: [][][]stats.MapPoint{{square(0, 0, 90)}}, Cell: stats.Cell{N: 1200}, Text: "1,200"},
			{Name: "South", Polygons: [][][]stats.MapPoint{{square(100, 0, 90)}}, Cell: stats.Cell{N: 3400}, Text: "3,400"},
			{Name: "Islands", Lang: "fr", Polygons: [][][]stats.MapPoint{
				{square(0, 95, 40), square(10, 96, 3)}, // a square with a hole
				{square(50, 95, 4)},                    // and an islet
			}, Cell: stats.Cell{N: 2000}, Text: "2,000"},
			{Name: "Hamlet", Polygons: [][][]stats.MapPoint{{square(150, 95, 4)}}, Cell: stats.Cell{N: secret, Suppressed: true}},
		},
	}
	out := stats.DrawChoropleth(base)

	t.Run("well-formed XML", func(t *testing.T) { wellFormed(t, out) })

	t.Run("no hidden value", func(t *testing.T) {
		for _, s := range []string{strconv.Itoa(secret), grouped(secret)} {
			if strings.Contains(out, s) {
				t.Fatalf("the hidden count %s is in the output", s)
			}
		}
	})

	t.Run("svg names itself", func(t *testing.T) {
		for _, want := range []string{`role="img"`, `aria-labelledby="m-title m-desc"`, `<title id="m-title">Map of participation</title>`,
			`<desc id="m-desc">Shaded by learners.</desc>`} {
			if !strings.Contains(out, want) {
				t.Errorf("missing %s", want)
			}
		}
	})

	paths := regexp.MustCompile(`<path class="(map-area[^"]*)" d="([^"]*)" fill="([^"]*)" fill-rule="evenodd"[^>]*><title>([^<]*)</title></path>`).FindAllStringSubmatch(out, -1)
	t.Run("a path per area, shaded by class", func(t *testing.T) {
		if len(paths) != 4 {
			t.Fatalf("%d area paths, want 4:\n%s", len(paths), out)
		}
		want := []struct{ class, fill, title string }{
			{"map-area map-c1", stats.MapPalette[0], "North — 1,200"},
			{"map-area map-c3", stats.MapPalette[2], "South — 3,400"},
			{"map-area map-c2", stats.MapPalette[1], "Islands — 2,000"},
			{"map-area map-hidden", "url(#m-hatch)", "Hamlet — Too few to show"},
		}
		for i, w := range want {
			if paths[i][1] != w.class || paths[i][3] != w.fill || paths[i][4] != w.title {
				t.Errorf("area %d: class %q fill %q title %q, want %+v", i, paths[i][1], paths[i][3], paths[i][4], w)
			}
		}
	})

	t.Run("hatch for hidden", func(t *testing.T) {
		if !strings.Contains(out, `<pattern id="m-hatch"`) {
			t.Error("no hatch pattern")
		}
		if !strings.Contains(out, `<li class="map-legend-hidden">`) || !strings.Contains(out, "<span>Too few to show</span>") {
			t.Error("legend does not explain the hatch")
		}
		none := base
		none.Areas = base.Areas[:3]
		if o := stats.DrawChoropleth(none); strings.Contains(o, "hatch") || strings.Contains(o, "Too few") {
			t.Error("hatch drawn or explained with nothing hidden")
		}
	})

	t.Run("MultiPolygon with hole", func(t *testing.T) {
		d := paths[2][2]
		if n := strings.Count(d, "M"); n != 3 {
			t.Errorf("islands path has %d rings, want 3 (outer, hole, islet): %s", n, d)
		}
		if strings.Count(d, "Z") != 3 {
			t.Errorf("rings not closed: %s", d)
		}
	})

	t.Run("legend text", func(t *testing.T) {
		got := regexp.MustCompile(`<li class="map-legend-class">.*?<span>([^<]*)</span></li>`).FindAllStringSubmatch(out, -1)
		var texts []string
		for _, m := range got {
			texts = append(texts, m[1])
		}
		if strings.Join(texts, "|") != "1,200|2,000|3,400" {
			t.Errorf("legend classes %q", texts)
		}
		if !strings.Contains(out, `<p class="map-legend-title">Learners who started</p>`) {
			t.Error("legend does not say what the shading counts")
		}
		many := base
		many.Areas = nil
		for i := range 10 {
			many.Areas = append(many.Areas, stats.MapArea{Name: "R" + strconv.Itoa(i), Polygons: [][][]stats.MapPoint{{square(float64(i*20), 0, 18)}},
				Cell: stats.Cell{N: int64(1000 * (i + 1))}, Text: grouped(int64(1000 * (i + 1)))})
		}
		o := stats.DrawChoropleth(many)
		if !strings.Contains(o, "<span>1,000 to 2,000</span>") || !strings.Contains(o, "<span>9,000 to 10,000</span>") ||
			strings.Count(o, `class="map-legend-class"`) != 5 {
			t.Errorf("ranges not written by the caller's Range and Number:\n%s", o)
		}
	})

	t.Run("labels or numbered key", func(t *testing.T) {
		if !strings.Contains(out, ">North</text>") || !strings.Contains(out, ">South</text>") {
			t.Errorf("roomy areas are not labelled by name:\n%s", out)
		}
		// Islands' largest part (40 units) cannot hold "Islands" at 12
		// units: it gets number 1, keyed in the legend, in its language.
		if !strings.Contains(out, ">1</text>") || !strings.Contains(out, `<ol class="map-key"><li><span class="map-key-n">1</span> <span lang="fr">Islands</span></li>`) {
			t.Errorf("no numbered key for a small area:\n%s", out)
		}
	})

	t.Run("empty areas", func(t *testing.T) {
		if strings.Contains(out, "map-none") {
			t.Error("empty areas drawn with none given")
		}
		e := base
		e.None = "No one counted"
		e.Empty = []stats.MapArea{{Name: "Orchard", Polygons: [][][]stats.MapPoint{{square(100, 95, 4)}}}}
		o := stats.DrawChoropleth(e)
		wellFormed(t, o)
		first := strings.Index(o, "<path ")
		if !strings.HasPrefix(o[first:], `<path class="map-none"`) || !strings.Contains(o, "<title>Orchard — No one counted</title>") ||
			!strings.Contains(o, `<li class="map-legend-none">`) {
			t.Errorf("empty area not drawn first, unshaded, and in the legend:\n%s", o)
		}
	})

	t.Run("districts yield their labels to their towns", func(t *testing.T) {
		e := base
		e.None = "No one counted"
		// An empty district under North and South, and an empty town
		// of its own far from anything: the town is named, the district
		// (whose label would sit on North) is not.
		e.Empty = []stats.MapArea{
			{Name: "Whole District", Polygons: [][][]stats.MapPoint{{square(0, 0, 190)}}},
			{Name: "Lonely Town", Polygons: [][][]stats.MapPoint{{square(0, 200, 120)}}},
		}
		o := stats.DrawChoropleth(e)
		wellFormed(t, o)
		if strings.Contains(o, ">Whole District</text>") {
			t.Errorf("the district's label sits over its towns:\n%s", o)
		}
		if !strings.Contains(o, ">Lonely Town</text>") || !strings.Contains(o, ">North</text>") {
			t.Errorf("an empty area or a town lost its label:\n%s", o)
		}
	})

	t.Run("names escaped", func(t *testing.T) {
		evil := base
		evil.Areas = []stats.MapArea{{Name: `<script>"x"&`, Polygons: [][][]stats.MapPoint{{square(0, 0, 90)}}, Cell: stats.Cell{N: 5}, Text: "5"}}
		o := stats.DrawChoropleth(evil)
		wellFormed(t, o)
		if strings.Contains(o, "<script>") {
			t.Error("name not escaped")
		}
	})

	t.Run("simplified and small", func(t *testing.T) {
		// A surveyed circle of 10,000 points, 150 units across.
		var ring []stats.MapPoint
		for i := range 10000 {
			a := 2 * math.Pi * float64(i) / 10000
			ring = append(ring, stats.MapPoint{X: 200 + 150*math.Cos(a), Y: 200 + 150*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		big := base
		big.Width, big.Height = 400, 400
		big.Areas = []stats.MapArea{{Name: "Circle", Polygons: [][][]stats.MapPoint{{ring}}, Cell: stats.Cell{N: 10}, Text: "10"}}
		o := stats.DrawChoropleth(big)
		wellFormed(t, o)
		if len(o) > 6000 {
			t.Errorf("a 10,000-point circle draws in %d bytes, want a few KB", len(o))
		}
		t.Logf("10,000-point circle: %d bytes", len(o))
	})
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	lum := func(h string) float64 {
		var c [3]float64
		for i := range c {
			v, _ := strconv.ParseUint(h[1+2*i:3+2*i], 16, 8)
			s := float64(v) / 255
			if s <= 0.03928 {
				c[i] = s / 12.92
			} else {
				c[i] = math.Pow((s+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	}
	la, lb := lum(a), lum(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}
