package stats_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"beacon/app/stats"
)

func TestCharts_AccessibleAndWellFormed(t *testing.T) {
	c := stats.Chart{ID: "by-region", Title: "Learners <by> region", Desc: "North & south",
		Bars: []stats.Bar{{Label: "North", Value: 40, Text: "40"}, {Label: "South", Value: 3, Text: "<5", Hidden: true},
			{Label: "A very long region name that goes on and on", Lang: "zh-Hans", Value: 20, Text: "20"}}}
	for name, svg := range map[string]string{"bars": stats.HorizontalBars(c), "columns": stats.Columns(c)} {
		t.Run(name, func(t *testing.T) {
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Fatalf("not well-formed: %v\n%s", err, svg)
			}
			for _, want := range []string{`role="img"`, `aria-labelledby="by-region-title by-region-desc"`,
				`<title id="by-region-title">Learners &lt;by&gt; region</title>`, `<desc id="by-region-desc">North &amp; south</desc>`} {
				if !strings.Contains(svg, want) {
					t.Errorf("missing %s in\n%s", want, svg)
				}
			}
			// The hidden bar draws nothing: two rects for three bars.
			if n := strings.Count(svg, `class="chart-bar `); n != 2 {
				t.Errorf("%d bars drawn, want 2 (the suppressed one not drawn)", n)
			}
		})
	}
	if svg := stats.HorizontalBars(c); !strings.Contains(svg, "&lt;5") || !strings.Contains(svg, `lang="zh-Hans"`) {
		t.Errorf("bar chart lacks the published value or label language:\n%s", svg)
	}
}

func TestCharts_Empty(t *testing.T) {
	for _, svg := range []string{stats.HorizontalBars(stats.Chart{ID: "x"}), stats.Columns(stats.Chart{ID: "x"}), stats.Funnel(stats.Chart{ID: "x"})} {
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil || strings.Contains(svg, `class="chart-bar`) {
			t.Errorf("empty chart: %v\n%s", err, svg)
		}
	}
}
