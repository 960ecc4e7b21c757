package app

import "time"

// Campaign is a time-boxed awareness drive around featured courses.
type Campaign struct {
	ID              int64     `json:"-"`
	Slug            string    `json:"slug"`
	SourceLocale    string    `json:"source_locale"`
	Starts          time.Time `json:"starts"`
	Ends            time.Time `json:"ends"`
	GoalCompletions int       `json:"goal_completions"`
	Courses         []string  `json:"courses"`
	Regions         []string  `json:"regions"`
	Title           Text      `json:"title"`
	Description     Text      `json:"description"`
}

// Running reports whether the campaign window contains now.
func (c *Campaign) Running(now time.Time) bool {
	return !now.Before(c.Starts) && !now.After(c.Ends)
}

// Region is one node of the region tree (districts and their parts).
type Region struct {
	Code       string `json:"code"`
	ParentCode string `json:"parent,omitempty"`
	Name       Text   `json:"name"`
}

// Pack is a parsed content pack, ready to import.
type Pack struct {
	Courses   []Course
	Campaigns []Campaign
	Regions   []Region
}
