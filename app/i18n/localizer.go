package i18n

import (
	"strconv"
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
	// printer formats numbers; minGroup2 is CLDR's minimumGroupingDigits 2.
	printer   *message.Printer
	minGroup2 bool
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

// Number formats an integer with the locale's digits and grouping (CLDR,
// through x/text). Arabic keeps Western digits (ar-u-nu-latn), as lesson
// texts and most Arabic public sites write them; Spanish groups only from
// five digits (CLDR minimumGroupingDigits 2: 1234, but 12.345).
func (l *Localizer) Number(n int) string {
	if l.printer == nil {
		return message.NewPrinter(numberTag(l.locale)).Sprintf("%d", n)
	}
	if l.minGroup2 && n > -10000 && n < 10000 {
		return strconv.Itoa(n)
	}
	return l.printer.Sprintf("%d", n)
}

// numberTag is the tag whose CLDR number format a locale's numbers use.
func numberTag(locale string) language.Tag {
	if baseLanguage(locale) == "ar" {
		return language.Make(locale + "-u-nu-latn")
	}
	return language.Make(locale)
}

// Percent formats a whole percentage the locale's way.
func (l *Localizer) Percent(p int) string {
	return l.T("format.percent", map[string]any{"Value": l.Number(p)})
}

// Date formats a day the locale's way: its catalog's format.date_layout is
// a Go layout, and the month name comes from the CLDR table in calendar.go.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(t, l.T("format.date_layout", nil), baseLanguage(l.locale))
}

// DateTime formats a moment with its clock time and zone offset.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(t, l.T("format.datetime_layout", nil), baseLanguage(l.locale))
}
