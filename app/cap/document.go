package cap

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"beacon/app"
)

// Namespace is the XML namespace of CAP 1.2 documents.
const Namespace = "urn:oasis:names:tc:emergency:cap:1.2"

// RegionValueName is the <valueName> of the <geocode> that carries a
// Beacon region code in an <area>.
const RegionValueName = "beacon-region"

// capAlert is the CAP <alert> element. Field order is element order and
// follows the OASIS schema's sequence exactly; CAP elements Beacon does not
// issue (source, restriction, addresses, code, note, incidents) are left
// out.
type capAlert struct {
	XMLName    xml.Name  `xml:"urn:oasis:names:tc:emergency:cap:1.2 alert"`
	Identifier string    `xml:"identifier"`
	Sender     string    `xml:"sender"`
	Sent       string    `xml:"sent"`
	Status     string    `xml:"status"`
	MsgType    string    `xml:"msgType"`
	Scope      string    `xml:"scope"`
	References string    `xml:"references,omitempty"`
	Info       []capInfo `xml:"info"`
}

// capInfo is one <info> block: the alert in one language.
type capInfo struct {
	Language    string    `xml:"language"`
	Category    []string  `xml:"category"`
	Event       string    `xml:"event"`
	Response    []string  `xml:"responseType"` // AllClear on a message that stands people down
	Urgency     string    `xml:"urgency"`
	Severity    string    `xml:"severity"`
	Certainty   string    `xml:"certainty"`
	Effective   string    `xml:"effective,omitempty"`
	Expires     string    `xml:"expires,omitempty"`
	SenderName  string    `xml:"senderName,omitempty"`
	Headline    string    `xml:"headline,omitempty"`
	Description string    `xml:"description,omitempty"`
	Instruction string    `xml:"instruction,omitempty"`
	Web         string    `xml:"web,omitempty"`
	Area        []capArea `xml:"area"`
}

// capArea is one <area>: a Beacon region (its outer rings as polygons,
// its standard geocodes, then its code as Beacon's geocode), the circles
// the alert names, or the whole audience (no geocode). Field order is the
// schema's: areaDesc, polygon, circle, geocode.
type capArea struct {
	AreaDesc string       `xml:"areaDesc"`
	Polygon  []string     `xml:"polygon"`
	Circle   []string     `xml:"circle"`
	Geocode  []capGeocode `xml:"geocode"`
}

// capGeocode is a <geocode> valueName/value pair.
type capGeocode struct {
	ValueName string `xml:"valueName"`
	Value     string `xml:"value"`
}

// xsLanguage is the lexical space of xs:language (the type of <language>).
var xsLanguage = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)

// Document writes one alert as a CAP 1.2 XML document with one <info> per
// language the alert has (its source locale first). refs are the alerts it
// references (for <references>: "sender,identifier,sent" each).
//
// The alert must be valid (app.ValidateAlert) and sent (a.Sent set), with
// its times in years 0000 to 9999 (CAP's four-digit dateTime); each ref
// must have an identifier and such a sent time. Otherwise Document returns
// an error rather than a document the OASIS schema would reject. refs are
// written in the order given, all with o.Sender (Beacon references only its
// own messages). Texts missing in a language fall back to the source
// locale; empty optional elements are left out.
func Document(a *app.Alert, refs []*app.Alert, o Options) ([]byte, error) {
	if a == nil {
		return nil, fmt.Errorf("cap: document: %w: no alert", errOptions)
	}
	sender := senderOf(a, o)
	if err := checkSender(sender); err != nil {
		return nil, fmt.Errorf("cap: document %q: %w", a.Identifier, err)
	}
	if errs := app.ValidateAlert(a); len(errs) > 0 {
		return nil, fmt.Errorf("cap: document %q: %w", a.Identifier, errs)
	}
	if a.Sent.IsZero() {
		return nil, fmt.Errorf("cap: document %q: not sent (no <sent> time)", a.Identifier)
	}
	for _, t := range []time.Time{a.Sent, a.Effective, a.Expires} {
		if err := checkYear(t); err != nil {
			return nil, fmt.Errorf("cap: document %q: %w", a.Identifier, err)
		}
	}
	doc := capAlert{
		Identifier: a.Identifier,
		Sender:     sender,
		Sent:       FormatTime(a.Sent),
		Status:     a.Status,
		MsgType:    a.MsgType,
		Scope:      a.Scope,
	}
	var err error
	if doc.References, err = references(refs, o.Sender); err != nil {
		return nil, fmt.Errorf("cap: document %q: %w", a.Identifier, err)
	}
	// Each region's polygons are the same in every language: write them once.
	o.polygons = map[string][]string{}
	if o.Region != nil {
		for _, code := range a.Regions {
			if r := o.Region(code); r != nil {
				o.polygons[code] = polygons(r.Boundary)
			}
		}
	}
	for _, l := range a.AlertLocales() {
		if !xsLanguage.MatchString(l) {
			return nil, fmt.Errorf("cap: document %q: locale %q is not a language tag", a.Identifier, l)
		}
		doc.Info = append(doc.Info, info(a, l, o))
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cap: document %q: %w", a.Identifier, err)
	}
	return append(append([]byte(xml.Header), out...), '\n'), nil
}

// senderOf is the sender a was published with, else o.Sender (a message
// whose sender was not recorded).
func senderOf(a *app.Alert, o Options) string {
	if a.Sender != "" {
		return a.Sender
	}
	return o.Sender
}

// references writes CAP <references>: "sender,identifier,sent" per ref,
// separated by spaces ("" for none); each with the sender it was published
// with, else sender.
func references(refs []*app.Alert, sender string) (string, error) {
	parts := make([]string, 0, len(refs))
	for _, r := range refs {
		switch {
		case r == nil:
			return "", fmt.Errorf("nil reference")
		case !app.ValidAlertIdentifier(r.Identifier):
			return "", fmt.Errorf("reference %q: not an identifier", r.Identifier)
		case r.Sent.IsZero():
			return "", fmt.Errorf("reference %q: not sent (no <sent> time)", r.Identifier)
		case checkYear(r.Sent) != nil:
			return "", fmt.Errorf("reference %q: %w", r.Identifier, checkYear(r.Sent))
		}
		s := sender
		if r.Sender != "" {
			s = r.Sender
		}
		if err := checkSender(s); err != nil {
			return "", fmt.Errorf("reference %q: %w", r.Identifier, err)
		}
		parts = append(parts, s+","+r.Identifier+","+FormatTime(r.Sent))
	}
	return strings.Join(parts, " "), nil
}

// info is the alert's <info> block in locale l.
func info(a *app.Alert, l string, o Options) capInfo {
	text := func(t app.Text) string { s, _ := localized(t, l, a.SourceLocale); return s }
	in := capInfo{
		Language:    l,
		Category:    a.Categories,
		Event:       text(a.Event),
		Urgency:     a.Urgency,
		Severity:    a.Severity,
		Certainty:   a.Certainty,
		SenderName:  call1(o.SenderName, l),
		Headline:    text(a.Headline),
		Description: text(a.Description),
		Instruction: text(a.Instruction),
		Web:         call2(o.Web, a.Identifier, l),
	}
	if a.AllClear {
		in.Response = []string{"AllClear"}
	}
	if !a.Effective.IsZero() {
		in.Effective = FormatTime(a.Effective)
	}
	if !a.Expires.IsZero() {
		in.Expires = FormatTime(a.Expires)
	}
	for _, code := range a.Regions {
		name := call2(o.AreaName, code, l)
		if name == "" {
			name = code
		}
		area := capArea{AreaDesc: name}
		if o.Region != nil {
			if r := o.Region(code); r != nil {
				area.Polygon = o.polygons[code]
				if o.polygons == nil {
					area.Polygon = polygons(r.Boundary)
				}
				for _, g := range r.Geocodes {
					area.Geocode = append(area.Geocode, capGeocode{ValueName: g.Name, Value: g.Value})
				}
			}
		}
		area.Geocode = append(area.Geocode, capGeocode{ValueName: RegionValueName, Value: code})
		in.Area = append(in.Area, area)
	}
	if len(a.Circles) > 0 {
		name := call1(o.CircleArea, l)
		if name == "" {
			name = in.Event
		}
		area := capArea{AreaDesc: name}
		for _, c := range a.Circles {
			area.Circle = append(area.Circle, formatCircle(c))
		}
		in.Area = append(in.Area, area)
	}
	if len(a.Regions) == 0 && len(a.Circles) == 0 {
		if name := call1(o.Everyone, l); name != "" {
			in.Area = []capArea{{AreaDesc: name}}
		}
	}
	return in
}

// polygons writes each outer ring of g as a CAP <polygon>: "lat,lon"
// pairs separated by spaces, the first equal to the last. CAP has no holes:
// inner rings are left out. A ring CAP would refuse (under 4 positions,
// or open) is left out too; validated boundaries have none.
func polygons(g *app.Geometry) []string {
	if g == nil {
		return nil
	}
	var out []string
	for _, p := range g.Polygons {
		if len(p) == 0 || len(p[0]) < 4 || p[0][0] != p[0][len(p[0])-1] {
			continue
		}
		pairs := make([]string, 0, len(p[0]))
		for _, pos := range p[0] {
			pairs = append(pairs, formatDegrees(pos.Lat())+","+formatDegrees(pos.Lon()))
		}
		out = append(out, strings.Join(pairs, " "))
	}
	return out
}

// formatCircle writes a CAP <circle>: "lat,lon radius" (radius in km).
func formatCircle(c app.AlertCircle) string {
	return formatDegrees(c.Lat) + "," + formatDegrees(c.Lon) + " " + formatDegrees(c.RadiusKm)
}

// formatDegrees writes a number as the shortest plain decimal that reads
// back the same (no exponent, which CAP's "WGS 84 decimal" does not allow).
func formatDegrees(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// localized returns t in locale l, trimmed, falling back to the source
// locale when l has no text (or only spaces); lang is the locale of the
// text returned.
func localized(t app.Text, l, source string) (s, lang string) {
	if s = strings.TrimSpace(t[l]); s != "" {
		return s, l
	}
	return strings.TrimSpace(t[source]), source
}
