package app_test

import (
	"strings"
	"testing"

	"beacon/app"
)

// TestOrganizationValidate checks each rule of Organization.Validate.
func TestOrganizationValidate(t *testing.T) {
	cases := []struct {
		name  string
		org   app.Organization
		field string // "" when valid
		id    string
	}{
		{"Valid", app.Organization{Code: "red-cross", Name: app.Text{"en": "Red Cross", "fr": "Croix-Rouge"}}, "", ""},
		{"AtLimits", app.Organization{Code: strings.Repeat("a", app.MaxRegionCode), Name: app.Text{"ar": strings.Repeat("ع", app.MaxPlaceName)}}, "", ""},
		{"CodeEmpty", app.Organization{Name: app.Text{"en": "X"}}, "code", "code_required"},
		{"CodeFormat", app.Organization{Code: "Red Cross", Name: app.Text{"en": "X"}}, "code", "code"},
		{"CodeLong", app.Organization{Code: strings.Repeat("a", app.MaxRegionCode+1), Name: app.Text{"en": "X"}}, "code", "code"},
		{"NoName", app.Organization{Code: "x", Name: app.Text{}}, "name", "name_required"},
		{"NameLong", app.Organization{Code: "x", Name: app.Text{"fr": strings.Repeat("é", app.MaxPlaceName+1)}}, "name-fr", "name_long"},
		{"NameControl", app.Organization{Code: "x", Name: app.Text{"en": "Red\x00Cross"}}, "name-en", "name_invalid"},
		{"NameBlank", app.Organization{Code: "x", Name: app.Text{"en": " "}}, "name-en", "name_invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.org.Validate("en", "fr")
			if tc.field == "" {
				if len(errs) > 0 {
					t.Fatalf("valid organization refused: %v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tc.field || errs[0].MessageID != "admin.orgs.error."+tc.id {
				t.Fatalf("got %v, want only %s=admin.orgs.error.%s", errs, tc.field, tc.id)
			}
		})
	}
}
