package ical

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ContentType is the media type of an iCalendar file.
const ContentType = "text/calendar; charset=utf-8"

// maxLine is the most octets a content line may hold before its CRLF
// (RFC 5545 §3.1), continuation lines' leading space included.
const maxLine = 75

// Calendar is one iCalendar object published for others to add
// (METHOD:PUBLISH).
type Calendar struct {
	ProdID string // PRODID, e.g. "-//Beacon//Beacon 1.0//EN"
	Name   string // X-WR-CALNAME, optional: the name calendar apps show
	Events []Event
}

// Event is one VEVENT: a span of time with a summary and a link.
type Event struct {
	UID         string    // stable across downloads, globally unique
	Stamp       time.Time // DTSTAMP: when this object was made
	Start, End  time.Time // written in UTC; End equal to Start is a moment (no DTEND)
	Summary     string
	Description string // optional
	URL         string // optional, an absolute URI
	Lang        string // optional LANGUAGE of SUMMARY
	DescLang    string // optional LANGUAGE of DESCRIPTION
	Cancelled   bool   // STATUS:CANCELLED
}

// Write returns the calendar as an iCalendar file. It refuses what would
// make an invalid file: an empty PRODID or UID, an end before the start,
// or a URL holding spaces or control characters.
func Write(c Calendar) ([]byte, error) {
	if strings.TrimSpace(c.ProdID) == "" {
		return nil, fmt.Errorf("ical: empty PRODID")
	}
	var b strings.Builder
	w := func(name, value string) { writeLine(&b, name+":"+value) }
	w("BEGIN", "VCALENDAR")
	w("VERSION", "2.0")
	w("PRODID", Text(c.ProdID))
	w("CALSCALE", "GREGORIAN")
	w("METHOD", "PUBLISH")
	if c.Name != "" {
		w("X-WR-CALNAME", Text(c.Name))
	}
	for _, e := range c.Events {
		if strings.TrimSpace(e.UID) == "" {
			return nil, fmt.Errorf("ical: event without UID")
		}
		if e.End.Before(e.Start) {
			return nil, fmt.Errorf("ical: event %q ends before it starts", e.UID)
		}
		if strings.IndexFunc(e.URL, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return nil, fmt.Errorf("ical: event %q: URL %q is not a URI", e.UID, e.URL)
		}
		w("BEGIN", "VEVENT")
		w("UID", Text(e.UID))
		w("DTSTAMP", utc(e.Stamp))
		w("DTSTART", utc(e.Start))
		if e.End.After(e.Start) { // without DTEND the event is a moment
			w("DTEND", utc(e.End))
		}
		writeLine(&b, "SUMMARY"+language(e.Lang)+":"+Text(e.Summary))
		if e.Description != "" {
			writeLine(&b, "DESCRIPTION"+language(e.DescLang)+":"+Text(e.Description))
		}
		if e.URL != "" {
			w("URL", e.URL)
		}
		if e.Cancelled {
			w("STATUS", "CANCELLED")
		}
		w("END", "VEVENT")
	}
	w("END", "VCALENDAR")
	return []byte(b.String()), nil
}

// utc writes a DATE-TIME in UTC form (19980119T070000Z).
func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// language is the LANGUAGE parameter for a tag ("" when none or not a tag).
func language(tag string) string {
	if tag == "" || !validParam(tag) {
		return ""
	}
	return ";LANGUAGE=" + tag
}

// validParam reports whether s can stand unquoted as a parameter value
// (a language tag: letters, digits and hyphens).
func validParam(s string) bool {
	for _, r := range s {
		if !(r == '-' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// Text escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and
// comma get a backslash, a line break becomes \n, and other control
// characters (which a content line may not hold) are dropped.
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeLine writes one content line folded at maxLine octets (a CRLF and
// a space start each continuation), never inside a UTF-8 sequence, and
// ends it with CRLF.
func writeLine(b *strings.Builder, line string) {
	limit := maxLine
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
