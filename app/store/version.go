package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SiteVersion is the change counter of what public pages show: every admin
// change (through the audit log) and every pack import raises it in the
// same transaction. Instances compare it to drop their cached pages.
type SiteVersion struct {
	Version   int64
	ChangedAt time.Time
}

// FindSiteVersion reads the change counter; one primary-key row, cheap
// enough to poll every second from every instance.
func (s *Store) FindSiteVersion(ctx context.Context) (SiteVersion, error) {
	var v SiteVersion
	err := s.db.WithContext(ctx).Raw(`SELECT version, changed_at FROM site_version WHERE id = 1`).Row().Scan(&v.Version, &v.ChangedAt)
	if err != nil {
		return v, fmt.Errorf("read site version: %w", err)
	}
	v.ChangedAt = v.ChangedAt.UTC()
	return v, nil
}

// bumpVersion raises the change counter inside the caller's transaction,
// so that the change and its announcement commit together.
func bumpVersion(tx *gorm.DB, at time.Time) error {
	if err := tx.Exec(`UPDATE site_version SET version = version + 1, changed_at = ? WHERE id = 1`, at.UTC()).Error; err != nil {
		return fmt.Errorf("bump site version: %w", err)
	}
	return nil
}
