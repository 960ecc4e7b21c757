package app

import "sort"

// Text is a translated field: locale → text. The course's source locale is
// always present; other locales fall back to it.
type Text map[string]string

// Get returns the text for locale, falling back to source. fellBack reports
// that the requested locale was missing and the source text was returned.
func (t Text) Get(locale, source string) (text string, fellBack bool) {
	if s, ok := t[locale]; ok && s != "" {
		return s, false
	}
	return t[source], locale != source
}

// Locales lists the locales present, sorted, for stable output.
func (t Text) Locales() []string {
	out := make([]string, 0, len(t))
	for l := range t {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}
