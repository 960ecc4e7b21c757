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
		p.add(file, 0, "cannot read: %v", err)
		return nil, false
	}
	before := len(p.problems)
	var cf campaignFile
	root, ok := p.decode(file, data, &cf)
	if !ok {
		return nil, false
	}
	if !slugRe.MatchString(cf.Slug) {
		p.add(file, line(root, "slug"), "slug %q must match [a-z0-9-]+", cf.Slug)
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
		p.add(file, line(root, "starts"), "starts %q must be a date-time with a zone offset (2027-04-08T00:00:00+08:00)", cf.Starts)
	}
	if !okE {
		p.add(file, line(root, "ends"), "ends %q must be a date-time with a zone offset", cf.Ends)
	}
	if okS && okE && !starts.Before(ends) {
		p.add(file, line(root, "ends"), "starts must come before ends")
	}
	c.Starts, c.Ends = starts, ends
	if cf.GoalCompletions < 0 {
		p.add(file, line(root, "goal_completions"), "goal_completions must be 0 or more")
	}
	for i, slug := range cf.Courses {
		if !packCourses[slug] && (p.opts.KnownCourses == nil || !p.opts.KnownCourses(slug)) {
			p.add(file, line(root, "courses", i), "course %q does not exist in the pack or the site", slug)
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
