package app

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a campaign, the same for the organizers' form and the pack
// importer (Campaign.Validate).
const (
	MaxCampaignSlug        = 80
	MaxCampaignTitle       = 200
	MaxCampaignDescription = 2000
	MaxCampaignGoal        = 1_000_000_000
)

// campaignSlug is what a campaign slug may look like (as slugs in packs).
var campaignSlug = regexp.MustCompile(`^[a-z0-9-]+$`)

// Validate checks a campaign as the organizers' form and the pack importer
// both require, so that a campaign that imports also saves unchanged. It
// returns field errors (Field "slug", "title", "description", "starts",
// "ends", "goal" or "courses") with message ids
// "admin.campaigns.error.<reason>": slug_required, slug_format,
// title_required (no text in the source locale), title_long,
// description_long, text_invalid (control characters or invalid UTF-8 in
// any locale), starts_format and ends_format (zero times),
// ends_before_starts, goal_format (outside 0..MaxCampaignGoal) and
// courses_required. Lengths count characters.
func (c *Campaign) Validate() FieldErrors {
	var errs FieldErrors
	add := func(field, id string) { errs = append(errs, FieldError(field, "admin.campaigns.error."+id)) }
	switch {
	case c.Slug == "":
		add("slug", "slug_required")
	case len(c.Slug) > MaxCampaignSlug || !campaignSlug.MatchString(c.Slug):
		add("slug", "slug_format")
	}
	if strings.TrimSpace(c.Title[c.SourceLocale]) == "" {
		add("title", "title_required")
	} else if id := campaignTextProblem("title", c.Title, MaxCampaignTitle); id != "" {
		add("title", id)
	}
	if id := campaignTextProblem("description", c.Description, MaxCampaignDescription); id != "" {
		add("description", id)
	}
	okS, okE := !c.Starts.IsZero(), !c.Ends.IsZero()
	if !okS {
		add("starts", "starts_format")
	}
	if !okE {
		add("ends", "ends_format")
	}
	if okS && okE && !c.Ends.After(c.Starts) {
		add("ends", "ends_before_starts")
	}
	if c.GoalCompletions < 0 || c.GoalCompletions > MaxCampaignGoal {
		add("goal", "goal_format")
	}
	if len(c.Courses) == 0 {
		add("courses", "courses_required")
	}
	return errs
}

// campaignTextProblem names what is wrong with a translated campaign text
// in any locale: "text_invalid" (control characters or invalid UTF-8),
// "<field>_long" (over max characters), or "" when nothing is.
func campaignTextProblem(field string, t Text, max int) string {
	for _, v := range t {
		if !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0 {
			return "text_invalid"
		}
	}
	for _, v := range t {
		if utf8.RuneCountInString(v) > max {
			return field + "_long"
		}
	}
	return ""
}
