package cap_test

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/cap"
)

// atomDate is an RFC 3339 date with seconds and a numeric offset.
var atomDate = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$`)

// atomDoc reads an Atom feed back, independently of the writer's types.
type atomDoc struct {
	XMLName xml.Name
	Lang    string     `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string     `xml:"id"`
	Title   atomText   `xml:"title"`
	Updated string     `xml:"updated"`
	Link    []atomLink `xml:"link"`
	Author  []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entry []struct {
		ID        string     `xml:"id"`
		Title     atomText   `xml:"title"`
		Updated   string     `xml:"updated"`
		Published string     `xml:"published"`
		Summary   *atomText  `xml:"summary"`
		Link      []atomLink `xml:"link"`
		Category  []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

func feedOptions(locale string) cap.FeedOptions {
	return cap.FeedOptions{
		Options: options(),
		Locale:  locale,
		Title:   "feed " + hostile,
		SelfURL: "https://beacon.example/feeds/alerts.atom?lang=" + locale + "&x=1",
		CAPURL:  func(id string) string { return "https://beacon.example/alerts/" + id + ".cap" },
		Updated: time.Date(2026, 3, 15, 1, 2, 3, 456, time.FixedZone("CST", 8*3600)),
	}
}

// mustParseFeed checks the feed is well-formed XML (xmllint) and reads it
// back with encoding/xml.
func mustParseFeed(t *testing.T, name string, feed []byte) atomDoc {
	t.Helper()
	xmllint(t, name+".atom", feed)
	var d atomDoc
	if err := xml.Unmarshal(feed, &d); err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, feed)
	}
	if d.XMLName.Space != cap.AtomNamespace || d.XMLName.Local != "feed" {
		t.Errorf("root = %v", d.XMLName)
	}
	return d
}

func TestFeed(t *testing.T) {
	severe := newAlert("storm-1", "Actual", "Alert", "north")
	drill := newAlert("drill-1", "Exercise", "Alert")
	drill.Sent = sent.Add(time.Hour)
	drill.Categories = []string{"Other"}
	update := newAlert("storm-1-update-1", "Actual", "Update")
	update.Sent = sent.Add(2 * time.Hour).In(time.FixedZone("CST", 8*3600))
	update.References = []string{severe.Identifier}
	alerts := []*app.Alert{update, severe, drill}

	for _, locale := range []string{"en", "ar", "zh-Hans", "fr"} {
		t.Run(locale, func(t *testing.T) {
			o := feedOptions(locale)
			feed, err := cap.Feed(alerts, o)
			if err != nil {
				t.Fatal(err)
			}
			mustNotContainMarkup(t, feed)
			d := mustParseFeed(t, "feed-"+locale, feed)
			if d.Lang != locale || d.ID != o.SelfURL || d.Title.Text != o.Title {
				t.Errorf("feed lang/id/title = %q %q %q", d.Lang, d.ID, d.Title.Text)
			}
			if d.Updated != "2026-03-15T01:02:03+08:00" {
				t.Errorf("feed updated = %q", d.Updated)
			}
			if len(d.Link) != 1 || d.Link[0] != (atomLink{"self", cap.AtomContentType, o.SelfURL}) {
				t.Errorf("feed links = %+v", d.Link)
			}
			if len(d.Author) != 1 || d.Author[0].Name != h("sender", locale) {
				t.Errorf("author = %+v", d.Author)
			}
			if len(d.Entry) != len(alerts) {
				t.Fatalf("%d entries, want %d", len(d.Entry), len(alerts))
			}
			for i, e := range d.Entry {
				a := alerts[i]
				capURL := "https://beacon.example/alerts/" + a.Identifier + ".cap"
				if e.ID != capURL {
					t.Errorf("entry %d id = %q (order must be kept)", i, e.ID)
				}
				wantLang, wantTitle := "", a.Headline[locale]
				if wantTitle == "" {
					wantLang, wantTitle = "en", a.Headline["en"]
				}
				if e.Title != (atomText{"text", wantLang, wantTitle}) {
					t.Errorf("entry %d title = %+v, want lang %q %q", i, e.Title, wantLang, wantTitle)
				}
				if !atomDate.MatchString(e.Updated) || e.Updated != e.Published ||
					e.Updated != a.Sent.Format("2006-01-02T15:04:05-07:00") || strings.HasSuffix(e.Updated, "Z") {
					t.Errorf("entry %d updated/published = %q / %q (sent %v)", i, e.Updated, e.Published, a.Sent)
				}
				// Summary: the instruction, else the description, in the
				// feed's language when it has either, else the source's.
				wantSummary := atomText{"text", "", a.Instruction[locale]}
				if wantSummary.Text == "" {
					wantSummary.Text = a.Description[locale]
				}
				if wantSummary.Text == "" {
					wantSummary = atomText{"text", "en", a.Instruction["en"]}
				}
				if locale == "en" {
					wantSummary.Lang = ""
				}
				if e.Summary == nil || *e.Summary != wantSummary {
					t.Errorf("entry %d summary = %+v, want %+v", i, e.Summary, wantSummary)
				}
				wantLinks := []atomLink{
					{"alternate", cap.ContentType, capURL},
					{"related", "text/html", "https://beacon.example/" + locale + "/alerts/" + a.Identifier + "?from=cap&x=%3Cscript%3E"},
				}
				if len(e.Link) != 2 || e.Link[0] != wantLinks[0] || e.Link[1] != wantLinks[1] {
					t.Errorf("entry %d links = %+v, want %+v", i, e.Link, wantLinks)
				}
				if i == 0 && e.Updated != "2026-03-14T19:26:53+08:00" || i == 1 && e.Updated != "2026-03-14T09:26:53+00:00" {
					t.Errorf("entry %d updated = %q: want the sent time's own offset, UTC as +00:00", i, e.Updated)
				}
				var terms []string
				for _, c := range e.Category {
					terms = append(terms, c.Term)
				}
				if strings.Join(terms, " ") != strings.Join(a.Categories, " ") {
					t.Errorf("entry %d categories = %v, want %v", i, terms, a.Categories)
				}
			}
		})
	}
}

// TestFeed_HostileTextRoundTrips: titles, summaries, the author and the
// feed title decode back to exactly what was written.
func TestFeed_HostileTextRoundTrips(t *testing.T) {
	a := newAlert("xss-feed", "Actual", "Alert")
	a.Instruction = nil
	a.Categories = []string{"CBRNE"}
	feed, err := cap.Feed([]*app.Alert{a}, feedOptions("ar"))
	if err != nil {
		t.Fatal(err)
	}
	mustNotContainMarkup(t, feed)
	d := mustParseFeed(t, "hostile", feed)
	e := d.Entry[0]
	for _, f := range []struct{ name, got, want string }{
		{"feed title", d.Title.Text, "feed " + hostile},
		{"author", d.Author[0].Name, h("sender", "ar")},
		{"title", e.Title.Text, a.Headline["ar"]},
		{"summary (en description: ar has none)", e.Summary.Text, a.Description["en"]},
	} {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if e.Summary.Lang != "en" || e.Title.Lang != "" {
		t.Errorf("summary lang %q (want en), title lang %q (want inherited)", e.Summary.Lang, e.Title.Lang)
	}
}

// TestFeed_Empty: no active alerts is still a well-formed feed; a zero
// Updated becomes the newest sent time.
func TestFeed_Empty(t *testing.T) {
	o := feedOptions("en")
	feed, err := cap.Feed(nil, o)
	if err != nil {
		t.Fatal(err)
	}
	d := mustParseFeed(t, "empty", feed)
	if len(d.Entry) != 0 || d.Updated != "2026-03-15T01:02:03+08:00" {
		t.Errorf("empty feed: %d entries, updated %q", len(d.Entry), d.Updated)
	}
	o.Updated = time.Time{}
	if d = mustParseFeed(t, "empty-no-updated", must(cap.Feed(nil, o))); !atomDate.MatchString(d.Updated) {
		t.Errorf("empty feed without Updated: updated %q", d.Updated)
	}
	old, recent := newAlert("a-old", "Actual", "Alert"), newAlert("a-new", "Actual", "Alert")
	recent.Sent = sent.Add(5 * time.Hour)
	d = mustParseFeed(t, "default-updated", must(cap.Feed([]*app.Alert{old, recent}, o)))
	if d.Updated != "2026-03-14T14:26:53+00:00" {
		t.Errorf("updated without Updated = %q, want the newest sent", d.Updated)
	}
}

// TestFeed_Options: DrillTitle labels Exercise titles only; bare options
// still give a well-formed feed with an author; missing URLs and unsent
// alerts are errors.
func TestFeed_Options(t *testing.T) {
	drill, real := newAlert("drill-2", "Exercise", "Alert"), newAlert("real-2", "Actual", "Alert")
	o := feedOptions("fr")
	o.DrillTitle = func(headline, locale string) string { return "[" + locale + " drill] " + headline }
	d := mustParseFeed(t, "drill", must(cap.Feed([]*app.Alert{drill, real}, o)))
	if got := d.Entry[0].Title; got.Text != "[en drill] "+drill.Headline["en"] || got.Lang != "en" {
		t.Errorf("drill title = %+v", got)
	}
	if got := d.Entry[1].Title.Text; got != real.Headline["en"] {
		t.Errorf("actual title = %q", got)
	}

	bare := cap.FeedOptions{Options: cap.Options{Sender: "beacon@localhost"}, SelfURL: "http://localhost/feeds/alerts.atom",
		CAPURL: func(id string) string { return "http://localhost/alerts/" + id + ".cap" }}
	d = mustParseFeed(t, "bare", must(cap.Feed([]*app.Alert{real}, bare)))
	if d.Author[0].Name != "beacon@localhost" || len(d.Entry[0].Link) != 1 || d.Lang != "" {
		t.Errorf("bare feed: author %q, links %+v, lang %q", d.Author[0].Name, d.Entry[0].Link, d.Lang)
	}

	for name, spoil := range map[string]func(*cap.FeedOptions, *app.Alert){
		"no self URL": func(o *cap.FeedOptions, _ *app.Alert) { o.SelfURL = "" },
		"no CAP URL":  func(o *cap.FeedOptions, _ *app.Alert) { o.CAPURL = nil },
		"unsent":      func(_ *cap.FeedOptions, a *app.Alert) { a.Sent = time.Time{} },
		"bad id":      func(_ *cap.FeedOptions, a *app.Alert) { a.Identifier = "a b" },
	} {
		o, a := feedOptions("en"), newAlert("e-1", "Actual", "Alert")
		spoil(&o, a)
		if feed, err := cap.Feed([]*app.Alert{a}, o); err == nil {
			t.Errorf("%s: no error; wrote:\n%s", name, feed)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
