package web_test

import (
	"context"
	"mime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"beacon/app"

	ics "github.com/arran4/golang-ical"
)

// Long texts in scripts of several bytes per character, with the TEXT
// specials, so that folding and escaping are both exercised.
const (
	calendarTitleAr = "اليوم الوطني للتوعية بالأمن: تعلّم كيف تحمي نفسك وعائلتك، وجيرانك؛ في المنزل وعلى الإنترنت وفي الشارع"
	calendarTitleZh = "全民国家安全教育日：学习如何在家中、网上和街头保护自己、家人和邻居；每一个人都可以参与"
	calendarDescAr  = "دروس قصيرة، واختبارات\nوشهادات \\ للجميع"
)

// getCalendar fetches an iCalendar file, checks its transport and its
// lines (CRLF, at most 75 octets, no split UTF-8 sequence), and parses it
// with an independent parser.
func getCalendar(t *testing.T, c *client, target string) (*ics.Calendar, *response) {
	t.Helper()
	r := c.get(target)
	c.mustStatus(r, 200)
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "text/calendar" || params["charset"] != "utf-8" {
		t.Fatalf("%s Content-Type %q", target, r.Header.Get("Content-Type"))
	}
	if !strings.HasSuffix(r.Body, "\r\n") {
		t.Fatalf("%s does not end with CRLF", target)
	}
	lines := strings.Split(strings.TrimSuffix(r.Body, "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare line break: %q", i, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded == 0 {
		t.Errorf("%s: no line was folded; the test texts are meant to need it", target)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("%s does not parse: %v\n%s", target, err, r.Body)
	}
	props := map[string]string{}
	for _, p := range cal.CalendarProperties {
		props[p.IANAToken] = p.Value
	}
	if props["VERSION"] != "2.0" || props["METHOD"] != "PUBLISH" || props["PRODID"] == "" {
		t.Errorf("%s calendar properties %v", target, props)
	}
	if n := len(cal.Events()); n != 1 {
		t.Fatalf("%s: %d events", target, n)
	}
	return cal, r
}

// eventProp is an event property's value, TEXT escapes undone.
func eventProp(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return ics.FromText(v.Value)
	}
	return ""
}

// eventTimes checks an event's DTSTART and DTEND in UTC form and its DTSTAMP.
func eventTimes(t *testing.T, e *ics.VEvent, start, end time.Time) {
	t.Helper()
	for _, x := range []struct {
		p    ics.ComponentProperty
		want time.Time
	}{{ics.ComponentPropertyDtStart, start}, {ics.ComponentPropertyDtEnd, end}} {
		v := e.GetProperty(x.p)
		if v == nil || v.Value != x.want.UTC().Format("20060102T150405Z") {
			t.Errorf("%s = %v, want %s in UTC", x.p, v, x.want.UTC())
		}
	}
	if got, err := e.GetStartAt(); err != nil || !got.Equal(start) {
		t.Errorf("parsed start %s (%v), want %s", got, err, start)
	}
	if v := e.GetProperty(ics.ComponentPropertyDtstamp); v == nil || !strings.HasSuffix(v.Value, "Z") {
		t.Errorf("DTSTAMP %v", v)
	}
}

func TestCalendarCampaign(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *testServer) {
		ctx := context.Background()
		const slug = "security-education-day-2027"
		if err := srv.Store.UpdateCampaign(ctx, nil, slug, "campaign:translate", func(c *app.Campaign, _ time.Time) error {
			c.Title["ar"], c.Title["zh-Hans"], c.Description["ar"] = calendarTitleAr, calendarTitleZh, calendarDescAr
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		srv.InvalidateAlerts()
		cp, err := srv.Store.FindCampaign(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		c := srv.client(t)
		for _, tc := range []struct{ lang, title, desc string }{
			{"ar", calendarTitleAr, calendarDescAr},
			{"zh-Hans", calendarTitleZh, cp.Description["zh-Hans"]},
			{"en", cp.Title["en"], cp.Description["en"]},
		} {
			page := c.get("/" + tc.lang + "/campaigns/" + slug)
			href := page.Doc.Find("a.calendar-link").AttrOr("href", "")
			if href != "/"+tc.lang+"/campaigns/"+slug+"/calendar.ics" {
				t.Fatalf("%s landing page calendar link %q", tc.lang, href)
			}
			cal, r := getCalendar(t, c, href)
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
				t.Errorf("%s calendar Cache-Control %q, want cacheable like the page", tc.lang, cc)
			}
			e := cal.Events()[0]
			if got := eventProp(e, ics.ComponentPropertyUniqueId); got != "campaign-"+slug+"@localhost" {
				t.Errorf("UID %q", got)
			}
			if got := eventProp(e, ics.ComponentPropertySummary); got != tc.title {
				t.Errorf("%s SUMMARY %q, want %q", tc.lang, got, tc.title)
			}
			if got := eventProp(e, ics.ComponentPropertyDescription); got != tc.desc {
				t.Errorf("%s DESCRIPTION %q, want %q", tc.lang, got, tc.desc)
			}
			if got := eventProp(e, ics.ComponentPropertyUrl); got != "http://localhost/"+tc.lang+"/campaigns/"+slug {
				t.Errorf("%s URL %q", tc.lang, got)
			}
			eventTimes(t, e, cp.Starts, cp.Ends)
			if got := e.GetProperty(ics.ComponentPropertySummary).ICalParameters["LANGUAGE"]; len(got) != 1 || got[0] != tc.lang {
				t.Errorf("%s SUMMARY LANGUAGE %v", tc.lang, got)
			}
		}
		if r := c.get("/en/campaigns/no-such-campaign/calendar.ics"); r.Status != 404 {
			t.Errorf("unknown campaign calendar: %d", r.Status)
		}
		// Closed before it began: a cancelled moment at the planned start.
		closed := time.Now().UTC()
		if err := srv.Store.UpdateCampaign(ctx, nil, slug, "campaign:close", func(c *app.Campaign, now time.Time) error {
			c.Ends, c.ClosedAt = closed, &closed
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		srv.InvalidateAlerts()
		cal, _ := getCalendar(t, srv.client(t), "/ar/campaigns/"+slug+"/calendar.ics")
		e := cal.Events()[0]
		if e.GetProperty(ics.ComponentPropertyDtEnd) != nil || eventProp(e, ics.ComponentPropertyStatus) != "CANCELLED" {
			t.Errorf("campaign closed before its start: DTEND %v STATUS %q", e.GetProperty(ics.ComponentPropertyDtEnd), eventProp(e, ics.ComponentPropertyStatus))
		}
	})
}

func TestCalendarAlert(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *testServer) {
		a := srv.publishAlert(t, alertFixture("typhoon", func(a *app.Alert) {
			a.Headline["zh-Hans"], a.Headline["ar"] = calendarTitleZh, calendarTitleAr
			a.Instruction["zh-Hans"] = "留在室内，关好门窗；不要外出"
		}))
		c := srv.client(t)
		page := c.get("/zh-Hans/alerts/typhoon")
		href := page.Doc.Find("a.calendar-link").AttrOr("href", "")
		if href != "/zh-Hans/alerts/typhoon/calendar.ics" {
			t.Fatalf("alert page calendar link %q", href)
		}
		cal, _ := getCalendar(t, c, href)
		e := cal.Events()[0]
		if got := eventProp(e, ics.ComponentPropertySummary); got != a.Headline["zh-Hans"] {
			t.Errorf("SUMMARY %q", got)
		}
		if got := eventProp(e, ics.ComponentPropertyDescription); got != "留在室内，关好门窗；不要外出" {
			t.Errorf("DESCRIPTION %q", got)
		}
		if got := eventProp(e, ics.ComponentPropertyUrl); got != "http://localhost/zh-Hans/alerts/typhoon" {
			t.Errorf("URL %q", got)
		}
		if got := eventProp(e, ics.ComponentPropertyUniqueId); got != "alert-typhoon@localhost" {
			t.Errorf("UID %q", got)
		}
		eventTimes(t, e, a.Effective, a.Expires)

		cal, _ = getCalendar(t, c, "/ar/alerts/typhoon/calendar.ics")
		if got := eventProp(cal.Events()[0], ics.ComponentPropertySummary); got != calendarTitleAr {
			t.Errorf("ar SUMMARY %q", got)
		}
		// The same UID in every language; a cancelled alert's event says so.
		srv.followUp(t, "typhoon", "Cancel", "typhoon-cancel", nil)
		cal, _ = getCalendar(t, c, "/ar/alerts/typhoon/calendar.ics")
		e = cal.Events()[0]
		if eventProp(e, ics.ComponentPropertyUniqueId) != "alert-typhoon@localhost" || eventProp(e, ics.ComponentPropertyStatus) != "CANCELLED" {
			t.Errorf("cancelled alert event: UID %q STATUS %q", eventProp(e, ics.ComponentPropertyUniqueId), eventProp(e, ics.ComponentPropertyStatus))
		}
		// Not public: 404.
		srv.publishAlert(t, alertFixture("typhoon-test", func(a *app.Alert) { a.Status = "Test" }))
		if r := c.get("/en/alerts/typhoon-test/calendar.ics"); r.Status != 404 {
			t.Errorf("Test alert calendar: %d", r.Status)
		}
	})
}
