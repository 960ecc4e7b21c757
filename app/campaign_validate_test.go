package app_test

import (
	"strings"
	"testing"
	"time"

	"beacon/app"
)

// TestCampaignValidate checks each rule of Campaign.Validate, the one set of
// campaign limits the admin form and the pack importer share.
func TestCampaignValidate(t *testing.T) {
	starts := time.Date(2027, 4, 8, 0, 0, 0, 0, time.UTC)
	valid := func() *app.Campaign {
		return &app.Campaign{Slug: "storm-week", SourceLocale: "en", Starts: starts, Ends: starts.Add(24 * time.Hour),
			GoalCompletions: 100, Courses: []string{"cyber-hygiene"},
			Title: app.Text{"en": "Storm week", "fr": "Semaine des tempêtes"}, Description: app.Text{"en": "Be ready."}}
	}
	cases := []struct {
		name  string
		edit  func(c *app.Campaign)
		field string // "" when valid
		id    string
	}{
		{"Valid", func(c *app.Campaign) {}, "", ""},
		{"AtLimits", func(c *app.Campaign) {
			c.Slug = strings.Repeat("a", app.MaxCampaignSlug)
			c.Title["fr"] = strings.Repeat("é", app.MaxCampaignTitle)
			c.Description["en"] = strings.Repeat("x", app.MaxCampaignDescription-1) + "\n"
			c.GoalCompletions = app.MaxCampaignGoal
		}, "", ""},
		{"GoalZero", func(c *app.Campaign) { c.GoalCompletions = 0 }, "", ""},
		{"SlugEmpty", func(c *app.Campaign) { c.Slug = "" }, "slug", "slug_required"},
		{"SlugFormat", func(c *app.Campaign) { c.Slug = "Storm Week" }, "slug", "slug_format"},
		{"SlugLong", func(c *app.Campaign) { c.Slug = strings.Repeat("a", app.MaxCampaignSlug+1) }, "slug", "slug_format"},
		{"TitleMissing", func(c *app.Campaign) { c.Title = app.Text{"fr": "Semaine"} }, "title", "title_required"},
		{"TitleBlank", func(c *app.Campaign) { c.Title["en"] = "  " }, "title", "title_required"},
		{"TitleLongInTranslation", func(c *app.Campaign) { c.Title["fr"] = strings.Repeat("é", app.MaxCampaignTitle+1) }, "title", "title_long"},
		{"TitleControl", func(c *app.Campaign) { c.Title["en"] = "Storm\x07week" }, "title", "text_invalid"},
		{"DescriptionLong", func(c *app.Campaign) { c.Description["en"] = strings.Repeat("x", app.MaxCampaignDescription+1) }, "description", "description_long"},
		{"DescriptionBadUTF8", func(c *app.Campaign) { c.Description["en"] = "\xff" }, "description", "text_invalid"},
		{"StartsZero", func(c *app.Campaign) { c.Starts = time.Time{} }, "starts", "starts_format"},
		{"EndsZero", func(c *app.Campaign) { c.Ends = time.Time{} }, "ends", "ends_format"},
		{"EndsAtStart", func(c *app.Campaign) { c.Ends = c.Starts }, "ends", "ends_before_starts"},
		{"GoalNegative", func(c *app.Campaign) { c.GoalCompletions = -1 }, "goal", "goal_format"},
		{"GoalLarge", func(c *app.Campaign) { c.GoalCompletions = app.MaxCampaignGoal + 1 }, "goal", "goal_format"},
		{"NoCourse", func(c *app.Campaign) { c.Courses = nil }, "courses", "courses_required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.edit(c)
			errs := c.Validate()
			if tc.field == "" {
				if len(errs) > 0 {
					t.Fatalf("valid campaign refused: %v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tc.field || errs[0].MessageID != "admin.campaigns.error."+tc.id {
				t.Fatalf("got %v, want only %s=admin.campaigns.error.%s", errs, tc.field, tc.id)
			}
		})
	}
}
