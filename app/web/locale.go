package web

import (
	"context"
	"strings"
)

// settingLocales lists the locales shown to visitors (comma-separated);
// empty means every locale that has a catalog. The default is always on.
const settingLocales = "enabled_locales"

// enabledLocales returns the locales visitors may use, in catalog order.
func (s *Server) enabledLocales(ctx context.Context) []string {
	v := s.cachedSettings(ctx)[settingLocales]
	if strings.TrimSpace(v) == "" {
		return s.bundle.Locales()
	}
	on := map[string]bool{s.bundle.Default(): true}
	for _, l := range strings.Split(v, ",") {
		on[strings.TrimSpace(l)] = true
	}
	var out []string
	for _, l := range s.bundle.Locales() {
		if on[l] {
			out = append(out, l)
		}
	}
	return out
}

// localeOn reports whether lang has a catalog and is enabled for visitors.
func (s *Server) localeOn(ctx context.Context, lang string) bool {
	if !s.bundle.Enabled(lang) {
		return false
	}
	for _, l := range s.enabledLocales(ctx) {
		if l == lang {
			return true
		}
	}
	return false
}
