// Package cap writes alerts as OASIS CAP 1.2 documents and Atom feeds.
//
// Both are written with encoding/xml from struct types, so every text a
// person wrote (event, headline, description, instruction, area names, the
// site name) is escaped as character data and can never become markup.
// Characters XML cannot carry (most control characters) are replaced with
// U+FFFD, so the output stays well-formed whatever the input.
package cap

import (
	"errors"
	"fmt"

	"beacon/app"
)

// ContentType is the media type of a CAP document.
const ContentType = "application/cap+xml"

// Options say who sends the alerts and how to name and link things in each
// language.
type Options struct {
	// Sender is the CAP <sender>, e.g. "beacon@example.org".
	Sender string
	// SenderName is the site name in a locale (CAP <senderName>).
	SenderName func(locale string) string
	// Web is the URL of the alert's page in a locale (CAP <web>).
	Web func(identifier, locale string) string
	// AreaName names a region code in a locale (CAP <areaDesc>); Everyone
	// names the whole audience in a locale, for alerts without regions.
	AreaName func(code, locale string) string
	Everyone func(locale string) string
	// Region returns the region with a code, for its boundary and
	// geocodes (nil when unknown: the area then has only its name and
	// Beacon's geocode).
	Region func(code string) *app.Region
	// CircleArea names, in a locale, the area of the circles an alert
	// names itself (CAP <areaDesc>); the alert's event when unset.
	CircleArea func(locale string) string

	// polygons are the <polygon>s of each region of the alert being
	// written, made once for all its languages.
	polygons map[string][]string
}

// errOptions marks a caller's mistake in Options or FeedOptions.
var errOptions = errors.New("cap: bad options")

// checkSender reports whether s can stand as a CAP <sender> (and inside
// <references>): not empty, no spaces, commas or the XML specials < and &,
// as CAP 1.2 requires.
func checkSender(s string) error {
	if !app.ValidCAPSender(s) {
		return fmt.Errorf("%w: sender %q must be non-empty without spaces, commas, < or &", errOptions, s)
	}
	return nil
}

// call1 returns f(a) when f is set, "" otherwise: every function in
// Options is optional.
func call1(f func(string) string, a string) string {
	if f == nil {
		return ""
	}
	return f(a)
}

// call2 returns f(a, b) when f is set, "" otherwise.
func call2(f func(string, string) string, a, b string) string {
	if f == nil {
		return ""
	}
	return f(a, b)
}
