package content

import (
	"io/fs"

	"beacon/app"
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
}

func (p *parser) campaign(file string, packCourses map[string]bool) (*app.Campaign, bool) {
	data, err := fs.ReadFile(p.fsys, file)
	if err != nil {
		p.problem(file, 0, "campaign_unreadable", kv{"Detail": err.Error()}, "cannot read: %v", err)
		return nil, false
	}
	before := len(p.problems)
	var cf campaignFile
	root, ok := p.decode(file, data, &cf)
	if !ok {
		return nil, false
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
	return c, len(p.problems) == before
}
