package cap_test

import (
	"regexp"
	"testing"
	"time"

	"beacon/app/cap"
)

// capTime is the CAP 1.2 schema's pattern for dateTime values.
var capTime = regexp.MustCompile(`^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-,+]\d\d:\d\d$`)

func TestFormatTime(t *testing.T) {
	instant := time.Date(2026, 7, 1, 4, 5, 6, 999_999_999, time.UTC)
	cst := time.FixedZone("CST", 8*3600)
	cases := []struct {
		t    time.Time
		want string
	}{
		{instant, "2026-07-01T04:05:06-00:00"},
		{instant.In(cst), "2026-07-01T12:05:06+08:00"},
		{instant.In(time.FixedZone("EST", -5*3600)), "2026-06-30T23:05:06-05:00"},
		{instant.In(time.FixedZone("IST", 5*3600+1800)), "2026-07-01T09:35:06+05:30"},
		{instant.In(time.FixedZone("GMT", 0)), "2026-07-01T04:05:06-00:00"},
	}
	if sh, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		cases = append(cases, struct {
			t    time.Time
			want string
		}{instant.In(sh), "2026-07-01T12:05:06+08:00"})
	} else {
		t.Logf("NOTE: no tz database (%v): Asia/Shanghai not checked", err)
	}
	for _, c := range cases {
		got := cap.FormatTime(c.t)
		if got != c.want {
			t.Errorf("FormatTime(%v) = %q, want %q", c.t, got, c.want)
		}
		if !capTime.MatchString(got) {
			t.Errorf("FormatTime(%v) = %q does not match the CAP pattern", c.t, got)
		}
	}
}
