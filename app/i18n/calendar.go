package i18n

import (
	"strings"
	"time"
)

// monthNames holds, per language, the month names as they stand in a full
// date (CLDR format-wide; Russian in the genitive, "25 ноября"). Go's time
// package knows only English names, so Date and DateTime put these in
// place of the layout's "January". Languages absent here use English.
var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	"ar": {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
	"zh": {"一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"},
}

// monthMark stands for the month name while time.Format runs; it holds no
// layout element, so Format copies it unchanged.
const monthMark = "\x00"

// formatDate formats t with a Go layout whose "January" becomes the month
// name of lang.
func formatDate(t time.Time, layout, lang string) string {
	if !strings.Contains(layout, "January") {
		return t.Format(layout)
	}
	names, ok := monthNames[lang]
	if !ok {
		names = monthNames["en"]
	}
	return strings.ReplaceAll(t.Format(strings.ReplaceAll(layout, "January", monthMark)), monthMark, names[t.Month()-1])
}

// baseLanguage is the language subtag of a locale ("zh" of "zh-Hans").
func baseLanguage(locale string) string {
	return strings.SplitN(locale, "-", 2)[0]
}
