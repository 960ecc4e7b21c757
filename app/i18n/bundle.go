package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Bundle holds every enabled locale's messages and the matcher that picks
// among them. It is read-only after Load and safe for concurrent use.
type Bundle struct {
	bundle   *goi18n.Bundle
	locales  []string // enabled, default first
	tags     []language.Tag
	matcher  language.Matcher
	def      string
	messages map[string]map[string]bool // locale → message ids, for coverage tests
	locs     map[string]*Localizer
}

// Load reads every <locale>.toml in fsys (the locales folder) and enables
// those locales; def is the site default and must be among them.
func Load(fsys fs.FS, def string) (*Bundle, error) {
	b := &Bundle{bundle: goi18n.NewBundle(language.English), def: def, messages: map[string]map[string]bool{}, locs: map[string]*Localizer{}}
	b.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read locales: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".toml") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Clean(name))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		mf, err := b.bundle.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		locale := strings.TrimSuffix(name, ".toml")
		ids := map[string]bool{}
		for _, m := range mf.Messages {
			ids[m.ID] = true
		}
		b.messages[locale] = ids
		b.locales = append(b.locales, locale)
	}
	if len(b.locales) == 0 {
		return nil, fmt.Errorf("read locales: no <locale>.toml found")
	}
	sort.Strings(b.locales)
	found := false
	for i, l := range b.locales {
		if l == def {
			found = true
			b.locales[0], b.locales[i] = b.locales[i], b.locales[0]
		}
	}
	if !found {
		return nil, fmt.Errorf("default locale %q has no catalog (have %s)", def, strings.Join(b.locales, ", "))
	}
	sort.Strings(b.locales[1:])
	for _, l := range b.locales {
		tag, err := language.Parse(l)
		if err != nil {
			return nil, fmt.Errorf("locale %s: %w", l, err)
		}
		b.tags = append(b.tags, tag)
	}
	b.matcher = language.NewMatcher(b.tags)
	for _, l := range b.locales {
		b.locs[l] = &Localizer{locale: l, loc: goi18n.NewLocalizer(b.bundle, l, def, "en"), dir: direction(l),
			printer: message.NewPrinter(numberTag(l)), minGroup2: baseLanguage(l) == "es"}
	}
	return b, nil
}

// Locales lists the enabled locales, the default first.
func (b *Bundle) Locales() []string { return b.locales }

// Default is the site's default locale.
func (b *Bundle) Default() string { return b.def }

// Enabled reports whether locale is enabled.
func (b *Bundle) Enabled(locale string) bool {
	_, ok := b.locs[locale]
	return ok
}

// MessageIDs returns the message ids of one catalog (for completeness tests).
func (b *Bundle) MessageIDs(locale string) map[string]bool { return b.messages[locale] }

// Localizer returns the localizer of an enabled locale, or of the default.
func (b *Bundle) Localizer(locale string) *Localizer {
	if l, ok := b.locs[locale]; ok {
		return l
	}
	return b.locs[b.def]
}

// Match picks the best enabled locale for a cookie value and an
// Accept-Language header, in that order, then the site default. zh, zh-CN
// and zh-SG reach zh-Hans; a regional variant reaches its language.
func (b *Bundle) Match(cookie, acceptLanguage string) string {
	if b.Enabled(cookie) {
		return cookie
	}
	if acceptLanguage == "" || len(acceptLanguage) > 512 {
		return b.def
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return b.def
	}
	_, idx, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return b.def
	}
	return b.locales[idx]
}

// direction is "rtl" for scripts written right to left.
func direction(locale string) string {
	switch strings.SplitN(locale, "-", 2)[0] {
	case "ar", "he", "fa", "ur":
		return "rtl"
	}
	return "ltr"
}

// MatchAmong is Match restricted to the allowed locales (the enabled
// subset of the catalogs); it falls back to the site default.
func (b *Bundle) MatchAmong(cookie, acceptLanguage string, allowed []string) string {
	ok := map[string]bool{}
	for _, l := range allowed {
		ok[l] = b.Enabled(l)
	}
	if ok[cookie] {
		return cookie
	}
	if l, found := b.matchAmong(acceptLanguage, ok); found {
		return l
	}
	return b.def
}

// MatchTag picks the best allowed locale for one language tag or
// Accept-Language list ("fr-CA", "zh", "pt, fr;q=0.5"), with the matcher
// pages use; found is false when nothing matches (the caller then falls
// back), and for an empty or unreadable tag.
func (b *Bundle) MatchTag(tag string, allowed []string) (locale string, found bool) {
	ok := map[string]bool{}
	for _, l := range allowed {
		ok[l] = b.Enabled(l)
	}
	if ok[tag] {
		return tag, true
	}
	return b.matchAmong(tag, ok)
}

// matchAmong matches an Accept-Language list against the locales ok holds.
func (b *Bundle) matchAmong(acceptLanguage string, ok map[string]bool) (string, bool) {
	if acceptLanguage == "" || len(acceptLanguage) > 512 {
		return "", false
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	var (
		names []string
		cands []language.Tag
	)
	for i, l := range b.locales {
		if ok[l] {
			names = append(names, l)
			cands = append(cands, b.tags[i])
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	_, idx, conf := language.NewMatcher(cands).Match(tags...)
	if conf == language.No {
		return "", false
	}
	return names[idx], true
}
