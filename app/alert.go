package app

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CAP 1.2 enumerations (OASIS Common Alerting Protocol), as the pack format
// and the admin forms spell them.
var (
	// AlertStatuses are CAP <status> values.
	AlertStatuses = []string{"Actual", "Exercise", "System", "Test", "Draft"}
	// AlertMsgTypes are CAP <msgType> values Beacon issues.
	AlertMsgTypes = []string{"Alert", "Update", "Cancel"}
	// AlertScopes are the CAP <scope> values Beacon issues. CAP also knows
	// Restricted and Private, but those need a <restriction> rule or an
	// <addresses> list of recipients; a public education site warns the
	// public, so Beacon writes and imports only Public alerts.
	AlertScopes = []string{"Public"}
	// AlertCategories are CAP <category> values.
	AlertCategories = []string{"Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"}
	// AlertUrgencies are CAP <urgency> values, most urgent first.
	AlertUrgencies = []string{"Immediate", "Expected", "Future", "Past", "Unknown"}
	// AlertSeverities are CAP <severity> values, most severe first.
	AlertSeverities = []string{"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
	// AlertCertainties are CAP <certainty> values, most certain first.
	AlertCertainties = []string{"Observed", "Likely", "Possible", "Unlikely", "Unknown"}
)

// Alert states in the admin area: written and translated as a draft, sent
// to review when four-eyes is on, then published (and never edited again:
// a change is a new Update message, a withdrawal a new Cancel message).
const (
	AlertDraft     = "draft"
	AlertInReview  = "in_review"
	AlertPublished = "published"
)

// AlertLesson is the lesson an alert points at ("learn what to do").
type AlertLesson struct {
	Course string `json:"course"`
	Lesson string `json:"lesson"`
}

// Alert is one CAP 1.2 message: a public risk warning in several languages,
// for everyone or for some regions, optionally linked to a lesson.
// Identifier is unique and never changes; an Update or Cancel message has
// its own identifier and names the messages it replaces in References.
type Alert struct {
	ID           int64        `json:"-"`
	Identifier   string       `json:"identifier"`
	SourceLocale string       `json:"source_locale"`
	Status       string       `json:"status"`
	MsgType      string       `json:"msg_type"`
	Scope        string       `json:"scope"`
	Categories   []string     `json:"category"`
	Urgency      string       `json:"urgency"`
	Severity     string       `json:"severity"`
	Certainty    string       `json:"certainty"`
	Event        Text         `json:"event"`
	Headline     Text         `json:"headline"`
	Description  Text         `json:"description"`
	Instruction  Text         `json:"instruction"`
	Effective    time.Time    `json:"effective"`
	Expires      time.Time    `json:"expires"`
	Regions      []string     `json:"regions"`
	Lesson       *AlertLesson `json:"lesson,omitempty"`
	// References are the identifiers of the messages this Update or Cancel
	// replaces (CAP writes each as "sender,identifier,sent").
	References []string `json:"references,omitempty"`
	// Circles are areas the alert names besides its regions (CAP <circle>).
	Circles []AlertCircle `json:"circles,omitempty"`
	// Sender is the CAP <sender> the alert was published with, kept so
	// that its document and later references never change with the
	// site's settings ("" before publication, and for messages whose
	// sender was not recorded: the current one stands in).
	Sender string `json:"-"`
	// WebBase is the site address the alert's <web> links were made with
	// when it was published ("" when the site had none configured).
	WebBase string `json:"-"`
	// AllClear says the danger is over (CAP <responseType>AllClear): set
	// on an Update or Cancel that tells people they can stand down.
	AllClear bool `json:"all_clear,omitempty"`
	// State is draft, in_review or published; Sent is when it was
	// published (CAP <sent>), zero before.
	State string    `json:"-"`
	Sent  time.Time `json:"-"`
	// SupersededBy is the identifier of the published Update or Cancel
	// that replaced this alert ("" while it stands).
	SupersededBy string `json:"-"`
	// AuthorID is the account that wrote the alert (four-eyes: another
	// organizer publishes it).
	AuthorID  int64     `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// AlertCircle is a circle an alert covers: its centre (WGS84 degrees) and
// radius in kilometres, as CAP <circle> writes it.
type AlertCircle struct {
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	RadiusKm float64 `json:"radius_km"`
}

// Circle limits.
const (
	// MaxAlertCircles bounds the circles of one alert.
	MaxAlertCircles = 20
	// MaxCircleRadiusKm bounds a circle's radius: half the Earth's
	// circumference.
	MaxCircleRadiusKm = 20037.5
)

// Valid reports whether the circle has a centre on Earth and a radius
// above zero and at most MaxCircleRadiusKm.
func (c AlertCircle) Valid() bool {
	return c.Lat >= -90 && c.Lat <= 90 && c.Lon >= -180 && c.Lon <= 180 && c.RadiusKm > 0 && c.RadiusKm <= MaxCircleRadiusKm
}

// ValidCAPSender reports whether s can stand as a CAP <sender> (and
// inside <references>): not empty, at most 200 bytes, no spaces, commas,
// control characters or the XML specials < and &, as CAP 1.2 requires.
func ValidCAPSender(s string) bool {
	if s == "" || len(s) > 200 || !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == ',' || r == '<' || r == '&' || r == '\uFFFE' || r == '\uFFFF'
	}) < 0
}

// alertIdentifier is what Beacon accepts as a CAP identifier: CAP forbids
// spaces, commas and the XML specials < and &; Beacon also keeps it to
// letters, digits, hyphens and underscores so it can stand in paths
// (/alerts/{identifier}.cap).
var alertIdentifier = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)

// ValidAlertIdentifier reports whether s can name an alert.
func ValidAlertIdentifier(s string) bool { return alertIdentifier.MatchString(s) }

// AlertEnum reports whether v is one of the values.
func AlertEnum(values []string, v string) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}

// rank is v's position in values (most severe/urgent first), len(values)
// when absent.
func rank(values []string, v string) int {
	for i, x := range values {
		if x == v {
			return i
		}
	}
	return len(values)
}

// Public reports whether citizens see the alert at all: only Actual
// alerts and Exercise drills (shown as drills) reach the public site; CAP
// System, Test and Draft messages are for other systems and operators.
func (a *Alert) Public() bool {
	return a.State == AlertPublished && (a.Status == "Actual" || a.Status == "Exercise")
}

// Active reports whether the alert is in force at now: published, public,
// not a Cancel, not replaced by a later message, effective and not expired.
func (a *Alert) Active(now time.Time) bool {
	return a.Public() && a.MsgType != "Cancel" && a.SupersededBy == "" &&
		!now.Before(a.Effective) && now.Before(a.Expires)
}

// Covers reports whether the alert reaches someone in the region whose
// code and ancestors' codes are chain (nil for a visitor with no region):
// an alert without regions covers everyone; one with regions covers
// people in those regions and their parts.
func (a *Alert) Covers(chain []string) bool {
	if len(a.Regions) == 0 {
		return true
	}
	for _, r := range a.Regions {
		for _, c := range chain {
			if r == c {
				return true
			}
		}
	}
	return false
}

// SortAlerts orders alerts most severe first, then most urgent, then most
// certain, then the newest.
func SortAlerts(as []*Alert) {
	sort.SliceStable(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if x, y := rank(AlertSeverities, a.Severity), rank(AlertSeverities, b.Severity); x != y {
			return x < y
		}
		if x, y := rank(AlertUrgencies, a.Urgency), rank(AlertUrgencies, b.Urgency); x != y {
			return x < y
		}
		if x, y := rank(AlertCertainties, a.Certainty), rank(AlertCertainties, b.Certainty); x != y {
			return x < y
		}
		if !a.Effective.Equal(b.Effective) {
			return a.Effective.After(b.Effective)
		}
		return a.Identifier < b.Identifier
	})
}

// AlertFields lists the translated fields of an alert, by key, for the
// translation editor and coverage.
func (a *Alert) AlertFields() []Field {
	ensure := func(t *Text) Text {
		if *t == nil {
			*t = Text{}
		}
		return *t
	}
	return []Field{{"event", "line", ensure(&a.Event)}, {"headline", "line", ensure(&a.Headline)},
		{"description", "text", ensure(&a.Description)}, {"instruction", "text", ensure(&a.Instruction)}}
}

// AlertLocales lists the locales in which the alert has a headline, the
// source locale first: each becomes one CAP <info> block.
func (a *Alert) AlertLocales() []string {
	out := []string{a.SourceLocale}
	for _, l := range a.Headline.Locales() {
		if l != a.SourceLocale && strings.TrimSpace(a.Headline[l]) != "" {
			out = append(out, l)
		}
	}
	return out
}

// ValidateAlert checks an alert's fields as the pack format and the admin
// forms require: identifier, CAP enumerations, at least one category, the
// event and headline in the source locale, effective before expires. It
// returns field errors (Field = the form field: "identifier", "status",
// "msg_type", "scope", "category", "urgency", "severity", "certainty",
// "event", "headline", "effective", "expires", "circles": more than
// MaxAlertCircles, or one not AlertCircle.Valid) with message ids
// "admin.alerts.error.<field>".
func ValidateAlert(a *Alert) FieldErrors {
	var errs FieldErrors
	add := func(field string) { errs = append(errs, FieldError(field, "admin.alerts.error."+field)) }
	if !ValidAlertIdentifier(a.Identifier) {
		add("identifier")
	}
	if !AlertEnum(AlertStatuses, a.Status) {
		add("status")
	}
	if !AlertEnum(AlertMsgTypes, a.MsgType) {
		add("msg_type")
	}
	if !AlertEnum(AlertScopes, a.Scope) {
		add("scope")
	}
	if len(a.Categories) == 0 {
		add("category")
	}
	for _, c := range a.Categories {
		if !AlertEnum(AlertCategories, c) {
			add("category")
			break
		}
	}
	if !AlertEnum(AlertUrgencies, a.Urgency) {
		add("urgency")
	}
	if !AlertEnum(AlertSeverities, a.Severity) {
		add("severity")
	}
	if !AlertEnum(AlertCertainties, a.Certainty) {
		add("certainty")
	}
	if strings.TrimSpace(a.Event[a.SourceLocale]) == "" {
		add("event")
	}
	if strings.TrimSpace(a.Headline[a.SourceLocale]) == "" {
		add("headline")
	}
	if a.Effective.IsZero() {
		add("effective")
	}
	if a.Expires.IsZero() || !a.Expires.After(a.Effective) {
		add("expires")
	}
	if len(a.Circles) > MaxAlertCircles {
		add("circles")
	} else {
		for _, c := range a.Circles {
			if !c.Valid() {
				add("circles")
				break
			}
		}
	}
	return errs
}
