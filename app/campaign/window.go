package campaign

import (
	"fmt"
	"sort"
	"strings"
	"time"
	// Embedded zone data, so that a single binary in a bare container knows
	// every IANA zone an organizer may choose.
	_ "time/tzdata"

	"beacon/app"
)

// Phases of a campaign's window.
const (
	PhaseUpcoming = "upcoming"
	PhaseRunning  = "running"
	PhaseEnded    = "ended"
)

// Phase says where now stands against the campaign's window.
func Phase(c *app.Campaign, now time.Time) string {
	switch {
	case now.Before(c.Starts):
		return PhaseUpcoming
	case now.After(c.Ends):
		return PhaseEnded
	}
	return PhaseRunning
}

// Location is the zone the campaign's times are shown in: its IANA zone, or
// else (campaigns from packs carry only an offset) the fixed offset of its
// start.
func Location(c *app.Campaign) *time.Location {
	if c.TimeZone != "" {
		if loc, err := LoadZone(c.TimeZone); err == nil {
			return loc
		}
	}
	_, off := c.Starts.Zone()
	return time.FixedZone(OffsetName(off), off)
}

// OffsetName writes a UTC offset in seconds as "UTC+08:00".
func OffsetName(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
}

// LoadZone loads an IANA zone by name, refusing the empty name and "Local"
// (which would mean the server's zone, not the organizer's).
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || len(name) > 64 || strings.ContainsAny(name, " .\\") {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return time.LoadLocation(name)
}

// LocalLayout is the value format of an HTML datetime-local input.
const LocalLayout = "2006-01-02T15:04"

// ParseLocal reads a datetime-local value ("2027-04-08T09:00", seconds
// allowed) as a wall-clock time in loc.
func ParseLocal(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{LocalLayout, LocalLayout + ":05"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatLocal writes t as a datetime-local value in loc.
func FormatLocal(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(LocalLayout)
}

// commonZones are the zones offered first: one or more per region of the
// world where public bodies run Beacon sites.
var commonZones = []string{
	"UTC",
	"Africa/Abidjan", "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
	"America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago", "America/Denver", "America/Los_Angeles",
	"America/Mexico_City", "America/New_York", "America/Sao_Paulo", "America/Toronto",
	"Asia/Almaty", "Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Karachi",
	"Asia/Kolkata", "Asia/Manila", "Asia/Riyadh", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Taipei",
	"Asia/Tashkent", "Asia/Tehran", "Asia/Tokyo", "Asia/Urumqi",
	"Australia/Perth", "Australia/Sydney",
	"Europe/Berlin", "Europe/Istanbul", "Europe/London", "Europe/Madrid", "Europe/Moscow", "Europe/Paris",
	"Pacific/Auckland",
}

// Zones lists the IANA zones an organizer may choose, sorted by name, with
// extra (the campaign's current zone) added when missing.
func Zones(extra string) []string {
	out := append([]string(nil), commonZones...)
	if extra != "" {
		found := false
		for _, z := range out {
			found = found || z == extra
		}
		if !found {
			out = append(out, extra)
		}
	}
	sort.Strings(out[1:])
	return out
}

// ZoneLabel names a zone with its offset at t: "Asia/Shanghai (UTC+08:00)".
func ZoneLabel(name string, at time.Time) string {
	loc, err := LoadZone(name)
	if err != nil {
		return name
	}
	if name == "UTC" { // "UTC (UTC+00:00)" would say the zone twice
		return name
	}
	_, off := at.In(loc).Zone()
	return name + " (" + OffsetName(off) + ")"
}
