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
	// TimeZone is the IANA zone the window was set in ("" for campaigns
	// from packs, which carry only the offsets of Starts and Ends).
	TimeZone string `json:"time_zone,omitempty"`
	// ClosedAt is when an organizer closed the campaign before its end
	// (Ends then moved to that moment); nil otherwise.
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}

// Running reports whether the campaign window contains now.
func (c *Campaign) Running(now time.Time) bool {
	return !now.Before(c.Starts) && !now.After(c.Ends)
}

// Organization is a body a learner may say they belong to (a school, an
// employer, an association), so that statistics can be broken down by it.
// Code is unique, matches [a-z0-9-]+ and never changes.
type Organization struct {
	ID        int64     `json:"-"`
	Code      string    `json:"code"`
	Name      Text      `json:"name"`
	CreatedAt time.Time `json:"-"`
}

// Pack is a parsed content pack, ready to import.
type Pack struct {
	Courses   []Course
	Campaigns []Campaign
	Regions   []Region
	// Media are the pack's media/ files, by name; nil when it has none.
	Media []MediaFile
	// Alerts are the pack's alerts/<identifier>.yaml files.
	Alerts []Alert
	// Channels are the tracked links of the pack's campaigns (the optional
	// channels list of campaigns/<slug>.yaml, docs/PACK-EXTENSIONS.md), so
	// that printed links and QR posters keep working on another site.
	Channels []CampaignChannel
}

// CampaignChannel is one tracked link of a campaign as a pack carries it:
// the campaign's slug, the code that makes the link /c/{code}, and the
// organizers' name for it. Visits and participants stay with the site.
type CampaignChannel struct {
	Campaign string
	Code     string
	Name     string
}
