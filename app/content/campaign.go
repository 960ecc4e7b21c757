package content

import (
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/campaign"

	"go.yaml.in/yaml/v3"
)

type campaignFile struct {
	Slug            string   `yaml:"slug"`
	SourceLocale    string   `yaml:"source_locale"`
	Starts          string   `yaml:"starts"`
	Ends            string   `yaml:"ends"`
	GoalCompletions int      `yaml:"goal_completions"`
	Courses         []string `yaml:"courses"`
	Regions         []string `yaml:"regions"`
	Title           app.Text `yaml:"title"`
	Description     app.Text `yaml:"description"`
	// Channels is an extension (docs/PACK-EXTENSIONS.md): the campaign's
	// tracked links, so that a moved site keeps its printed codes.
	Channels []channelFile `yaml:"channels"`
}

type channelFile struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
}

// MaxChannelName is the longest channel name, in characters, that forms
// and packs accept.
const MaxChannelName = 80

func (p *parser) campaign(file string, packCourses map[string]bool) (*app.Campaign, []app.CampaignChannel, bool) {
	data, err := fs.ReadFile(p.fsys, file)
	if err != nil {
		p.problem(file, 0, "campaign_unreadable", kv{"Detail": err.Error()}, "cannot read: %v", err)
		return nil, nil, false
	}
	before := len(p.problems)
	var cf campaignFile
	root, ok := p.decode(file, data, &cf)
	if !ok {
		return nil, nil, false
	}
	if !slugRe.MatchString(cf.Slug) {
		p.problem(file, line(root, "slug"), "slug_format", kv{"Slug": cf.Slug}, "slug %q must match [a-z0-9-]+", cf.Slug)
	}
	src := cf.SourceLocale
	if src == "" {
		src = p.opts.Locales[0]
		if p.enabled["en"] {
			src = "en"
		}
	}
	c := &app.Campaign{Slug: cf.Slug, SourceLocale: src, GoalCompletions: cf.GoalCompletions, Courses: cf.Courses,
		Regions: cf.Regions, Title: cf.Title, Description: cf.Description}
	starts, okS := parseZoned(cf.Starts)
	ends, okE := parseZoned(cf.Ends)
	if !okS {
		p.problem(file, line(root, "starts"), "campaign_starts_format", kv{"Value": cf.Starts},
			"starts %q must be a date-time with a zone offset (2027-04-08T00:00:00+08:00)", cf.Starts)
	}
	if !okE {
		p.problem(file, line(root, "ends"), "campaign_ends_format", kv{"Value": cf.Ends}, "ends %q must be a date-time with a zone offset", cf.Ends)
	}
	if okS && okE && !starts.Before(ends) {
		p.problem(file, line(root, "ends"), "campaign_starts_after_ends", nil, "starts must come before ends")
	}
	c.Starts, c.Ends = starts, ends
	if cf.GoalCompletions < 0 {
		p.problem(file, line(root, "goal_completions"), "campaign_goal_negative", nil, "goal_completions must be 0 or more")
	}
	for i, slug := range cf.Courses {
		if !packCourses[slug] && (p.opts.KnownCourses == nil || !p.opts.KnownCourses(slug)) {
			p.problem(file, line(root, "courses", i), "campaign_course_unknown", kv{"Slug": slug}, "course %q does not exist in the pack or the site", slug)
		}
	}
	if c.Courses == nil {
		c.Courses = []string{}
	}
	if c.Regions == nil {
		c.Regions = []string{}
	}
	p.text(file, root, cf.Title, src, "title")
	p.text(file, root, cf.Description, src, "description")
	for _, fe := range c.Validate() {
		p.campaignFieldProblem(file, root, c, fe)
	}
	var channels []app.CampaignChannel
	names := map[string]bool{}
	for i, ch := range cf.Channels {
		name := strings.TrimSpace(ch.Name)
		switch {
		case !campaign.ValidCode(ch.Code):
			p.problem(file, line(root, "channels", i, "code"), "campaign_channel_code", kv{"Code": ch.Code, "Length": campaign.CodeLength, "Alphabet": campaign.CodeAlphabet},
				"channel code %q must be %d characters from %s", ch.Code, campaign.CodeLength, campaign.CodeAlphabet)
		case name == "" || utf8.RuneCountInString(name) > MaxChannelName || strings.IndexFunc(name, unicode.IsControl) >= 0:
			p.problem(file, line(root, "channels", i, "name"), "campaign_channel_name", kv{"Max": MaxChannelName},
				"a channel name must be 1 to %d characters, without control characters", MaxChannelName)
		case names[name]:
			p.problem(file, line(root, "channels", i, "name"), "campaign_channel_twice", kv{"Value": name},
				"channel %q is listed twice", name)
		default:
			names[name] = true
			channels = append(channels, app.CampaignChannel{Campaign: c.Slug, Code: ch.Code, Name: name})
		}
	}
	return c, channels, len(p.problems) == before
}

// campaignFieldProblem reports one field error of app.Campaign.Validate
// at its line; what the checks above already report, with more detail,
// is left out.
func (p *parser) campaignFieldProblem(file string, root *yaml.Node, c *app.Campaign, fe *app.Error) {
	switch reason := strings.TrimPrefix(fe.MessageID, "admin.campaigns.error."); reason {
	case "slug_format":
		if slugRe.MatchString(c.Slug) {
			p.problem(file, line(root, "slug"), "campaign_slug_long", kv{"Slug": c.Slug, "Max": app.MaxCampaignSlug},
				"slug %q must be at most %d characters", c.Slug, app.MaxCampaignSlug)
		}
	case "title_long", "description_long":
		max := app.MaxCampaignTitle
		if fe.Field == "description" {
			max = app.MaxCampaignDescription
		}
		p.problem(file, line(root, fe.Field), "campaign_text_long", kv{"Field": fe.Field, "Max": max},
			"%s must be at most %d characters in every locale", fe.Field, max)
	case "text_invalid":
		p.problem(file, line(root, fe.Field), "campaign_text_invalid", kv{"Field": fe.Field},
			"%s must not contain control characters", fe.Field)
	case "goal_format":
		if c.GoalCompletions > app.MaxCampaignGoal {
			p.problem(file, line(root, "goal_completions"), "campaign_goal_large", kv{"Max": app.MaxCampaignGoal},
				"goal_completions must be at most %d", app.MaxCampaignGoal)
		}
	case "courses_required":
		p.problem(file, line(root, "courses"), "campaign_courses_none", nil, "courses must name at least one course")
	default:
		// slug_required, title_required, starts_format, ends_format and
		// ends_before_starts are reported above with the pack's own words.
	}
}
