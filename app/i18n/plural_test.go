package i18n_test

import (
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/BurntSushi/toml"

	"beacon/app/testenv"
)

// cldrCategory is, per language, the CLDR plural category of the counts
// the issue names (0, 1, 2, 3, 11, 100) and a few more that tell the
// Russian and Arabic rules apart.
var cldrCategory = map[string]map[int]string{
	"en":      {0: "other", 1: "one", 2: "other", 3: "other", 11: "other", 100: "other", 21: "other"},
	"zh-Hans": {0: "other", 1: "other", 2: "other", 3: "other", 11: "other", 100: "other", 21: "other"},
	"es":      {0: "other", 1: "one", 2: "other", 3: "other", 11: "other", 100: "other", 1000000: "many"},
	"fr":      {0: "one", 1: "one", 2: "other", 3: "other", 11: "other", 100: "other", 1000000: "many"},
	"ru":      {0: "many", 1: "one", 2: "few", 3: "few", 11: "many", 100: "many", 21: "one", 22: "few", 25: "many", 111: "many"},
	"ar":      {0: "zero", 1: "one", 2: "two", 3: "few", 11: "many", 100: "other", 103: "few", 111: "many", 1000: "other"},
}

// catalogForms reads one catalog's plural messages as category → text.
func catalogForms(t *testing.T, locale string) map[string]map[string]string {
	t.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFS(testenv.Sub(t, "content/locales"), locale+".toml", &raw); err != nil {
		t.Fatalf("read %s catalog: %v", locale, err)
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		if m, ok := v.(map[string]any); ok {
			forms := map[string]string{}
			for cat, text := range m {
				forms[cat], _ = text.(string)
			}
			out[id] = forms
		}
	}
	return out
}

// TestPlurals_EveryLocaleEveryCount checks, for every plural message of
// every catalog and the counts 0, 1, 2, 3, 11 and 100 (and more), that the
// localizer picks the CLDR category's form, with the count formatted.
func TestPlurals_EveryLocaleEveryCount(t *testing.T) {
	b := mustLoad(t)
	for _, locale := range []string{"ar", "en", "es", "fr", "ru", "zh-Hans"} {
		t.Run(locale, func(t *testing.T) {
			if !b.Enabled(locale) {
				t.Fatalf("locale %s has no catalog", locale)
			}
			l := b.Localizer(locale)
			forms := catalogForms(t, locale)
			if len(forms) < 10 {
				t.Fatalf("%s has %d plural messages, want the catalog's plural tables", locale, len(forms))
			}
			want := map[string]bool{}
			for _, cat := range cldrCategory[locale] {
				want[cat] = true
			}
			for id, byCat := range forms {
				for cat := range want {
					if strings.TrimSpace(byCat[cat]) == "" {
						t.Errorf("%s %s: no %q form", locale, id, cat)
					}
				}
				for count, cat := range cldrCategory[locale] {
					data := map[string]any{"Count": l.Number(count), "Pass": "P", "Done": "D", "Goal": "G", "Percent": "%", "Best": "B"}
					got := l.N(id, count, data)
					tmpl, err := template.New(id).Parse(byCat[cat])
					if err != nil {
						t.Fatalf("%s %s %s: %v", locale, id, cat, err)
					}
					var sb strings.Builder
					if err := tmpl.Execute(&sb, data); err != nil {
						t.Fatalf("%s %s %s: %v", locale, id, cat, err)
					}
					if want := strings.ReplaceAll(sb.String(), "<no value>", ""); got != want {
						t.Errorf("%s N(%s, %d) = %q, want the %q form %q", locale, id, count, got, cat, want)
					}
				}
			}
		})
	}
}

// TestPlurals_ArabicAndRussianForms shows on one message that the six
// Arabic and four Russian forms really differ.
func TestPlurals_ArabicAndRussianForms(t *testing.T) {
	b := mustLoad(t)
	for _, locale := range []string{"ar", "ru"} {
		l := b.Localizer(locale)
		seen := map[string]int{}
		for _, n := range []int{0, 1, 2, 3, 11, 100} {
			seen[l.N("catalog.result_count", n, nil)] = n
		}
		wantDistinct := map[string]int{"ar": 6, "ru": 4}[locale]
		texts := map[string]bool{}
		for s := range seen {
			// the count itself differs; compare the words around it
			texts[strings.Trim(strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return -1
				}
				return r
			}, s), " ")] = true
		}
		if len(texts) < wantDistinct-1 { // ar zero/one/two may name no number at all
			t.Errorf("%s catalog.result_count for 0,1,2,3,11,100 gives %d different wordings %v, want about %d", locale, len(texts), texts, wantDistinct)
		}
	}
}

// TestFormats_PerLocale checks dates, numbers and percentages per locale.
func TestFormats_PerLocale(t *testing.T) {
	b := mustLoad(t)
	day := time.Date(2026, 11, 25, 14, 5, 0, 0, time.FixedZone("", 3*3600))
	tests := []struct {
		locale, date, number, small, percent, clock string
	}{
		{"en", "25 November 2026", "1,234,567", "1,234", "45%", "14:05"},
		{"zh-Hans", "2026年11月25日", "1,234,567", "1,234", "45%", "14:05"},
		{"es", "25 de noviembre de 2026", "1.234.567", "1234", "45\u00a0%", "14:05"},
		{"fr", "25 novembre 2026", "1\u00a0234\u00a0567", "1\u00a0234", "45\u202f%", "14:05"},
		{"ru", "25 ноября 2026 г.", "1\u00a0234\u00a0567", "1\u00a0234", "45\u00a0%", "14:05"},
		{"ar", "25 نوفمبر 2026", "1,234,567", "1,234", "45%", "14:05"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			l := b.Localizer(tt.locale)
			if l.Locale() != tt.locale {
				t.Fatalf("locale %s not enabled", tt.locale)
			}
			if got := l.Date(day); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := l.Number(1234567); got != tt.number {
				t.Errorf("Number(1234567) = %q, want %q", got, tt.number)
			}
			if got := l.Number(1234); got != tt.small {
				t.Errorf("Number(1234) = %q, want %q", got, tt.small)
			}
			if got := l.Percent(45); got != tt.percent {
				t.Errorf("Percent(45) = %q, want %q", got, tt.percent)
			}
			dt := l.DateTime(day)
			if !strings.Contains(dt, tt.date) || !strings.Contains(dt, tt.clock) || !strings.Contains(dt, "+03:00") {
				t.Errorf("DateTime = %q, want the date %q, the clock %s and the offset +03:00", dt, tt.date, tt.clock)
			}
		})
	}
}
