package cap

import (
	"fmt"
	"time"
)

// capLayout is a CAP 1.2 dateTime: seconds precision and a numeric offset
// (the XSD pattern \d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-,+]\d\d:\d\d).
const capLayout = "2006-01-02T15:04:05-07:00"

// FormatTime writes a CAP time: seconds precision and a numeric offset,
// never "Z" (UTC is written "-00:00", as CAP 1.2 requires).
func FormatTime(t time.Time) string {
	s := t.Format(capLayout)
	if _, off := t.Zone(); off == 0 {
		s = s[:len(s)-6] + "-00:00"
	}
	return s
}

// atomTime writes an Atom date (RFC 3339) with seconds precision and a
// numeric offset; UTC is "+00:00" (RFC 3339 gives "-00:00" the meaning
// "local offset unknown", which is not what a feed means).
func atomTime(t time.Time) string {
	return t.Format(capLayout)
}

// checkYear refuses a time that FormatTime and atomTime cannot write in
// the schemas' form: CAP's dateTime pattern and RFC 3339 both want a year
// of exactly four digits, 0000 to 9999 in t's own zone.
func checkYear(t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Errorf("time %s: year %d has no four-digit form", t.Format(time.RFC3339), y)
	}
	return nil
}
