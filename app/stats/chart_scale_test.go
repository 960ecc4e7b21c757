package stats_test

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"beacon/app/stats"
)

// svgNode is an SVG element read back for the tests: its name, attributes,
// text and children.
type svgNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []svgNode  `xml:",any"`
}

func (n svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// find lists the elements of class cls (one of its classes), in order.
func (n svgNode) find(cls string) []svgNode {
	var out []svgNode
	if slices.Contains(strings.Fields(n.attr("class")), cls) {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.find(cls)...)
	}
	return out
}

func parseSVG(t *testing.T, svg string) svgNode {
	t.Helper()
	var n svgNode
	if err := xml.Unmarshal([]byte(svg), &n); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	return n
}

func texts(ns []svgNode) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Text)
	}
	return out
}

func num(t *testing.T, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

func TestChartScale(t *testing.T) {
	for _, tc := range []struct {
		name      string
		max       int64
		step, top int64
	}{
		{"nothing", 0, 1, 1},
		{"one", 1, 1, 1},
		{"seven", 7, 2, 8},
		{"ten", 10, 2, 10},
		{"forty-seven", 47, 10, 50},
		{"hundred", 100, 20, 100},
		{"four thousand", 4210, 1000, 5000},
		{"twenty-three thousand", 23456, 5000, 25000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step, top := stats.Scale(tc.max, 5)
			if step != tc.step || top != tc.top {
				t.Errorf("Scale(%d) = %d, %d; want %d, %d", tc.max, step, top, tc.step, tc.top)
			}
			if m := fmt.Sprint(step); !regexp.MustCompile(`^[125]0*$`).MatchString(m) {
				t.Errorf("step %d is not 1, 2 or 5 times a power of ten", step)
			}
		})
	}

	format := func(v int64) string { return "#" + strconv.FormatInt(v, 10) }
	bars := []stats.Bar{{Label: "North", Value: 4210, Text: "4,210"}, {Label: "South", Value: 3, Text: "<5", Hidden: true}, {Label: "East", Value: 1900, Text: "1,900"}}
	for _, tc := range []struct {
		name  string
		draw  func(stats.Chart) string
		ticks []string
	}{
		{"bars", stats.HorizontalBars, []string{"#0", "#1000", "#2000", "#3000", "#4000", "#5000"}},
		{"columns", stats.Columns, []string{"#0", "#1000", "#2000", "#3000", "#4000", "#5000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := parseSVG(t, tc.draw(stats.Chart{ID: "c", Title: "T", Bars: bars, Format: format}))
			if got := texts(n.find("chart-tick")); !slices.Equal(got, tc.ticks) {
				t.Errorf("ticks %q, want %q", got, tc.ticks)
			}
			if g := len(n.find("chart-grid")); g != len(tc.ticks) {
				t.Errorf("%d gridlines, want one per tick (%d)", g, len(tc.ticks))
			}
			if b := len(n.find("chart-bar")); b != 2 {
				t.Errorf("%d bars drawn, want 2: the suppressed one is never drawn", b)
			}
			if v := texts(n.find("chart-value")); !slices.Contains(v, "4,210") {
				t.Errorf("value labels %q lack 4,210", v)
			}
			if l := texts(n.find("chart-label")); !slices.Contains(l, "North") || !slices.Contains(l, "East") {
				t.Errorf("category labels %q", l)
			}
		})
	}

	t.Run("days", func(t *testing.T) {
		// Thirty days: more than the first and last are labelled, never
		// so many that they overlap.
		var days []stats.Bar
		for i := 1; i <= 30; i++ {
			days = append(days, stats.Bar{Label: fmt.Sprintf("%d May 2026", i), Value: int64(i * 10), Text: strconv.Itoa(i * 10)})
		}
		n := parseSVG(t, stats.Columns(stats.Chart{ID: "d", Bars: days}))
		labels := n.find("chart-label")
		if len(labels) < 4 || len(labels) >= 30 {
			t.Fatalf("%d day labels, want several but not all", len(labels))
		}
		for i := 1; i < len(labels); i++ {
			gap := num(t, labels[i].attr("x")) - num(t, labels[i-1].attr("x"))
			if gap < len("30 May 2026")*6 {
				t.Errorf("labels %q and %q are %d apart: they overlap", labels[i-1].Text, labels[i].Text, gap)
			}
		}
	})

	t.Run("legend", func(t *testing.T) {
		two := stats.Chart{ID: "two", Series: []stats.Series{{Name: "Visitors", Bars: bars}, {Name: "Completions", Bars: bars}}}
		for _, svg := range []string{stats.Columns(two), stats.HorizontalBars(two)} {
			n := parseSVG(t, svg)
			if got := texts(n.find("chart-legend")); !slices.Equal(got, []string{"Visitors", "Completions"}) {
				t.Errorf("legend %q", got)
			}
			if len(n.find("chart-hatch")) == 0 {
				t.Error("the second series is not hatched: colour alone tells the series apart")
			}
		}
		if n := parseSVG(t, stats.Columns(stats.Chart{ID: "one", Bars: bars})); len(n.find("chart-legend")) != 0 {
			t.Error("a chart of one series has a legend")
		}
	})
}

func TestChartRTL(t *testing.T) {
	bars := []stats.Bar{{Label: "شمال", Value: 40, Text: "40"}, {Label: "جنوب", Value: 20, Text: "20"}, {Label: "شرق", Value: 3, Text: "<5", Hidden: true}}
	for _, tc := range []struct {
		name string
		draw func(stats.Chart) string
		cls  string
	}{
		{"bars", stats.HorizontalBars, "chart-bar"},
		{"columns", stats.Columns, "chart-bar"},
		{"funnel", stats.Funnel, "chart-bar"},
		{"labels", stats.HorizontalBars, "chart-label"},
		{"columns labels", stats.Columns, "chart-label"},
		{"ticks", stats.HorizontalBars, "chart-tick"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ltr := parseSVG(t, tc.draw(stats.Chart{ID: "x", Bars: bars}))
			rtl := parseSVG(t, tc.draw(stats.Chart{ID: "x", Bars: bars, RTL: true}))
			if rtl.attr("direction") != "rtl" || ltr.attr("direction") != "ltr" {
				t.Errorf("direction %q / %q", ltr.attr("direction"), rtl.attr("direction"))
			}
			width := num(t, strings.Fields(ltr.attr("viewBox"))[2])
			a, b := ltr.find(tc.cls), rtl.find(tc.cls)
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("%d vs %d %s", len(a), len(b), tc.cls)
			}
			for i := range a {
				if tc.cls == "chart-bar" {
					// A rect mirrors whole: its far edge lands where the near one was.
					x, w := num(t, a[i].attr("x")), num(t, a[i].attr("width"))
					if got := num(t, b[i].attr("x")); got != width-x-w {
						t.Errorf("bar %d at x=%d, want %d (mirrored)", i, got, width-x-w)
					}
					continue
				}
				if got, want := num(t, b[i].attr("x")), width-num(t, a[i].attr("x")); got != want {
					t.Errorf("%s %q at x=%d, want %d (mirrored)", tc.cls, b[i].Text, got, want)
				}
				mirrored := map[string]string{"start": "end", "end": "start", "middle": "middle"}
				if got, want := b[i].attr("text-anchor"), mirrored[a[i].attr("text-anchor")]; got != want {
					t.Errorf("%s %q anchored %q, want %q: every text is laid out left to right with a physical anchor", tc.cls, b[i].Text, got, want)
				}
			}
		})
	}
	t.Run("bars grow from the right", func(t *testing.T) {
		n := parseSVG(t, stats.HorizontalBars(stats.Chart{ID: "x", Bars: bars, RTL: true}))
		rs := n.find("chart-bar")
		width := num(t, strings.Fields(n.attr("viewBox"))[2])
		end0 := num(t, rs[0].attr("x")) + num(t, rs[0].attr("width"))
		end1 := num(t, rs[1].attr("x")) + num(t, rs[1].attr("width"))
		if end0 != end1 || end0 <= width/2 {
			t.Errorf("bars end at %d and %d: they should share their right edge", end0, end1)
		}
		if num(t, rs[0].attr("x")) >= num(t, rs[1].attr("x")) {
			t.Errorf("the longer bar should reach further left")
		}
	})
	t.Run("legend mirrors", func(t *testing.T) {
		two := []stats.Series{{Name: "A", Bars: bars}, {Name: "B", Bars: bars}}
		n := parseSVG(t, stats.Columns(stats.Chart{ID: "x", Series: two, RTL: true}))
		lg := n.find("chart-legend")
		if num(t, lg[0].attr("x")) <= num(t, lg[1].attr("x")) {
			t.Errorf("the first legend entry should be on the right in RTL: %s, %s", lg[0].attr("x"), lg[1].attr("x"))
		}
	})
}

func TestFunnelChart(t *testing.T) {
	steps := []stats.Bar{
		{Label: "Visited", Value: 1000, Text: "1,000"},
		{Label: "Started", Value: 600, Text: "600", Note: "60% of previous\n60% of first"},
		{Label: "Completed", Value: 300, Text: "300", Note: "50% of previous\n30% of first"},
		{Label: "Certified", Value: 2, Text: "<5", Hidden: true},
	}
	n := parseSVG(t, stats.Funnel(stats.Chart{ID: "funnel", Title: "Funnel", Desc: "From visit to certificate", Bars: steps}))
	if n.attr("role") != "img" || n.attr("aria-labelledby") != "funnel-title funnel-desc" {
		t.Errorf("not named for screen readers: %v", n.Attrs)
	}
	bars := n.find("chart-bar")
	if len(bars) != 3 {
		t.Fatalf("%d steps drawn, want 3: the suppressed one is never drawn", len(bars))
	}
	// Bars narrow step by step and stay centred on one axis.
	centre := num(t, bars[0].attr("x")) + num(t, bars[0].attr("width"))/2
	for i := 1; i < len(bars); i++ {
		if num(t, bars[i].attr("width")) >= num(t, bars[i-1].attr("width")) {
			t.Errorf("step %d is not narrower than the one before", i)
		}
		if c := num(t, bars[i].attr("x")) + num(t, bars[i].attr("width"))/2; c-centre > 1 || centre-c > 1 {
			t.Errorf("step %d centred at %d, want %d", i, c, centre)
		}
	}
	if got := texts(n.find("chart-label")); !slices.Equal(got, []string{"Visited", "Started", "Completed", "Certified"}) {
		t.Errorf("labels %q", got)
	}
	if got := texts(n.find("chart-value")); !slices.Equal(got, []string{"1,000", "600", "300", "<5"}) {
		t.Errorf("counts %q", got)
	}
	if got := texts(n.find("chart-note")); !slices.Equal(got, []string{"60% of previous", "60% of first", "50% of previous", "30% of first"}) {
		t.Errorf("shares %q", got)
	}
	if strings.Contains(stats.Funnel(stats.Chart{ID: "f", Bars: steps}), ">2<") {
		t.Error("the suppressed count is written somewhere")
	}
}
