package stats_test

import (
	"bytes"
	"testing"

	"beacon/app/stats"
)

func TestCSVNeutralizesFormulas(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Equals", `=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"Plus", "+41 22 000", "'+41 22 000"},
		{"Minus", "-2+3", "'-2+3"},
		{"At", "@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"Tab", "\t=1", "'\t=1"},
		{"CarriageReturn", "\r=1", "'\r=1"},
		{"Number", "3000", "3000"},
		{"Hidden", stats.HiddenText, stats.HiddenText},
		{"Empty", "", ""},
		{"InnerEquals", "a=b", "a=b"},
		{"Text", "Industrial Park", "Industrial Park"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := stats.NeutralizeCSV(tc.in); got != tc.want {
				t.Fatalf("NeutralizeCSV(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	// Every field a CSVWriter writes, and so every table: labels too.
	tab := &stats.Table{Columns: []string{"=cmd", "n"}, Rows: []stats.Row{{Label: "@evil", Cells: []stats.Cell{{N: 12}, {Suppressed: true}}}}}
	var b bytes.Buffer
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if want := ",'=cmd,n\n'@evil,12,*\n"; b.String() != want {
		t.Fatalf("table CSV %q, want %q", b.String(), want)
	}
}
