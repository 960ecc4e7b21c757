package store

import (
	"context"
	"fmt"

	"beacon/app"

	"gorm.io/gorm"
)

// Setting returns a site setting, or def when it was never set.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	var vals []string
	if err := s.db.WithContext(ctx).Raw(`SELECT value FROM settings WHERE key = ?`, key).Scan(&vals).Error; err != nil {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	if len(vals) == 0 {
		return def, nil
	}
	return vals[0], nil
}

// SetSetting stores a site setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if err := s.db.WithContext(ctx).Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value).Error; err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// Settings returns every stored site setting by key, in one query (for
// caches; keys never set are absent).
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	var rows []struct{ Key, Value string }
	if err := s.db.WithContext(ctx).Raw(`SELECT key, value FROM settings`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// SetSettings stores several site settings by actor in one transaction with
// one audit entry ("settings:update", object "settings" "site") holding the
// changed keys before and after. An empty value removes the key, so that its
// default applies again; a missing key reads as "" in the audit entry.
// Values equal to the stored ones are left alone; when nothing changes,
// nothing is written.
func (s *Store) SetSettings(ctx context.Context, actor *app.User, values map[string]string) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, after := map[string]string{}, map[string]string{}
		for key, value := range values {
			var old []string
			if err := tx.Raw(`SELECT value FROM settings WHERE key = ?`, key).Scan(&old).Error; err != nil {
				return err
			}
			prev := ""
			if len(old) > 0 {
				prev = old[0]
			}
			if prev == value {
				continue
			}
			var err error
			if value == "" {
				err = tx.Exec(`DELETE FROM settings WHERE key = ?`, key).Error
			} else {
				err = tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value).Error
			}
			if err != nil {
				return err
			}
			before[key], after[key] = prev, value
		}
		if len(after) == 0 {
			return nil
		}
		return audit(tx, now, actor, "settings:update", "settings", "site", before, after)
	})
	if err != nil {
		return fmt.Errorf("set settings: %w", err)
	}
	return nil
}
