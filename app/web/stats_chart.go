package web

import (
	"html/template"
	"strings"

	"beacon/app/i18n"
	"beacon/app/stats"
	"beacon/app/store"
)

// Charts of the statistics dashboard and the campaign report: each one is
// drawn by app/stats in the page's direction, with tick labels in the
// page's number format, and comes with a summary in words that names only
// published figures (stats.Chart.Top skips suppressed bars).

// chartOf starts a chart in l's number format and direction.
func chartOf(l *i18n.Localizer, id, title string) stats.Chart {
	return stats.Chart{ID: id, Title: title, RTL: l.Dir() == "rtl", Format: func(v int64) string { return l.Number(int(v)) }}
}

// chartSummary words a chart's largest published bar with key (which
// takes Label and Count); a chart whose figures are all hidden or zero
// says so instead.
func chartSummary(l *i18n.Localizer, c stats.Chart, key string) string {
	top, ok := c.Top()
	switch {
	case !ok:
		return l.T("admin.stats.summary.hidden", nil)
	case top.Value <= 0:
		return l.T("admin.stats.summary.zero", nil)
	}
	return l.T(key, map[string]any{"Label": top.Label, "Count": top.Text})
}

// chartSummaryWithout words c's largest published bar but those of
// skip (rows of an unknown region or of no channel, which say little
// about where to act); with no other bar it words the whole chart.
func chartSummaryWithout(l *i18n.Localizer, c stats.Chart, skip func(i int) bool, key string) string {
	known := c
	known.Bars, known.Series = nil, nil
	for i, b := range c.Bars {
		if !skip(i) {
			known.Bars = append(known.Bars, b)
		}
	}
	if len(c.Series) > 0 {
		sr := stats.Series{Name: c.Series[0].Name}
		for i, b := range c.Series[0].Bars {
			if !skip(i) {
				sr.Bars = append(sr.Bars, b)
			}
		}
		known.Series = []stats.Series{sr}
		known.Bars = sr.Bars
	}
	if _, ok := known.Top(); !ok {
		return chartSummary(l, c, key)
	}
	return chartSummary(l, known, key)
}

// definitionOf is the anchor of a metric's definition on the definitions
// page ("" when it has none).
func definitionOf(metric string) string {
	switch metric {
	case store.StatVisited:
		return "visitors"
	case store.StatStarted, store.StatCompleted, store.StatCertified, store.StatAttempts:
		return metric
	}
	return ""
}

// dailyChart is the per-day chart: visitors and learners who completed,
// one group of columns per day, with a legend.
func dailyChart(l *i18n.Localizer, r *statsReport, col int) (template.HTML, string) {
	c := chartOf(l, "chart-daily", l.T("admin.stats.chart.daily_two", nil))
	for _, m := range []string{store.StatVisited, store.StatCompleted} {
		sr := stats.Series{Name: l.T("admin.stats.metric."+m, nil)}
		for i, d := range r.Days {
			cell := r.Daily[m].Rows[i].Cells[col]
			sr.Bars = append(sr.Bars, stats.Bar{Label: l.Date(d), Value: cell.N, Hidden: cell.Suppressed, Text: cellView(l, cell).Text})
		}
		c.Series = append(c.Series, sr)
	}
	c.Desc = chartSummary(l, c, "admin.stats.summary.daily")
	return template.HTML(stats.Columns(c)), c.Desc
}

// funnelChart draws the funnel steps with each step's shares of the step
// before and of the first step.
func funnelChart(l *i18n.Localizer, id string, steps []funnelStep, cells []stats.Cell) (template.HTML, string) {
	c := chartOf(l, id, l.T("admin.stats.funnel", nil))
	for i, st := range steps {
		b := stats.Bar{Label: st.Label, Value: cells[i].N, Hidden: cells[i].Suppressed, Text: st.Count.Text}
		var notes []string
		if st.OfPrevious != "" {
			notes = append(notes, l.T("admin.stats.of_previous", map[string]any{"Rate": st.OfPrevious}))
		}
		if st.OfFirst != "" {
			notes = append(notes, l.T("admin.stats.of_first", map[string]any{"Rate": st.OfFirst}))
		}
		b.Note = strings.Join(notes, "\n")
		c.Bars = append(c.Bars, b)
	}
	c.Desc = l.T("admin.stats.summary.funnel_hidden", nil)
	if n := len(cells); n > 2 && !cells[0].Suppressed && !cells[2].Suppressed && steps[2].OfFirst != "" {
		c.Desc = l.T("admin.stats.summary.funnel", map[string]any{"Visitors": steps[0].Count.Text, "Completed": steps[2].Count.Text, "Rate": steps[2].OfFirst})
	}
	return template.HTML(stats.Funnel(c)), c.Desc
}
