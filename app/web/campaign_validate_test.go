package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"beacon/app"
)

// TestCampaignImportSavesUnchanged opens each seed campaign that the pack
// importer accepted in the organizers' form and saves it unchanged: the
// form must accept what the import accepted (one app.Campaign.Validate).
func TestCampaignImportSavesUnchanged(t *testing.T) {
	s := MustOpenServer(t)
	org := s.signedIn(t, "org@example.org", app.RoleOrganizer)
	// One more at every limit Campaign.Validate allows, as a pack may carry it.
	atLimits := &app.Campaign{Slug: strings.Repeat("l", app.MaxCampaignSlug), SourceLocale: "en",
		Starts: time.Date(2027, 5, 1, 0, 0, 0, 0, time.FixedZone("", 8*3600)), Ends: time.Date(2027, 5, 2, 0, 0, 0, 0, time.FixedZone("", 8*3600)),
		GoalCompletions: app.MaxCampaignGoal, Courses: []string{"cyber-hygiene"}, Regions: []string{},
		Title:       app.Text{"en": strings.Repeat("T", app.MaxCampaignTitle), "fr": strings.Repeat("é", app.MaxCampaignTitle)},
		Description: app.Text{"en": strings.Repeat("D", app.MaxCampaignDescription-2) + "\r\n"}}
	if errs := atLimits.Validate(); len(errs) > 0 {
		t.Fatalf("campaign at the limits refused by Validate: %v", errs)
	}
	if err := s.Store.CreateCampaign(context.Background(), nil, atLimits); err != nil {
		t.Fatal(err)
	}
	all, err := s.Store.AllCampaigns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 2 {
		t.Fatal("the seed pack has no campaign")
	}
	for _, cp := range all {
		action := "/en/admin/campaigns/" + cp.Slug + "/edit"
		page := org.get(action)
		org.mustStatus(page, 200)
		r := org.postForm(page, action, nil)
		if r.Status != 303 {
			t.Errorf("%s saved unchanged: status %d, errors %q", cp.Slug, r.Status, text(r, ".govuk-error-summary"))
		}
	}
}
