package app

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Region is one node of the region tree (districts and their parts). It may
// carry a boundary and standard geocodes, so that CAP documents can put
// alerts for it on a map.
type Region struct {
	Code       string `json:"code"`
	ParentCode string `json:"parent,omitempty"`
	Name       Text   `json:"name"`
	// Boundary is the region's outline (nil when unknown).
	Boundary *Geometry `json:"boundary,omitempty"`
	// Geocodes are standard codes of the region (ISO 3166-2, a national
	// scheme), written into CAP <area> beside Beacon's own.
	Geocodes []Geocode `json:"geocodes,omitempty"`
}

// Geocode is one CAP <geocode>: the name of a coding scheme and the
// region's value in it.
type Geocode struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Region limits.
const (
	// MaxRegionCode bounds region codes.
	MaxRegionCode = 80
	// MaxGeocodeName and MaxGeocodeValue bound a geocode's two parts, in
	// characters.
	MaxGeocodeName  = 100
	MaxGeocodeValue = 200
	// MaxGeocodes bounds the geocodes of one region.
	MaxGeocodes = 50
	// ReservedGeocodeName is the geocode Beacon writes itself (the region
	// code in CAP); a region cannot carry it.
	ReservedGeocodeName = "beacon-region"
)

// regionCode is what a region code may look like (as slugs in packs).
var regionCode = regexp.MustCompile(`^[a-z0-9-]+$`)

// ValidRegionCode reports whether s can be a region code.
func ValidRegionCode(s string) bool { return len(s) <= MaxRegionCode && regionCode.MatchString(s) }

// Validate checks a region as the admin form and the pack importer
// require. It returns field errors (Field "code", "name", "boundary" or
// "geocodes") with message ids "admin.regions.error.<reason>": code, name_required,
// boundary_* (see Geometry.Validate), geocode_blank (a name or value that
// is empty or only spaces), geocode_invalid (control characters),
// geocode_long, geocode_twice (a value name used twice), geocode_reserved
// (Beacon's own "beacon-region"), geocode_many. The names are expected
// trimmed (empty translations dropped).
func (r *Region) Validate() FieldErrors {
	var errs FieldErrors
	if !ValidRegionCode(r.Code) {
		errs = append(errs, FieldError("code", "admin.regions.error.code"))
	}
	if len(r.Name) == 0 {
		errs = append(errs, FieldError("name", "admin.regions.error.name_required"))
	}
	if r.Boundary != nil {
		if e := r.Boundary.Validate(); e != nil {
			errs = append(errs, e)
		}
	}
	if id := geocodesProblem(r.Geocodes); id != "" {
		errs = append(errs, FieldError("geocodes", "admin.regions.error."+id))
	}
	return errs
}

// geocodesProblem names the first thing wrong with geocodes ("" when
// nothing is).
func geocodesProblem(gs []Geocode) string {
	if len(gs) > MaxGeocodes {
		return "geocode_many"
	}
	seen := map[string]bool{}
	for _, g := range gs {
		name, value := strings.TrimSpace(g.Name), strings.TrimSpace(g.Value)
		bad := func(s string) bool {
			return !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 || strings.ContainsAny(s, "\uFFFE\uFFFF")
		}
		switch {
		case name == "" || value == "":
			return "geocode_blank"
		case bad(g.Name) || bad(g.Value):
			return "geocode_invalid"
		case utf8.RuneCountInString(name) > MaxGeocodeName || utf8.RuneCountInString(value) > MaxGeocodeValue:
			return "geocode_long"
		case strings.EqualFold(name, ReservedGeocodeName):
			return "geocode_reserved"
		case seen[name]:
			return "geocode_twice"
		}
		seen[name] = true
	}
	return ""
}

// CleanGeocodes trims each geocode's name and value and drops the rows
// left with neither (empty form rows); nil when none is left.
func CleanGeocodes(gs []Geocode) []Geocode {
	var out []Geocode
	for _, g := range gs {
		g.Name, g.Value = strings.TrimSpace(g.Name), strings.TrimSpace(g.Value)
		if g.Name != "" || g.Value != "" {
			out = append(out, g)
		}
	}
	return out
}
