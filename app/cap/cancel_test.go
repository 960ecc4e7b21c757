package cap_test

import (
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/cap"
)

func TestDocument_AllClear(t *testing.T) {
	a := newAlert("storm-cancel", "Actual", "Cancel", "north")
	a.AllClear = true
	doc := must(cap.Document(a, []*app.Alert{newAlert("storm", "Actual", "Alert")}, options()))
	mustValidateCAP(t, "all-clear", doc)
	if n := strings.Count(string(doc), "<responseType>AllClear</responseType>"); n != len(a.AlertLocales()) {
		t.Errorf("%d responseType elements, want one per info block:\n%s", n, doc)
	}
	a.AllClear = false
	if doc := must(cap.Document(a, []*app.Alert{newAlert("storm", "Actual", "Alert")}, options())); strings.Contains(string(doc), "responseType") {
		t.Error("a message without all clear has a responseType")
	}
}

func TestFeed_Cancelled(t *testing.T) {
	active := newAlert("flood", "Actual", "Alert")
	gone := newAlert("storm", "Exercise", "Alert")
	cancel := newAlert("storm-cancel", "Exercise", "Cancel")
	cancel.Sent = sent.Add(time.Hour)
	cancel.Description = app.Text{"en": "Withdrawn: " + hostile, "ar": "سُحب"}
	cancel.AllClear = true
	o := feedOptions("ar")
	o.Updated = time.Time{}
	o.Subtitle = "kept 48 h"
	o.Cancelled = []cap.Cancellation{{Alert: gone, Cancel: cancel}}
	o.CancelledTitle = func(headline, locale string, allClear bool) string {
		if allClear {
			return "ALL CLEAR " + locale + ": " + headline
		}
		return "CANCELLED " + locale + ": " + headline
	}
	o.DrillTitle = func(headline, locale string) string { return "DRILL " + headline }
	d := mustParseFeed(t, "cancelled", must(cap.Feed([]*app.Alert{active}, o)))
	if len(d.Entry) != 2 {
		t.Fatalf("%d entries", len(d.Entry))
	}
	e := d.Entry[1]
	if e.ID != "https://beacon.example/alerts/storm.cap" {
		t.Errorf("cancelled entry id %q: want the cancelled alert's", e.ID)
	}
	if want := "DRILL ALL CLEAR ar: " + gone.Headline["ar"]; e.Title.Text != want {
		t.Errorf("title %q, want %q", e.Title.Text, want)
	}
	if e.Summary == nil || e.Summary.Text != "سُحب" || e.Updated != "2026-03-14T10:26:53+00:00" || e.Published != "2026-03-14T09:26:53+00:00" {
		t.Errorf("summary %+v updated %q published %q", e.Summary, e.Updated, e.Published)
	}
	terms := ""
	for _, c := range e.Category {
		terms += c.Term + " "
	}
	if !strings.HasPrefix(terms, cap.CategoryCancelled+" ") || !strings.Contains(terms, cap.CategoryAllClear+" ") {
		t.Errorf("categories %q", terms)
	}
	links := map[string]string{}
	for _, l := range e.Link {
		links[l.Rel] = l.Href
	}
	if links["alternate"] != "https://beacon.example/alerts/storm-cancel.cap" || links["via"] != "https://beacon.example/alerts/storm.cap" {
		t.Errorf("links %v", links)
	}
	// With no Updated given, the feed's is the newest change it shows.
	if d.Updated != "2026-03-14T10:26:53+00:00" {
		t.Errorf("feed updated %q", d.Updated)
	}
}
