package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"beacon/app"
)

type certificateRow struct {
	ID           int64 `gorm:"primaryKey"`
	Code         string
	UserID       int64
	CourseID     int64
	CourseSlug   string
	CourseTitle  string
	SourceLocale string
	HolderName   string
	IssuedAt     time.Time
}

func (certificateRow) TableName() string { return "certificates" }

func (r *certificateRow) toApp() *app.Certificate {
	c := &app.Certificate{ID: r.ID, Code: r.Code, UserID: r.UserID, CourseID: r.CourseID, CourseSlug: r.CourseSlug,
		SourceLocale: r.SourceLocale, HolderName: r.HolderName, IssuedAt: r.IssuedAt}
	_ = json.Unmarshal([]byte(r.CourseTitle), &c.CourseTitle)
	return c
}

// FindCertificateByCode returns the certificate with a verification code
// (ENOTFOUND otherwise, including for a deleted account's certificates).
func (s *Store) FindCertificateByCode(ctx context.Context, code string) (*app.Certificate, error) {
	var row certificateRow
	if err := s.db.WithContext(ctx).Where("code = ?", code).Take(&row).Error; err != nil {
		return nil, notFound(err, "certificate.not_found")
	}
	return row.toApp(), nil
}

// Certificates returns the account's certificates, oldest first.
func (s *Store) Certificates(ctx context.Context, userID int64) ([]*app.Certificate, error) {
	var rows []certificateRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("issued_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	out := make([]*app.Certificate, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].toApp())
	}
	return out, nil
}
