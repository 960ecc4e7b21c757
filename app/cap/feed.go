package cap

import (
	"encoding/xml"
	"fmt"
	"time"

	"beacon/app"
)

// AtomNamespace is the XML namespace of Atom (RFC 4287).
const AtomNamespace = "http://www.w3.org/2005/Atom"

// AtomContentType is the media type of an Atom feed.
const AtomContentType = "application/atom+xml"

// FeedOptions describe an Atom feed of alerts in one language.
type FeedOptions struct {
	Options
	Locale  string // language of titles and summaries (xml:lang)
	Title   string // feed title
	SelfURL string // the feed's own URL (its id and rel="self" link)
	CAPURL  func(identifier string) string
	Updated time.Time // when the feed last changed
	// DrillTitle, when set, labels the entry title of an Exercise alert:
	// it gets the headline and the headline's locale and returns the
	// title, e.g. "Drill: " + headline from the catalog. Nil leaves
	// Exercise titles unlabelled (the CAP document still says Exercise).
	DrillTitle func(headline, locale string) string
	// Subtitle, when set, is the feed's <subtitle> (what it lists, and for
	// how long it keeps a cancelled alert).
	Subtitle string
	// Cancelled are the withdrawn alerts the feed still lists, after the
	// alerts in force, each marked as cancelled.
	Cancelled []Cancellation
	// CancelledTitle labels the entry title of a cancelled alert (e.g.
	// "Cancelled: " + headline, or "All clear: " + headline when the
	// Cancel says the danger is over); AllClearTitle labels an alert in
	// force that says all clear (an Update). Nil leaves titles unlabelled.
	CancelledTitle func(headline, locale string, allClear bool) string
	AllClearTitle  func(headline, locale string) string
}

// Cancellation is an alert withdrawn by a Cancel message, kept in the feed
// for a while so that readers who saw it learn that it is over. Its entry
// keeps the alert's id (the CAP document's URL) and is updated at the
// Cancel's sent time.
type Cancellation struct {
	Alert  *app.Alert // the message that was in force
	Cancel *app.Alert // the Cancel: its text, sent time and CAP document
}

// Atom category terms that mark an entry's state.
const (
	CategoryCancelled = "cancelled"
	CategoryAllClear  = "all-clear"
)

// atomFeed is the Atom <feed> element.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Link     []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entry    []atomEntry `xml:"entry"`
}

// atomEntry is one <entry>: one alert.
type atomEntry struct {
	ID        string         `xml:"id"`
	Title     atomText       `xml:"title"`
	Updated   string         `xml:"updated"`
	Published string         `xml:"published"`
	Summary   *atomText      `xml:"summary"`
	Link      []atomLink     `xml:"link"`
	Category  []atomCategory `xml:"category"`
}

// atomText is a plain-text construct, with its own language when it is
// not the feed's.
type atomText struct {
	Type string `xml:"type,attr"`
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

// atomLink is a <link>.
type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

// atomPerson is an <author>.
type atomPerson struct {
	Name string `xml:"name"`
}

// atomCategory is a <category>.
type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// Feed writes alerts as an RFC 4287 Atom feed: one entry per alert, each
// linking its CAP document (rel="alternate", type application/cap+xml) and
// its page.
//
// Entries keep the order given (the caller passes the active alerts); each
// alert must have an identifier and a sent time (updated and published).
// o.SelfURL and o.CAPURL are required. Titles are headlines in o.Locale,
// falling back to the source locale (then marked with their own xml:lang);
// the summary is the instruction or else the description, in o.Locale if
// it has either, else in the source locale. A zero o.Updated becomes the
// newest sent time (the Unix epoch for an empty feed). The author is
// o.SenderName(o.Locale), or o.Sender.
func Feed(alerts []*app.Alert, o FeedOptions) ([]byte, error) {
	if o.SelfURL == "" || o.CAPURL == nil {
		return nil, fmt.Errorf("cap: feed: %w: SelfURL and CAPURL are required", errOptions)
	}
	f := atomFeed{
		Lang:  o.Locale,
		ID:    o.SelfURL,
		Title: atomText{Type: "text", Text: o.Title},
		Link:  []atomLink{{Rel: "self", Type: AtomContentType, Href: o.SelfURL}},
	}
	if o.Subtitle != "" {
		f.Subtitle = &atomText{Type: "text", Text: o.Subtitle}
	}
	if f.Author.Name = call1(o.SenderName, o.Locale); f.Author.Name == "" {
		f.Author.Name = o.Sender
	}
	updated := o.Updated
	for _, a := range alerts {
		e, err := entry(a, o)
		if err != nil {
			return nil, fmt.Errorf("cap: feed: %w", err)
		}
		f.Entry = append(f.Entry, e)
		if o.Updated.IsZero() && a.Sent.After(updated) {
			updated = a.Sent
		}
	}
	for _, x := range o.Cancelled {
		e, err := cancelledEntry(x, o)
		if err != nil {
			return nil, fmt.Errorf("cap: feed: %w", err)
		}
		f.Entry = append(f.Entry, e)
		if o.Updated.IsZero() && x.Cancel.Sent.After(updated) {
			updated = x.Cancel.Sent
		}
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0).UTC()
	}
	f.Updated = atomTime(updated)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cap: feed: %w", err)
	}
	return append(append([]byte(xml.Header), out...), '\n'), nil
}

// entry is the feed entry of one alert.
func entry(a *app.Alert, o FeedOptions) (atomEntry, error) {
	switch {
	case a == nil:
		return atomEntry{}, fmt.Errorf("nil alert")
	case !app.ValidAlertIdentifier(a.Identifier):
		return atomEntry{}, fmt.Errorf("alert %q: not an identifier", a.Identifier)
	case a.Sent.IsZero():
		return atomEntry{}, fmt.Errorf("alert %q: not sent", a.Identifier)
	case checkYear(a.Sent) != nil:
		return atomEntry{}, fmt.Errorf("alert %q: %w", a.Identifier, checkYear(a.Sent))
	}
	capURL := o.CAPURL(a.Identifier)
	headline, lang := localized(a.Headline, o.Locale, a.SourceLocale)
	if a.AllClear && o.AllClearTitle != nil {
		headline = o.AllClearTitle(headline, lang)
	}
	if a.Status == "Exercise" && o.DrillTitle != nil {
		headline = o.DrillTitle(headline, lang)
	}
	e := atomEntry{
		ID:        capURL,
		Title:     atomText{Type: "text", Lang: otherLang(lang, o.Locale), Text: headline},
		Updated:   atomTime(a.Sent),
		Published: atomTime(a.Sent),
		Link:      []atomLink{{Rel: "alternate", Type: ContentType, Href: capURL}},
	}
	if s, l := summary(a, o.Locale); s != "" {
		e.Summary = &atomText{Type: "text", Lang: otherLang(l, o.Locale), Text: s}
	}
	if web := call2(o.Web, a.Identifier, o.Locale); web != "" {
		e.Link = append(e.Link, atomLink{Rel: "related", Type: "text/html", Href: web})
	}
	for _, c := range a.Categories {
		e.Category = append(e.Category, atomCategory{Term: c})
	}
	if a.AllClear {
		e.Category = append(e.Category, atomCategory{Term: CategoryAllClear})
	}
	return e, nil
}

// cancelledEntry is the entry of a cancelled alert: the alert's id and
// headline (labelled by o.CancelledTitle), the Cancel's text as summary,
// updated when the Cancel was sent, linking the Cancel's CAP document and
// page, with the category "cancelled" (and "all-clear" when the Cancel
// says so).
func cancelledEntry(x Cancellation, o FeedOptions) (atomEntry, error) {
	if x.Alert == nil || x.Cancel == nil {
		return atomEntry{}, fmt.Errorf("cancellation without alert or cancel")
	}
	c := x.Cancel
	e, err := entry(x.Alert, FeedOptions{Options: o.Options, Locale: o.Locale, CAPURL: o.CAPURL})
	if err != nil {
		return atomEntry{}, err
	}
	switch {
	case !app.ValidAlertIdentifier(c.Identifier):
		return atomEntry{}, fmt.Errorf("cancel %q: not an identifier", c.Identifier)
	case c.Sent.IsZero():
		return atomEntry{}, fmt.Errorf("cancel %q: not sent", c.Identifier)
	case checkYear(c.Sent) != nil:
		return atomEntry{}, fmt.Errorf("cancel %q: %w", c.Identifier, checkYear(c.Sent))
	}
	headline, lang := localized(x.Alert.Headline, o.Locale, x.Alert.SourceLocale)
	if o.CancelledTitle != nil {
		headline = o.CancelledTitle(headline, lang, c.AllClear)
	}
	if x.Alert.Status == "Exercise" && o.DrillTitle != nil {
		headline = o.DrillTitle(headline, lang)
	}
	e.Title = atomText{Type: "text", Lang: otherLang(lang, o.Locale), Text: headline}
	e.Updated = atomTime(c.Sent)
	e.Summary = nil
	for _, loc := range []string{o.Locale, c.SourceLocale} {
		if s, l := localized(c.Description, loc, loc); s != "" {
			e.Summary = &atomText{Type: "text", Lang: otherLang(l, o.Locale), Text: s}
			break
		}
	}
	if e.Summary == nil {
		if s, l := summary(c, o.Locale); s != "" {
			e.Summary = &atomText{Type: "text", Lang: otherLang(l, o.Locale), Text: s}
		}
	}
	capURL := o.CAPURL(c.Identifier)
	e.Link = []atomLink{{Rel: "alternate", Type: ContentType, Href: capURL},
		{Rel: "via", Type: ContentType, Href: o.CAPURL(x.Alert.Identifier)}}
	if web := call2(o.Web, c.Identifier, o.Locale); web != "" {
		e.Link = append(e.Link, atomLink{Rel: "related", Type: "text/html", Href: web})
	}
	e.Category = append([]atomCategory{{Term: CategoryCancelled}}, e.Category...)
	if c.AllClear && !x.Alert.AllClear {
		e.Category = append(e.Category, atomCategory{Term: CategoryAllClear})
	}
	return e, nil
}

// summary is what to do (the instruction) or else what happens (the
// description), preferring either in locale l to either in the source
// locale; lang is the locale of the text.
func summary(a *app.Alert, l string) (s, lang string) {
	for _, loc := range []string{l, a.SourceLocale} {
		for _, t := range []app.Text{a.Instruction, a.Description} {
			if s, lang = localized(t, loc, loc); s != "" {
				return s, lang
			}
		}
	}
	return "", ""
}

// otherLang is lang when it differs from the feed's locale, "" (inherit
// the feed's xml:lang) otherwise.
func otherLang(lang, feed string) string {
	if lang == feed {
		return ""
	}
	return lang
}
