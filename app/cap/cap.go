// Package cap writes alerts as OASIS CAP 1.2 documents and Atom feeds.
package cap

import (
	"errors"
	"time"

	"beacon/app"
)

// errPending marks the CAP writer before it is written.
var errPending = errors.New("cap: not written yet")

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
}

// Document writes one alert as a CAP 1.2 XML document with one <info> per
// language the alert has (its source locale first). refs are the alerts it
// references (for <references>: "sender,identifier,sent" each).
func Document(a *app.Alert, refs []*app.Alert, o Options) ([]byte, error) {
	return nil, errPending
}

// FeedOptions describe an Atom feed of alerts in one language.
type FeedOptions struct {
	Options
	Locale  string    // language of titles and summaries (xml:lang)
	Title   string    // feed title
	SelfURL string    // the feed's own URL (its id and rel="self" link)
	CAPURL  func(identifier string) string
	Updated time.Time // when the feed last changed
}

// Feed writes alerts as an RFC 4287 Atom feed: one entry per alert, each
// linking its CAP document (rel="alternate", type application/cap+xml) and
// its page.
func Feed(alerts []*app.Alert, o FeedOptions) ([]byte, error) {
	return nil, errPending
}

// FormatTime writes a CAP time: seconds precision and a numeric offset,
// never "Z" (UTC is written "-00:00", as CAP 1.2 requires).
func FormatTime(t time.Time) string {
	s := t.Format("2006-01-02T15:04:05-07:00")
	if _, off := t.Zone(); off == 0 {
		s = s[:len(s)-6] + "-00:00"
	}
	return s
}
