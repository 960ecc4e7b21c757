package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

// Ways a learner joins a campaign.
const (
	JoinedByButton     = "button"     // the Join button on the landing page
	JoinedByCompletion = "completion" // completing a featured course inside the window
)

type channelRow struct {
	ID         int64 `gorm:"primaryKey"`
	CampaignID int64
	Code       string
	Name       string
	Visits     int64
	CreatedAt  time.Time
}

func (channelRow) TableName() string { return "campaign_channels" }

type participantRow struct {
	CampaignID int64  `gorm:"primaryKey"`
	LearnerID  string `gorm:"primaryKey"`
	ChannelID  *int64
	How        string
	JoinedAt   time.Time
}

func (participantRow) TableName() string { return "campaign_participants" }

// Channel is one tracked link of a campaign: a poster, a school talk, a
// partner site. Visits counts link follows; Learners (came by it first)
// and Participants (joined through it) are exact counts for checks and
// exports of attribution, not for display: pages show channel figures from
// the suppressed statistics.
type Channel struct {
	ID           int64
	CampaignID   int64
	CampaignSlug string
	Code         string
	Name         string
	Visits       int
	Learners     int
	Participants int
	CreatedAt    time.Time
}

// Participant is one learner's membership of a campaign.
type Participant struct {
	CampaignID int64
	LearnerID  string
	ChannelID  int64 // 0 when the learner came on their own
	How        string
	JoinedAt   time.Time
}

func (r *campaignRow) campaign() (*app.Campaign, error) {
	var c app.Campaign
	if err := json.Unmarshal([]byte(r.Document), &c); err != nil {
		return nil, fmt.Errorf("decode campaign %s: %w", r.Slug, err)
	}
	c.ID = r.ID
	if c.Courses == nil {
		c.Courses = []string{}
	}
	if c.Regions == nil {
		c.Regions = []string{}
	}
	return &c, nil
}

// FindCampaign returns the campaign with slug (ENOTFOUND otherwise).
func (s *Store) FindCampaign(ctx context.Context, slug string) (*app.Campaign, error) {
	var row campaignRow
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&row).Error; err != nil {
		return nil, notFound(err, "campaign.not_found")
	}
	return row.campaign()
}

// AllCampaigns returns every campaign, ended ones included, soonest start first.
func (s *Store) AllCampaigns(ctx context.Context) ([]*app.Campaign, error) {
	var rows []campaignRow
	if err := s.db.WithContext(ctx).Order("starts, slug").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	out := make([]*app.Campaign, 0, len(rows))
	for i := range rows {
		c, err := rows[i].campaign()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// CreateCampaign adds a campaign made in the admin area, audited as
// campaign:create (ECONFLICT on the slug field when the slug is taken). The
// caller has validated it.
func (s *Store) CreateCampaign(ctx context.Context, actor *app.User, c *app.Campaign) error {
	now := s.now()
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&campaignRow{}).Where("slug = ?", c.Slug).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return app.FieldErrors{{Code: app.ECONFLICT, MessageID: "admin.campaigns.error.slug_taken", Field: "slug"}}
		}
		row := campaignRow{Slug: c.Slug, Starts: c.Starts.UTC(), Ends: c.Ends.UTC(), Document: string(doc), CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			if isUniqueViolation(err) {
				return app.FieldErrors{{Code: app.ECONFLICT, MessageID: "admin.campaigns.error.slug_taken", Field: "slug"}}
			}
			return err
		}
		c.ID = row.ID
		return audit(tx, now, actor, "campaign:create", "campaign", c.Slug, nil, c)
	})
	if err != nil {
		return fmt.Errorf("create campaign %s: %w", c.Slug, err)
	}
	return nil
}

// UpdateCampaign applies edit to a copy of the campaign and saves it with
// an audit entry named action ("campaign:update", "campaign:translate",
// "campaign:close"), in one transaction. edit may return an error (an
// *app.Error or app.FieldErrors) to save nothing. The slug never changes.
func (s *Store) UpdateCampaign(ctx context.Context, actor *app.User, slug, action string, edit func(c *app.Campaign, now time.Time) error) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row campaignRow
		if err := tx.Where("slug = ?", slug).Take(&row).Error; err != nil {
			return notFound(err, "campaign.not_found")
		}
		before, err := row.campaign()
		if err != nil {
			return err
		}
		work, err := row.campaign()
		if err != nil {
			return err
		}
		if err := edit(work, now); err != nil {
			return err
		}
		work.Slug, work.ID = before.Slug, before.ID
		doc, err := json.Marshal(work)
		if err != nil {
			return err
		}
		if string(doc) == row.Document {
			return nil
		}
		if err := tx.Model(&campaignRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"starts": work.Starts.UTC(), "ends": work.Ends.UTC(), "document": string(doc), "updated_at": now}).Error; err != nil {
			return err
		}
		return audit(tx, now, actor, action, "campaign", slug, before, work)
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, slug, err)
	}
	return nil
}

// CloseCampaign ends a campaign now, before its planned end (ECONFLICT
// when it has already ended). A campaign that has not started yet ends
// with an empty window.
func (s *Store) CloseCampaign(ctx context.Context, actor *app.User, slug string) error {
	return s.UpdateCampaign(ctx, actor, slug, "campaign:close", func(c *app.Campaign, now time.Time) error {
		if now.After(c.Ends) {
			return app.Errorf(app.ECONFLICT, "admin.campaigns.error.already_ended")
		}
		loc := c.Ends.Location()
		at := now.In(loc).Truncate(time.Second)
		c.Ends, c.ClosedAt = at, &at
		if c.Starts.After(at) {
			c.Starts = at
		}
		return nil
	})
}

// CreateChannel adds a named channel with a fresh code to the campaign,
// audited as campaign:channel (ECONFLICT on the name field when the
// campaign already has a channel of that name).
func (s *Store) CreateChannel(ctx context.Context, actor *app.User, slug, name string, newCode func() string) (*Channel, error) {
	now := s.now()
	var out *Channel
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var camp campaignRow
		if err := tx.Where("slug = ?", slug).Take(&camp).Error; err != nil {
			return notFound(err, "campaign.not_found")
		}
		var n int64
		if err := tx.Model(&channelRow{}).Where("campaign_id = ? AND name = ?", camp.ID, name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return app.FieldErrors{{Code: app.ECONFLICT, MessageID: "admin.campaigns.error.channel_taken", Field: "channel-name"}}
		}
		row := channelRow{CampaignID: camp.ID, Code: newCode(), Name: name, CreatedAt: now}
		for try := 0; ; try++ { // a code collision is astronomically rare; draw again
			if err := tx.Model(&channelRow{}).Where("code = ?", row.Code).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 || try > 5 {
				break
			}
			row.Code = newCode()
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		out = &Channel{ID: row.ID, CampaignID: camp.ID, CampaignSlug: slug, Code: row.Code, Name: name, CreatedAt: now}
		return audit(tx, now, actor, "campaign:channel", "campaign", slug, nil, map[string]string{"channel": name, "code": row.Code})
	})
	if err != nil {
		return nil, fmt.Errorf("create channel of %s: %w", slug, err)
	}
	return out, nil
}

// Channels lists a campaign's channels, oldest first, with how many
// learners each brought and how many of them joined.
func (s *Store) Channels(ctx context.Context, campaignID int64) ([]Channel, error) {
	var out []Channel
	err := s.db.WithContext(ctx).Raw(`SELECT ch.id, ch.campaign_id, c.slug AS campaign_slug, ch.code, ch.name, ch.visits, ch.created_at,
  (SELECT COUNT(*) FROM campaign_visits v WHERE v.channel_id = ch.id) AS learners,
  (SELECT COUNT(*) FROM campaign_participants p WHERE p.channel_id = ch.id) AS participants
FROM campaign_channels ch JOIN campaigns c ON c.id = ch.campaign_id
WHERE ch.campaign_id = ? ORDER BY ch.id`, campaignID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	return out, nil
}

// FindChannel returns the channel with code (ENOTFOUND otherwise).
func (s *Store) FindChannel(ctx context.Context, code string) (*Channel, error) {
	var out []Channel
	err := s.db.WithContext(ctx).Raw(`SELECT ch.id, ch.campaign_id, c.slug AS campaign_slug, ch.code, ch.name, ch.visits, ch.created_at
FROM campaign_channels ch JOIN campaigns c ON c.id = ch.campaign_id WHERE ch.code = ?`, code).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("find channel: %w", err)
	}
	if len(out) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "campaign.channel_not_found")
	}
	return &out[0], nil
}

// joinCampaign adds the learner to the campaign with the channel they came
// by; joining again changes nothing. joined reports a new participant.
func joinCampaign(tx *gorm.DB, campaignID int64, learnerID, how string, now time.Time) (joined bool, err error) {
	if err := ensureLearner(tx, learnerID, now); err != nil {
		return false, err
	}
	res := tx.Exec(`INSERT INTO campaign_participants (campaign_id, learner_id, channel_id, how, joined_at)
VALUES (?, ?, (SELECT channel_id FROM campaign_visits WHERE learner_id = ? AND campaign_id = ?), ?, ?)
ON CONFLICT (campaign_id, learner_id) DO NOTHING`, campaignID, learnerID, learnerID, campaignID, how, now)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected > 0, nil
}

// JoinCampaign adds the learner to the campaign by the Join button
// (ECONFLICT once the campaign has ended). Joining twice changes nothing;
// joined reports whether this call added the learner.
func (s *Store) JoinCampaign(ctx context.Context, slug, learnerID string) (joined bool, err error) {
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row campaignRow
		if err := tx.Where("slug = ?", slug).Take(&row).Error; err != nil {
			return notFound(err, "campaign.not_found")
		}
		if now.After(row.Ends) {
			return app.Errorf(app.ECONFLICT, "campaign.error.ended")
		}
		joined, err = joinCampaign(tx, row.ID, learnerID, JoinedByButton, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("join campaign %s: %w", slug, err)
	}
	return joined, nil
}

// autoJoinCampaigns joins the learner to every campaign running at now
// that features the course they just completed. applyCompletion calls it
// inside the completion's transaction.
func autoJoinCampaigns(tx *gorm.DB, learnerID, courseSlug string, now time.Time) error {
	var rows []campaignRow
	if err := tx.Where("starts <= ? AND ends >= ?", now.UTC(), now.UTC()).Find(&rows).Error; err != nil {
		return fmt.Errorf("running campaigns: %w", err)
	}
	for i := range rows {
		c, err := rows[i].campaign()
		if err != nil {
			return err
		}
		if !c.Running(now) || !features(c, courseSlug) {
			continue
		}
		if _, err := joinCampaign(tx, c.ID, learnerID, JoinedByCompletion, now); err != nil {
			return fmt.Errorf("auto-join %s: %w", c.Slug, err)
		}
	}
	return nil
}

func features(c *app.Campaign, courseSlug string) bool {
	for _, s := range c.Courses {
		if s == courseSlug {
			return true
		}
	}
	return false
}

// FindParticipant returns the learner's membership of the campaign
// (ENOTFOUND when they have not joined).
func (s *Store) FindParticipant(ctx context.Context, campaignID int64, learnerID string) (*Participant, error) {
	var row participantRow
	if err := s.db.WithContext(ctx).Where("campaign_id = ? AND learner_id = ?", campaignID, learnerID).Take(&row).Error; err != nil {
		return nil, notFound(err, "campaign.not_joined")
	}
	p := &Participant{CampaignID: row.CampaignID, LearnerID: row.LearnerID, How: row.How, JoinedAt: row.JoinedAt}
	if row.ChannelID != nil {
		p.ChannelID = *row.ChannelID
	}
	return p, nil
}

// campaignCourseIDs maps the campaign's featured course slugs to ids.
func campaignCourseIDs(db *gorm.DB, c *app.Campaign) ([]int64, error) {
	var ids []int64
	if len(c.Courses) == 0 {
		return ids, nil
	}
	if err := db.Model(&courseRow{}).Where("slug IN ?", c.Courses).Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("campaign courses: %w", err)
	}
	return ids, nil
}

// CampaignProgress counts the completions toward the campaign's goal: the
// campaign-scoped rollups of completions of its featured courses inside
// its window (a participant's completion counts once per course). It reads
// rollups only, never raw events.
func (s *Store) CampaignProgress(ctx context.Context, c *app.Campaign) (int64, error) {
	db := s.db.WithContext(ctx)
	ids, err := campaignCourseIDs(db, c)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	values := make([]string, len(ids))
	for i, id := range ids {
		values[i] = strconv.FormatInt(id, 10)
	}
	var n int64
	err = db.Raw(`SELECT COALESCE(SUM(n), 0) FROM stat_rollups
WHERE scope = ? AND dim = ? AND metric = ? AND value IN ? AND day >= ? AND day <= ?`,
		c.ID, DimCourse, StatCompleted, values, c.Starts.UTC().Format(time.DateOnly), c.Ends.UTC().Format(time.DateOnly)).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("campaign progress: %w", err)
	}
	return n, nil
}

// RegionParticipation is one line of a campaign's leaderboard: learners
// who joined from a region ("" for guests and learners who did not say),
// and how many of them completed a featured course inside the window.
type RegionParticipation struct {
	Region       string
	Participants int64
	Completed    int64
}

// CampaignRegions counts the campaign's participants and completers per
// region (of their account), most participants first. Learners are
// counted once each, whatever they attempted.
func (s *Store) CampaignRegions(ctx context.Context, c *app.Campaign) ([]RegionParticipation, error) {
	db := s.db.WithContext(ctx)
	ids, err := campaignCourseIDs(db, c)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		ids = []int64{0}
	}
	var out []RegionParticipation
	err = db.Raw(`SELECT COALESCE(u.region_code, '') AS region, COUNT(*) AS participants,
  SUM(CASE WHEN EXISTS (SELECT 1 FROM course_completions cc WHERE cc.learner_id = p.learner_id AND cc.course_id IN ?
    AND cc.completed_at >= ? AND cc.completed_at <= ?) THEN 1 ELSE 0 END) AS completed
FROM campaign_participants p LEFT JOIN users u ON u.learner_id = p.learner_id
WHERE p.campaign_id = ?
GROUP BY COALESCE(u.region_code, '')
ORDER BY participants DESC, region`, ids, c.Starts.UTC(), c.Ends.UTC(), c.ID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("campaign regions: %w", err)
	}
	return out, nil
}

// claimCampaignLearner moves a guest's campaign memberships and channel
// attributions to the account's learner (the account's own rows win). For
// ClaimLearner, inside its transaction.
func claimCampaignLearner(tx *gorm.DB, guestLearnerID, accountLearnerID string) error {
	for _, table := range []string{"campaign_participants", "campaign_visits"} {
		if err := tx.Exec(`DELETE FROM `+table+` WHERE learner_id = ? AND campaign_id IN (SELECT campaign_id FROM `+table+` WHERE learner_id = ?)`,
			guestLearnerID, accountLearnerID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE `+table+` SET learner_id = ? WHERE learner_id = ?`, accountLearnerID, guestLearnerID).Error; err != nil {
			return err
		}
	}
	return nil
}

// deleteCampaignLearner erases a learner's campaign memberships and channel
// attributions. For DeleteUser, inside its transaction.
func deleteCampaignLearner(tx *gorm.DB, learnerID string) error {
	for _, table := range []string{"campaign_participants", "campaign_visits"} {
		if err := tx.Exec(`DELETE FROM `+table+` WHERE learner_id = ?`, learnerID).Error; err != nil {
			return err
		}
	}
	return nil
}

// CampaignCourseIDs returns the ids of the campaign's featured courses
// that exist (the rollups key course-level figures by course id).
func (s *Store) CampaignCourseIDs(ctx context.Context, c *app.Campaign) ([]int64, error) {
	return campaignCourseIDs(s.db.WithContext(ctx), c)
}

// CampaignChannelList lists a campaign's channels, oldest first, without
// counting anything (the figures come from the rollups).
func (s *Store) CampaignChannelList(ctx context.Context, campaignID int64) ([]Channel, error) {
	var rows []channelRow
	if err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	out := make([]Channel, 0, len(rows))
	for _, r := range rows {
		out = append(out, Channel{ID: r.ID, CampaignID: r.CampaignID, Code: r.Code, Name: r.Name, Visits: int(r.Visits), CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// CampaignResultsPublished reports whether the campaign publishes its
// aggregate results openly (migration 0004; off by default).
func (s *Store) CampaignResultsPublished(ctx context.Context, campaignID int64) (bool, error) {
	var on []bool
	if err := s.db.WithContext(ctx).Model(&campaignRow{}).Where("id = ?", campaignID).Pluck("publish_results", &on).Error; err != nil {
		return false, fmt.Errorf("campaign results setting: %w", err)
	}
	return len(on) > 0 && on[0], nil
}

// SetCampaignResults turns the campaign's open results page on or off,
// audited as campaign:results with the setting before and after. Setting
// it to what it is changes nothing and writes no audit entry.
func (s *Store) SetCampaignResults(ctx context.Context, actor *app.User, slug string, on bool) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []struct {
			ID             int64
			PublishResults bool
		}
		if err := tx.Raw(`SELECT id, publish_results FROM campaigns WHERE slug = ?`, slug).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return app.Errorf(app.ENOTFOUND, "campaign.not_found")
		}
		if rows[0].PublishResults == on {
			return nil
		}
		if err := tx.Exec(`UPDATE campaigns SET publish_results = ?, updated_at = ? WHERE id = ?`, on, now, rows[0].ID).Error; err != nil {
			return err
		}
		return audit(tx, now, actor, "campaign:results", "campaign", slug,
			map[string]bool{"publish_results": rows[0].PublishResults}, map[string]bool{"publish_results": on})
	})
	if err != nil {
		return fmt.Errorf("campaign:results %s: %w", slug, err)
	}
	return nil
}
