package web

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
)

// zones caches loaded time zones by IANA name (LoadLocation reads tzdata
// each time).
var zones sync.Map // string → *time.Location

// loadZone loads an IANA time zone such as "Europe/Paris"; names with
// control characters, "Local" or over maxTimeZone characters are refused.
func loadZone(name string) (*time.Location, error) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	if name == "" || name == "Local" || len(name) > maxTimeZone || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return nil, fmt.Errorf("time zone %q: not an IANA zone name", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}

// siteZone is the site's time zone from the settings (UTC when unset or
// unreadable): moments that belong to no campaign are shown in it.
func (s *Server) siteZone() *time.Location {
	name := s.cachedSettings(context.Background())[settingTimeZone]
	if name == "" {
		return time.UTC
	}
	loc, err := loadZone(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// inSiteZone is t in the site's time zone (the zero time stays zero).
func (s *Server) inSiteZone(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(s.siteZone())
}
