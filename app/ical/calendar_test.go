package ical_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"beacon/app/ical"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Flood warning", "Flood warning"},
		{"specials", `a\b;c,d`, `a\\b\;c\,d`},
		{"newlines", "one\r\ntwo\nthree", `one\ntwo\nthree`},
		{"controls", "bell\x07 tab\t", "bell tab "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ical.Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWrite_FoldsWithoutSplittingCharacters(t *testing.T) {
	start := time.Date(2027, 4, 8, 0, 0, 0, 0, time.FixedZone("", 8*3600))
	for _, summary := range []string{strings.Repeat("é", 100), strings.Repeat("全", 100), strings.Repeat("ا", 100), strings.Repeat("a", 200), "😀" + strings.Repeat("x😀", 60)} {
		out, err := ical.Write(ical.Calendar{ProdID: "-//Test//EN", Events: []ical.Event{{UID: "u@x", Stamp: start, Start: start,
			End: start.Add(time.Hour), Summary: summary, Lang: "fr"}}})
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		var unfolded strings.Builder
		for i, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("line %d: %d octets, valid %v", i, len(l), utf8.ValidString(l))
			}
			if strings.HasPrefix(l, " ") {
				unfolded.WriteString(l[1:])
			} else {
				unfolded.WriteString("\n" + l)
			}
		}
		if !strings.Contains(unfolded.String(), "\nSUMMARY;LANGUAGE=fr:"+summary+"\n") {
			t.Errorf("summary does not unfold back: %q", unfolded.String())
		}
		if !strings.Contains(s, "\r\nDTSTART:20270407T160000Z\r\n") {
			t.Errorf("start not in UTC: %s", s)
		}
	}
}

func TestWrite_Refuses(t *testing.T) {
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		c    ical.Calendar
	}{
		{"no prodid", ical.Calendar{}},
		{"no uid", ical.Calendar{ProdID: "p", Events: []ical.Event{{Start: at, End: at.Add(time.Hour)}}}},
		{"backwards", ical.Calendar{ProdID: "p", Events: []ical.Event{{UID: "u", Start: at, End: at.Add(-time.Second)}}}},
		{"bad url", ical.Calendar{ProdID: "p", Events: []ical.Event{{UID: "u", Start: at, End: at.Add(time.Hour), URL: "http://x/a b"}}}},
	} {
		if _, err := ical.Write(tc.c); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestWrite_MomentHasNoEnd(t *testing.T) {
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	out, err := ical.Write(ical.Calendar{ProdID: "p", Events: []ical.Event{{UID: "u", Start: at, End: at, Cancelled: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); strings.Contains(s, "DTEND") || !strings.Contains(s, "\r\nSTATUS:CANCELLED\r\n") {
		t.Errorf("moment event:\n%s", s)
	}
}
