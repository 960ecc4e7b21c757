// Package ical writes iCalendar files (RFC 5545): a VCALENDAR of VEVENTs
// with times in UTC, TEXT values escaped, and lines folded at 75 octets
// without splitting a UTF-8 sequence. Standard library only; it imports
// nothing of Beacon, so campaigns and alerts are mapped to Events by the
// caller.
package ical
