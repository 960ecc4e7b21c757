package store

import (
	"context"
	"fmt"
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
