package stats

import (
	"encoding/csv"
	"io"
)

// NeutralizeCSV returns field as it must be written in a CSV file that a
// spreadsheet may open: a field starting with = + - @, a tab or a carriage
// return gets a leading apostrophe, so that the spreadsheet shows it as
// text instead of running it as a formula (OWASP, "CSV injection").
// Counts are never negative, so a number never changes.
func NeutralizeCSV(field string) string {
	if field == "" {
		return field
	}
	switch field[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + field
	}
	return field
}

// CSVWriter is encoding/csv's Writer with every field neutralized: the one
// way Beacon writes CSV files.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter returns a CSVWriter writing to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one record, each field neutralized.
func (c *CSVWriter) Write(record []string) error {
	out := make([]string, len(record))
	for i, f := range record {
		out[i] = NeutralizeCSV(f)
	}
	return c.w.Write(out)
}

// Flush writes any buffered data and returns the first error met.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// WriteCSV writes the table as published (hidden cells as HiddenText),
// with a header line and the totals row last.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := NewCSVWriter(w)
	if err := cw.Write(append([]string{""}, t.Columns...)); err != nil {
		return err
	}
	rows := t.Rows
	if t.Total != nil {
		rows = append(append([]Row{}, rows...), *t.Total)
	}
	for _, r := range rows {
		line := []string{r.Label}
		for _, c := range r.Cells {
			line = append(line, c.Text())
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	return cw.Flush()
}
