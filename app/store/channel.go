package store

import (
	"context"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

// packChannels lists every campaign channel as a pack carries it, by
// campaign slug and name.
func (s *Store) packChannels(ctx context.Context) ([]app.CampaignChannel, error) {
	var out []app.CampaignChannel
	err := s.db.WithContext(ctx).Raw(`SELECT c.slug AS campaign, ch.code, ch.name
FROM campaign_channels ch JOIN campaigns c ON c.id = ch.campaign_id ORDER BY c.slug, ch.name`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	return out, nil
}

// importChannels adds a pack's campaign channels with their codes, so that
// links and QR posters printed for another site lead to the same campaign
// here. A code already here for the same campaign is kept (its name
// follows the pack); a code here for another campaign, or a name the
// campaign already gives another code, refuses the import (ECONFLICT),
// since one of the two printed links would then lead elsewhere.
func importChannels(tx *gorm.DB, channels []app.CampaignChannel, now time.Time) error {
	for _, ch := range channels {
		var camp campaignRow
		if err := tx.Select("id").Where("slug = ?", ch.Campaign).Take(&camp).Error; err != nil {
			return fmt.Errorf("channel %s: campaign %s: %w", ch.Code, ch.Campaign, notFound(err, "campaign.not_found"))
		}
		var rows []channelRow
		if err := tx.Where("code = ? OR (campaign_id = ? AND name = ?)", ch.Code, camp.ID, ch.Name).Find(&rows).Error; err != nil {
			return fmt.Errorf("channel %s: %w", ch.Code, err)
		}
		var same *channelRow
		for i := range rows {
			r := &rows[i]
			switch {
			case r.Code == ch.Code && r.CampaignID == camp.ID:
				same = r
			case r.Code == ch.Code:
				return fmt.Errorf("channel %s: %w", ch.Code, &app.Error{Code: app.ECONFLICT, MessageID: "admin.packs.error.channel_code_taken"})
			default:
				return fmt.Errorf("channel %s: %w", ch.Code, &app.Error{Code: app.ECONFLICT, MessageID: "admin.packs.error.channel_name_taken"})
			}
		}
		if same != nil {
			if same.Name != ch.Name {
				if err := tx.Model(&channelRow{}).Where("id = ?", same.ID).Update("name", ch.Name).Error; err != nil {
					return fmt.Errorf("rename channel %s: %w", ch.Code, err)
				}
			}
			continue
		}
		if err := tx.Create(&channelRow{CampaignID: camp.ID, Code: ch.Code, Name: ch.Name, CreatedAt: now}).Error; err != nil {
			return fmt.Errorf("create channel %s: %w", ch.Code, err)
		}
	}
	return nil
}
