package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type campaignRow struct {
	ID        int64 `gorm:"primaryKey"`
	Slug      string
	Starts    time.Time
	Ends      time.Time
	Document  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (campaignRow) TableName() string { return "campaigns" }

func upsertCampaign(tx *gorm.DB, c *app.Campaign, now time.Time) (created, changed bool, err error) {
	doc, err := json.Marshal(c)
	if err != nil {
		return false, false, fmt.Errorf("encode campaign %s: %w", c.Slug, err)
	}
	var row campaignRow
	err = tx.Where("slug = ?", c.Slug).Take(&row).Error
	if err == gorm.ErrRecordNotFound {
		row = campaignRow{Slug: c.Slug, Starts: c.Starts.UTC(), Ends: c.Ends.UTC(), Document: string(doc), CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return false, false, fmt.Errorf("create campaign %s: %w", c.Slug, err)
		}
		return true, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("find campaign %s: %w", c.Slug, err)
	}
	if row.Document == string(doc) {
		return false, false, nil
	}
	if err := tx.Model(&campaignRow{}).Where("id = ?", row.ID).Updates(map[string]any{
		"starts": c.Starts.UTC(), "ends": c.Ends.UTC(), "document": string(doc), "updated_at": now}).Error; err != nil {
		return false, false, fmt.Errorf("update campaign %s: %w", c.Slug, err)
	}
	return false, true, nil
}

// Campaigns returns every campaign ending at or after since, soonest start first.
func (s *Store) Campaigns(ctx context.Context, since time.Time) ([]*app.Campaign, error) {
	var rows []campaignRow
	if err := s.db.WithContext(ctx).Where("ends >= ?", since.UTC()).Order("starts").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	out := make([]*app.Campaign, 0, len(rows))
	for _, r := range rows {
		var c app.Campaign
		if err := json.Unmarshal([]byte(r.Document), &c); err != nil {
			return nil, fmt.Errorf("decode campaign %s: %w", r.Slug, err)
		}
		c.ID = r.ID
		out = append(out, &c)
	}
	return out, nil
}
