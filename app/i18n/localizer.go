package i18n

import (
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Localizer translates message ids and formats values for one locale.
type Localizer struct {
	locale string
	dir    string
	loc    *goi18n.Localizer
}

// Locale is the BCP 47 tag of the localizer, as used in URLs.
func (l *Localizer) Locale() string { return l.locale }

// Dir is "ltr" or "rtl".
func (l *Localizer) Dir() string { return l.dir }

// T returns the message id translated; data fills {{.Name}} placeholders.
// A missing id returns the id itself, which the catalog tests forbid.
func (l *Localizer) T(id string, data map[string]any) string {
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil || s == "" {
		return id
	}
	return s
}

// N returns the plural form of id for count (CLDR rules); {{.Count}} is the
// formatted count.
func (l *Localizer) N(id string, count int, data map[string]any) string {
	d := map[string]any{"Count": l.Number(count)}
	for k, v := range data {
		d[k] = v
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
	if err != nil || s == "" {
		return id
	}
	return s
}

// Number formats an integer with the locale's grouping.
func (l *Localizer) Number(n int) string {
	return message.NewPrinter(language.Make(l.locale)).Sprintf("%d", n)
}

// Percent formats a whole percentage the locale's way.
func (l *Localizer) Percent(p int) string {
	return l.T("format.percent", map[string]any{"Value": l.Number(p)})
}

// Date formats a day the locale's way, as its catalog says (format.date
// holds a Go layout).
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(l.T("format.date_layout", nil))
}

// DateTime formats a moment with its clock time and zone offset.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(l.T("format.datetime_layout", nil))
}
