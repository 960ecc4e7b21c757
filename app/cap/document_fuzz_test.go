package cap_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/cap"
)

// pick returns values[i] for i < len(values) and other beyond, so that a
// fuzzed byte chooses a valid enumeration value most of the time and an
// arbitrary string the rest.
func pick(values []string, i byte, other string) string {
	if int(i) < len(values) {
		return values[i]
	}
	return other
}

// xmlText is s as an XML 1.0 document can carry it: what encoding/xml
// writes for characters XML cannot hold (invalid UTF-8, most control
// characters, U+FFFE, U+FFFF) is U+FFFD, as the cap package promises.
func xmlText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 || !inXMLRange(r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func inXMLRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// langTag is xs:language, which CAP's <language> must be.
var langTag = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)

// wellFormed reads doc token by token and fails unless it is one XML
// document with a single root element.
func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	roots, depth := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("%d root elements, depth %d at the end\n%s", roots, depth, doc)
	}
}

// sameTime fails unless s is the CAP form of want, to the second.
func sameTime(t *testing.T, field, s string, want time.Time) {
	t.Helper()
	got, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("%s %q is not a CAP dateTime: %v", field, s, err)
	}
	if !got.Equal(want.Truncate(time.Second)) {
		t.Fatalf("%s %q reads back as %v, want %v", field, s, got, want)
	}
}

// FuzzCAP builds alerts from fuzzed fields (enumerations mostly valid,
// texts, locales, region codes, times and offsets arbitrary) and writes
// them with cap.Document. An alert app.ValidateAlert refuses must be
// refused; one it accepts must be written (unless a locale is not a
// language tag or a time has no four-digit year, which Document refuses
// by its contract), as a well-formed document whose fields read back as
// the alert's, texts trimmed and with characters XML cannot carry replaced
// by U+FFFD. The Atom feed of the same alert must be well-formed too.
func FuzzCAP(f *testing.F) {
	seed := newAlert("storm-1", "Actual", "Alert", "NL-NH")
	f.Add("storm-1", []byte{0, 0, 0, 2, 1, 1, 1, 2}, "en", "ar", seed.Event["en"], seed.Headline["en"], seed.Description["en"],
		seed.Instruction["en"], seed.Headline["ar"], "NL-NH", "Beacon", seed.Effective.Unix(), seed.Expires.Unix(), sent.Unix(), int16(0))
	f.Add("drill-2026-emergency-warnings", []byte{1, 0, 0, 4, 1, 2, 1, 3}, "en", "zh-Hans", "Drill", "This is a drill",
		"", "  ", "演习", "", "Site & <Co>", int64(1775000000), int64(1775086400), int64(1774990000), int16(120))
	f.Add("x", []byte{4, 2, 0, 11, 4, 4, 4, 0}, "zh-Hans", "en", "\x00\x1f\ufffe", "\xff\xfe", "]]>", "\r\n\t", " ", "a b\x00",
		"", int64(-62135596800), int64(253402300799), int64(0), int16(-720))
	f.Add("y", []byte{9, 9, 9, 99, 9, 9, 9, 9}, "", "", "", "", "", "", "", "", "", int64(0), int64(0), int64(0), int16(0))
	f.Add("late", []byte{0, 0, 0, 0, 0, 0, 0, 0}, "en", "fr", "e", "h", "d", "i", "t", "r", "s",
		int64(253402300800), int64(253402387200), int64(1), int16(59))
	f.Fuzz(func(t *testing.T, id string, enums []byte, src, other, event, headline, description, instruction, otherHeadline,
		region, senderName string, effective, expires, sentAt int64, offsetMinutes int16) {
		enums = append(enums, make([]byte, 8)...)
		zone := time.FixedZone("", int(offsetMinutes)%(24*60)*60)
		a := &app.Alert{
			Identifier:   id,
			SourceLocale: src,
			Status:       pick(app.AlertStatuses, enums[0], "Bogus"),
			MsgType:      pick(app.AlertMsgTypes, enums[1], "Bogus"),
			Scope:        pick(app.AlertScopes, enums[2], "Private"),
			Categories:   []string{pick(app.AlertCategories, enums[3], "Bogus")},
			Urgency:      pick(app.AlertUrgencies, enums[4], ""),
			Severity:     pick(app.AlertSeverities, enums[5], ""),
			Certainty:    pick(app.AlertCertainties, enums[6], ""),
			Event:        app.Text{src: event},
			Headline:     app.Text{src: headline, other: otherHeadline},
			Description:  app.Text{src: description},
			Instruction:  app.Text{src: instruction},
			Effective:    time.Unix(effective, 0).In(zone),
			Expires:      time.Unix(expires, 0).In(zone),
			Sent:         time.Unix(sentAt, 0).UTC(),
			State:        app.AlertPublished,
		}
		if enums[7]%2 == 1 {
			a.Categories = append(a.Categories, pick(app.AlertCategories, enums[7]/2, "Bogus"))
		}
		if region != "" {
			a.Regions = []string{region}
		}
		o := cap.Options{
			Sender:     "beacon@beacon.example",
			SenderName: func(string) string { return senderName },
			Web:        func(id, l string) string { return "https://beacon.example/" + l + "/alerts/" + id },
			AreaName:   func(code, l string) string { return "" },
			Everyone:   func(l string) string { return "everyone/" + l },
		}
		doc, err := cap.Document(a, nil, o)
		if errs := app.ValidateAlert(a); len(errs) > 0 {
			if err == nil {
				t.Fatalf("Document wrote an alert ValidateAlert refuses (%v)", errs)
			}
			return
		}
		locales := a.AlertLocales()
		if err != nil {
			for _, l := range locales {
				if !langTag.MatchString(l) {
					return
				}
			}
			for _, tm := range []time.Time{a.Sent, a.Effective, a.Expires} {
				if y := tm.Year(); y < 0 || y > 9999 {
					return
				}
			}
			t.Fatalf("Document refused a valid alert: %v", err)
		}
		wellFormed(t, doc)
		var d capDoc
		if err := xml.Unmarshal(doc, &d); err != nil {
			t.Fatalf("does not decode: %v\n%s", err, doc)
		}
		if d.XMLName.Space != cap.Namespace || d.XMLName.Local != "alert" {
			t.Fatalf("root %v", d.XMLName)
		}
		if d.Identifier != a.Identifier || d.Sender != o.Sender || d.Status != a.Status || d.MsgType != a.MsgType || d.Scope != a.Scope {
			t.Fatalf("alert fields %+v do not match the alert", d)
		}
		sameTime(t, "sent", d.Sent, a.Sent)
		if len(d.Info) != len(locales) {
			t.Fatalf("%d <info> blocks for locales %v", len(d.Info), locales)
		}
		for i, in := range d.Info {
			l := locales[i]
			text := func(tx app.Text) string {
				if s := strings.TrimSpace(tx[l]); s != "" {
					return xmlText(s)
				}
				return xmlText(strings.TrimSpace(tx[a.SourceLocale]))
			}
			want := []string{l, text(a.Event), a.Urgency, a.Severity, a.Certainty, xmlText(senderName),
				text(a.Headline), text(a.Description), text(a.Instruction), o.Web(a.Identifier, l)}
			got := []string{in.Language, in.Event, in.Urgency, in.Severity, in.Certainty, in.SenderName,
				in.Headline, in.Description, in.Instruction, in.Web}
			if !slices.Equal(got, want) {
				t.Fatalf("info %s:\n got  %q\n want %q", l, got, want)
			}
			if !slices.Equal(in.Category, a.Categories) {
				t.Fatalf("info %s: categories %q, want %q", l, in.Category, a.Categories)
			}
			sameTime(t, "effective", in.Effective, a.Effective)
			sameTime(t, "expires", in.Expires, a.Expires)
			switch {
			case region != "":
				if len(in.Area) != 1 || in.Area[0].AreaDesc != xmlText(region) || len(in.Area[0].Geocode) != 1 ||
					in.Area[0].Geocode[0].ValueName != cap.RegionValueName || in.Area[0].Geocode[0].Value != xmlText(region) {
					t.Fatalf("info %s: areas %+v for region %q", l, in.Area, region)
				}
			case len(in.Area) != 1 || in.Area[0].AreaDesc != "everyone/"+l || len(in.Area[0].Geocode) != 0:
				t.Fatalf("info %s: areas %+v for everyone", l, in.Area)
			}
		}
		feed, err := cap.Feed([]*app.Alert{a}, cap.FeedOptions{Options: o, Locale: src, Title: "Alerts " + headline,
			SelfURL: "https://beacon.example/feeds/alerts.atom", CAPURL: func(id string) string { return "https://beacon.example/alerts/" + id + ".cap" }})
		if err != nil {
			t.Fatalf("Feed refused an alert Document wrote: %v", err)
		}
		wellFormed(t, feed)
	})
}
