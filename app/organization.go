package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPlaceName bounds a region's or an organization's name in one
// language, in characters.
const MaxPlaceName = 100

// Validate checks an organization as the admin form (and anything else
// that creates one, such as demo data) requires. It returns field errors
// with message ids "admin.orgs.error.<reason>": Field "code" with
// code_required or code (not [a-z0-9-]+ of at most MaxRegionCode
// characters); Field "name" with name_required when no locale has a name;
// Field "name-<locale>" with name_long (over MaxPlaceName characters) or
// name_invalid (control characters, invalid UTF-8, or only spaces), in
// the order of locales given (the site's, default first), then any other.
func (o *Organization) Validate(locales ...string) FieldErrors {
	var errs FieldErrors
	add := func(field, id string) { errs = append(errs, FieldError(field, "admin.orgs.error."+id)) }
	switch {
	case o.Code == "":
		add("code", "code_required")
	case !ValidRegionCode(o.Code):
		add("code", "code")
	}
	if len(o.Name) == 0 {
		add("name", "name_required")
	}
	order := append([]string{}, locales...)
	for _, l := range o.Name.Locales() {
		if !contains(order, l) {
			order = append(order, l)
		}
	}
	for _, l := range order {
		v, ok := o.Name[l]
		if !ok {
			continue
		}
		switch {
		case !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 || strings.TrimSpace(v) == "":
			add("name-"+l, "name_invalid")
		case utf8.RuneCountInString(v) > MaxPlaceName:
			add("name-"+l, "name_long")
		}
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
