package app_test

import (
	"strings"
	"testing"

	"beacon/app"
)

// TestCourseValidate checks each rule of Course.Validate, shared by the
// course forms and the pack importer.
func TestCourseValidate(t *testing.T) {
	locales := []string{"en", "fr"}
	valid := func() *app.Course {
		return &app.Course{Slug: "heat", SourceLocale: "en", Topic: "safety", Categories: []string{"Met"}, ReviewBy: "2027-06-30",
			Title: app.Text{"en": "Heat waves"}, Summary: app.Text{"en": "Keep cool.\nDrink water."}}
	}
	cases := []struct {
		name      string
		edit      func(c *app.Course)
		field, id string
	}{
		{"Valid", func(c *app.Course) {}, "", ""},
		{"AtLimits", func(c *app.Course) {
			c.Title["en"] = strings.Repeat("é", app.MaxCourseLine)
			c.Topic = strings.Repeat("t", app.MaxCourseSlug)
			c.Summary["en"] = strings.Repeat("s", app.MaxCourseText)
		}, "", ""},
		{"NoTopicNoDate", func(c *app.Course) { c.Topic, c.ReviewBy, c.Categories = "", "", nil }, "", ""},
		{"LocaleOff", func(c *app.Course) { c.SourceLocale = "de"; c.Title["de"], c.Summary["de"] = "T", "S" }, "source_locale", "locale"},
		{"TitleMissing", func(c *app.Course) { c.Title = app.Text{"fr": "Canicule"} }, "title", "required"},
		{"TitleLong", func(c *app.Course) { c.Title["en"] = strings.Repeat("é", app.MaxCourseLine+1) }, "title", "too_long"},
		{"TitleLines", func(c *app.Course) { c.Title["en"] = "Heat\nwaves" }, "title", "one_line"},
		{"SummaryBlank", func(c *app.Course) { c.Summary["en"] = " \n" }, "summary", "required"},
		{"SummaryLong", func(c *app.Course) { c.Summary["en"] = strings.Repeat("s", app.MaxCourseText+1) }, "summary", "too_long"},
		{"TopicFormat", func(c *app.Course) { c.Topic = "Safety" }, "topic", "slug"},
		{"TopicLong", func(c *app.Course) { c.Topic = strings.Repeat("t", app.MaxCourseSlug+1) }, "topic", "slug"},
		{"Category", func(c *app.Course) { c.Categories = []string{"Met", "Weather"} }, "categories", "category"},
		{"ReviewBy", func(c *app.Course) { c.ReviewBy = "30/06/2027" }, "review_by", "date"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.edit(c)
			errs := c.Validate(locales)
			if tc.field == "" {
				if len(errs) > 0 {
					t.Fatalf("valid course refused: %v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tc.field || errs[0].MessageID != "admin.error."+tc.id {
				t.Fatalf("got %v, want only %s=admin.error.%s", errs, tc.field, tc.id)
			}
		})
	}
}
